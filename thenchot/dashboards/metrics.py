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

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal.choices import PeriodKind, PeriodStatus
from thenchot.appraisal.models import ClosedLevelCount, Evaluation, EvaluationPeriod
from thenchot.appraisal.selectors import level_counts_ensure
from thenchot.dashboards.placement import Epochs
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.status import APPROVED, effective_deadline_expr, status_expr
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
    """A family of records counted by unit and month (declared below as `Series(key, family,
    label, build, row, ...)`)."""

    key: str
    family: str  # invalidation family (`freshness`)
    label: str | Promise
    build: Callable[[Window], QuerySet[Any]]
    row: Callable[[Any], Row]
    related: tuple[str, ...] = ()
    own_path: str | None = None  # the staff column of "my own" records
    order: tuple[str, ...] = ("_bucket", "pk")
    # Rows (unit, epoch, month, key, n) counted another way than grouping `build`'s records,
    # which the records page lists (the parity test holds the two together).
    grouped: Callable[[Window, Epochs], list[tuple[Any, int, Any, str, int]]] | None = None


@dataclass(frozen=True)
class Metric:
    key: str
    label: str | Promise
    series: Series
    values: tuple[str, ...]
    # Is a rise good news ("up"), bad news ("down"), or neither ("")? Colours the change.
    good: str = ""
    # The list's order when the metric's bucket is a plain column (an index reads it in
    # order): the same order as the series' (bucket, pk).
    order: tuple[str, ...] | None = None
    # A condition on a plain column that every record of the metric meets (its values imply
    # it): said again so that the database reads the list's order column as a range of its
    # index instead of sorting the whole set (the parity test holds it to the count).
    narrow: Callable[[Window], Q] | None = None

    @property
    def list_order(self) -> tuple[str, ...]:
        return self.order or self.series.order


def _d(value: Any) -> Any:
    return Value(value, output_field=DateField())


def _k(value: str) -> Any:
    return Value(value, output_field=CharField())


# -- tasks ----------------------------------------------------------------------------------------
TASK_STATUSES = ("completed_on_time", "completed_late", "overdue", "in_progress")


def extended_q() -> Q:
    """Tasks with an approved extension (found in one pass, not per row)."""
    return Q(pk__in=ExtensionRequest.objects.filter(status=APPROVED).values("task_id"))


def with_status(qs: QuerySet[Any], on: dt.date) -> QuerySet[Any]:
    """Tasks with `effective_deadline` and `status` on `on`, as `directives.status` says. A task
    without an approved extension has its deadline as effective deadline on any day (only an
    approved extension is ever in force), so the rule's per-row subquery
    (`effective_deadline_expr`) is evaluated only for the few tasks that have one —
    `directives.status.extended_on` is the same shortcut, asked row by row."""
    effective = Case(
        When(extended_q(), then=effective_deadline_expr(on)),
        default=F("deadline"),
        output_field=DateField(),
    )
    return qs.annotate(effective_deadline=effective).annotate(
        status=status_expr(on, F("effective_deadline"))
    )


def _tasks(w: Window) -> QuerySet[Any]:
    # The plain deadline column narrows the rows before the effective deadline is compared.
    narrow = Q(deadline__range=(w.date_from, w.date_to)) | extended_q()
    return (
        with_status(Task.objects.filter(narrow, parent__isnull=True), w.as_of)
        .filter(effective_deadline__range=(w.date_from, w.date_to))
        .annotate(
            _unit=F("lead_unit_id"),
            _date=F("assigned_on"),
            _bucket=F("effective_deadline"),
            _key=F("status"),
        )
    )


def _row(record: Any, code: str, url: str, title: str, unit_id: int | None, **kw: Any) -> Row:
    """A records page's line of a series' record: its bucket date and outcome are the ones its
    series annotated (`_bucket`, `_key`) unless `outcome` is given."""
    return Row(code, url, title, unit_id, record._bucket, kw.get("outcome", record._key))


def _task_row(t: Any) -> Row:
    return _row(t, t.code, reverse("directives:task", args=[t.code]), t.title, t.lead_unit_id)


TASKS = Series("tasks", "tasks", _("Tasks"), _tasks, _task_row, own_path="assignee_id")


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
    # The bucket in columns an index can read: completed in the window (by `as_of`), or due in
    # it and not completed by `as_of`; the bucket expression then decides exactly.
    span = (w.date_from, w.date_to)
    narrow = Q(completed_on__range=span, completed_on__lte=w.as_of) | (
        Q(due_on__range=span) & (Q(completed_on__isnull=True) | Q(completed_on__gt=w.as_of))
    )
    return (
        ProcessCase.objects.filter(narrow)
        .filter(done | Q(due_on__lt=w.as_of))
        .annotate(_unit=F("unit_id"), _date=F("received_on"), _bucket=bucket, _key=key)
        .filter(_bucket__range=(w.date_from, w.date_to))
    )


def _completed_in(w: Window) -> Q:
    # A case completed (on time or late) is bucketed by its completion, within the window.
    return Q(completed_on__range=(w.date_from, w.date_to))


def _case_row(c: Any) -> Row:
    title = c.applicant or str(c.process.name if hasattr(c, "process") else "")
    return _row(c, c.code, reverse("processes:case", args=[c.code]), title, c.unit_id)


CASES_RECEIVED = Series(
    "cases_received", "cases", _("Cases received"), _cases_received, _case_row, related=("process",)
)
CASES = Series("cases", "cases", _("Cases"), _cases_outcome, _case_row, related=("process",))


