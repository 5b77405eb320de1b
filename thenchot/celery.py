"""Celery application for production (`THENCHOT_JOBS_BACKEND=celery`).

Every job registered with `thenchot.core.jobs.job` becomes a Celery task named
`thenchot.<name>`. Beat sends one task only, the scheduler's tick (every
`THENCHOT_SCHEDULER_TICK` seconds): a worker runs it, claims the slots of the jobs that are due
(`core.jobs.due`: once per slot across every beat and worker) and sends those jobs' tasks. Two
beats therefore never run a job twice, and a fresh heartbeat proves beat, broker and a worker
alive together. Start with `celery -A thenchot worker` and `celery -A thenchot beat` (contrib/).
"""

from __future__ import annotations

import os
from typing import Any

import django
from celery import Celery

from thenchot.core import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")

TICK_TASK = "thenchot.scheduler.tick"

app = Celery("thenchot")
app.conf.broker_url = os.environ.get("THENCHOT_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
app.conf.task_acks_late = True
# A worker takes one task at a time, so a long report does not hold tasks queued behind it.
app.conf.worker_prefetch_multiplier = 1
app.conf.broker_connection_retry_on_startup = True


def _send(name: str, kwargs: dict[str, Any]) -> None:
    app.send_task(f"thenchot.{name}", kwargs=kwargs)


# `jobs.enqueue` reaches Celery through this: core does not import this module.
jobs.register_sender("celery", _send)


def _runner(name: str) -> Any:
    # A named function, not a lambda: Celery rebuilds the task's signature from the function's
    # name (`def <lambda>(...)` is a SyntaxError there).
    def run(**kwargs: Any) -> Any:
        return jobs.run_now(name, **kwargs)

    return run


def tick() -> list[str]:
    """Send the jobs whose slot this tick claimed; the rest are someone else's or not due."""
    names = jobs.due()
    for name in names:
        _send(name, {})
    return names


def _register(sender: Celery, **_: Any) -> None:
    django.setup()
    from django.conf import settings

    for name in jobs.registered():
        sender.task(name=f"thenchot.{name}")(_runner(name))
    every = float(settings.THENCHOT_SCHEDULER_TICK)
    tick_task = sender.task(name=TICK_TASK)(tick)
    # A tick left in the queue past the next one is worthless: it expires instead of piling up
    # while the workers are away.
    sender.add_periodic_task(every, tick_task.s(), name="scheduler tick", expires=every)


# Connected by a call, not as a decorator: Celery's signal decorator is untyped.
app.on_after_finalize.connect(_register)
