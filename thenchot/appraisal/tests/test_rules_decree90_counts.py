"""Pure rules of the year's inputs and roll-ups: Decree 90 counts (rules.md "Settled points" 2)
and the mean graded unrounded ("Settled points" 3), as hypothesis properties."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from thenchot.appraisal import rules
from thenchot.appraisal.rules.base import q2

YEAR_END = dt.date(2024, 12, 31)
facts = st.builds(
    rules.TaskFact.of,
    completed_on=st.one_of(st.none(), st.dates(dt.date(2024, 1, 1), dt.date(2025, 3, 1))),
    effective_deadline=st.dates(dt.date(2024, 1, 1), YEAR_END),
    quality=st.sampled_from(["", "meets", "exceeds", "below"]),
    year_end=st.just(YEAR_END),
)


@given(st.lists(facts, min_size=1, max_size=30))
def test_it_keeps_the_counts_consistent(items):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — on time ≤ completed ≤ due, exceeded ≤ completed, and those short
    are at least those not on time; counts from the tasks always pass the import's checks."""
    c = rules.TaskCounts.of(items)
    assert c.on_time <= c.completed <= c.due and c.exceeded <= c.completed
    assert c.due - c.on_time <= c.short <= c.due
    problems = rules.given_count_problems(
        due=c.due, completed=c.completed, on_time=c.on_time, exceeded=c.exceeded
    )
    assert problems == []
    assert (
        rules.TaskCounts.given(
            due=c.due, completed=c.completed, on_time=c.on_time, exceeded=c.exceeded
        ).short
        == c.due - c.on_time
    )


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), min_size=1, max_size=12))
def test_it_grades_the_mean_unrounded_and_shows_it_to_two_decimals(scores):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the level of the exact mean, the score shown rounded."""
    pack = rules.registry.get("hanoi-monthly-2018")
    year = rules.Period.of_year(2026)
    months = [
        rules.Classification(
            staff_id=1,
            pack_id=pack.id,
            pack_version=pack.version,
            period=rules.Period.parse(f"2026-{i + 1:02d}"),
            category=rules.Category.CONTRACT_WORKER,
            is_leader=False,
            is_head=False,
            level=pack.defaults().bands.level_for(score),
            proposed_level=pack.defaults().bands.level_for(score),
            score=score,
            trace=(),
        )
        for i, score in enumerate(scores)
    ]
    person = rules.PersonPeriod(staff_id=1, category=rules.Category.CONTRACT_WORKER, period=year)
    result = pack.rollup(months, person=person)
    exact = sum(scores, Decimal(0)) / len(scores)
    assert result.level == pack.defaults().bands.level_for(exact)
    assert result.score == q2(exact)