# -- evaluations ----------------------------------------------------------------------------------
LEVELS = ("excellent", "good", "complete", "not_complete")


def _evaluations(w: Window) -> QuerySet[Any]:
    # The periods first (a few hundred rows), then their evaluations by the (period, unit)
    # index: a join on the period's columns made PostgreSQL read the whole table (2.4 million
    # rows for a city's year) for one month.
    periods = list(
        EvaluationPeriod.objects.filter(
            kind=PeriodKind.MONTH,
            status=PeriodStatus.CLOSED,
            starts_on__range=(w.date_from, w.date_to),
        ).values_list("pk", flat=True)
    )
    return (
        Evaluation.objects.filter(period_id__in=periods)
        .exclude(final_level="")
        .annotate(
            _unit=F("unit_id"),
            _date=F("period__ends_on"),
            _bucket=F("period__starts_on"),
            _key=F("final_level"),
        )
    )


def _evaluation_row(e: Any) -> Row:
    url = reverse("appraisal:evaluation", args=[e.pk])
    return _row(e, f"{e.staff.code} · {e.period_code}", url, e.staff.full_name, e.unit_id)


def _evaluation_counts(w: Window, epochs: Epochs) -> list[tuple[Any, int, Any, str, int]]:
    """The evaluations series counted from each closed period's level counts per unit
    (`appraisal.models.ClosedLevelCount`, made once per close by the `evaluations` report
    block's `level_counts_ensure`): a city's year is a few thousand rows instead of 2.4 million
    evaluations, so recounting it after a close costs the new close's count only."""
    periods = list(
        EvaluationPeriod.objects.filter(
            kind=PeriodKind.MONTH,
            status=PeriodStatus.CLOSED,
            starts_on__range=(w.date_from, w.date_to),
        ).values_list("pk", "closed_at", "starts_on", "ends_on")
    )
    # A period closed without a closing time (written directly) has no counts to key: it is
    # counted from its evaluations.
    keyed = [(pk, at) for pk, at, _s, _e in periods if at is not None]
    level_counts_ensure(keyed)
    info = {pk: (starts, ends) for pk, _at, starts, ends in periods}
    rows = ClosedLevelCount.objects.filter(period_id__in=[pk for pk, _at in keyed]).values_list(
        "period_id", "unit_id", "level", "n"
    )
    out = [
        (unit, epochs.of(info[pk][1]), info[pk][0].replace(day=1), level, n)
        for pk, unit, level, n in rows
    ]
    unkeyed = [pk for pk, at, _s, _e in periods if at is None]
    if unkeyed:
        for pk, unit, level, n in (
            Evaluation.objects.filter(period_id__in=unkeyed)
            .exclude(final_level="")
            .values_list("period_id", "unit_id", "final_level")
            .annotate(n=Count("pk"))
            .order_by()
        ):
            out.append((unit, epochs.of(info[pk][1]), info[pk][0].replace(day=1), level, n))
    return out


EVALUATIONS = Series(
    "evaluations",
    "evaluations",
    _("Evaluations"),
    _evaluations,
    _evaluation_row,
    related=("staff",),
    own_path="staff_id",
    grouped=_evaluation_counts,
)


# -- inspections and recommendations --------------------------------------------------------------
def _inspections(w: Window) -> QuerySet[Any]:
    return Inspection.objects.filter(started_on__range=(w.date_from, w.date_to)).annotate(
        _unit=F("target_unit_id"), _date=F("started_on"), _bucket=F("started_on"), _key=F("kind")
    )


def _inspection_row(i: Any) -> Row:
    return _row(i, i.code, reverse("inspections:detail", args=[i.code]), i.title, i.target_unit_id)


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
    title = str(getattr(r, "text", "") or r.inspection.title)
    return _row(r, r.code, url, title, r.responsible_unit_id)


INSPECTIONS = Series("inspections", "inspections", _("Inspections"), _inspections, _inspection_row)
RECOMMENDATIONS = Series(
    "recommendations",
    "inspections",
    _("Recommendations"),
    _recommendations,
    _recommendation_row,
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
    url = reverse("people:person", args=[d.staff.code])
    outcome = str(getattr(d, "form", "") or getattr(d, "kind", ""))
    return _row(d, d.code, url, d.staff.full_name, d._unit, outcome=outcome)


def _rotations(w: Window) -> QuerySet[Any]:
    return Rotation.objects.filter(effective_on__range=(w.date_from, w.date_to)).annotate(
        _unit=F("from_unit_id"), _date=F("effective_on"), _bucket=F("effective_on"), _key=_k("done")
    )


DISCIPLINE = Series(
    "discipline", "discipline", _("Discipline"), _discipline, _person_row, related=("staff",)
)
ROTATIONS = Series(
    "rotations", "rotations", _("Rotations"), _rotations, _person_row, related=("staff",)
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
        Metric(
            "cases.received",
            _("Cases received"),
            CASES_RECEIVED,
            ("received",),
            order=("received_on", "pk"),
        ),
        # A completed case is bucketed by its completion, an overdue one by its due date.
        Metric(
            "cases.completed_on_time",
            _("Cases completed on time"),
            CASES,
            ("completed_on_time",),
            "up",
            order=("completed_on", "pk"),
            narrow=_completed_in,
        ),
        Metric(
            "cases.completed_late",
            _("Cases completed late"),
            CASES,
            ("completed_late",),
            "down",
            order=("completed_on", "pk"),
            narrow=_completed_in,
        ),
        Metric(
            "cases.overdue",
            _("Overdue cases"),
            CASES,
            ("overdue",),
            "down",
            order=("due_on", "pk"),
        ),
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
