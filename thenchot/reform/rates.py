"""The rates behind the `computed` criteria, for many units at once (report.md, `reform`).

Each rate is counted for a unit's subtree over the window from 1 January of the year to the
earlier of 31 December and `as_of`, statuses taken on `as_of`, from the same counts the other
report blocks give:

- `on_time_task_rate`: top-level tasks completed on time ÷ tasks due (effective deadline in the
  window), the lead unit placed on the tree of the day the task was assigned — the grouped
  queries of `directives.statistics` themselves;
- `case_on_time_rate`: cases completed on time ÷ (on time + late + overdue), over the cases due
  or completed in the window, the case's unit placed on the tree of the day it was received —
  the `cases` block's query (`processes.report`), grouped by unit and epoch;
- `recommendations_done_rate`: recommendations whose responsible unit lay in the subtree on
  their due date and whose `due_on` falls in the window, done by `as_of` ÷ those;
- `evaluation_coverage`: staff with a closed monthly evaluation in every month of the window
  they were active ÷ active staff (people assigned in the subtree on the window's last day, as
  the `evaluations` block counts them). The months are the whole months of the window; a person
  is covered when the closed monthly evaluations of those months number at least the months
  in which they held an assignment.

A rate with nothing to count is 100 (nothing fell due). Set-based: one grouped query (or a
few) per rate for the whole city, then every group is added to the listed units among its unit
and that unit's ancestors on the group's day (`org.tree`), so the cost does not grow with the
number of units listed.
"""

from __future__ import annotations

import bisect
import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q

from thenchot.appraisal.choices import PeriodKind, PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.directives.statistics import _breakpoints as task_breakpoints
from thenchot.directives.statistics import _epoch_day as task_epoch_day
from thenchot.directives.statistics import _grouped as task_groups
from thenchot.inspections.models import Recommendation
from thenchot.inspections.statistics import SubtreeOnDate
from thenchot.inspections.status import done_q
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.people.models import Assignment
from thenchot.processes.models import Case
from thenchot.processes.report import _epoch as case_epoch
from thenchot.processes.status import open_on
from thenchot.reform.choices import Source

DAY = dt.timedelta(days=1)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Window:
    year: int
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date

    @classmethod
    def of(cls, year: int, as_of: dt.date) -> Window:
        return cls(
            year=year,
            date_from=dt.date(year, 1, 1),
            date_to=min(dt.date(year, 12, 31), as_of),
            as_of=as_of,
        )


@dataclass
class Counted:
    """What a rate is counted from: `numerator` of `denominator` records."""

    numerator: int = 0
    denominator: int = 0

    @property
    def rate(self) -> Decimal:
        """In percent, unrounded; 100 when there is nothing to count."""
        if not self.denominator:
            return HUNDRED
        return Decimal(self.numerator) * HUNDRED / Decimal(self.denominator)


Rates = dict[str, dict[int, Counted]]


class _Folder:
    """Adds a group counted for one unit on one day to every listed unit whose subtree held
    that unit that day: the unit itself and its ancestors on the day."""

    def __init__(self, snap: TreeSnapshot, listed: set[int]) -> None:
        self.snap = snap
        self.listed = listed
        self._chains: dict[tuple[int, dt.date], list[int]] = {}
        self.out: dict[int, Counted] = {u: Counted() for u in listed}

    def add(self, unit_id: int, day: dt.date, numerator: int, denominator: int) -> None:
        key = (unit_id, day)
        chain = self._chains.get(key)
        if chain is None:
            chain = [
                u for u in (unit_id, *self.snap.ancestors_on(unit_id, day)) if u in self.listed
            ]
            self._chains[key] = chain
        for u in chain:
            c = self.out[u]
            c.numerator += numerator
            c.denominator += denominator


def task_rates(snap: TreeSnapshot, listed: set[int], w: Window) -> dict[int, Counted]:
    starts = task_breakpoints(snap, w.date_to)
    folder = _Folder(snap, listed)
    groups = task_groups(
        date_from=w.date_from, date_to=w.date_to, as_of=w.as_of, starts=starts, lead_units=None
    )
    for unit_id, epoch, key, n in groups:
        day = task_epoch_day(starts, w.date_to, epoch)
        if key == "due":
            folder.add(unit_id, day, 0, n)
        elif key == "completed_on_time":
            folder.add(unit_id, day, n, 0)
    return folder.out


