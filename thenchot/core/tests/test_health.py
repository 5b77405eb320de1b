"""/health/ answers without a login: 200 when the database, the cache, the broker (Celery only)
and the scheduler's heartbeat are fine, 500 naming the one that is not."""

from __future__ import annotations

import time

import pytest
from django.core.cache import cache

from thenchot.core import jobs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    cache.clear()
    yield
    cache.clear()


def _health(client):  # type: ignore[no-untyped-def]
    response = client.get("/health/?format=json")
    return response.status_code, response.json()


def test_it_is_healthy_once_a_scheduler_has_ticked(client) -> None:  # type: ignore[no-untyped-def]
    jobs.due()

    status, body = _health(client)

    assert status == 200
    assert set(body.values()) == {"OK"}
    assert any(k.startswith("Database") for k in body)
    assert any(k.startswith("Cache") for k in body)
    assert not any(k.startswith("Broker") for k in body)  # the in-process backend has none


def test_it_fails_while_no_scheduler_has_ticked(client) -> None:  # type: ignore[no-untyped-def]
    status, body = _health(client)

    assert status == 500
    scheduler = next(v for k, v in body.items() if k.startswith("Scheduler"))
    assert "no scheduler has ticked" in scheduler


def test_it_fails_when_the_last_tick_is_too_old(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_SCHEDULER_MAX_AGE = 300
    jobs.due(time.time() - 301)

    status, body = _health(client)

    assert status == 500
    assert "last ticked" in next(v for k, v in body.items() if k.startswith("Scheduler"))


def test_it_checks_the_broker_under_celery(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_JOBS_BACKEND = "celery"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nobody listens there
    jobs.due()

    status, body = _health(client)

    assert status == 500
    assert "broker unreachable" in next(v for k, v in body.items() if k.startswith("Broker"))


def test_the_probe_is_not_redirected_to_https(client, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_SSL_REDIRECT = True
    jobs.due()

    assert client.get("/health/?format=json").status_code == 200
    assert client.get("/login/").status_code == 301
