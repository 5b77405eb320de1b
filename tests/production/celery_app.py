"""The Celery application of `test_celery_schedule`: thenchot.celery with one job only,
`test.stamp` every second, and every claim the scheduler's tick wins noted in a file
(THENCHOT_TEST_CLAIMS_LOG: "<job> <slot> <pid>" lines)."""

from __future__ import annotations

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
django.setup()

from thenchot.core import jobs  # noqa: E402

jobs._jobs.clear()  # the apps' jobs are not this test's business


@jobs.job("test.stamp", every_seconds=1)
def stamp() -> None:
    with open(os.environ["THENCHOT_TEST_CLAIMS_LOG"] + ".runs", "a") as out:
        out.write(f"{os.getpid()}\n")


_due = jobs.due


def _noted_due(now: float | None = None) -> list[str]:
    now = time.time() if now is None else now
    names = _due(now)
    with open(os.environ["THENCHOT_TEST_CLAIMS_LOG"], "a") as out:
        for name in names:
            out.write(f"{name} {jobs.slot_of(jobs.registered()[name], now)} {os.getpid()}\n")
    return names


jobs.due = _noted_due

from thenchot.celery import app  # noqa: E402

app.conf.task_default_queue = os.environ["THENCHOT_TEST_QUEUE"]

__all__ = ["app", "stamp"]
