"""The records behind a computed criterion of one unit: the tasks, cases, recommendations or
staff its rate counts, each with its status on `as_of` and a link to its page — the same
selection and the same placement on the dated tree as `reform.rates` (a test keeps the counts
equal). At most `LIMIT` rows are listed; the counts cover them all."""

from __future__ import annotations

import bisect
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse

from thenchot.directives.models import Task
from thenchot.directives.statistics import breakpoints as task_breakpoints
from thenchot.directives.statistics import epoch_day as task_epoch_day
from thenchot.directives.status import effective_deadline_expr, status_expr
from thenchot.inspections.models import Recommendation
from thenchot.inspections.statistics import SubtreeOnDate
from thenchot.org.tree import tree
from thenchot.processes.models import Case
from thenchot.reform.choices import Source
from thenchot.reform.rates import DAY, Window, coverage_rates

LIMIT = 500


@dataclass
class Line:
    code: str
    title: str
    unit: str
    date: dt.date | None
    counted: bool  # in the numerator
    url: str = ""


@dataclass
class Listing:
    numerator: int = 0
    denominator: int = 0
    lines: list[Line] = field(default_factory=list)
    truncated: bool = False

    def add(self, line: Line) -> None:
        self.denominator += 1
        self.numerator += int(line.counted)
        if len(self.lines) < LIMIT:
            self.lines.append(line)
        else:
            self.truncated = True


def _link(name: str, code: str) -> str:
    try:
        return reverse(name, args=[code])
    except NoReverseMatch:
        return ""


def _inside(unit_id: int, root: int, day: dt.date) -> bool:
    snap = tree()
    return unit_id == root or root in snap.ancestors_on(unit_id, day)


def records(*, source: str, unit_id: int, year: int, as_of: dt.date) -> Listing:
    w = Window.of(year, as_of)
    out = Listing()
    snap = tree()
    if source == Source.ON_TIME_TASK_RATE:
        starts = task_breakpoints(snap, w.date_to)
        qs = (
            Task.objects.filter(parent__isnull=True)
            .annotate(eff=effective_deadline_expr(w.as_of))
            .filter(eff__range=(w.date_from, w.date_to))
            .annotate(st=status_expr(w.as_of, F("eff")))
            .select_related("lead_unit")
            .order_by("eff", "code")
        )
        for t in qs.iterator(chunk_size=2000):
            day = task_epoch_day(starts, w.date_to, bisect.bisect_right(starts, t.assigned_on))
            if not _inside(t.lead_unit_id, unit_id, day):
                continue
            out.add(
                Line(
                    t.code,
                    t.title,
                    t.lead_unit.code,
                    t.eff,
                    t.st == "completed_on_time",
                    _link("directives:task", t.code),
                )
            )
    elif source == Source.CASE_ON_TIME_RATE:
        points = SubtreeOnDate(0, snap).points
        counted = Q(due_on__range=(w.date_from, w.date_to)) | Q(
            completed_on__range=(w.date_from, w.date_to)
        )
        for c in (
            Case.objects.filter(counted)
            .select_related("unit", "process")
            .order_by("due_on", "code")
            .iterator(chunk_size=2000)
        ):
            done = c.completed_on is not None and c.completed_on <= w.as_of
            if not done and not c.due_on < w.as_of:
                continue  # open and not overdue: not counted
            epoch = bisect.bisect_right(points, c.received_on)
            day = points[epoch - 1] if epoch else (points[0] - DAY if points else w.date_to)
            if not _inside(c.unit_id, unit_id, day):
                continue
            on_time = done and c.completed_on is not None and c.completed_on <= c.due_on
            out.add(
                Line(
                    c.code,
                    c.process.name,
                    c.unit.code,
                    c.due_on,
                    on_time,
                    _link("processes:case", c.code),
                )
            )
    elif source == Source.RECOMMENDATIONS_DONE_RATE:
        for r in (
            Recommendation.objects.filter(due_on__range=(w.date_from, w.date_to))
            .select_related("responsible_unit", "inspection")
            .order_by("due_on", "code")
        ):
            if not _inside(r.responsible_unit_id, unit_id, r.due_on):
                continue
            done = r.done_on is not None and r.done_on <= w.as_of
            out.add(
                Line(
                    r.code,
                    r.text[:200],
                    r.responsible_unit.code,
                    r.due_on,
                    done,
                    _link("inspections:detail", r.inspection.code),
                )
            )
    elif source == Source.EVALUATION_COVERAGE:
        counted_ = coverage_rates(snap, {unit_id}, w)[unit_id]
        out.numerator, out.denominator = counted_.numerator, counted_.denominator
    return out


def as_dict(listing: Listing) -> dict[str, Any]:
    return {
        "numerator": listing.numerator,
        "denominator": listing.denominator,
        "records": [
            {"code": line.code, "unit": line.unit, "date": line.date, "counted": line.counted}
            for line in listing.lines
        ],
    }
