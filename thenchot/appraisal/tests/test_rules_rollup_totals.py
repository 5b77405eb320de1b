"""`rollup_totals` (a roll-up from the count of periods and the total of the rated ones'
scores: a close sums a city's months up in the database) gives what `rollup` gives from the
periods themselves — level, score, proposed level and trace — with the same refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.appraisal.rollup import StoredResult
from thenchot.appraisal.rules import (
    Category,
    DisciplineFact,
    Level,
    Period,
    PersonPeriod,
    RuleInputError,
    registry,
)

YEAR = Period.parse("2026")
QUARTER = Period.parse("2026-Q2")
PACKS = {
    "decree-335-2025": (registry.DECREE_335_2025, Category.CIVIL_SERVANT, [YEAR]),
    "hanoi-monthly-2018": (registry.HANOI_MONTHLY_2018, Category.CONTRACT_WORKER, [YEAR, QUARTER]),
}
SCORES = st.decimals(min_value=D(0), max_value=D(100), places=2, allow_nan=False)
MONTH = st.tuples(st.sampled_from(list(Level)), st.none() | SCORES)
DISCIPLINE = DisciplineFact(
    form="reprimand", effective_on=dt.date(2026, 5, 4), track="administrative", duty_related=True
)


def _both(pack_id, period, months, *, is_head=False, unit_result=None, discipline=()):  # type: ignore[no-untyped-def]
    pack, category, _periods = PACKS[pack_id]
    items = [
        StoredResult(7, pack_id, month, level, score)
        for month, (level, score) in zip(period.months(), months, strict=False)
    ]
    person = PersonPeriod(
        staff_id=7,
        category=category,
        period=period,
        is_leader=is_head,
        is_head=is_head,
        discipline=discipline,
        unit_result=unit_result,
    )
    rated = [i.score for i in items if i.score is not None and i.level.rated]
    try:
        expected = pack.rollup(items, person=person)
    except RuleInputError as exc:
        expected = exc
    try:
        found = pack.rollup_totals(
            count=len(items),
            rated=len(rated),
            total=sum(rated, D(0)) if rated else None,
            person=person,
        )
    except RuleInputError as exc:
        found = exc
    return expected, found


def _same(expected, found):  # type: ignore[no-untyped-def]
    if isinstance(expected, RuleInputError):
        assert isinstance(found, RuleInputError) and found.messages == expected.messages
        return
    assert found == expected  # level, proposed level, score, trace, flags, period, pack


@settings(max_examples=300, deadline=None)
@given(
    pack_id=st.sampled_from(sorted(PACKS)),
    quarter=st.booleans(),
    months=st.lists(MONTH, max_size=12),
    is_head=st.booleans(),
    unit_result=st.none() | st.sampled_from(list(Level)),
    disciplined=st.booleans(),
)
def test_totals_roll_up_as_the_periods(pack_id, quarter, months, is_head, unit_result, disciplined):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the mean graded unrounded, shown to two decimals, the same lines."""
    periods = PACKS[pack_id][2]
    period = periods[-1] if quarter else periods[0]
    expected, found = _both(
        pack_id,
        period,
        months[: len(period.months())],
        is_head=is_head,
        unit_result=unit_result,
        discipline=(DISCIPLINE,) if disciplined else (),
    )
    _same(expected, found)


@pytest.mark.parametrize(
    "months",
    [
        [(Level.GOOD, D("90")), (Level.GOOD, D("90")), (Level.GOOD, D("89.99"))],  # 89.997: good
        [(Level.EXCELLENT, D("90.00"))] * 12,
        [(Level.NOT_RATED, D("95")), (Level.COMPLETE, None)],  # nothing rated with a score
        [],
    ],
)
def test_the_settled_examples(months):  # type: ignore[no-untyped-def]
    expected, found = _both("hanoi-monthly-2018", YEAR, months)
    _same(expected, found)
    assert not isinstance(found, RuleInputError)
    assert found.trace[0].rule in ("hanoi-2018.rollup", "rollup.no_periods")


def test_it_refuses_what_rollup_refuses():  # type: ignore[no-untyped-def]
    d90 = registry.DECREE_90_2020
    person = PersonPeriod(staff_id=1, category=Category.CADRE, period=YEAR)
    with pytest.raises(RuleInputError) as by_periods:
        d90.rollup([], person=person)
    with pytest.raises(RuleInputError) as by_totals:
        d90.rollup_totals(count=0, rated=0, total=None, person=person)
    assert by_totals.value.messages == by_periods.value.messages
    month = PersonPeriod(
        staff_id=1, category=Category.CIVIL_SERVANT, period=Period.parse("2026-03")
    )
    with pytest.raises(RuleInputError, match="only a year is rolled up"):
        registry.DECREE_335_2025.rollup_totals(count=1, rated=1, total=D(80), person=month)


@pytest.mark.parametrize(("count", "rated", "total"), [(2, 3, D(200)), (3, 2, None), (1, -1, None)])
def test_it_refuses_totals_that_cannot_be_a_roll_ups(count, rated, total):  # type: ignore[no-untyped-def]
    person = PersonPeriod(staff_id=1, category=Category.CIVIL_SERVANT, period=YEAR)
    with pytest.raises(RuleInputError, match="not a roll-up's totals"):
        registry.DECREE_335_2025.rollup_totals(count=count, rated=rated, total=total, person=person)
