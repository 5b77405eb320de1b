"""Pack parameters: validation with clear messages, edits by dotted name, storage round trip,
and the *default* flags the UI shows."""

from __future__ import annotations

import pytest

from thenchot.appraisal.rules import (
    Decree90Parameters,
    Decree335Parameters,
    HanoiParameters,
    Level,
    ParameterError,
    Period,
    PersonPeriod,
    RuleInputError,
    registry,
)

BAD = [
    ({"bands.good_from": "95"}, "thresholds must rise strictly"),
    ({"bands.complete_from": "70"}, "thresholds must rise strictly"),
    ({"bands.excellent_from": "100.5"}, "thresholds must rise strictly"),
    ({"bands.complete_from": "0"}, "thresholds must rise strictly"),
    ({"quota.ratio": "1.2"}, "quota.ratio: 1.2 is outside [0, 1]"),
    ({"quota.ratio": "-0.1"}, "outside [0, 1]"),
    ({"quota.base": "everyone"}, "is not one of rated, good_or_better, good_only"),
    ({"quota.by_group": "perhaps"}, "expected true or false"),
    ({"unit.on_time_share": "80"}, "unit.on_time_share: 80 is outside [0, 1]"),
    (
        {"tasks.weight_quantity": "0", "tasks.weight_quality": "0", "tasks.weight_progress": "0"},
        "positive sum",
    ),
    ({"tasks.organising_other": "0.9"}, "organising tiers must not rise"),
    ({"bands.nope": "1"}, "bands.nope: unknown parameter"),
    ({"colour": "red"}, "colour: unknown parameter"),
    ({"bands.good_from": "seventy"}, "not a number"),
]


@pytest.mark.parametrize(("changes", "message"), BAD)
def test_it_refuses_a_bad_decree_335_parameter_with_a_clear_message(changes, message):
    defaults = Decree335Parameters()
    with pytest.raises(ParameterError) as err:
        defaults.replace(changes)
    assert any(message in m for m in err.value.messages)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"criteria.complete_max_short": "0.6"}, "would overlap"),
        ({"criteria.gap_level": "excellent"}, "must be complete or not_complete"),
        ({"criteria.leave_cap_from": "6"}, "leave_cap_from must be below"),
        ({"criteria.decree_48_from": "15/09/2023"}, "expected a date"),
    ],
)
def test_it_refuses_a_bad_decree_90_parameter(changes, message):
    with pytest.raises(ParameterError) as err:
        Decree90Parameters().replace(changes)
    assert any(message in m for m in err.value.messages)


def test_it_reports_every_problem_at_once():
    with pytest.raises(ParameterError) as err:
        Decree335Parameters().replace({"bands.good_from": "95", "quota.ratio": "2", "x.y": 1})
    assert len(err.value.messages) == 3


def test_it_applies_an_edited_threshold():
    """rules.md: intro.defaults."""
    params = Decree335Parameters().replace({"bands.excellent_from": "92"})
    person = PersonPeriod(
        staff_id=1,
        category="civil_servant",
        period=Period.parse("2026-03"),
        points={"general": 30, "tasks": "61.99"},
    )
    assert registry.DECREE_335_2025.classify(person, params).level is Level.GOOD
    assert registry.DECREE_335_2025.classify(person).level is Level.EXCELLENT
    assert Decree335Parameters().bands.excellent_from == 90  # the defaults never change


def test_it_refuses_parameters_of_another_pack():
    person = PersonPeriod(
        staff_id=1,
        category="civil_servant",
        period=Period.parse("2026-03"),
        points={"general": 30, "tasks": 60},
    )
    with pytest.raises(RuleInputError, match="needs Decree335Parameters"):
        registry.DECREE_335_2025.classify(person, HanoiParameters())


@pytest.mark.parametrize("pack", registry.all_packs(), ids=lambda p: p.id)
def test_it_round_trips_through_json(pack):
    edited = pack.defaults().replace({"quota.ratio": "0.25", "unit.heads_capped": False})
    data = edited.to_dict()
    assert data["quota"]["ratio"] == "0.25"
    assert type(edited).from_dict(data, base=pack.defaults()) == edited
    with pytest.raises(ParameterError):
        type(edited).from_dict({"quota": {"ratio": "3"}}, base=pack.defaults())


def test_it_flags_our_default_readings():
    """rules.md: intro.defaults."""
    rows = {name: is_default for name, _, is_default in Decree335Parameters().describe()}
    assert rows["tasks.weight_quantity"] is True  # the formula published as an image
    assert rows["tasks.organising_all_done_some_late"] is True
    assert rows["tasks.error_deduction"] is False  # 25% is in the decree
    assert rows["quota.ratio"] is False
    assert rows["quota.agency_is_division"] is True
    ninety = {name: d for name, _, d in Decree90Parameters().describe()}
    assert ninety["criteria.gap_level"] is True
    assert ("quota.in_force_from", "2023-09-15", False) in Decree90Parameters().describe()
