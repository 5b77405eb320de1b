"""Celery application for production (`THENCHOT_JOBS_BACKEND=celery`).

Every job registered with `thenchot.core.jobs.job` becomes a Celery task named
`thenchot.<name>`; scheduled ones are added to beat. Start with:
`celery -A thenchot worker -B`.
"""

from __future__ import annotations

import os
from typing import Any

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")

app = Celery("thenchot")
app.conf.broker_url = os.environ.get("THENCHOT_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
app.conf.task_acks_late = True


@app.on_after_finalize.connect
def _register(sender: Celery, **_: Any) -> None:
    import django

    django.setup()
    from thenchot.core import jobs

    for name, spec in jobs.registered().items():
        task = sender.task(name=f"thenchot.{name}")(
            lambda _name=name, **kw: jobs.run_now(_name, **kw)
        )
        if spec.every_seconds:
            sender.add_periodic_task(spec.every_seconds, task.s(), name=name)
