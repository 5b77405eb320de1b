"""`decisions_effective_for`: per person, the acts disciplined in a period, counted once."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.discipline.selectors import decisions_effective_for
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db
Y = {"date_from": dt.date(2024, 1, 1), "date_to": dt.date(2024, 12, 31)}


def test_it_counts_party_and_administrative_decisions_on_one_act_once(world) -> None:  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    decision(an, "D1", "reprimand", track="party", violation="V1", decided_on=dt.date(2024, 3, 1))
    decision(an, "D2", "warning", violation="V1", decided_on=dt.date(2024, 4, 1))
    decision(an, "D3", "reprimand", decided_on=dt.date(2024, 5, 1))  # another act, no code
    result = decisions_effective_for(staff_ids=[an.pk, world.staff["lan"].pk], **Y)
    assert list(result) == [an.pk]
    facts = {f.violation: f for f in result[an.pk]}
    assert set(facts) == {"V1", "#D3"}
    assert facts["V1"].heaviest_form == "warning"
    assert [d.code for d in facts["V1"].decisions] == ["D1", "D2"]
    assert facts["V1"].first_effective_on == dt.date(2024, 3, 1)


def test_it_counts_an_act_in_the_year_of_its_first_decision_only(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.decree-48."""
    an = world.staff["an"]
    decision(an, "P", "reprimand", track="party", violation="V9", decided_on=dt.date(2023, 12, 20))
    decision(an, "A", "reprimand", violation="V9", decided_on=dt.date(2024, 1, 10))
    assert decisions_effective_for(staff_ids=[an.pk], **Y) == {}
    earlier = decisions_effective_for(
        staff_ids=[an.pk], date_from=dt.date(2023, 1, 1), date_to=dt.date(2023, 12, 31)
    )
    assert [f.violation for f in earlier[an.pk]] == ["V9"]


def test_it_leaves_out_decisions_effective_outside_the_period(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: settled.9."""
    an = world.staff["an"]
    decision(an, "LATE", decided_on=dt.date(2024, 12, 30), effective_on=dt.date(2025, 1, 2))
    assert decisions_effective_for(staff_ids=[an.pk], **Y) == {}
