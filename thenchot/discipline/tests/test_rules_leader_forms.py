"""`rules.judge_form` and `rules.leader_on`: the forms table of rules.md "Discipline" by category,
post on the decision date and that date, every row on both sides of 2025-07-01; leader status
from a dated headship or deputy headship, else the flag (Settled point 13); nothing for a
contract worker (Settled point 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.discipline import rules

BEFORE, AFTER = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
R, W, S, D = "reprimand", "warning", "salary_step_down", "demotion"
RP, DO, FD = "removal_from_post", "dismissal_from_office", "forced_dismissal"

# rules.md "Discipline", row by row: (category, leader or manager) -> (until 2025-06-30, from).
ROWS: dict[tuple[str, bool], tuple[set[str], set[str]]] = {
    ("cadre", False): ({R, W, RP, DO}, {R, W, RP, DO}),
    ("cadre", True): ({R, W, RP, DO}, {R, W, RP, DO}),
    ("civil_servant", False): ({R, W, S, FD}, {R, W, FD}),
    ("civil_servant", True): ({R, W, D, RP, FD}, {R, W, RP, FD}),
    ("public_employee", False): ({R, W, FD}, {R, W, FD}),
    ("public_employee", True): ({R, W, RP, FD}, {R, W, RP, FD}),
    ("contract_worker", False): (set(), set()),
    ("contract_worker", True): (set(), set()),
}
# Each leader row reached through each source of the post: a headship, a deputy headship, the flag.
SOURCES = {
    True: [
        rules.LeaderStatus(True, rules.HEAD),
        rules.LeaderStatus(True, rules.DEPUTY),
        rules.LeaderStatus(True, rules.FLAG),
    ],
    False: [rules.LeaderStatus(False, rules.NO_POST)],
}
CASES = [
    (category, leader, on, form, form in allowed[i])
    for (category, is_leader), allowed in ROWS.items()
    for leader in SOURCES[is_leader]
    for i, on in enumerate((BEFORE, AFTER))
    for form in rules.FORM_ORDER
]


@pytest.mark.parametrize(("category", "leader", "on", "form", "expected"), CASES)
def test_it_judges_every_cell_of_the_table_for_both_periods(  # type: ignore[no-untyped-def]
    category, leader, on, form, expected
) -> None:
    """rules.md "Discipline" table (every row, both periods; positive and negative), Settled
    points 12 and 13.
    (rules.md: discipline.forms, discipline.forms.cadre, discipline.forms.civil-servant,
    discipline.forms.civil-servant-leader, discipline.forms.public-employee,
    discipline.forms.public-employee-manager)"""
    verdict = rules.judge_form(form=form, category=category, leader=leader, on=on)
    assert verdict.ok is expected
    assert verdict.contract_worker is (category == "contract_worker")
    assert set(verdict.allowed.forms) == ROWS[(category, leader.is_leader)][on == AFTER]


# (headships as (role, from, to), flag, date) -> (leader, source)
HEAD_2023 = ("head", dt.date(2023, 1, 1), dt.date(2023, 12, 31))
DEPUTY_OPEN = ("deputy", dt.date(2024, 3, 1), None)
LEADER_CASES = [
    ((HEAD_2023,), False, dt.date(2023, 6, 1), (True, rules.HEAD)),
    ((HEAD_2023,), False, dt.date(2023, 12, 31), (True, rules.HEAD)),
    ((HEAD_2023,), False, dt.date(2024, 1, 1), (False, rules.NO_POST)),
    ((HEAD_2023,), True, dt.date(2024, 1, 1), (True, rules.FLAG)),
    ((DEPUTY_OPEN,), False, dt.date(2024, 2, 29), (False, rules.NO_POST)),
    ((DEPUTY_OPEN,), False, dt.date(2024, 3, 1), (True, rules.DEPUTY)),
    ((DEPUTY_OPEN, ("head", None, None)), False, dt.date(2025, 1, 1), (True, rules.HEAD)),
    ((), True, dt.date(2020, 1, 1), (True, rules.FLAG)),
    ((), False, dt.date(2020, 1, 1), (False, rules.NO_POST)),
]


@pytest.mark.parametrize(("headships", "flag", "on", "expected"), LEADER_CASES)
def test_it_takes_the_post_from_a_dated_headship_else_the_flag(  # type: ignore[no-untyped-def]
    headships, flag, on, expected
) -> None:
    """Settled point 13: a headship or deputy headship covering the decision date, else the
    `is_leader` flag."""
    found = rules.leader_on(on=on, headships=[rules.Headship(*h) for h in headships], flag=flag)
    assert (found.is_leader, found.source) == expected


def test_it_refuses_every_form_to_a_contract_worker() -> None:
    """Settled point 12: a contract worker has no discipline form, leader or not, any date."""
    assert not rules.disciplinable("contract_worker")
    assert all(rules.disciplinable(c) for c in ("cadre", "civil_servant", "public_employee"))


DATES = st.dates(min_value=dt.date(2015, 1, 1), max_value=dt.date(2035, 12, 31))
HEADSHIPS = st.lists(
    st.builds(
        rules.Headship,
        st.sampled_from([rules.HEAD, rules.DEPUTY]),
        st.none() | DATES,
        st.none() | DATES,
    ),
    max_size=4,
)


@given(DATES, HEADSHIPS, st.booleans())
def test_it_makes_a_leader_of_any_covering_headship_and_else_follows_the_flag(  # type: ignore[no-untyped-def]
    on, headships, flag
) -> None:
    """Settled point 13, as a property."""
    found = rules.leader_on(on=on, headships=headships, flag=flag)
    if any(h.covers(on) for h in headships):
        assert found.is_leader and found.source in (rules.HEAD, rules.DEPUTY)
    else:
        assert (found.is_leader, found.source) == (flag, rules.FLAG if flag else rules.NO_POST)


@given(
    st.sampled_from(["cadre", "civil_servant", "public_employee", "contract_worker"]),
    st.sampled_from(rules.FORM_ORDER),
    DATES,
    HEADSHIPS,
    st.booleans(),
)
def test_it_allows_a_form_exactly_when_the_row_of_the_post_on_that_date_does(  # type: ignore[no-untyped-def]
    category, form, on, headships, flag
) -> None:
    """rules.md "Discipline" table and Settled points 12-13: one verdict, whatever the path."""
    leader = rules.leader_on(on=on, headships=headships, flag=flag)
    verdict = rules.judge_form(form=form, category=category, leader=leader, on=on)
    row = ROWS[(category, leader.is_leader)][on >= AFTER]
    assert verdict.ok is (form in row)
    assert verdict.ok is (form in verdict.allowed.forms)
