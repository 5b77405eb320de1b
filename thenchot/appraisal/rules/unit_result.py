"""The result of a unit for a period: the ceiling on its head's level (rules.md "Unit result").

The texts tie a head's level to the results of the unit the head leads (Hanoi QĐ 3814-QĐ/TU as
amended in 2022; Decree 90/2020 art. 4–5, 8–9, 12–13 leader criteria; Decree 335/2025 scores
leaders together with their unit) without a formula; ours is the *default* of rules.md, with
its thresholds in `UnitResultRule`. Over the tasks the unit leads that fell due in the period
(effective deadline inside it):
- excellent: all completed on time, ≥ 50% exceeded, and every directly managed unit `complete`
  or better with ≥ 70% `good` or better;
- good: all completed, ≥ 80% on time, and the same managed-unit rule;
- complete: more than 70% completed;
- otherwise not complete.
A unit with no task due has no result, hence no ceiling.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .base import Level, RuleInputError, fmt
from .params import UnitResultRule


@dataclass(frozen=True)
class UnitTaskFact:
    """One task the unit leads, due in the period, as of the period's end."""

    completed: bool
    on_time: bool  # completed on or before its effective deadline
    exceeded: bool  # completed with quality "exceeds"


@dataclass(frozen=True)
class UnitTaskCounts:
    due: int
    completed: int
    on_time: int
    exceeded: int

    @classmethod
    def of(cls, facts: Iterable[UnitTaskFact]) -> UnitTaskCounts:
        due = completed = on_time = exceeded = 0
        for fact in facts:
            due += 1
            completed += fact.completed
            on_time += fact.completed and fact.on_time
            exceeded += fact.completed and fact.exceeded
        return cls(due, completed, on_time, exceeded)

    def check(self) -> None:
        if min(self.due, self.completed, self.on_time, self.exceeded) < 0:
            raise RuleInputError("unit task counts must not be negative", field="unit")
        if not (self.on_time <= self.completed <= self.due and self.exceeded <= self.completed):
            raise RuleInputError(
                "unit task counts must satisfy on_time ≤ completed ≤ due and exceeded ≤ completed",
                field="unit",
            )


@dataclass(frozen=True)
class UnitResult:
    level: Level | None  # None: no task due, no ceiling
    reason: str  # English, for the trace and the unit's page


def managed_rule_met(levels: Sequence[Level], good_share: Decimal) -> bool:
    """Every directly managed unit `complete` or better and ≥ `good_share` of them `good` or
    better; true when the unit manages none (nothing to fail)."""
    rated = [level for level in levels if level.rated]
    if not rated:
        return True
    if any(level.rank < Level.COMPLETE.rank for level in rated):
        return False
    good = sum(1 for level in rated if level.rank >= Level.GOOD.rank)
    return Decimal(good) >= good_share * len(rated)


def unit_result(
    counts: UnitTaskCounts,
    *,
    managed_levels: Sequence[Level] = (),
    rule: UnitResultRule | None = None,
) -> UnitResult:
    rule = rule or UnitResultRule()
    counts.check()
    if counts.due == 0:
        return UnitResult(None, "no task due in the period: no ceiling")
    due = Decimal(counts.due)
    managed_ok = managed_rule_met(managed_levels, rule.managed_good_share)
    summary = (
        f"{counts.completed}/{counts.due} completed, {counts.on_time} on time,"
        f" {counts.exceeded} exceeded"
    )
    all_done = counts.completed == counts.due
    if (
        all_done
        and counts.on_time == counts.due
        and counts.exceeded >= rule.exceeded_share * due
        and managed_ok
    ):
        return UnitResult(Level.EXCELLENT, summary)
    if all_done and counts.on_time >= rule.on_time_share * due and managed_ok:
        return UnitResult(Level.GOOD, summary)
    if counts.completed > rule.completed_over * due:
        return UnitResult(Level.COMPLETE, summary)
    share = fmt((Decimal(counts.completed) / due * 100).quantize(Decimal("0.1")))
    return UnitResult(Level.NOT_COMPLETE, f"{summary} ({share}% completed)")
