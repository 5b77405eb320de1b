"""rules.md "Unit result": the ceiling on a head's level, at every threshold."""

from __future__ import annotations

import pytest

from thenchot.appraisal.rules import (
    Level,
    RuleInputError,
    UnitResultRule,
    UnitTaskCounts,
    UnitTaskFact,
    unit_result,
)

E, G, C, N = Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE


@pytest.mark.parametrize(
    ("due", "completed", "on_time", "exceeded", "managed", "level"),
    [
        (10, 10, 10, 5, (), E),
        (10, 10, 10, 4, (), G),  # 40% exceeded
        (10, 10, 9, 9, (), G),  # one late: not excellent
        (10, 10, 8, 0, (), G),  # 80% on time
        (10, 10, 7, 0, (), C),  # 70% on time
        (10, 9, 9, 9, (), C),  # not all completed
        (10, 8, 0, 0, (), C),  # 80% > 70%
        (10, 7, 7, 7, (), N),  # exactly 70% is not more than 70%
        (10, 0, 0, 0, (), N),
        # managed units: every one complete or better, ≥ 70% good or better
        (10, 10, 10, 10, (E, G, G, C), E),  # 75% good or better
        (10, 10, 10, 10, (G, G, C, C), C),  # 50% good or better: the managed rule fails
        (10, 10, 10, 10, (E, E, E, N), C),  # one not complete
        (10, 10, 10, 10, (G, Level.NOT_RATED), E),  # not rated units are left out
        (3, 3, 3, 2, (), E),  # 66.7% exceeded
    ],
)
def test_it_gives_the_units_result(due, completed, on_time, exceeded, managed, level):
    """rules.md: unit-result.formula, settled.4."""
    result = unit_result(UnitTaskCounts(due, completed, on_time, exceeded), managed_levels=managed)
    assert result.level is level


def test_it_gives_no_ceiling_without_a_task_due():
    """rules.md: unit-result.no-task."""
    assert unit_result(UnitTaskCounts(0, 0, 0, 0), managed_levels=(N,)).level is None


def test_it_counts_task_facts():
    """rules.md: unit-result.formula."""
    facts = [
        UnitTaskFact(completed=True, on_time=True, exceeded=True),
        UnitTaskFact(completed=True, on_time=False, exceeded=False),
        UnitTaskFact(completed=False, on_time=True, exceeded=True),  # not completed: counts nothing
    ]
    assert UnitTaskCounts.of(facts) == UnitTaskCounts(3, 2, 1, 1)


def test_it_follows_edited_thresholds():
    rule = UnitResultRule(completed_over=__import__("decimal").Decimal("0.6"))
    assert unit_result(UnitTaskCounts(10, 7, 0, 0), rule=rule).level is C


@pytest.mark.parametrize("counts", [(5, 6, 0, 0), (5, 3, 4, 0), (5, 3, 3, 4), (-1, 0, 0, 0)])
def test_it_refuses_counts_that_contradict_each_other(counts):
    with pytest.raises(RuleInputError):
        unit_result(UnitTaskCounts(*counts))
