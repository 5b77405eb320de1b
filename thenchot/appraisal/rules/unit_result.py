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

`unit_results_tree` computes a whole tree bottom-up, so that each unit's managed-unit rule sees
the results of the units it directly manages.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from .base import Level, RuleInputError, fmt
from .params import UnitResultRule

K = TypeVar("K", bound=Hashable)


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
    managed = _managed_summary(managed_levels, managed_ok)
    all_done = counts.completed == counts.due
    if (
        all_done
        and counts.on_time == counts.due
        and counts.exceeded >= rule.exceeded_share * due
        and managed_ok
    ):
        return UnitResult(Level.EXCELLENT, summary + managed)
    if all_done and counts.on_time >= rule.on_time_share * due and managed_ok:
        return UnitResult(Level.GOOD, summary + managed)
    if counts.completed > rule.completed_over * due:
        return UnitResult(Level.COMPLETE, summary + managed)
    share = fmt((Decimal(counts.completed) / due * 100).quantize(Decimal("0.1")))
    return UnitResult(Level.NOT_COMPLETE, f"{summary} ({share}% completed){managed}")


def _managed_summary(levels: Sequence[Level], met: bool) -> str:
    """The managed units behind a result, for the reason shown with it: a head capped by a
    failing division must be able to see that the division, not the unit's own tasks, did it."""
    rated = [level for level in levels if level.rated]
    if not rated:
        return ""
    good = sum(1 for level in rated if level.rank >= Level.GOOD.rank)
    failed = sum(1 for level in rated if level.rank < Level.COMPLETE.rank)
    rule = "" if met else ", managed-unit rule not met"
    return f"; {len(rated)} managed units: {good} good or better, {failed} not complete{rule}"


def unit_results_tree(
    counts: Mapping[K, UnitTaskCounts],
    children: Mapping[K, Sequence[K]],
    rule: UnitResultRule | None = None,
) -> dict[K, UnitResult]:
    """The result of every unit of `counts`, children before parents, each unit's managed-unit
    rule applied to the levels of its direct children (`children[unit]`).

    Reading (*default*, rules.md "Unit result"): a directly managed unit with no task due in the
    period has no result, so it is left out of its parent's managed units, exactly as a unit
    absent from `counts` is; it is neither a failure nor a success. Only direct children count:
    a grandchild weighs on the grandparent through its own parent's result.

    Iterative depth-first walk (no recursion limit: trees are 6+ levels deep with thousands of
    units); a unit reached from two parents is computed once. A cycle in `children` (a unit
    managing its own manager) is refused with `RuleInputError` rather than guessed around.
    """
    rule = rule or UnitResultRule()
    results: dict[K, UnitResult] = {}
    in_progress: set[K] = set()
    for root in counts:
        if root in results:
            continue
        stack: list[tuple[K, bool]] = [(root, False)]
        while stack:
            unit, expanded = stack.pop()
            if expanded:
                in_progress.discard(unit)
                results[unit] = unit_result(
                    counts[unit], managed_levels=_child_levels(unit, children, results), rule=rule
                )
                continue
            if unit in results:
                continue
            # Only the units on the current path are in progress, so meeting one again is a cycle.
            if unit in in_progress:
                raise RuleInputError(f"the unit tree has a cycle through {unit!r}", field="unit")
            in_progress.add(unit)
            stack.append((unit, True))
            stack.extend((c, False) for c in children.get(unit, ()) if c in counts)
    return results


def _child_levels(
    unit: K, children: Mapping[K, Sequence[K]], results: Mapping[K, UnitResult]
) -> list[Level]:
    """The levels of the unit's direct children that have a result (see `unit_results_tree`)."""
    levels: list[Level] = []
    for child in children.get(unit, ()):
        found = results.get(child)
        if found is not None and found.level is not None:
            levels.append(found.level)
    return levels
