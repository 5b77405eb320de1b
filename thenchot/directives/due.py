"""Open tasks as a source of due dates for the reminder job (contract: `core.due`).

Policy key "directives.task". An item is a task not completed on `on` whose effective deadline on
`on` is one of the reminder days (or, when `overdue`, has passed). Reminded: the assignee's user
and the heads of the lead unit on `on`; escalated to: the person who assigned it and the heads of
the assigning unit. Two queries whatever the number of tasks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Q
from django.urls import reverse

from thenchot.core.due import DueItem, item_title, user_ids
from thenchot.core.due_window import due_window
from thenchot.directives.models import Task
from thenchot.directives.selectors import head_user_ids
from thenchot.directives.status import effective_deadline_expr

POLICY_KEY = "directives.task"


def task_url(code: str) -> str:
    """The task's page. Through `reverse()`, not an f-string: a code may be an official number
    ("12/KL-UBND/NV01") and may hold characters a path must quote."""
    return reverse("directives:task", args=[code])


class TaskDueSource:
    policy_key = POLICY_KEY

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:
        when = due_window("eff", on=on, due_dates=due_dates, overdue=overdue)
        rows = list(
            Task.objects.filter(Q(completed_on__isnull=True) | Q(completed_on__gt=on))
            .annotate(eff=effective_deadline_expr(on))
            .filter(when)
            .values_list(
                "pk",
                "code",
                "title",
                "eff",
                "assignee__user_id",
                "lead_unit_id",
                "assigner_unit_id",
                "assigned_by_id",
            )
            .order_by("pk")
        )
        units = {r[5] for r in rows} | {r[6] for r in rows if r[6] is not None}
        heads = head_user_ids(units, on) if units else {}
        for pk, code, title, due_on, assignee_user, lead, assigner, assigned_by in rows:
            recipients = user_ids([assignee_user, *heads.get(lead, ())])
            escalate = user_ids(
                [assigned_by, *heads.get(assigner, ())] if assigner else [assigned_by]
            )
            yield DueItem(
                model_label=POLICY_KEY,
                object_id=pk,
                title=item_title(code, title),
                due_on=due_on,
                url=task_url(code),
                recipients=recipients,
                escalate_to=escalate,
            )


task_due_source = TaskDueSource()