def case_rates(snap: TreeSnapshot, listed: set[int], w: Window) -> dict[int, Counted]:
    points = SubtreeOnDate(0, snap).points
    counted = Q(due_on__range=(w.date_from, w.date_to)) | Q(
        completed_on__range=(w.date_from, w.date_to)
    )
    done = Q(completed_on__isnull=False, completed_on__lte=w.as_of)
    rows = (
        Case.objects.filter(counted)
        .annotate(epoch=case_epoch(points))
        .values_list("unit_id", "epoch")
        .annotate(
            on_time=Count("id", filter=done & Q(completed_on__lte=F("due_on"))),
            late=Count("id", filter=done & Q(completed_on__gt=F("due_on"))),
            overdue=Count("id", filter=open_on(w.as_of) & Q(due_on__lt=w.as_of)),
        )
        .order_by()
    )
    folder = _Folder(snap, listed)
    for unit_id, epoch, on_time, late, overdue in rows:
        day = points[epoch - 1] if epoch else (points[0] - DAY if points else w.date_to)
        folder.add(unit_id, day, on_time, on_time + late + overdue)
    return folder.out


def recommendation_rates(snap: TreeSnapshot, listed: set[int], w: Window) -> dict[int, Counted]:
    rows = (
        Recommendation.objects.filter(due_on__range=(w.date_from, w.date_to))
        .values_list("responsible_unit_id", "due_on")
        .annotate(total=Count("id"), done=Count("id", filter=done_q(w.as_of)))
        .order_by()
    )
    folder = _Folder(snap, listed)
    for unit_id, due_on, total, done in rows:
        folder.add(unit_id, due_on, done, total)
    return folder.out


def whole_months(w: Window) -> list[tuple[str, dt.date, dt.date]]:
    """(period code, first day, last day) of the months of the window that have ended."""
    out = []
    for month in range(1, 13):
        last = dt.date(w.year, month, pycalendar.monthrange(w.year, month)[1])
        if last > w.date_to:
            break
        out.append((f"{w.year:04d}-{month:02d}", dt.date(w.year, month, 1), last))
    return out


def coverage_rates(snap: TreeSnapshot, listed: set[int], w: Window) -> dict[int, Counted]:
    months = whole_months(w)
    firsts = [first for _c, first, _l in months]
    lasts = [last for _c, _f, last in months]
    end = w.date_to
    rows = list(
        Assignment.objects.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=end),
            Q(valid_to__isnull=True) | Q(valid_to__gte=w.date_from),
        )
        .order_by()
        .values_list("staff_id", "unit_id", "valid_from", "valid_to")
    )
    unit_on_end: dict[int, int] = {}
    # Whole months of the window each person held an assignment in: a range of month indexes
    # (one assignment, the usual case), a set when several assignments cover the year.
    span: dict[int, tuple[int, int]] = {}
    several: dict[int, set[int]] = {}
    for staff_id, unit_id, valid_from, valid_to in rows:
        if (valid_from is None or valid_from <= end) and (valid_to is None or valid_to >= end):
            unit_on_end[staff_id] = unit_id
        lo = 0 if valid_from is None else bisect.bisect_left(lasts, valid_from)
        hi = len(months) - 1 if valid_to is None else bisect.bisect_right(firsts, valid_to) - 1
        if hi < lo:
            continue
        if staff_id in span or staff_id in several:
            both = several.setdefault(
                staff_id, set(range(*_inclusive(span.pop(staff_id, (0, -1)))))
            )
            both.update(range(lo, hi + 1))
        else:
            span[staff_id] = (lo, hi)
    evaluated: dict[int, int] = {}
    if months:
        evaluated = dict(
            Evaluation.objects.filter(
                period_code__in=[code for code, _f, _l in months],
                period__kind=PeriodKind.MONTH,
                period__status=PeriodStatus.CLOSED,
            )
            .values_list("staff_id")
            .annotate(n=Count("period_code", distinct=True))
            .order_by()
        )
    per_unit: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for staff_id, unit_id in unit_on_end.items():
        slot = per_unit[unit_id]
        slot[1] += 1
        if staff_id in several:
            needed = len(several[staff_id])
        else:
            lo, hi = span.get(staff_id, (0, -1))
            needed = hi - lo + 1
        if evaluated.get(staff_id, 0) >= needed:
            slot[0] += 1
    folder = _Folder(snap, listed)
    for unit_id, (covered, active) in per_unit.items():
        folder.add(unit_id, end, covered, active)
    return folder.out


def _inclusive(bounds: tuple[int, int]) -> tuple[int, int]:
    return bounds[0], bounds[1] + 1


COMPUTERS = {
    Source.ON_TIME_TASK_RATE: task_rates,
    Source.CASE_ON_TIME_RATE: case_rates,
    Source.RECOMMENDATIONS_DONE_RATE: recommendation_rates,
    Source.EVALUATION_COVERAGE: coverage_rates,
}


def rates_for_units(*, unit_ids: Iterable[int], window: Window, sources: Iterable[str]) -> Rates:
    """`{source: {unit id: Counted}}` for every listed unit's subtree."""
    snap = tree()
    listed = set(unit_ids)
    return {src: COMPUTERS[Source(src)](snap, listed, window) for src in set(sources)}


__all__ = ["Counted", "Rates", "Window", "rates_for_units"]
