"""Urging and reassigning a task from the heads' "3 rõ" board (issue 16).

- `task_urge`: a reminder sent now to the assignee and the heads of the lead unit (through
  `notifications`), and an audit line on the task carrying who urged and when — the task's
  urging history is read back from those lines (`urges_of`).
- `task_reassign`: another assignee inside the lead unit's subtree, for an open task, guarded by
  the version the reader saw (`core.concurrency`) and audited.

Who may: someone who manages the task's lead unit (`selectors.Authority.manages_lead_unit`:
a unit head, personnel officer or division manager grant over it, or its head or deputy), or,
for urging, the task's assigning side; nobody outside.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from thenchot.audit.models import AuditEntry
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.selectors import authority_for, head_user_ids, staff_in_subtree_on
from thenchot.notifications.choices import NotificationKind
from thenchot.notifications.services import notify
from thenchot.people.models import Staff

URGED = "urged_at"


@dataclass(frozen=True)
class Urge:
    at: Any  # datetime
    actor: str
    note: str


def task_urge(*, task: Task, by: Any, note: str = "", on: dt.date | None = None) -> int:
    """Send the reminder now; returns how many people it reached."""
    on = on or timezone.localdate()
    authority = authority_for(by, on)
    if not (authority.manages_lead_unit(task) or authority.is_assigning_side(task)):
        raise OutOfScope()
    if task.completed_on is not None:
        raise DomainError(
            gettext("Task %(code)s is already completed: there is nothing to urge.")
            % {"code": task.code}
        )
    recipients: list[int] = [
        u for ids in head_user_ids({task.lead_unit_id}, on).values() for u in ids
    ]
    if task.assignee_id is not None:
        user_id = (
            Staff.objects.filter(pk=task.assignee_id).values_list("user_id", flat=True).first()
        )
        if user_id is not None:
            recipients.append(user_id)
    code, title = task.code, task.title
    return send_urge(
        record=task,
        recipients=recipients,
        by=by,
        note=note,
        title=lambda: gettext("Reminder: task %(code)s needs your attention") % {"code": code},
        body=lambda: gettext('Please report on the task "%(title)s".') % {"title": title},
        url=reverse("directives:task", args=[task.code]),
    )


def send_urge(
    *,
    record: Model,
    recipients: list[int],
    by: Any,
    note: str,
    title: Callable[[], str],
    body: Callable[[], str],
    url: str,
) -> int:
    """The urge itself, for any record: a reminder to `recipients` (the urger left out, unless
    nobody else is there) with the note as its body, else `body`, and an audit line on `record`
    carrying who urged and when (read back by `urges_of`). Returns how many people it reached."""
    note = (note or "").strip()[:1000]
    with transaction.atomic():
        sent = notify(
            recipients=[r for r in recipients if r != getattr(by, "pk", None)] or recipients,
            title=title,
            body=lambda: note or body(),
            url=url,
            kind=NotificationKind.INFO,
            model_label=record._meta.label_lower,
            object_id=record.pk,
        )
        auditing.record(
            record,
            action=auditing.UPDATE,
            before={URGED: None},
            after={
                URGED: timezone.now().isoformat(),
                "urged_by": getattr(by, "username", ""),
                "urge_note": note,
            },
            reason=note or gettext("Urged"),
        )
    return len(sent)


def urges_of(model_label: str, object_ids: Iterable[int]) -> dict[int, list[Urge]]:
    """object id -> its urges, newest first (one query)."""
    out: dict[int, list[Urge]] = defaultdict(list)
    ids = [str(i) for i in object_ids]
    if not ids:
        return {}
    rows = (
        AuditEntry.objects.filter(model_label=model_label, object_id__in=ids, after__has_key=URGED)
        .values_list("object_id", "at", "actor_name", "after")
        .order_by("-at", "-id")
    )
    for object_id, at, actor, after in rows:
        after = after or {}
        who = str(after.get("urged_by") or actor)
        out[int(object_id)].append(Urge(at, who, str(after.get("urge_note") or "")))
    return dict(out)


def task_reassign(
    *, task: Task, assignee: Staff, by: Any, expected_version: int, on: dt.date | None = None
) -> Task:
    """Give the task to `assignee`, who must work in the lead unit's subtree on `on`."""
    on = on or timezone.localdate()
    authority = authority_for(by, on)
    if not authority.manages_lead_unit(task):
        raise OutOfScope()
    if task.completed_on is not None:
        raise DomainError(
            gettext("Task %(code)s is already completed: it cannot be reassigned.")
            % {"code": task.code}
        )
    if not staff_in_subtree_on(assignee.pk, task.lead_unit_id, on):
        raise DomainError(
            gettext("%(code)s (%(name)s) does not work in the lead unit of task %(task)s.")
            % {"code": assignee.code, "name": assignee.full_name, "task": task.code}
        )
    if task.assignee_id == assignee.pk:
        raise DomainError(
            gettext("%(name)s is already the assignee of task %(task)s.")
            % {"name": assignee.full_name, "task": task.code}
        )
    with transaction.atomic():
        before = auditing.snapshot(task)
        task.assignee = assignee
        save_versioned(task, expected_version=expected_version, fields=["assignee"])
        auditing.record(task, action=auditing.UPDATE, before=before)
        code = task.code
        tell_holder(
            record=task,
            user_id=assignee.user_id,
            title=lambda: gettext("Task %(code)s was assigned to you") % {"code": code},
            url=reverse("directives:task", args=[task.code]),
        )
    return task


def tell_holder(*, record: Model, user_id: int | None, title: Callable[[], str], url: str) -> None:
    """Tell the person a record (or its current step) was just handed to, if they have an
    account."""
    if user_id is not None:
        notify(
            recipients=[user_id],
            title=title,
            url=url,
            model_label=record._meta.label_lower,
            object_id=record.pk,
        )
