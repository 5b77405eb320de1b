"""Reads of procedures and cases, every one scoped by the reader's role and unit subtree.

Who reads: procedures and cases of the units a scope reads (city-wide roles: all). Who manages
the registry of a unit: an administrator, or a personnel officer or unit head whose subtree
holds the unit. Who moves a case: the people responsible for its current step (a step naming a
role: holders of that role over the step's unit; otherwise: staff of the step's unit or below).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.core.registry import RecordAccess
from thenchot.core.text import fold
from thenchot.org.selectors import may_write_unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff
from thenchot.processes.choices import Level
from thenchot.processes.models import Case, CaseStep, Process, ProcessDocument, ProcessStep
from thenchot.processes.status import case_status, status_expression
from thenchot.processes.workdays import calendar, held_days, risk_threshold

MANAGER_ROLES = (Role.ADMIN, Role.PERSONNEL, Role.UNIT_HEAD)


# -- scope ----------------------------------------------------------------------------------------
def process_read_q(scope: Scope, path: str = "owner_unit_id") -> Q:
    """Rows of the units the scope reads, and, for a staff member, of the units above their own
    (the officer who receives and handles cases works under the agency's procedures)."""
    if scope.is_anonymous:
        return Q(pk__in=[])
    q = scope.unit_filter(path)
    if scope.city_wide:
        return q
    own = _own_units(scope)
    return q | Q(**{f"{path}__in": sorted(own)}) if own else q


def _own_units(scope: Scope) -> set[int]:
    if scope.own_staff_id is None:
        return set()
    unit_id = Staff.objects.filter(pk=scope.own_staff_id).values_list("unit_id", flat=True).first()
    if unit_id is None:
        return set()
    return {unit_id, *tree().ancestors_on(unit_id, scope.on)}


def processes_queryset(scope: Scope) -> QuerySet[Process]:
    return Process.objects.filter(process_read_q(scope)).select_related("owner_unit")


def cases_queryset(scope: Scope) -> QuerySet[Case]:
    return Case.objects.filter(process_read_q(scope, "unit_id")).select_related("process", "unit")


def can_manage(scope: Scope, unit_id: int) -> bool:
    """May this scope register, edit and retire the procedures of the unit?"""
    return may_write_unit(
        scope, unit_id, anywhere=(Role.ADMIN,), in_subtree=(Role.PERSONNEL, Role.UNIT_HEAD)
    )


def can_start_case(scope: Scope, user: Any, process: Process) -> bool:
    """Staff of the owner unit's subtree and its managers receive cases."""
    if can_manage(scope, process.owner_unit_id):
        return True
    staff = _staff_of(user)
    if staff is None:
        return False
    return staff.unit_id in tree().subtree_on(process.owner_unit_id, scope.on)


def _staff_of(user: Any) -> Any:
    try:
        return user.staff
    except Exception:  # RelatedObjectDoesNotExist: a user with no staff record
        return None


def responsible_unit_id(case: Case, step: ProcessStep) -> int:
    return step.responsible_unit_id or case.unit_id


def is_responsible(user: Any, case: Case, step: ProcessStep, on: dt.date) -> bool:
    """Is `user` among the people responsible for `step` of `case` on `on`?"""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    unit_id = responsible_unit_id(case, step)
    snap = tree()
    if step.responsible_role:
        for role, grant_unit in user.grants.values_list("role", "unit_id"):
            if role != step.responsible_role:
                continue
            if grant_unit is None or unit_id in snap.subtree_on(grant_unit, on):
                return True
        return False
    staff = _staff_of(user)
    return staff is not None and staff.unit_id in snap.subtree_on(unit_id, on)


def holder_label(case: Case, step: ProcessStep | None) -> str:
    """Who holds the case now: the current step's unit, and its role when it names one."""
    if step is None:
        return ""
    unit = tree().units.get(responsible_unit_id(case, step))
    name = getattr(unit, "name", "") if unit is not None else ""
    if step.responsible_role:
        return f"{name} ({Role(step.responsible_role).label})"
    return str(name)


# -- procedures -----------------------------------------------------------------------------------
def in_force_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}approved_on__lte": on}) & (
        Q(**{f"{prefix}retired_on__isnull": True}) | Q(**{f"{prefix}retired_on__gt": on})
    )


