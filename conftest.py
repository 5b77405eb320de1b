"""Fixtures shared by every test module: the persona world and logged-in clients."""

from __future__ import annotations

import os

os.environ.setdefault("THENCHOT_TESTING", "1")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# No per-example time limit: a loaded CI machine must not turn a slow example into a failure
# (speed is measured by the benchmarks in bench/, never by tests).
hypothesis_settings.register_profile("thenchot", deadline=None, print_blob=True)
hypothesis_settings.load_profile("thenchot")


@pytest.fixture(autouse=True)
def _fresh_tree_cache() -> None:
    # Each test's transaction is rolled back, so the tree counter can repeat a value with a
    # different tree behind it: never trust a snapshot from another test.
    from thenchot.core import calendar_table
    from thenchot.org import tree

    tree._cache = None
    calendar_table._cache = None  # the holiday table's calendar: the same hazard


@pytest.fixture(autouse=True)
def _languages(settings):  # type: ignore[no-untyped-def]
    """Pages are Vietnamese by default (the middleware), as in production. Code called directly
    by a test (services, rules, selectors) runs with English active, so message assertions do
    not depend on the state of the Vietnamese catalogue; tests of Vietnamese text activate it."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "vi"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from thenchot.people.testing import build_world

    return build_world()


@pytest.fixture
def client_for(client, world):  # type: ignore[no-untyped-def]
    """client_for("lan") -> a test client logged in as that persona; `lang="en"` picks English
    the way a person does (the language cookie; the browser's Accept-Language is ignored)."""
    from django.conf import settings
    from django.test import Client

    def make(username: str, lang: str | None = None) -> Client:
        c = Client()
        c.force_login(world.user(username))
        if lang:
            c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        return c

    return make


@pytest.fixture
def api_for(world):  # type: ignore[no-untyped-def]
    """api_for("lan") -> a DRF APIClient authenticated as that persona (token auth)."""
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    def make(username: str) -> APIClient:
        c = APIClient()
        token, _ = Token.objects.get_or_create(user=world.user(username))
        c.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return c

    return make
