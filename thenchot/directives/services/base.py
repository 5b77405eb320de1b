"""What every module of the package shares: the day the writes run on, the refusal helpers,
who `by` is allowed to be, the locked task row, the audit snapshot with files, the heads to tell
and the roll-up of a parent's progress."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.selectors import Authority, authority_for, head_user_ids
from thenchot.directives.status import effective_deadline, extension_facts


def today() -> dt.date:
    return timezone.localdate()


def _today() -> dt.date:
    """`services.today()` looked up when called, not bound at import: a test that replaces the
    package's `today` must move the day for every module of the package at once."""
    from thenchot.directives import services

    return services.today()


def _refuse(message: Any, field: str | None = None) -> DomainError:
    return DomainError(message, field_errors={field: [message]} if field else None)


def _full_clean(instance: Any, *, exclude: Iterable[str] = ()) -> None:
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False)
    except ValidationError as exc:
        fields = {k: list(v) for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0] if fields else _("The change was refused.")
        raise DomainError(first, field_errors=fields) from exc


def _date_not_future(value: dt.date, field: str) -> None:
    if value > _today():
        raise _refuse(_("This date cannot be in the future."), field)


def _authority(by: Any) -> Authority:
    if by is None or not getattr(by, "is_authenticated", False):
        raise OutOfScope()
    return authority_for(by, _today())


def _locked_task(task: Task) -> Task:
    """The task's current row, locked for the rest of the transaction (PostgreSQL; SQLite
    serialises writers with IMMEDIATE transactions)."""
    return Task.objects.select_for_update().get(pk=task.pk)


def _require_lead_side(auth: Authority, task: Task) -> None:
    if not auth.is_lead_side(task):
        raise OutOfScope(_("Only the lead unit of this task (or its assignee) can do this."))


def _require_assigning_side(auth: Authority, task: Task) -> None:
    if not auth.is_assigning_side(task):
        raise OutOfScope(_("Only the side that assigned this task can do this."))


def _require_open(task: Task) -> None:
    if task.completed_on is not None:
        raise _refuse(_("This task is already completed."))


def _current_deadline(task: Task, on: dt.date) -> dt.date:
    facts = extension_facts(task.extensions.all())
    return effective_deadline(deadline=task.deadline, extensions=facts, on=on)


def _snap(instance: Any) -> dict[str, Any]:
    """`auditing.snapshot`, with stored files as their names (the writer cannot JSON them)."""
    from django.db.models.fields.files import FieldFile

    data = auditing.snapshot(instance)
    for key, value in data.items():
        if isinstance(value, FieldFile):
            data[key] = value.name or None
    return data


def _heads(unit_id: int | None) -> list[int]:
    if unit_id is None:
        return []
    return head_user_ids({unit_id}, _today()).get(unit_id, [])


def _recompute_parent_progress(task: Task) -> None:
    """A parent's progress is the weight-averaged progress of its sub-tasks (completed ones
    count 100%), carried up the chain."""
    parent_id = task.parent_id
    while parent_id is not None:
        rows = list(
            Task.objects.filter(parent_id=parent_id).values_list(
                "weight", "progress", "completed_on"
            )
        )
        total = sum((w for w, _p, _c in rows), Decimal(0))
        if not total:
            return
        done = sum((w * (100 if c is not None else p) for w, p, c in rows), Decimal(0))
        value = int((done / total).quantize(Decimal(1)))
        parent = Task.objects.get(pk=parent_id)
        if parent.progress != value and parent.completed_on is None:
            before = auditing.snapshot(parent)
            Task.objects.filter(pk=parent_id).update(progress=value)
            parent.progress = value
            auditing.record(
                parent,
                action=auditing.UPDATE,
                before=before,
                reason=_("progress rolled up from sub-tasks"),
            )
        parent_id = parent.parent_id


def _new_code(prefix: str, on: dt.date) -> str:
    return f"{prefix}-{on.year}-{uuid.uuid4().hex[:10].upper()}"
