"""Celery application for production (`THENCHOT_JOBS_BACKEND=celery`).

Every job registered with `thenchot.core.jobs.job` becomes a Celery task named
`thenchot.<name>`; scheduled ones are added to beat. Start with:
`celery -A thenchot worker -B`.
"""

from __future__ import annotations

import os
from typing import Any

import django
from celery import Celery

from thenchot.core import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")

app = Celery("thenchot")
app.conf.broker_url = os.environ.get("THENCHOT_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
app.conf.task_acks_late = True


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


def _register(sender: Celery, **_: Any) -> None:
    django.setup()
    for name, spec in jobs.registered().items():
        task = sender.task(name=f"thenchot.{name}")(_runner(name))
        if spec.every_seconds:
            sender.add_periodic_task(spec.every_seconds, task.s(), name=name)


# Connected by a call, not as a decorator: Celery's signal decorator is untyped.
app.on_after_finalize.connect(_register)
