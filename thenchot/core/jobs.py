"""One interface for background and scheduled work.

`THENCHOT_JOBS_BACKEND=inprocess` (default) runs jobs in a daemon thread beside the server and
`enqueue` runs them on that thread; `celery` hands them to Celery workers (see thenchot/celery.py),
with Celery beat running the schedule. Jobs must be safe to run twice and with several workers:
each claims its rows with a conditional UPDATE (see notifications).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from thenchot.core.context import acting

log = logging.getLogger(__name__)


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
        send(name, kwargs)
    else:
        _queue.put((name, kwargs))


class InProcessScheduler(threading.Thread):
    """Runs scheduled jobs on their interval and drains the enqueue queue."""

    def __init__(self, *, tick: float = 1.0) -> None:
        super().__init__(name="thenchot-scheduler", daemon=True)
        self.tick = tick
        self._stop_event = threading.Event()
        self._last: dict[str, float] = {}

    def stop(self) -> None:
        self._stop_event.set()

    def run_pending(self, now: float | None = None) -> list[str]:
        now = time.monotonic() if now is None else now
        ran: list[str] = []
        for spec in list(_jobs.values()):
            if spec.every_seconds is None:
                continue
            last = self._last.get(spec.name)
            if last is None or now - last >= spec.every_seconds:
                self._last[spec.name] = now
                self._safe_run(spec.name, {})
                ran.append(spec.name)
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
