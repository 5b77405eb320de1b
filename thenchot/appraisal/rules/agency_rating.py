"""An agency's own rating under Decree 335/2025 (rules.md `decree-335-2025`, "Agencies
themselves are rated"): the same 100-point scale (30 general + 70 results), and

- excellent: score ≥ 90 with 100% of its tasks on time and of good quality;
- good: 70 to < 90 with 100% on time;
- complete: 50 to < 70 with 100% done and at most 20% late;
- otherwise not complete.

The score gives the highest level the agency may reach; the task conditions then lower it to
the first level whose condition holds (an agency scored 95 with one task late is `complete` if
everything was done and no more than 20% was late). The tasks are those the agency's units lead
that fell due in the period, their status taken on its last day; with none due, the conditions
hold. A task is late when it was completed after its effective deadline or is still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .base import HUNDRED, ZERO, Criterion, Level, TraceStep, check_points, fmt, q2
from .params import Bands

GENERAL = Criterion("general", "General criteria", Decimal(30), "Decree 335/2025")
RESULTS = Criterion("results", "Results", Decimal(70), "Decree 335/2025")
LATE_SHARE_MAX = Decimal("0.2")  # complete: at most 20% late


@dataclass(frozen=True)
class AgencyTasks:
    """The tasks an agency's units lead that fell due in the period, as of its last day."""

    due: int
    completed: int
    on_time: int  # completed on or before the effective deadline
    good_on_time: int  # on time and of good quality (quality not "below")

    @property
    def late(self) -> int:
        return self.due - self.on_time


@dataclass(frozen=True)
class AgencyRating:
    score: Decimal
    level: Level
    trace: tuple[TraceStep, ...]


def rate_agency(
    *, general: object, results: object, tasks: AgencyTasks, bands: Bands | None = None
) -> AgencyRating:
    """The agency's level from its points and its tasks (points checked like a person's:
    not negative, at most the maximum, two decimals; every problem at once)."""
    points = check_points(
        {"general": general, "results": results},
        (GENERAL, RESULTS),
        required=("general", "results"),
    )
    bands = bands or Bands()
    score = points["general"] + points["results"]
    by_score = bands.level_for(score)
    trace = [
        TraceStep.make(
            "agency-335.score",
            None,
            by_score,
            score=score,
            general=points["general"],
            results=points["results"],
        )
    ]
    all_on_time = tasks.on_time == tasks.due
    all_good = tasks.good_on_time == tasks.due
    all_done = tasks.completed == tasks.due
    late_share = Decimal(tasks.late) / Decimal(tasks.due) if tasks.due else ZERO
    allowed = {
        Level.EXCELLENT: all_on_time and all_good,
        Level.GOOD: all_on_time,
        Level.COMPLETE: all_done and late_share <= LATE_SHARE_MAX,
        Level.NOT_COMPLETE: True,
    }
    order = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE)
    level = next(lv for lv in order[order.index(by_score) :] if allowed[lv])
    if level is not by_score:
        trace.append(
            TraceStep.make(
                "agency-335.tasks",
                by_score,
                level,
                due=tasks.due,
                completed=tasks.completed,
                on_time=tasks.on_time,
                good=tasks.good_on_time,
                late=tasks.late,
                late_share=fmt(q2(late_share * HUNDRED)),
            )
        )
    return AgencyRating(score=score, level=level, trace=tuple(trace))
