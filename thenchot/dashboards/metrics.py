"""The dashboard's figures, each defined once as an annotated queryset (a *series*).

A series is the records of one kind whose bucket date falls in a window, each annotated with
`_unit` (the unit that places it in the tree), `_date` (the day the tree is read for it),
`_bucket` (the date that puts it in a month) and `_key` (its outcome, e.g. the task's status on
the window's `as_of`). A metric is a series and the `_key` values it sums. The dashboard counts
a metric with a grouped query over the series (`aggregates`), and the records page lists it by
filtering the same series (`records_queryset`): one definition for the number and its list.

The definitions follow shared/spec/report.md, bucketed by month so the months of a window add
up to the window's figure (every status is taken on the window's `as_of`):
- tasks (top-level): by effective deadline on `as_of`; status on `as_of`; placed by the lead
  unit on the assigned date (as the `tasks` report block);
- cases received: by received date; case outcomes: a case completed by `as_of` counts in the
  month of its completion (on time or late), an open case past its due date in the month of its
  due date (overdue); placed by the case's unit on the received date;
- evaluations: final levels of closed monthly periods, by the period's month, placed by the
  person's unit on the period's last day (as the `evaluations` block);
- inspections: started in the month, by target unit; recommendations: by due date and
  responsible unit, done / overdue / open on `as_of`;
- discipline decisions: effective in the month, placed by the person's unit then; rotations:
  effective in the month, placed by the unit the person left.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, DateField, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal.choices import PeriodKind, PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.directives.models import Task
from thenchot.directives.status import annotate_status
from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.statistics import unit_at_expr
from thenchot.inspections.models import Inspection, Recommendation
from thenchot.inspections.status import done_q
from thenchot.processes.models import Case as ProcessCase
from thenchot.rotation.models import Rotation


@dataclass(frozen=True)
class Window:
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date

    def months(self) -> list[dt.date]:
        out: list[dt.date] = []
        day = self.date_from.replace(day=1)
        while day <= self.date_to:
            out.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return out


@dataclass(frozen=True)
class Row:
    """One line of a records page."""

    code: str
    url: str
    title: str
    unit_id: int | None
    day: dt.date | None
    outcome: str

    @property
    def outcome_label(self) -> str:
        return outcome_label(self.outcome)


@dataclass(frozen=True)
class Series:
    key: str
    family: str  # invalidation family (`freshness`)
    label: str | Promise
    build: Callable[[Window], QuerySet[Any]]
    row: Callable[[Any], Row]
    related: tuple[str, ...] = ()
    own_path: str | None = None  # the staff column of "my own" records
    order: tuple[str, ...] = ("_bucket", "pk")


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    series: Series
    values: tuple[str, ...]
    # Is a rise good news ("up"), bad news ("down"), or neither ("")? Colours the change.
    good: str = ""


def _d(value: Any) -> Any:
    return Value(value, output_field=DateField())


def _k(value: str) -> Any:
    return Value(value, output_field=CharField())


# -- tasks ----------------------------------------------------------------------------------------
TASK_STATUSES = ("completed_on_time", "completed_late", "overdue", "in_progress")


def _tasks(w: Window) -> QuerySet[Any]:
    qs = annotate_status(Task.objects.filter(parent__isnull=True), w.as_of)
    return qs.filter(effective_deadline__range=(w.date_from, w.date_to)).annotate(
        _unit=F("lead_unit_id"),
        _date=F("assigned_on"),
        _bucket=F("effective_deadline"),
        _key=F("status"),
    )


def _task_row(t: Any) -> Row:
    return Row(
        code=t.code,
        url=reverse("directives:task", args=[t.code]),
        title=t.title,
        unit_id=t.lead_unit_id,
        day=t._bucket,
        outcome=t._key,
    )


TASKS = Series(
    key="tasks",
    family="tasks",
    label=_("Tasks"),
    build=_tasks,
    row=_task_row,
    own_path="assignee_id",
)


# -- cases ----------------------------------------------------------------------------------------
def _cases_received(w: Window) -> QuerySet[Any]:
    return ProcessCase.objects.filter(received_on__range=(w.date_from, w.date_to)).annotate(
        _unit=F("unit_id"), _date=F("received_on"), _bucket=F("received_on"), _key=_k("received")
    )


def _cases_outcome(w: Window) -> QuerySet[Any]:
    done = Q(completed_on__isnull=False, completed_on__lte=w.as_of)
    bucket = Case(When(done, then=F("completed_on")), default=F("due_on"), output_field=DateField())
    key = Case(
        When(done & Q(completed_on__lte=F("due_on")), then=_k("completed_on_time")),
        When(done, then=_k("completed_late")),
        default=_k("overdue"),
        output_field=CharField(),
    )
    return (
        ProcessCase.objects.filter(done | Q(due_on__lt=w.as_of))
        .annotate(_unit=F("unit_id"), _date=F("received_on"), _bucket=bucket, _key=key)
        .filter(_bucket__range=(w.date_from, w.date_to))
    )


def _case_row(c: Any) -> Row:
    return Row(
        code=c.code,
        url=reverse("processes:case", args=[c.code]),
        title=c.applicant or str(c.process.name if hasattr(c, "process") else ""),
        unit_id=c.unit_id,
        day=c._bucket,
        outcome=c._key,
    )


CASES_RECEIVED = Series(
    key="cases_received",
    family="cases",
    label=_("Cases received"),
    build=_cases_received,
    row=_case_row,
    related=("process",),
)
CASES = Series(
    key="cases",
    family="cases",
    label=_("Cases"),
    build=_cases_outcome,
    row=_case_row,
    related=("process",),
)


# -- evaluations ----------------------------------------------------------------------------------
LEVELS = ("excellent", "good", "complete", "not_complete")


def _evaluations(w: Window) -> QuerySet[Any]:
    return (
        Evaluation.objects.filter(
            period__kind=PeriodKind.MONTH,
            period__status=PeriodStatus.CLOSED,
            period__starts_on__range=(w.date_from, w.date_to),
        )
        .exclude(final_level="")
        .annotate(
            _unit=F("unit_id"),
            _date=F("period__ends_on"),
            _bucket=F("period__starts_on"),
            _key=F("final_level"),
        )
    )


def _evaluation_row(e: Any) -> Row:
    return Row(
        code=f"{e.staff.code} · {e.period_code}",
        url=reverse("appraisal:evaluation", args=[e.pk]),
        title=e.staff.full_name,
        unit_id=e.unit_id,
        day=e._bucket,
        outcome=e._key,
    )


EVALUATIONS = Series(
    key="evaluations",
    family="evaluations",
    label=_("Evaluations"),
    build=_evaluations,
    row=_evaluation_row,
    related=("staff",),
    own_path="staff_id",
)


# -- inspections and recommendations --------------------------------------------------------------
def _inspections(w: Window) -> QuerySet[Any]:
    return Inspection.objects.filter(started_on__range=(w.date_from, w.date_to)).annotate(
        _unit=F("target_unit_id"), _date=F("started_on"), _bucket=F("started_on"), _key=F("kind")
    )


def _inspection_row(i: Any) -> Row:
    return Row(
        code=i.code,
        url=reverse("inspections:detail", args=[i.code]),
        title=i.title,
        unit_id=i.target_unit_id,
        day=i._bucket,
        outcome=i._key,
    )


def _recommendations(w: Window) -> QuerySet[Any]:
    key = Case(
        When(done_q(w.as_of), then=_k("done")),
        When(due_on__lt=w.as_of, then=_k("overdue")),
        default=_k("open"),
        output_field=CharField(),
    )
    return Recommendation.objects.filter(due_on__range=(w.date_from, w.date_to)).annotate(
        _unit=F("responsible_unit_id"), _date=F("due_on"), _bucket=F("due_on"), _key=key
    )


def _recommendation_row(r: Any) -> Row:
    url = reverse("inspections:detail", args=[r.inspection.code]) + f"#rec-{r.code}"
    return Row(
        code=r.code,
        url=url,
        title=str(getattr(r, "text", "") or r.inspection.title),
        unit_id=r.responsible_unit_id,
        day=r._bucket,
        outcome=r._key,
    )


INSPECTIONS = Series(
    key="inspections",
    family="inspections",
    label=_("Inspections"),
    build=_inspections,
    row=_inspection_row,
)
RECOMMENDATIONS = Series(
    key="recommendations",
    family="inspections",
    label=_("Recommendations"),
    build=_recommendations,
    row=_recommendation_row,
    related=("inspection",),
)


# -- discipline and rotations ---------------------------------------------------------------------
def _discipline(w: Window) -> QuerySet[Any]:
    return DisciplineDecision.objects.filter(effective_on__range=(w.date_from, w.date_to)).annotate(
        _unit=Coalesce(
            unit_at_expr("staff_id", "effective_on"),
            F("staff__unit_id"),
            output_field=IntegerField(),
        ),
        _date=F("effective_on"),
        _bucket=F("effective_on"),
        _key=_k("decided"),
    )


def _person_row(d: Any) -> Row:
    return Row(
        code=d.code,
        url=reverse("people:person", args=[d.staff.code]),
        title=d.staff.full_name,
        unit_id=d._unit,
        day=d._bucket,
        outcome=str(getattr(d, "form", "") or getattr(d, "kind", "")),
    )


def _rotations(w: Window) -> QuerySet[Any]:
    return Rotation.objects.filter(effective_on__range=(w.date_from, w.date_to)).annotate(
        _unit=F("from_unit_id"), _date=F("effective_on"), _bucket=F("effective_on"), _key=_k("done")
    )


DISCIPLINE = Series(
    key="discipline",
    family="discipline",
    label=_("Discipline"),
    build=_discipline,
    row=_person_row,
    related=("staff",),
)
ROTATIONS = Series(
    key="rotations",
    family="rotations",
    label=_("Rotations"),
    build=_rotations,
    row=_person_row,
    related=("staff",),
)

SERIES: dict[str, Series] = {
    s.key: s
    for s in (
        TASKS,
        CASES_RECEIVED,
        CASES,
        EVALUATIONS,
        INSPECTIONS,
        RECOMMENDATIONS,
        DISCIPLINE,
        ROTATIONS,
    )
}

METRICS: dict[str, Metric] = {
    m.key: m
    for m in (
        Metric("tasks.due", _("Tasks due"), TASKS, TASK_STATUSES),
        Metric(
            "tasks.completed_on_time", _("Completed on time"), TASKS, ("completed_on_time",), "up"
        ),
        Metric("tasks.completed_late", _("Completed late"), TASKS, ("completed_late",), "down"),
        Metric("tasks.overdue", _("Overdue tasks"), TASKS, ("overdue",), "down"),
        Metric("tasks.in_progress", _("In progress"), TASKS, ("in_progress",)),
        Metric("cases.received", _("Cases received"), CASES_RECEIVED, ("received",)),
        Metric(
            "cases.completed_on_time",
            _("Cases completed on time"),
            CASES,
            ("completed_on_time",),
            "up",
        ),
        Metric(
            "cases.completed_late", _("Cases completed late"), CASES, ("completed_late",), "down"
        ),
        Metric("cases.overdue", _("Overdue cases"), CASES, ("overdue",), "down"),
        Metric("evaluations.rated", _("People rated"), EVALUATIONS, LEVELS),
        Metric("evaluations.excellent", _("Excellent"), EVALUATIONS, ("excellent",), "up"),
        Metric("evaluations.good", _("Good"), EVALUATIONS, ("good",), "up"),
        Metric("evaluations.complete", _("Complete"), EVALUATIONS, ("complete",)),
        Metric(
            "evaluations.not_complete", _("Not complete"), EVALUATIONS, ("not_complete",), "down"
        ),
        Metric(
            "inspections.started",
            _("Inspections started"),
            INSPECTIONS,
            ("planned", "surprise", "verification"),
        ),
        Metric(
            "recommendations.due",
            _("Recommendations due"),
            RECOMMENDATIONS,
            ("done", "overdue", "open"),
        ),
        Metric("recommendations.done", _("Recommendations done"), RECOMMENDATIONS, ("done",), "up"),
        Metric(
            "recommendations.overdue",
            _("Recommendations overdue"),
            RECOMMENDATIONS,
            ("overdue",),
            "down",
        ),
        Metric("discipline.decisions", _("Discipline decisions"), DISCIPLINE, ("decided",), "down"),
        Metric("rotations.total", _("Rotations"), ROTATIONS, ("done",)),
    )
}

# The figures of the staff member's own dashboard: only series with an `own_path`.
OWN_METRICS = tuple(k for k, m in METRICS.items() if m.series.own_path is not None)


def outcome_label(value: str) -> str:
    """The label of an outcome value (a status, a level, a kind) in the active language."""
    from thenchot.appraisal.choices import Level
    from thenchot.directives.choices import TaskStatus
    from thenchot.discipline.choices import DisciplineForm
    from thenchot.inspections.choices import InspectionKind, RecommendationStatus
    from thenchot.rotation.choices import RotationKind

    extra = {
        "received": _("Received"),
        "decided": _("Decided"),
        "done": _("Done"),
        "overdue": _("Overdue"),
    }
    if value in extra:
        return str(extra[value])
    for choices in (
        TaskStatus,
        Level,
        InspectionKind,
        RecommendationStatus,
        DisciplineForm,
        RotationKind,
    ):
        if value in choices.values:
            return str(choices(value).label)
    return value
