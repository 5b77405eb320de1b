"""Case statistics for a range of days: received, completed on time, completed late, overdue;
the trend by month; the time each step takes and the steps where the late days accrue.

Every figure is one `metric_q` over the scoped case list, so the number on the statistics page
and the length of the case list it links to are the same query (`filter_cases`). Counts are
conditional aggregates in one grouped query; working days are counted in the database by
joining each date to its working-day ordinal (a `VALUES` table made from the calendar), since
"working days between" is ordinal(end) - ordinal(start) (rules.md "Working days").

- received: received in the range;
- completed on time / late: completed in the range, on or before / after the case's due date;
- overdue: open at the end of the range and due before it (a case returned to the applicant
  waits off the clock and is not counted).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncMonth

from thenchot.org.tree import tree
from thenchot.processes.choices import Level
from thenchot.processes.models import Case, ProcessStep
from thenchot.processes.status import open_on
from thenchot.processes.workdays import calendar

METRICS = ("received", "on_time", "late", "overdue")
# Step ordinals cover this many days before the range: a step finished in the range may have
# started long before it (its held days are not counted when it started earlier still).
LOOKBACK_DAYS = 731


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    unit_id: int | None = None
    level: str = ""
    procedure: str = ""


def metric_q(metric: str, start: dt.date, end: dt.date) -> Q:
    if metric == "received":
        return Q(received_on__gte=start, received_on__lte=end)
    if metric == "on_time":
        return Q(completed_on__gte=start, completed_on__lte=end) & Q(completed_on__lte=F("due_on"))
    if metric == "late":
        return Q(completed_on__gte=start, completed_on__lte=end, completed_on__gt=F("due_on"))
    if metric == "overdue":
        return Q(received_on__lte=end, due_on__lt=end, returned_on__isnull=True) & open_on(end)
    raise ValueError(metric)


def any_metric_q(start: dt.date, end: dt.date) -> Q:
    q = Q()
    for metric in ("received", "on_time", "late", "overdue"):
        q |= metric_q(metric, start, end)
    return q


def step_late_q(step_id: int, start: dt.date, end: dt.date) -> Q:
    """Cases whose step `step_id` was finished late in the range or is overdue at its end."""
    done_late = Q(
        steps__step_id=step_id,
        steps__completed_on__gte=start,
        steps__completed_on__lte=end,
        steps__completed_on__gt=F("steps__due_on"),
    )
    open_late = (
        Q(steps__step_id=step_id, steps__started_on__lte=end, steps__due_on__lt=end)
        & open_on(end, "steps__")
        & Q(returned_on__isnull=True)
    )
    return done_late | open_late


def scoped(qs: QuerySet[Case], filters: Filters) -> QuerySet[Case]:
    if filters.unit_id is not None:
        qs = qs.filter(unit_id__in=sorted(tree().subtree_on(filters.unit_id, filters.end)))
    if filters.level in Level.values:
        qs = qs.filter(process__level=filters.level)
    if filters.procedure:
        qs = qs.filter(process__code=filters.procedure)
    return qs


def filter_cases(qs: QuerySet[Case], params: Mapping[str, str]) -> QuerySet[Case]:
    """The case list behind a figure (`metric`, `from`, `to`, `unit`, `level`, `procedure`,
    `step`): the same conditions the figure counted."""
    from thenchot.core.views import parse_date

    start, end = parse_date(params.get("from")), parse_date(params.get("to"))
    metric = params.get("metric", "")
    if start is None or end is None or (metric not in METRICS and metric != "step_late"):
        return qs
    code = params.get("unit", "").strip()
    unit_id = tree().by_code.get(code) if code else None
    if code and unit_id is None:
        return qs.none()
    qs = scoped(
        qs, Filters(start, end, unit_id, params.get("level", ""), params.get("procedure", ""))
    )
    if metric == "step_late":
        step = params.get("step", "")
        return qs.filter(step_late_q(int(step), start, end)) if step.isdigit() else qs.none()
    return qs.filter(metric_q(metric, start, end))


# -- figures --------------------------------------------------------------------------------------
def counts(qs: QuerySet[Case], filters: Filters, by: str | None) -> dict[Any, dict[str, int]]:
    """{group value: {metric: count}}; `by` is "unit_id", "process__level", "process__code" or
    None (one group, key None). One query."""
    start, end = filters.start, filters.end
    base = scoped(qs, filters).filter(any_metric_q(start, end)).order_by()
    aggregates = {m: Count("pk", filter=metric_q(m, start, end)) for m in METRICS}
    if by is None:
        return {None: base.aggregate(**aggregates)}
    rows = base.values(by).annotate(**aggregates).order_by()
    return {row[by]: {m: row[m] for m in METRICS} for row in rows}


def by_unit(
    qs: QuerySet[Case], filters: Filters, root_id: int | None
) -> list[tuple[int, dict[str, int]]]:
    """Counts rolled up to the units directly under `root_id` (the top units when None)."""
    snap = tree()
    per_unit = counts(qs, filters, "unit_id")
    totals: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for unit_id, figures in per_unit.items():
        chain = [unit_id, *snap.ancestors_on(unit_id, filters.end)]
        if root_id is None:
            head = chain[-2] if len(chain) > 1 else chain[-1]
        elif root_id in chain:
            index = chain.index(root_id)
            head = chain[index - 1] if index > 0 else root_id
        else:
            continue
        for metric, n in figures.items():
            totals[head][metric] += n
    return sorted(totals.items(), key=lambda item: -item[1]["received"])


def trend(qs: QuerySet[Case], filters: Filters) -> list[tuple[dt.date, dict[str, int]]]:
    """Received, completed on time and late, by month of the range. Two queries."""
    base = scoped(qs, filters)
    months: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    received = (
        base.filter(metric_q("received", filters.start, filters.end))
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in received:
        months[_month(row["month"])]["received"] = row["n"]
    done = (
        base.filter(
            metric_q("on_time", filters.start, filters.end)
            | metric_q("late", filters.start, filters.end)
        )
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(
            on_time=Count("pk", filter=Q(completed_on__lte=F("due_on"))),
            late=Count("pk", filter=Q(completed_on__gt=F("due_on"))),
        )
        .order_by()
    )
    for completed in done:
        months[_month(completed["month"])]["on_time"] = completed["on_time"]
        months[_month(completed["month"])]["late"] = completed["late"]
    return sorted(months.items())


def _month(value: Any) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


@dataclass
class StepFigures:
    step_id: int
    done: int = 0
    held_days: int = 0
    held_n: int = 0
    late_steps: int = 0
    late_days: int = 0
    step: ProcessStep | None = field(default=None)

    @property
    def average_days(self) -> float | None:
        return round(self.held_days / self.held_n, 1) if self.held_n else None


def step_figures(qs: QuerySet[Case], filters: Filters) -> dict[int, StepFigures]:
    """Per procedure step: steps finished in the range, working days held on average, and the
    late steps with their late working days (finished late in the range, or overdue and open at
    its end: late to the end of the range). One query."""
    start, end = filters.start, filters.end
    cal = calendar()
    first = start - dt.timedelta(days=LOOKBACK_DAYS)
    ordinals: list[tuple[dt.date, int]] = []
    n = 0
    day = first
    while day <= end:
        if cal.is_working_day(day):
            n += 1
        ordinals.append((day, n))
        day += dt.timedelta(days=1)
    end_n = n
    case_sql, case_params = scoped(qs, filters).order_by().values("pk").query.sql_with_params()
    if connection.vendor == "postgresql":
        # A day's working-day ordinal read from an array by its offset from `first` (NULL out
        # of range, as a missed join): three joins to a table of days made the planner hash
        # millions of steps and spill them to disk (4.4 s for a city year, 1,000,000 cases).
        ords = [n for _day, n in ordinals]

        def ordinal(column: str) -> str:
            return f"(%s::int[])[{column} - %s::date + 1]"

        days_params: list[Any] = [ords, first]
        sql = f"""
            SELECT step_id,
                   COUNT(ce), SUM(ce - cst), COUNT(ce - cst),
                   SUM(CASE WHEN completed_on > due_on OR completed_on IS NULL
                            OR completed_on > %s THEN 1 ELSE 0 END),
                   SUM(CASE WHEN completed_on IS NOT NULL AND completed_on <= %s
                            THEN CASE WHEN completed_on > due_on THEN ce - cd ELSE 0 END
                            ELSE %s - cd END)
            FROM (
                SELECT cs.step_id, cs.completed_on, cs.due_on,
                       {ordinal("cs.completed_on")} AS ce,
                       {ordinal("cs.started_on")} AS cst,
                       {ordinal("cs.due_on")} AS cd
                FROM processes_casestep cs
                JOIN processes_case c ON c.id = cs.case_id
                WHERE cs.case_id IN ({case_sql})
                  AND ((cs.completed_on >= %s AND cs.completed_on <= %s)
                       OR (cs.started_on <= %s AND cs.due_on < %s AND c.returned_on IS NULL
                           AND (cs.completed_on IS NULL OR cs.completed_on > %s)))
            ) steps
            GROUP BY step_id
        """
        params: list[Any] = [end, end, end_n, *days_params * 3, *case_params]
        params += [start, end, end, end, end]
    else:
        values = ", ".join(["(%s, %s)"] * len(ordinals))
        sql = f"""
            WITH cal(d, n) AS (VALUES {values})
            SELECT cs.step_id,
                   COUNT(ce.n),
                   SUM(ce.n - cst.n), COUNT(ce.n - cst.n),
                   SUM(CASE WHEN cs.completed_on > cs.due_on OR cs.completed_on IS NULL
                            OR cs.completed_on > %s THEN 1 ELSE 0 END),
                   SUM(CASE WHEN cs.completed_on IS NOT NULL AND cs.completed_on <= %s
                            THEN CASE WHEN cs.completed_on > cs.due_on THEN ce.n - cd.n ELSE 0 END
                            ELSE %s - cd.n END)
            FROM processes_casestep cs
            JOIN processes_case c ON c.id = cs.case_id
            LEFT JOIN cal ce ON ce.d = cs.completed_on
            LEFT JOIN cal cst ON cst.d = cs.started_on
            LEFT JOIN cal cd ON cd.d = cs.due_on
            WHERE cs.case_id IN ({case_sql})
              AND ((cs.completed_on >= %s AND cs.completed_on <= %s)
                   OR (cs.started_on <= %s AND cs.due_on < %s AND c.returned_on IS NULL
                       AND (cs.completed_on IS NULL OR cs.completed_on > %s)))
            GROUP BY cs.step_id
        """
        params = [p for pair in ordinals for p in pair]
        params += [end, end, end_n, *case_params, start, end, end, end, end]
    out: dict[int, StepFigures] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for step_id, done, held, held_n, late_steps, late_days in cursor.fetchall():
            out[step_id] = StepFigures(
                step_id,
                int(done or 0),
                int(held or 0),
                int(held_n or 0),
                int(late_steps or 0),
                int(late_days or 0),
            )
    return out


def bottlenecks(figures: Mapping[int, StepFigures], limit: int = 10) -> list[StepFigures]:
    """The steps where the most late working days accrued, with their procedure."""
    top = sorted(
        (f for f in figures.values() if f.late_days > 0), key=lambda f: (-f.late_days, f.step_id)
    )[:limit]
    steps = ProcessStep.objects.select_related("process").in_bulk([f.step_id for f in top])
    for f in top:
        f.step = steps.get(f.step_id)
    return top


def by_position(figures: Mapping[int, StepFigures]) -> list[tuple[int, float | None, int]]:
    """(step position, average working days held, late working days), over every procedure."""
    positions = dict(ProcessStep.objects.filter(pk__in=list(figures)).values_list("pk", "position"))
    held: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for step_id, f in figures.items():
        row = held[positions.get(step_id, 0)]
        row[0] += f.held_days
        row[1] += f.held_n
        row[2] += f.late_days
    return [
        (position, round(d / n, 1) if n else None, late)
        for position, (d, n, late) in sorted(held.items())
    ]
