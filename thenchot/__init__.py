"""Then Chốt: performance and accountability of cadres, civil servants and public employees."""

import os

__version__ = "0.1.0"

if os.environ.get("THENCHOT_JOBS_BACKEND") == "celery":
    # Celery's usual Django layout: the app loads with the project, so `core.jobs.enqueue` finds
    # its sender in the web process too. Only then: the default backend needs no Celery import.
    from thenchot.celery import app as celery_app  # noqa: F401
