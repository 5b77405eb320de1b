# TEMPORARY dev-only; deleted before handing over.
import pytest


@pytest.fixture(autouse=True)
def _dev_urls(settings):
    settings.ROOT_URLCONF = "thenchot.core.api._dev_urls"
