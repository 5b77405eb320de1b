"""What awaits a person in task direction (the home page's to-do list): their tasks that are
overdue or fall due within a week, and the extension requests they are to decide."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thenchot.core.awaiting import Awaiting, awaiting_sources
from thenchot.directives.choices import ExtensionStatus, TaskStatus
from thenchot.directives.models import ExtensionRequest
from thenchot.directives.selectors import my_task_counts

SOON_DAYS = 7  # the first reminder of rules.md's 7/3/1-day schedule


def awaiting(*, scope: Any, user: Any, on: dt.date) -> Iterator[Awaiting]:
    mine_url = reverse("directives:mine")
    soon = on + dt.timedelta(days=SOON_DAYS)
    # Both of the person's counts from their open tasks' plain columns (the home page asks on
    # every view: the status expression cost more to compile than to run).
    counts = my_task_counts(user, on, soon=soon)
    yield Awaiting(
        key="directives.overdue",
        label=_("My overdue tasks"),
        count=counts.overdue,
        url=f"{mine_url}?{urlencode({'status': TaskStatus.OVERDUE})}",
        urgent=True,
    )
    yield Awaiting(
        key="directives.due_soon",
        label=_("My tasks due within a week"),
        count=counts.due_soon,
        url=f"{mine_url}?{urlencode({'status': TaskStatus.IN_PROGRESS, 'deadline_to': soon.isoformat()})}",
    )
    yield Awaiting(
        key="directives.extensions",
        label=_("Extension requests to decide"),
        # Every task one gave is readable to one (`task_read_q`): no scope or status to join.
        count=ExtensionRequest.objects.filter(
            status=ExtensionStatus.PENDING, task__assigned_by_id=user.pk
        ).count()
        if user is not None and user.is_authenticated
        else 0,
        url=reverse("directives:assigned"),
    )


awaiting_sources.register("directives", awaiting, order=30)
