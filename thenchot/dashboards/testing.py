"""A small year of records over the persona world (2025), for the dashboard's tests and the
language test: tasks in every status, cases on time, late and overdue, a closed month of
evaluations. Rows are written directly (factories): the tests exercise the reads."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import open_period
from thenchot.directives.models import Task
from thenchot.directives.testing import TaskFactory
from thenchot.people.testing import World
from thenchot.processes.models import Case, CaseStep
from thenchot.processes.testing import ProcessFactory, with_steps

YEAR = 2025
D = dt.date


@dataclass
class Year:
    tasks: dict[str, Task] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    period: EvaluationPeriod | None = None


def build_year(w: World) -> Year:
    y = Year()
    an = w.staff["an"]
    spec: list[tuple[str, Any, Any, D, D | None]] = [
        # code, lead unit, assignee, deadline, completed on
        ("NV-A1", w.snv_tc, an, D(YEAR, 3, 31), D(YEAR, 3, 20)),  # on time
        ("NV-A2", w.snv_tc, an, D(YEAR, 3, 31), D(YEAR, 4, 10)),  # late
        ("NV-A3", w.snv_tc, an, D(YEAR, 4, 30), None),  # overdue
        ("NV-A4", w.snv_cc, None, D(YEAR, 5, 31), None),  # overdue
        ("NV-B1", w.stc_ns, None, D(YEAR, 3, 15), D(YEAR, 3, 1)),  # on time
        ("NV-B2", w.stc_ns, None, D(YEAR, 6, 30), None),  # overdue
        ("NV-C1", w.ward, None, D(YEAR, 4, 15), D(YEAR, 4, 15)),  # on time
        ("NV-X0", w.snv_tc, an, D(YEAR - 1, 11, 30), None),  # last year: previous period
    ]
    for code, unit, assignee, deadline, done in spec:
        y.tasks[code] = TaskFactory.create(
            code=code,
            lead_unit=unit,
            assigner_unit=w.city,
            assignee=assignee,
            assigned_on=D(deadline.year, 1, 5) if deadline.month > 1 else deadline,
            deadline=deadline,
            completed_on=done,
        )
    process = with_steps(
        ProcessFactory.create(code="QT-DB", owner_unit=w.snv),
        ("Tiếp nhận", 1, w.snv_tc, ""),
        ("Thẩm định", 5, w.snv_tc, ""),
    )
    cases: list[tuple[str, Any, D, D, D | None]] = [
        ("HS-1", w.snv_tc, D(YEAR, 2, 1), D(YEAR, 2, 10), D(YEAR, 2, 9)),  # on time
        ("HS-2", w.snv_tc, D(YEAR, 2, 1), D(YEAR, 2, 10), D(YEAR, 2, 20)),  # late
        ("HS-3", w.snv_tc, D(YEAR, 3, 1), D(YEAR, 3, 10), None),  # overdue
        ("HS-4", w.snv, D(YEAR, 4, 1), D(YEAR, 4, 10), None),  # overdue
    ]
    for code, unit, received, due, done in cases:
        case = Case.objects.create(
            code=code,
            process=process,
            unit=unit,
            received_on=received,
            due_on=due,
            completed_on=done,
            current_position=2,
            applicant="Công ty TNHH Minh An",
        )
        for position, step in enumerate(process.steps.order_by("position"), start=1):
            CaseStep.objects.create(
                case=case,
                step=step,
                position=position,
                started_on=received,
                due_on=due,
                completed_on=received if position == 1 else done,
                held_by_name="Nguyễn Văn An" if position == 2 else "",
            )
        y.cases[code] = case
    period = open_period(w, f"{YEAR}-05")
    levels = ["excellent", "good", "complete", "not_complete"]
    for i, ev in enumerate(Evaluation.objects.filter(period=period).order_by("staff__code")):
        Evaluation.objects.filter(pk=ev.pk).update(
            final_level=levels[i % len(levels)], status="closed"
        )
    EvaluationPeriod.objects.filter(pk=period.pk).update(
        status=PeriodStatus.CLOSED, closed_at=timezone.now()
    )
    y.period = period
    return y
