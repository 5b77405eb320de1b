"""The quota's work grows with the people of a group, not with their square (issue 18: an
agency five times larger must cost five times, not twenty-five): each group's levels are
counted a fixed number of times however many people move, and each move is measured once."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from thenchot.appraisal.rules import Level, QuotaCandidate, apply_quota, registry
from thenchot.appraisal.rules import quota as quota_module

D335 = registry.DECREE_335_2025.defaults().quota


def agency(excellent: int, good: int) -> list[QuotaCandidate]:
    """One agency's non-leaders: `excellent` people with distinct scores, then `good` at 80."""
    top = [
        QuotaCandidate(staff_id=i + 1, agency="SNV", level=Level.EXCELLENT, score=D(90) + i)
        for i in range(excellent)
    ]
    rest = [
        QuotaCandidate(staff_id=10_000 + i, agency="SNV", level=Level.GOOD, score=D(80))
        for i in range(good)
    ]
    return top + rest


@pytest.mark.parametrize(("excellent", "good"), [(5, 20), (400, 600), (2000, 3000)])
def test_it_counts_each_group_twice_however_many_move(monkeypatch, excellent, good):  # type: ignore[no-untyped-def]
    counted: list[int] = []
    measured: list[int] = []
    of, measure = quota_module._Counts.of, quota_module._measure_counts

    def counting(levels):  # type: ignore[no-untyped-def]
        counts = of(levels)
        counted.append(counts.headcount)
        return counts

    def measuring(*args, **kwargs):  # type: ignore[no-untyped-def]
        measured.append(1)
        return measure(*args, **kwargs)

    monkeypatch.setattr(quota_module._Counts, "of", staticmethod(counting))
    monkeypatch.setattr(quota_module, "_measure_counts", measuring)
    outcome = apply_quota(agency(excellent, good), D335, resolve="by-score")

    moved = len(outcome.steps)
    # 20% of the good or better, rounded down: everyone above it moves, by score.
    assert moved == excellent - (excellent + good) // 5
    assert counted == [excellent + good] * 2  # the group's resolution and its final measure
    assert len(measured) <= moved + 3  # one per move, the one that stops, the found and final
