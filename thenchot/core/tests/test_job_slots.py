"""A scheduled job runs once per slot however many schedulers look (`core.jobs.due`), each look
records the heartbeat /health/ reads, and the deploy check asks for a cache shared by every
process."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache

from thenchot.core import jobs

# The scheduler closes stale connections around each job.
pytestmark = pytest.mark.django_db


@pytest.fixture
def stamp(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Only one job registered: `test.stamp`, every 60 s, which notes each run."""
    ran: list[str] = []
    monkeypatch.setattr(jobs, "_jobs", {})
    jobs.job("test.stamp", every_seconds=60)(lambda: ran.append("stamp"))
    jobs.job("test.on_demand")(lambda: ran.append("on demand"))
    cache.clear()
    yield ran
    cache.clear()


def test_it_runs_a_job_once_in_its_slot_whoever_looks(stamp: list[str]) -> None:
    one, two = jobs.InProcessScheduler(tick=1), jobs.InProcessScheduler(tick=1)
    start = 6000.0 * 60  # the beginning of a slot

    assert one.run_pending(start) == ["test.stamp"]
    assert two.run_pending(start + 1) == []
    assert one.run_pending(start + 59) == []
    assert two.run_pending(start + 60) == ["test.stamp"]
    assert one.run_pending(start + 61) == []
    assert stamp == ["stamp", "stamp"]


def test_it_runs_what_was_enqueued_beside_the_schedule(stamp: list[str]) -> None:
    scheduler = jobs.InProcessScheduler(tick=1)
    jobs.enqueue("test.on_demand")

    assert scheduler.run_pending(6000.0 * 60) == ["test.stamp", "test.on_demand"]


def test_due_claims_only_the_scheduled_jobs_and_records_the_heartbeat(stamp: list[str]) -> None:
    assert jobs.last_heartbeat() is None

    assert jobs.due(1234.5) == ["test.stamp"]
    assert jobs.due(1234.6) == []
    assert jobs.last_heartbeat() == 1234.6
    assert stamp == []  # claimed, not run: the caller runs or sends it


def test_a_failing_cache_skips_the_tick_without_stopping_the_scheduler(
    stamp: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*args: Any, **kwargs: Any) -> bool:
        raise ConnectionError("redis is down")

    monkeypatch.setattr(cache, "add", down)

    assert jobs.InProcessScheduler(tick=1).run_pending(6000.0 * 60) == []
    assert stamp == []


def test_the_deploy_check_asks_for_a_shared_cache(settings) -> None:  # type: ignore[no-untyped-def]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    messages = jobs.check_shared_cache()
    assert [m.id for m in messages] == ["core.W010"]
    assert "THENCHOT_CACHE_URL" in messages[0].hint

    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/1",
        }
    }
    assert jobs.check_shared_cache() == []


def test_the_deploy_check_asks_for_celery(settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_JOBS_BACKEND = "inprocess"
    assert [m.id for m in jobs.check_jobs_backend()] == ["core.W011"]

    settings.THENCHOT_JOBS_BACKEND = "celery"
    assert jobs.check_jobs_backend() == []


def test_celery_gets_a_job_once_the_transaction_commits(
    stamp: list[str], settings, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_JOBS_BACKEND = "celery"
    sent: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setitem(jobs._senders, "celery", lambda name, kwargs: sent.append((name, kwargs)))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        jobs.enqueue("test.on_demand", month="2026-11")
        assert sent == []  # not while the transaction is open

    assert len(callbacks) == 1
    assert sent == [("test.on_demand", {"month": "2026-11"})]