def filter_processes(
    qs: QuerySet[Process],
    *,
    q: str = "",
    level: str = "",
    unit_id: int | None = None,
    in_force_on: dt.date | None = None,
) -> QuerySet[Process]:
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    if level in Level.values:
        qs = qs.filter(level=level)
    if unit_id is not None:
        qs = qs.filter(
            owner_unit_id__in=sorted(tree().subtree_on(unit_id, in_force_on or _today()))
        )
    if in_force_on is not None:
        qs = qs.filter(in_force_q(in_force_on))
    return qs


def _today() -> dt.date:
    from django.utils import timezone

    return timezone.localdate()


def counts_in_force(scope: Scope | None, on: dt.date) -> dict[str, int]:
    """Procedures in force on `on` by level (every level present, zeros included): one query."""
    qs = Process.objects.filter(in_force_q(on))
    if scope is not None:
        qs = qs.filter(process_read_q(scope))
    counts = dict.fromkeys(Level.values, 0)
    for level, n in qs.values_list("level").annotate(n=Count("id")).order_by():
        counts[level] = n
    return counts


def version_in_force(code: str, on: dt.date) -> Process | None:
    """The version of procedure `code` in force on `on` (the latest approved, if several)."""
    return Process.objects.filter(in_force_q(on), code=code).order_by("-number").first()


def process_steps(process: Process) -> list[ProcessStep]:
    return list(process.steps.select_related("responsible_unit").order_by("position"))


def process_documents(process: Process) -> list[ProcessDocument]:
    return list(process.documents.order_by("kind", "name"))


# -- cases ----------------------------------------------------------------------------------------
def with_status(qs: QuerySet[Case], on: dt.date) -> QuerySet[Case]:
    return qs.annotate(status=status_expression(on, risk_threshold(on)))


@dataclass(frozen=True)
class StepLine:
    position: int
    name: str
    holder: str
    started_on: dt.date | None
    due_on: dt.date | None
    completed_on: dt.date | None
    held_by: str
    held_days: int | None  # working days held (to `on` while open)
    late_days: int  # working days past the step's due date
    current: bool


def case_steps(case: Case, on: dt.date) -> list[StepLine]:
    """Each step: who held it, for how many working days, how late (to `on` while open)."""
    cal = calendar()
    lines = []
    rows = case.steps.select_related("step", "step__responsible_unit").order_by("position")
    for row in rows:
        end = row.completed_on or (on if row.started_on is not None else None)
        held = held_days(row.started_on, end, cal) if row.started_on and end else None
        late = 0
        if row.due_on is not None and end is not None and end > row.due_on:
            late = held_days(row.due_on, end, cal)
        lines.append(
            StepLine(
                position=row.position,
                name=row.step.name,
                holder=holder_label(case, row.step),
                started_on=row.started_on,
                due_on=row.due_on,
                completed_on=row.completed_on,
                held_by=row.held_by_name,
                held_days=held,
                late_days=late,
                current=row.position == case.current_position and case.completed_on is None,
            )
        )
    return lines


def current_step(case: Case) -> CaseStep | None:
    if case.completed_on is not None or not case.current_position:
        return None
    return (
        case.steps.select_related("step", "step__responsible_unit")
        .filter(position=case.current_position)
        .first()
    )


def can_read_case(scope: Scope, case: Case) -> bool:
    return not scope.is_anonymous and (
        scope.can_read_unit(case.unit_id) or case.unit_id in _own_units(scope)
    )


RECORD_ACCESS: Mapping[str, RecordAccess] = {
    "processes.process": lambda scope, obj: scope.can_read_unit(obj.owner_unit_id),
    "processes.processstep": lambda scope, obj: scope.can_read_unit(obj.process.owner_unit_id),
    "processes.processdocument": lambda scope, obj: scope.can_read_unit(obj.process.owner_unit_id),
    "processes.case": lambda scope, obj: scope.can_read_unit(obj.unit_id),
    "processes.casestep": lambda scope, obj: scope.can_read_unit(obj.case.unit_id),
}


def case_status_of(case: Case, on: dt.date, threshold: dt.date) -> str:
    return case_status(
        due_on=case.due_on, completed_on=case.completed_on, on=on, threshold=threshold
    ).value
