"""The pure rules of staff history: what a successor term closes, and when it is refused."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.people import rules

ON = dt.date(2026, 3, 1)
D = dt.date


@dataclass(frozen=True)
class Term:
    id: int
    valid_from: dt.date | None
    valid_to: dt.date | None


@pytest.mark.parametrize(
    ("term", "ends_on", "deleted"),
    [
        (Term(1, D(2020, 1, 1), None), D(2026, 2, 28), False),  # open: ends the day before
        (Term(2, None, None), D(2026, 2, 28), False),  # since the unit began
        (Term(3, D(2020, 1, 1), D(2026, 12, 31)), D(2026, 2, 28), False),  # planned end, later
        (Term(4, D(2020, 1, 1), ON), D(2026, 2, 28), False),  # ends on the successor's day
        (Term(5, ON, None), None, True),  # began that day: replaced, a same-day correction
    ],
)
def test_it_closes_the_terms_still_running_on_the_day(term, ends_on, deleted) -> None:  # type: ignore[no-untyped-def]
    for closings in (
        rules.transfer_closings([term], on=ON),
        rules.head_closings([term], on=ON),
    ):
        assert [(c.term, c.ends_on, c.deleted) for c in closings] == [(term, ends_on, deleted)]


def test_it_leaves_terms_over_before_the_day() -> None:
    past = Term(1, D(2019, 1, 1), D(2026, 2, 28))
    assert rules.transfer_closings([past], on=ON) == []
    assert rules.head_closings([past], on=ON) == []


def test_it_refuses_to_overtake_a_term_that_starts_later() -> None:
    later = Term(1, D(2026, 4, 1), None)
    with pytest.raises(rules.Refused) as transfer:
        rules.transfer_closings([Term(2, D(2020, 1, 1), D(2026, 3, 31)), later], on=ON)
    assert transfer.value.clause == (
        "the current assignment starts on 2026-04-01; a transfer must come after it"
    )
    assert transfer.value.field == "unit"
    assert str(transfer.value.message).startswith("The current assignment")
    with pytest.raises(rules.Refused) as head:
        rules.head_closings([later], on=ON, field="is_head")
    assert head.value.clause == (
        "the current head's term starts on 2026-04-01; a new head must come after it"
    )
    assert head.value.field_errors == {"is_head": [head.value.message]}


def test_it_ends_only_the_terms_covering_the_day_someone_stops() -> None:
    covering, later = Term(1, D(2020, 1, 1), None), Term(2, D(2026, 4, 1), None)
    closings = rules.end_closings([covering, later], on=ON)
    assert [(c.term, c.ends_on) for c in closings] == [(covering, D(2026, 2, 28))]


def test_it_places_people_only_in_units_that_exist() -> None:
    unit = Term(0, D(2025, 7, 1), None)
    assert rules.placement_refusals(unit, code="X001", on=ON, joined_on=D(2025, 7, 1)) == []
    refused = rules.placement_refusals(unit, code="X001", on=ON, joined_on=D(2020, 1, 1))
    assert [(r.field, r.clause) for r in refused] == [
        ("joined_on", "unit 'X001' did not exist on 2020-01-01")
    ]
    # A form marks both inputs: either may be the one to correct.
    assert set(refused[0].field_errors) == {"joined_on", "unit"}
    ended = Term(0, None, D(2025, 6, 30))
    refused = rules.placement_refusals(ended, code="Q01", on=ON, joined_on=None)
    assert [(r.field, r.clause) for r in refused] == [
        ("unit", "unit 'Q01' did not exist on 2026-03-01")
    ]


dates = st.dates(min_value=D(2015, 1, 1), max_value=D(2030, 12, 31))


@st.composite
def terms(draw: st.DrawFn) -> Term:
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return Term(draw(st.integers(1, 10_000)), start, end)


@given(st.lists(terms(), max_size=6), dates)
def test_no_closed_term_runs_into_its_successor(existing: list[Term], on: dt.date) -> None:
    try:
        closings = rules.head_closings(existing, on=on)
    except rules.Refused:
        assert any(t.valid_from is not None and t.valid_from > on for t in existing)
        return
    closed = {id(c.term): c for c in closings}
    for term in existing:
        closing = closed.get(id(term))
        if closing is None:
            assert term.valid_to is not None and term.valid_to < on
        elif not closing.deleted:
            assert closing.ends_on == on - dt.timedelta(days=1)
            assert term.valid_from is None or term.valid_from <= closing.ends_on
