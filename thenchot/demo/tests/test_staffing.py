"""The staff plan: deterministic for a seed, realistic names, careers across the 2025 changes."""

from __future__ import annotations

import datetime as dt

from thenchot.demo.names import FAMILY_NAMES
from thenchot.demo.places import TWO_LEVEL_DAY
from thenchot.demo.staffing import PERSONAS, plan_staff
from thenchot.demo.structure import build_structure


def _summary(seed: int) -> list[tuple[str, str, str, str]]:
    plan = plan_staff(build_structure(), count=400, seed=seed)
    return [(p.code, p.full_name, p.unit, p.position_title) for p in plan.people]


def test_it_is_deterministic_for_a_seed():
    assert _summary(11) == _summary(11)


def test_it_differs_between_seeds():
    assert _summary(11) != _summary(12)


def test_it_gives_unique_codes_and_the_asked_count():
    plan = plan_staff(build_structure(), count=1000, seed=3)
    codes = [p.code for p in plan.people]
    assert len(codes) == 1000
    assert len(set(codes)) == 1000


def test_it_uses_vietnamese_names_consistent_with_gender():
    plan = plan_staff(build_structure(), count=1000, seed=3)
    families = {name for name, _w in FAMILY_NAMES}
    generated = [p for p in plan.people if p.username is None]
    assert all(p.full_name.split(" ")[0] in families for p in generated)
    assert not any(" Văn " in p.full_name for p in generated if p.female)
    assert not any(" Thị " in p.full_name for p in generated if not p.female)
    nguyen = sum(p.full_name.startswith("Nguyễn ") for p in generated) / len(generated)
    assert 0.25 < nguyen < 0.5


def test_it_moves_people_of_ended_units_to_their_successors():
    s = build_structure()
    plan = plan_staff(s, count=1000, seed=3)
    for person in plan.people:
        last = person.stints[-1]
        assert last.end is None
        spec = s.units[last.unit]
        assert spec.valid_to is None, (person.code, last.unit)
        for before, after in zip(person.stints, person.stints[1:], strict=False):
            assert before.end is not None
            assert after.start == before.end + dt.timedelta(days=1)
    old_commune = [
        p for p in plan.people if p.username is None and p.stints[0].unit.startswith("BADINH-")
    ]
    assert old_commune
    assert all(p.stints[1].start == TWO_LEVEL_DAY for p in old_commune)


def test_it_keeps_leaders_a_minority():
    plan = plan_staff(build_structure(), count=2000, seed=3)
    leaders = sum(p.is_leader for p in plan.people)
    assert 0 < leaders < 0.35 * len(plan.people)


def test_it_includes_every_persona_first():
    plan = plan_staff(build_structure(), count=50, seed=3)
    assert [p.username for p in plan.people[: len(PERSONAS)]] == [p.username for p in PERSONAS]
    assert all(p.username is None for p in plan.people[len(PERSONAS) :])
