"""What every module of the package shares: the day the writes run on, the refusal helpers,
who `by` is allowed to be, the locked task row, the audit snapshot with files, the heads to tell
(a parent's progress rolls up in `progress`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core import services as core_services
from thenchot.core.errors import OutOfScope
from thenchot.core.sequences import next_code
from thenchot.directives.models import Task
from thenchot.directives.selectors import Authority, authority_for
from thenchot.directives.status import effective_deadline, extension_facts
from thenchot.people.selectors import head_user_ids

# The shared service helpers under the names the package's modules import from here.
_refuse = core_services.refuse
_full_clean = core_services.full_clean
today = core_services.today


def _today() -> dt.date:
    """`services.today()` looked up when called: a test that replaces the package's `today`
    must move the day for every module of the package at once."""
    return core_services.package_today("thenchot.directives.services")


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


def _lead_side_open_task(by: Any, task: Task) -> Task:
    """`task` locked, for a write of its lead side (refused to others) while it is open."""
    auth = _authority(by)
    task = _locked_task(task)
    _require_lead_side(auth, task)
    _require_open(task)
    return task


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


def _new_code(prefix: str, on: dt.date) -> str:
    """The next task code of the year: NV-2026-00909 (five digits, as the numbered tasks
    recorded before the system have)."""
    return next_code(Task, f"{prefix}-{on.year}-", width=5)


def _new_subtask_code(parent: Task) -> str:
    """The parent's code and the next number under it: NV-2026-00909.01."""
    return next_code(Task, f"{parent.code}.", width=2)
