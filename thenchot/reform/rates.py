"""The rates behind the `computed` criteria, for many units at once (report.md, `reform`).

Each rate is counted for a unit's subtree over the window from 1 January of the year to the
earlier of 31 December and `as_of`, statuses taken on `as_of`, from the same counts the other
report blocks give:

- `on_time_task_rate`: top-level tasks completed on time ÷ tasks due (effective deadline in the
  window), the lead unit placed on the tree of the day the task was assigned — the two grouped
  queries of the `tasks` block that count the due tasks (`directives.statistics.due_groups`);
- `case_on_time_rate`: cases completed on time ÷ (on time + late + overdue), over the cases due
  or completed in the window, the case's unit placed on the tree of the day it was received —
  the `cases` block's query (`processes.report`), grouped by unit and epoch;
- `recommendations_done_rate`: recommendations whose responsible unit lay in the subtree on
  their due date and whose `due_on` falls in the window, done by `as_of` ÷ those;
- `evaluation_coverage`: staff with a closed monthly evaluation in every month of the window
  they were active ÷ active staff (people assigned in the subtree on the window's last day, as
  the `evaluations` block counts them). The months are the whole months of the window; a person
  is covered when the closed monthly evaluations of those months number at least the months
  in which they held an assignment. Counted per unit in one statement (`reform.coverage`).

A rate with nothing to count is 100 (nothing fell due). Set-based: one grouped query (or a
few) per rate for the whole city, then every group is added to the listed units among its unit
and that unit's ancestors on the group's day (`org.tree`), so the cost does not grow with the
number of units listed.
"""

from __future__ import annotations

import calendar as pycalendar
import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal

from django.db import OperationalError, connection, connections
from django.db.models import Count, F, Q

from thenchot.core.epochs import epoch_expression
from thenchot.directives.statistics import breakpoints as task_breakpoints
from thenchot.directives.statistics import due_groups
from thenchot.directives.statistics import epoch_day as task_epoch_day
from thenchot.inspections.models import Recommendation
from thenchot.inspections.statistics import SubtreeOnDate
from thenchot.inspections.status import done_q
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.processes.models import Case
from thenchot.processes.report import received_epoch
from thenchot.processes.status import open_on
from thenchot.reform.choices import Source
from thenchot.reform.coverage import coverage_groups
from thenchot.reform.tuning import pg_settings

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
    # The two queries of the `tasks` block that count the due tasks by status, nothing else.
    starts = task_breakpoints(snap, w.date_to)
    folder = _Folder(snap, listed)
    groups = due_groups(date_from=w.date_from, date_to=w.date_to, as_of=w.as_of, starts=starts)
    for unit_id, epoch, status, n in groups:
        on_time = n if status == "completed_on_time" else 0
        folder.add(unit_id, task_epoch_day(starts, w.date_to, epoch), on_time, n)
    return folder.out


