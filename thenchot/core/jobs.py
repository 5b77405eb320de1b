"""One interface for background and scheduled work.

`THENCHOT_JOBS_BACKEND=inprocess` (default) runs jobs in a daemon thread beside the demo's
server (`serve_demo`), and `enqueue` runs them on that thread; `celery` hands them to Celery
workers (see thenchot/celery.py), with Celery beat sending the scheduler's tick. A WSGI server
(gunicorn) starts no thread: production uses Celery, which the deploy check core.W011 asks for.

A scheduled job runs once per *slot*: the interval counted from the epoch (an hourly job's slot
is the hour). Whoever looks first (`due`) claims the slot in the cache with an atomic add, so two
beats or two schedulers never run a job twice in one slot; each look also records the
scheduler's heartbeat, which /health/ reads. With several processes the cache must be shared
(Redis, `THENCHOT_CACHE_URL`): the deploy check core.W010 says so. Jobs stay safe to run twice
and with several workers all the same: each claims its rows with a conditional UPDATE (see
notifications).
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.core.context import acting

log = logging.getLogger(__name__)

HEARTBEAT_KEY = "jobs:heartbeat"
CLAIM_KEY = "jobs:claim:{name}:{slot}"


@dataclass(frozen=True)
class Job:
    name: str
    func: Callable[..., Any]
    every_seconds: int | None = None  # None: only when enqueued


_jobs: dict[str, Job] = {}


def job(name: str, *, every_seconds: int | None = None) -> Callable[[Callable[..., Any]], Any]:
    """Register a job function under `name`, optionally run every `every_seconds`."""

    def decorator(func: Callable[..., Any]) -> Callable[..., Any]:
        _jobs[name] = Job(name=name, func=func, every_seconds=every_seconds)
        return func

    return decorator


def registered() -> dict[str, Job]:
    return dict(_jobs)


def run_now(name: str, **kwargs: Any) -> Any:
    """Run a job synchronously in this process, audited as a job."""
    spec = _jobs[name]
    with acting(source="job", reason=f"job {name}"):
        return spec.func(**kwargs)


# -- the schedule: one run per slot, claimed in the cache ------------------------------------------
def slot_of(spec: Job, now: float) -> int:
    """The slot `now` (seconds since the epoch) falls in for this job: its interval's number."""
    assert spec.every_seconds
    return int(now // spec.every_seconds)


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def claim(spec: Job, slot: int) -> bool:
    """True for the one caller, across every process sharing the cache, that claims this slot."""
    from django.core.cache import cache

    assert spec.every_seconds
    key = CLAIM_KEY.format(name=spec.name, slot=slot)
    # Kept past the slot's end, so a late look (a clock a little behind) still finds it.
    return bool(cache.add(key, _owner(), timeout=2 * spec.every_seconds + 60))


def due(now: float | None = None) -> list[str]:
    """The scheduled jobs whose current slot this caller has just claimed, and the heartbeat.

    Every scheduler (the in-process one, the Celery beat tick) calls this each tick; a job is
    in the list of exactly one of them per slot."""
    from django.core.cache import cache

    now = time.time() if now is None else now
    claimed = [
        spec.name
        for spec in list(_jobs.values())
        if spec.every_seconds and claim(spec, slot_of(spec, now))
    ]
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return claimed


def last_heartbeat() -> float | None:
    """When a scheduler last looked for due jobs (seconds since the epoch), if one ever did."""
    from django.core.cache import cache

    value = cache.get(HEARTBEAT_KEY)
    return float(value) if value is not None else None


# -- enqueueing --------------------------------------------------------------------------------
_queue: queue.Queue[tuple[str, dict[str, Any]]] = queue.Queue()

# backend name -> callable(job name, kwargs) that hands the job over. The module that owns a
# backend registers itself here (thenchot/celery.py, loaded with the project when
# THENCHOT_JOBS_BACKEND=celery): core never imports it, since it imports core.
_senders: dict[str, Callable[[str, dict[str, Any]], None]] = {}


def register_sender(backend: str, send: Callable[[str, dict[str, Any]], None]) -> None:
    _senders[backend] = send


def enqueue(name: str, **kwargs: Any) -> None:
    if name not in _jobs:
        raise KeyError(f"unknown job {name!r}")
    backend = settings.THENCHOT_JOBS_BACKEND
    if backend == "celery":
        send = _senders.get(backend)
        if send is None:
            raise ImproperlyConfigured(
                "THENCHOT_JOBS_BACKEND=celery but thenchot.celery was not loaded in this process"
            )
        # A worker is another process: it would not see this transaction's rows before the
        # commit (nor should a job run for a write rolled back). Outside a transaction: now.
        transaction.on_commit(lambda: send(name, kwargs))
    else:
        _queue.put((name, kwargs))


class AskOnce:
    """Requests for a job keyed by what it computes, queued at most once per `seconds` in this
    process: the many readers of a page that lacks a value ask for it once. `done(key)` once
    the value is there lets the next request through."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._asked: dict[Hashable, float] = {}
        self._lock = threading.Lock()

    def enqueue(self, key: Hashable, name: str, **kwargs: Any) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._asked.get(key, -self.seconds) < self.seconds:
                return
            self._asked[key] = now
        enqueue(name, **kwargs)

    def done(self, key: Hashable) -> None:
        with self._lock:
            self._asked.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._asked.clear()


class InProcessScheduler(threading.Thread):
    """Runs scheduled jobs once per slot (claimed: see `due`) and drains the enqueue queue."""

    def __init__(self, *, tick: float | None = None) -> None:
        super().__init__(name="thenchot-scheduler", daemon=True)
        self.tick = float(settings.THENCHOT_SCHEDULER_TICK) if tick is None else tick
        self._stop_event = threading.Event()

    def stop(self) -> None:
        self._stop_event.set()

    def run_pending(self, now: float | None = None) -> list[str]:
        """Run what is due at `now` (seconds since the epoch) and what was enqueued."""
        ran: list[str] = []
        try:
            names = due(now)
        except Exception:  # the cache is down: nothing is claimed, the next tick tries again
            log.exception("the scheduler could not claim its jobs")
            names = []
        for name in names:
            self._safe_run(name, {})
            ran.append(name)
        while True:
            try:
                name, kwargs = _queue.get_nowait()
            except queue.Empty:
                break
            self._safe_run(name, kwargs)
            ran.append(name)
        return ran

    def _safe_run(self, name: str, kwargs: dict[str, Any]) -> None:
        from django.db import close_old_connections

        close_old_connections()
        try:
            run_now(name, **kwargs)
        except Exception:  # a failing job must not stop the scheduler
            log.exception("job %s failed", name)
        finally:
            close_old_connections()

    def run(self) -> None:
        while not self._stop_event.is_set():
            self.run_pending()
            self._stop_event.wait(self.tick)


# -- deploy check ------------------------------------------------------------------------------
_LOCAL_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Production runs several processes (web workers, Celery, the scheduler): a cache of each
    process's own would let two schedulers claim the same slot, hide the scheduler's heartbeat
    from /health/, and keep sessions and rate limits apart."""
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend not in _LOCAL_CACHES:
        return []
    return [
        checks.Warning(
            _("The cache is each process's own memory (%(backend)s).") % {"backend": backend},
            hint=_(
                "Set THENCHOT_CACHE_URL to a Redis server shared by every process of the "
                "installation (docs/operations.md)."
            ),
            id="core.W010",
        )
    ]


@checks.register(deploy=True)
def check_jobs_backend(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """The in-process scheduler is a thread of the demo's server: under gunicorn nothing would
    run the reminders, the e-mails or the scheduled reports."""
    if settings.THENCHOT_JOBS_BACKEND == "celery":
        return []
    return [
        checks.Warning(
            _("Background jobs run in-process, which only the demo's server does."),
            hint=_(
                "Set THENCHOT_JOBS_BACKEND=celery and run a Celery worker and beat "
                "(docs/operations.md)."
            ),
            id="core.W011",
        )
    ]
