"""Telling the people concerned about a task event, after commit and only when the
`notifications` app is there to do it."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.db import transaction
from django.urls import reverse

from thenchot.directives.models import Task

# The module's logger kept its name from before the split, so log routing is unchanged.
log = logging.getLogger("thenchot.directives.services")


def _notify(*, users: Iterable[int | None], task: Task, event: str, message: Any) -> None:
    """Tell `users` about `event` on `task` after commit, through notifications.services.notify
    when that app provides it (it is optional for this module)."""
    recipients = sorted({u for u in users if u is not None})
    if not recipients or not apps.is_installed("thenchot.notifications"):
        return
    try:
        from thenchot.notifications.services import notify
    except ImportError:
        return

    def send() -> None:
        try:
            notify(
                recipients=recipients,
                # Written in each recipient's language, not the actor's (`message` is lazy).
                title=lambda: f"{task.code}: {message}",
                body=task.title,
                url=reverse("directives:task", args=[task.code]),
                model_label="directives.task",
                object_id=task.pk,
            )
        except Exception:  # a failing notification must never undo the change it reports
            log.exception("notify failed for task %s (%s)", task.code, event)

    transaction.on_commit(send)
