"""Settings of the load benchmark's server (bench/bench_load.py): the project's, plus one bare
endpoint (bench/load_urls.py) to compare the application's requests with."""

from thenchot.settings import *  # noqa: F403

ROOT_URLCONF = "load_urls"
