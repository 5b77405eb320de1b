"""A new violation while a decision is running is punished one level heavier (Decree 172/2025):
which decision runs on a date, the minimum form it sets, and the history check, table-driven
with hypothesis properties."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.discipline import rules

D = dt.date
OLD_CS = ("reprimand", "warning", "salary_step_down", "forced_dismissal")  # civil servant <2025-07
NEW_CS = ("reprimand", "warning", "forced_dismissal")  # civil servant, non-leader, from 2025-07
NEW_LEAD = ("reprimand", "warning", "removal_from_post", "forced_dismissal")
CADRE = ("reprimand", "warning", "removal_from_post", "dismissal_from_office")


def past(
    code: str,
    form: str,
    effective: dt.date,
    act: str = "V1",
    decided: dt.date | None = None,
) -> rules.PastDecision:
    return rules.PastDecision(code, form, act, decided or effective, effective)


@pytest.mark.parametrize(
    ("running", "allowed", "minimum"),
    [
        ("reprimand", OLD_CS, "warning"),
        ("warning", OLD_CS, "salary_step_down"),
        ("salary_step_down", OLD_CS, "forced_dismissal"),
        # The running form was abolished on 2025-07-01: the next heavier that still exists.
        ("warning", NEW_CS, "forced_dismissal"),
        ("salary_step_down", NEW_CS, "forced_dismissal"),
        ("demotion", NEW_LEAD, "removal_from_post"),
        ("removal_from_post", NEW_LEAD, "forced_dismissal"),
        ("removal_from_post", CADRE, "dismissal_from_office"),
        # Nothing heavier is allowed: the heaviest allowed form is the minimum.
        ("warning", ("reprimand", "warning"), "warning"),
        ("removal_from_post", ("reprimand", "warning"), "warning"),
        ("warning", (), None),
    ],
)
def test_it_picks_the_form_one_level_heavier_among_those_allowed(
    running: str, allowed: tuple[str, ...], minimum: str | None
) -> None:
    """rules.md: discipline.procedure."""
    assert rules.one_level_heavier(form=running, allowed=allowed) == minimum


REPRIMAND_2024 = past("A", "reprimand", D(2024, 3, 15), decided=D(2024, 3, 10))  # to 2025-03-14
REMOVAL_2024 = past("B", "removal_from_post", D(2024, 1, 1))  # window to 2025-12-31


@pytest.mark.parametrize(
    ("history", "act", "on", "running"),
    [
        ([REPRIMAND_2024], "V2", D(2025, 3, 14), "A"),  # last day inside the 12-month window
        ([REPRIMAND_2024], "V2", D(2025, 3, 15), None),  # first day outside
        ([REPRIMAND_2024], "V2", D(2024, 3, 15), "A"),  # the day it takes effect
        ([REPRIMAND_2024], "V2", D(2024, 3, 12), None),  # decided but not yet in effect
        ([REPRIMAND_2024], "V1", D(2024, 6, 1), None),  # the same act (Party + administrative)
        ([REPRIMAND_2024], "", D(2024, 6, 1), "A"),  # no violation code: an act of its own
        ([past("A", "warning", D(2024, 3, 1), act="")], "", D(2024, 6, 1), "A"),
        ([REMOVAL_2024], "V2", D(2025, 12, 31), "B"),  # last day inside the 24-month window
        ([REMOVAL_2024], "V2", D(2026, 1, 1), None),  # first day outside
        ([past("C", "forced_dismissal", D(2024, 3, 1))], "V2", D(2024, 6, 1), None),
        ([past("E", "warning", D(2024, 6, 1))], "V2", D(2024, 6, 1), None),  # same day: not earlier
        ([REPRIMAND_2024, REMOVAL_2024], "V2", D(2024, 6, 1), "B"),  # the heaviest one running
        ([], "V2", D(2024, 6, 1), None),
    ],
)
def test_it_finds_the_decision_running_on_a_date(
    history: list[rules.PastDecision], act: str, on: dt.date, running: str | None
) -> None:
    found = rules.running_decision(history=history, act=act, on=on)
    assert (found.code if found else None) == running


def test_it_sets_the_minimum_with_its_reason_and_basis() -> None:
    need = rules.repeat_minimum(
        history=[REPRIMAND_2024], act="V2", on=D(2025, 3, 14), allowed=OLD_CS
    )
    assert (need.minimum, need.running_until) == ("warning", D(2025, 3, 14))
    assert need.running == REPRIMAND_2024 and need.default  # before 2025-07-01: our reading
    assert (
        not need.allows("reprimand") and need.allows("warning") and need.allows("forced_dismissal")
    )
    assert "172/2025" in need.basis and "A (reprimand)" in need.trace[0]
    after = rules.repeat_minimum(history=[REMOVAL_2024], act="V2", on=D(2025, 8, 1), allowed=NEW_CS)
    assert (after.minimum, after.default) == ("forced_dismissal", False)
    free = rules.repeat_minimum(
        history=[REPRIMAND_2024], act="V2", on=D(2025, 3, 15), allowed=OLD_CS
    )
    assert free.minimum is None and free.allows("reprimand") and free.running is None


def test_it_finds_shortfalls_in_both_directions_and_not_for_the_same_act() -> None:
    def allowed_on(on: dt.date) -> tuple[str, ...]:
        return OLD_CS if on < rules.REFORM_DATE else NEW_CS

    warning = past("W", "warning", D(2024, 2, 1), act="V1")
    light = past("L", "reprimand", D(2024, 5, 1), act="V2")
    party = past("P", "reprimand", D(2024, 5, 1), act="V1")
    heavy = past("H", "salary_step_down", D(2024, 5, 1), act="V3")
    (short,) = rules.shortfalls(history=[light, warning, party, heavy], allowed_on=allowed_on)
    assert short.decision == light and short.need.running == warning
    assert short.need.minimum == "salary_step_down"
    assert rules.shortfalls(history=[warning, party, heavy], allowed_on=allowed_on) == []


FORMS = st.sampled_from(rules.FORM_ORDER)
ALLOWED = st.lists(FORMS, unique=True).map(lambda fs: tuple(sorted(fs, key=rules.severity)))


@given(FORMS, ALLOWED)
def test_it_always_gives_an_allowed_form_heavier_when_one_exists(form: str, allowed) -> None:  # type: ignore[no-untyped-def]
    minimum = rules.one_level_heavier(form=form, allowed=allowed)
    if not allowed:
        assert minimum is None
        return
    assert minimum in allowed
    heavier = [f for f in allowed if rules.severity(f) > rules.severity(form)]
    if heavier:
        assert rules.severity(minimum) > rules.severity(form)
        assert all(rules.severity(minimum) <= rules.severity(f) for f in heavier)
    else:
        assert minimum == allowed[-1]


@given(FORMS, FORMS, ALLOWED)
def test_a_heavier_running_form_never_gives_a_lighter_minimum(a: str, b: str, allowed) -> None:  # type: ignore[no-untyped-def]
    lighter, heavier = sorted((a, b), key=rules.severity)
    low = rules.one_level_heavier(form=lighter, allowed=allowed)
    high = rules.one_level_heavier(form=heavier, allowed=allowed)
    assert rules.severity(high or "") >= rules.severity(low or "")


@given(
    st.lists(
        st.tuples(FORMS, st.integers(0, 1500), st.integers(0, 3), st.integers(0, 5)),
        min_size=1,
        max_size=8,
    )
)
def test_a_history_that_respects_each_minimum_has_no_shortfall(draws) -> None:  # type: ignore[no-untyped-def]
    def allowed_on(on: dt.date) -> tuple[str, ...]:
        return OLD_CS if on < rules.REFORM_DATE else NEW_CS

    history: list[rules.PastDecision] = []
    start = D(2023, 1, 1)
    for i, (form, offset, delay, act) in enumerate(sorted(draws, key=lambda d: d[1])):
        on = start + dt.timedelta(days=offset)
        need = rules.repeat_minimum(history=history, act=f"V{act}", on=on, allowed=allowed_on(on))
        chosen = form if need.allows(form) else need.minimum
        assert chosen is not None
        history.append(
            rules.PastDecision(f"D{i}", chosen, f"V{act}", on, on + dt.timedelta(days=delay))
        )
    assert rules.shortfalls(history=history, allowed_on=allowed_on) == []
