"""The heads' "3 rõ" board: for a unit in the reader's scope, what is late now (overdue tasks,
overdue cases), who is responsible (the lead unit and assignee; the current step's unit and
holder), what urging happened, and the head's own results beside the unit's.

It aggregates and pages: the per-unit summary is one grouped query per kind folded up the
tree, the lists show a page of rows with their urges read in one query.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q

from thenchot.accounts.scoping import Scope
from thenchot.appraisal.choices import PeriodKind, PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.core.errors import OutOfScope
from thenchot.dashboards.metrics import extended_q, with_status
from thenchot.dashboards.paging import Page, page_of
from thenchot.directives.models import Task
from thenchot.directives.selectors import authority_for, restrict_tasks
from thenchot.directives.urging import Urge, urges_of
from thenchot.org.tree import tree
from thenchot.processes.models import Case, CaseStep
from thenchot.processes.selectors import cases_queryset

PAGE = 25


@dataclass
class UnitLine:
    unit_id: int
    code: str
    name: str
    tasks: int = 0
    cases: int = 0


@dataclass
class TaskLine:
    task: Task
    lead_unit: str
    assignee: str
    days_late: int
    urges: list[Urge]
    can_act: bool


@dataclass
class CaseLine:
    case: Case
    step_name: str
    responsible_unit: str
    holder: str
    days_late: int
    urges: list[Urge]
    can_act: bool


@dataclass
class Results:
    """A head's own result for a period beside the distribution of the unit's."""

    period_code: str
    own_level: str
    unit_levels: dict[str, int]


@dataclass
class HeadBoard:
    unit_id: int
    code: str
    name: str
    on: dt.date
    units: list[UnitLine] = field(default_factory=list)
    tasks: Page | None = None
    task_lines: list[TaskLine] = field(default_factory=list)
    cases: Page | None = None
    case_lines: list[CaseLine] = field(default_factory=list)
    month: Results | None = None
    year: Results | None = None


def _within(path: str, unit_ids: set[int]) -> Q:
    # The whole tree (the city's board): no list of every unit for the database to match.
    if unit_ids >= set(tree().units):
        return Q(**{f"{path}__isnull": False})
    return Q(**{f"{path}__in": sorted(unit_ids)})


def _overdue_tasks(scope: Scope, unit_ids: set[int], on: dt.date) -> Any:
    # Only tasks without an approved extension can be compared on the plain deadline; the
    # rest go through the status rule (`directives.status`), as the task lists do.
    qs = Task.objects.filter(
        Q(completed_on__isnull=True) | Q(completed_on__gt=on),
        Q(deadline__lt=on) | extended_q(),
        _within("lead_unit_id", unit_ids),
        parent__isnull=True,
    )
    return with_status(restrict_tasks(scope, qs), on).filter(status="overdue")


def _overdue_cases(scope: Scope, unit_ids: set[int], on: dt.date) -> Any:
    # Each arm of the OR is a range of the (completed_on, due_on) index: open cases past due,
    # and the few completed after `on` that were past due on it.
    late = Q(completed_on__isnull=True, due_on__lt=on) | Q(completed_on__gt=on, due_on__lt=on)
    return cases_queryset(scope).filter(late, _within("unit_id", unit_ids))


def _by_unit(qs: Any, column: str) -> list[tuple[int, int]]:
    # Grouped by an expression of the unit, not the bare column: SQLite otherwise reads the
    # whole table in the order of the unit's index to group without sorting (4 s over a million
    # cases) instead of the few overdue rows by the (completed_on, due_on) index (0.3 s).
    slot = ExpressionWrapper(F(column) + 0, output_field=IntegerField())
    return list(qs.annotate(_slot=slot).values_list("_slot").annotate(n=Count("pk")).order_by())


def head_board(
    scope: Scope,
    *,
    unit_id: int,
    user: Any,
    on: dt.date,
    task_page: str | None = None,
    case_page: str | None = None,
) -> HeadBoard:
    if scope.is_anonymous or not scope.can_read_unit(unit_id):
        raise OutOfScope()
    snap = tree()
    info = snap.units[unit_id]
    subtree = snap.subtree_on(unit_id, on)
    board = HeadBoard(unit_id=unit_id, code=info.code, name=info.name, on=on)
    authority = authority_for(user, on)

    tasks = _overdue_tasks(scope, subtree, on)
    cases = _overdue_cases(scope, subtree, on)
    # Per unit: the direct children (and the unit itself) with their subtree's counts.
    slots = {c: c for c in snap.children_on(unit_id, on)}
    lines = {unit_id: UnitLine(unit_id, info.code, info.name)}
    for c in slots:
        lines[c] = UnitLine(c, snap.units[c].code, snap.units[c].name)

    def slot_of(u: int) -> int:
        chain = [u, *snap.ancestors_on(u, on)]
        return chain[chain.index(unit_id) - 1] if unit_id in chain and u != unit_id else unit_id

    for u, n in _by_unit(tasks, "lead_unit_id"):
        lines[slot_of(u)].tasks += n
    for u, n in _by_unit(cases, "unit_id"):
        lines[slot_of(u)].cases += n
    board.units = [lines[unit_id]] + sorted(
        (lines[c] for c in slots), key=lambda x: (-(x.tasks + x.cases), x.name)
    )

    # The counts are the summary's (the same rows, grouped by unit): not counted again.
    board.tasks = page_of(
        tasks.select_related("lead_unit", "assignee"),
        order=("effective_deadline", "code"),
        count=sum(line.tasks for line in lines.values()),
        per_page=PAGE,
        raw=task_page,
    )
    page_tasks = list(board.tasks.object_list)
    t_urges = urges_of("directives.task", [t.pk for t in page_tasks])
    board.task_lines = [
        TaskLine(
            task=t,
            lead_unit=t.lead_unit.name,
            assignee=t.assignee.full_name if t.assignee else "",
            days_late=(on - t.effective_deadline).days,
            urges=t_urges.get(t.pk, []),
            can_act=authority.manages_lead_unit(t),
        )
        for t in page_tasks
    ]

    board.cases = page_of(
        cases.select_related("process", "unit"),
        order=("due_on", "code"),
        count=sum(line.cases for line in lines.values()),
        per_page=PAGE,
        raw=case_page,
    )
    page_cases = list(board.cases.object_list)
    steps = {
        (s.case_id, s.position): s
        for s in CaseStep.objects.filter(case_id__in=[c.pk for c in page_cases]).select_related(
            "step"
        )
    }
    c_urges = urges_of("processes.case", [c.pk for c in page_cases])
    for c in page_cases:
        step = steps.get((c.pk, c.current_position)) if c.current_position else None
        resp = (step.step.responsible_unit_id or c.unit_id) if step else c.unit_id
        managed = authority.admin or c.unit_id in authority.managed or resp in authority.managed
        board.case_lines.append(
            CaseLine(
                case=c,
                step_name=step.step.name if step else "",
                responsible_unit=snap.units[resp].name if resp in snap.units else "",
                holder=step.held_by_name if step else "",
                days_late=(on - c.due_on).days,
                urges=c_urges.get(c.pk, []),
                can_act=managed and step is not None,
            )
        )

    if scope.own_staff_id is not None:
        board.month = _results(scope.own_staff_id, subtree, PeriodKind.MONTH)
        board.year = _results(scope.own_staff_id, subtree, PeriodKind.YEAR)
    return board


def _results(staff_id: int, units: set[int], kind: str) -> Results | None:
    own = (
        Evaluation.objects.filter(
            staff_id=staff_id, period__kind=kind, period__status=PeriodStatus.CLOSED
        )
        .exclude(final_level="")
        .order_by("-period__starts_on")
        .values_list("period_code", "final_level")
        .first()
    )
    if own is None:
        return None
    code, level = own
    counts: Counter[str] = Counter()
    for lv, n in (
        Evaluation.objects.filter(
            period_code=code, period__status=PeriodStatus.CLOSED, unit_id__in=sorted(units)
        )
        .exclude(final_level="")
        .values_list("final_level")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[lv] += n
    return Results(code, level, dict(defaultdict(int, counts)))