def case_rates(snap: TreeSnapshot, listed: set[int], w: Window) -> dict[int, Counted]:
    points = SubtreeOnDate(0, snap).points
    counted = Q(due_on__range=(w.date_from, w.date_to)) | Q(
        completed_on__range=(w.date_from, w.date_to)
    )
    done = Q(completed_on__isnull=False, completed_on__lte=w.as_of)
    rows = (
        Case.objects.filter(counted)
        .annotate(epoch=received_epoch(points))
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
        folder.add(unit_id, _epoch_day(points, epoch, w), on_time, on_time + late + overdue)
    return folder.out


def _epoch_day(points: list[dt.date], epoch: int, w: Window) -> dt.date:
    """A day of `epoch` (the days from `points[epoch - 1]` to the day before `points[epoch]`,
    over which no unit or link changes): its first day, or the day before the first change."""
    return points[epoch - 1] if epoch else (points[0] - DAY if points else w.date_to)


def recommendation_rates(snap: TreeSnapshot, listed: set[int], w: Window) -> dict[int, Counted]:
    # Placed on the tree of the due date; grouped by the due date's epoch rather than by the
    # date itself, since every day of an epoch has the same tree.
    points = SubtreeOnDate(0, snap).points
    rows = (
        Recommendation.objects.filter(due_on__range=(w.date_from, w.date_to))
        .annotate(epoch=epoch_expression("due_on", points))
        .values_list("responsible_unit_id", "epoch")
        .annotate(total=Count("id"), done=Count("id", filter=done_q(w.as_of)))
        .order_by()
    )
    folder = _Folder(snap, listed)
    for unit_id, epoch, total, done in rows:
        folder.add(unit_id, _epoch_day(points, epoch, w), done, total)
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
    # Counted per unit in the database (`reform.coverage`); people are placed where they are
    # assigned on the window's last day.
    folder = _Folder(snap, listed)
    for unit_id, covered, active in coverage_groups(
        date_from=w.date_from, date_to=w.date_to, months=whole_months(w)
    ):
        folder.add(unit_id, w.date_to, covered, active)
    return folder.out


Computer = Callable[[TreeSnapshot, set[int], Window], dict[int, Counted]]

COMPUTERS: dict[Source, Computer] = {
    Source.ON_TIME_TASK_RATE: task_rates,
    Source.CASE_ON_TIME_RATE: case_rates,
    Source.RECOMMENDATIONS_DONE_RATE: recommendation_rates,
    Source.EVALUATION_COVERAGE: coverage_rates,
}


@contextlib.contextmanager
def _tuned() -> Iterator[None]:
    """Two settings of PostgreSQL for the grouped scans of a year's records, measured on the
    bench: `jit` off — their estimated cost is high enough for the plans to be compiled to
    machine code, and the compiling (0.2 to 0.6 s) took longer than it saved; `work_mem` at
    least 32 MB — the coverage statement sorts and groups 200,000 people, which the default
    4 MB spills to disk."""
    with pg_settings(jit="off", work_mem="32MB"):
        yield


def _apart(sources: set[Source]) -> bool:
    """Whether the coverage statement runs on a connection of its own, beside the others: on
    PostgreSQL, with other rates to count meanwhile, and outside a transaction — inside one,
    another connection would not see what the transaction wrote (publication freezes the
    figures inside its transaction, and tests run inside one)."""
    return (
        APART
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and Source.EVALUATION_COVERAGE in sources
        and len(sources) > 1
    )


# The coverage statement takes about as long as all the other rates together (bench); running
# it on a second connection meanwhile halves the wait. Off: one connection, one after another.
APART = True


def _on_own_connection(
    fn: Computer, snap: TreeSnapshot, listed: set[int], w: Window
) -> dict[int, Counted]:
    """In a worker thread: Django gives it a connection of its own, closed when done."""
    try:
        with _tuned():
            return fn(snap, listed, w)
    finally:
        connections.close_all()


def rates_for_units(*, unit_ids: Iterable[int], window: Window, sources: Iterable[str]) -> Rates:
    """`{source: {unit id: Counted}}` for every listed unit's subtree."""
    snap = tree()
    listed = set(unit_ids)
    wanted = {Source(src): src for src in set(sources)}
    out: Rates = {}
    with contextlib.ExitStack() as stack:
        stack.enter_context(_tuned())
        later: Future[dict[int, Counted]] | None = None
        if _apart(set(wanted)):
            pool = stack.enter_context(ThreadPoolExecutor(max_workers=1))
            computer = COMPUTERS[Source.EVALUATION_COVERAGE]
            later = pool.submit(_on_own_connection, computer, snap, listed, window)
        for source, key in wanted.items():
            if later is None or source != Source.EVALUATION_COVERAGE:
                out[key] = COMPUTERS[source](snap, listed, window)
        if later is not None:
            key = wanted[Source.EVALUATION_COVERAGE]
            try:
                out[key] = later.result()
            except OperationalError:
                # No second connection to be had (the server's limit): on this one, then.
                out[key] = COMPUTERS[Source.EVALUATION_COVERAGE](snap, listed, window)
    return out


__all__ = ["Counted", "Rates", "Window", "rates_for_units"]
