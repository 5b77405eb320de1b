"""Quotas (rules.md step 4): every case of each pack, the fixed point on final levels, refusal,
by-score resolution and its order, the head's choice, overrides by decision, and idempotence."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

from thenchot.appraisal.rules import (
    Category,
    Level,
    Period,
    PersonPeriod,
    QuotaBase,
    QuotaCandidate,
    QuotaOverride,
    RuleInputError,
    apply_quota,
    check_quota,
    registry,
)

E, G, C, N, NR = Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE, Level.NOT_RATED
HANOI = registry.HANOI_MONTHLY_2018.defaults().quota
D335 = registry.DECREE_335_2025.defaults().quota
D90 = registry.DECREE_90_2020.defaults().quota


def people(levels, *, agency="SNV", leader=False, start=1, scores=None):
    """Candidates with ids from `start`; default scores fall with the id (the first is best)."""
    return [
        QuotaCandidate(
            staff_id=start + i,
            agency=agency,
            level=level,
            score=D(scores[i]) if scores else D(99) - i,
            is_leader=leader,
        )
        for i, level in enumerate(levels)
    ]


def count(outcome, level):
    return sum(1 for value in outcome.levels.values() if value is level)


# -- hanoi-monthly-2018: A ≤ 30% of those rated, rounded down; 40% of headcount if exceptional ----
@pytest.mark.parametrize(
    ("levels", "allowed", "moved"),
    [
        ([E] * 3 + [G] * 7, 3, 0),
        ([E] * 4 + [G] * 6, 3, 1),
        ([E] * 3 + [G] * 6, 2, 1),  # 30% of 9 = 2.7 → 2
        ([E] * 3 + [C] * 3 + [N] * 4, 3, 0),  # every level rated counts
        ([E] * 3 + [G] * 6 + [NR], 2, 1),  # the not rated are not "rated"
        ([E] * 1 + [G] * 2, 0, 1),  # 30% of 3 = 0.9 → 0
        ([], 0, 0),
    ],
)
def test_it_caps_hanoi_grade_a_at_30_percent_of_those_rated(levels, allowed, moved):
    """rules.md: pack.hanoi-monthly-2018.quota."""
    refused = apply_quota(people(levels), HANOI)
    resolved = apply_quota(people(levels), HANOI, resolve="by-score")
    assert refused.ok is (moved == 0)
    if moved:
        assert refused.conflicts[0].group.allowed == allowed
        assert refused.levels == {c.staff_id: c.level for c in people(levels)}  # nothing changed
    assert count(resolved, E) == min(levels.count(E), allowed)
    assert len(resolved.steps) == moved
    assert all(steps[0].level_after is G for steps in resolved.steps.values())


@pytest.mark.parametrize(
    ("levels", "headcount", "allowed"),
    [
        ([E] * 4 + [G] * 6, None, 4),  # 40% of 10
        ([E] * 5 + [G] * 5, None, 4),
        ([E] * 4 + [G] * 4 + [NR] * 2, None, 4),  # headcount counts everyone
        ([E] * 4 + [G] * 4, 15, 6),  # the headcount given by the decision
        ([E] * 1 + [G] * 1, None, 0),  # 40% of 2 = 0.8 → 0; 30% of 2 → 0
    ],
)
def test_it_lets_an_exceptional_collective_reach_40_percent_of_headcount(
    levels, headcount, allowed
):
    """rules.md: pack.hanoi-monthly-2018.quota."""
    override = QuotaOverride(
        decision="QĐ 55/QĐ-UBND", exceptional_collective=True, headcount=headcount
    )
    outcome = apply_quota(people(levels), HANOI, resolve="by-score", overrides={"SNV": override})
    assert outcome.groups[0].allowed == allowed
    assert count(outcome, E) == min(levels.count(E), allowed)
    # the decision concerns its agency only: elsewhere 30% of those rated
    other = apply_quota(people(levels), HANOI, overrides={"STC": override})
    assert other.groups[0].allowed == len([x for x in levels if x.rated]) * 3 // 10


def test_it_applies_the_quota_per_agency():
    """rules.md: level.4."""
    snv = people([E] * 3 + [G] * 7, agency="SNV")
    stc = people([E] * 4 + [G] * 6, agency="STC", start=100)
    outcome = apply_quota(snv + stc, HANOI)
    assert [c.group.agency for c in outcome.conflicts] == ["STC"]
    assert outcome.conflicts[0].would_move == (103,)


# -- decree-335-2025 and decree-90-2020: excellent ≤ 20% of those rated good, per group --------------
@pytest.mark.parametrize(
    ("levels", "allowed", "moved"),
    [
        ([E] * 2 + [G] * 8, 2, 0),
        ([E] * 3 + [G] * 7, 2, 1),
        ([E] * 2 + [G] * 7, 1, 1),  # 20% of 9 = 1.8 → 1
        ([E] * 2 + [G] * 3 + [C] * 10, 1, 1),  # complete is not "rated good"
        ([E] * 1 + [G] * 4 + [N] * 5, 1, 0),
        ([E] * 1 + [G] * 3, 0, 1),  # 20% of 4 = 0.8 → 0
        ([E] * 5, 1, 4),
    ],
)
def test_it_caps_excellent_at_20_percent_of_those_rated_good(levels, allowed, moved):
    """rules.md: pack.decree-335-2025.quota, pack.decree-90-2020.decree-48."""
    for rule in (D335, D90):
        outcome = apply_quota(people(levels), rule, resolve="by-score", on=dt.date(2026, 12, 31))
        assert count(outcome, E) == min(levels.count(E), allowed)
        assert len(outcome.steps) == moved
        assert not check_quota(
            [dataclasses.replace(c, level=outcome.levels[c.staff_id]) for c in people(levels)], rule
        )


def test_it_quotas_leaders_and_non_leaders_separately():
    """rules.md: pack.decree-335-2025.quota."""
    staff = people([E] * 2 + [G] * 8)  # 2 of 10: fits
    leaders = people([E] * 2 + [G] * 3, leader=True, start=50)  # 2 of 5 > 1
    outcome = apply_quota(staff + leaders, D335)
    assert [(c.group.group, c.would_move) for c in outcome.conflicts] == [("leaders", (51,))]
    merged = apply_quota(staff + leaders, dataclasses.replace(D335, by_group=False))
    # one group: 4 excellent of 15 good or better → 3 allowed
    assert [(c.group.group, c.group.allowed, c.excess) for c in merged.conflicts] == [("all", 3, 1)]


def test_it_reaches_the_fixed_point_on_final_levels_under_the_strict_reading():
    # Strict reading: the base is those whose FINAL level is good; each move grows it.
    """rules.md: pack.decree-335-2025.quota."""
    strict = dataclasses.replace(D335, base=QuotaBase.GOOD_ONLY)
    outcome = apply_quota(people([E] * 3 + [G] * 7), strict, resolve="by-score")
    # E=3,G=7: 3 > ⌊1.4⌋ → move; E=2,G=8: 2 > ⌊1.6⌋ → move; E=1,G=9: 1 ≤ ⌊1.8⌋ → stop
    assert count(outcome, E) == 1 and len(outcome.steps) == 2
    all_excellent = apply_quota(people([E] * 10), strict, resolve="by-score")
    assert count(all_excellent, E) == 1  # 1 ≤ ⌊0.2 × 9⌋; 2 > ⌊0.2 × 8⌋
    # The default reading keeps the base (good or better) as people move from excellent to good.
    default = apply_quota(people([E] * 10), D335, resolve="by-score")
    assert count(default, E) == 2
    for rule, result in ((strict, all_excellent), (D335, default)):
        final = [dataclasses.replace(c, level=result.levels[c.staff_id]) for c in people([E] * 10)]
        assert not check_quota(final, rule)  # the final state satisfies the quota on final levels
        assert apply_quota(final, rule, resolve="by-score").steps == {}


def test_it_refuses_by_default_listing_holders_and_who_would_move():
    staff = people(
        [E] * 4 + [G] * 6, scores=["95", "91", "93", "91", "80", "80", "80", "80", "80", "80"]
    )
    outcome = apply_quota(staff, D335)
    assert not outcome.ok and outcome.steps == {}
    conflict = outcome.conflicts[0]
    assert conflict.holders == (2, 4, 3, 1)  # lowest score first, ties by staff id
    assert conflict.would_move == (2, 4)
    assert conflict.excess == 2
    assert conflict.describe() == (
        "SNV / non_leaders: 4 excellent, 2 allowed (20% of 10 those rated good or better);"
        " would move 2, 4"
    )


def test_it_moves_the_lowest_scores_first_with_a_trace_line_each():
    """rules.md: level.trace."""
    staff = people(
        [E] * 4 + [G] * 6, scores=["95", "91", "93", "91", "80", "80", "80", "80", "80", "80"]
    )
    outcome = apply_quota(staff, D335, resolve="by-score")
    assert set(outcome.steps) == {2, 4}
    step = outcome.steps[2][0]
    assert (step.rule, step.level_before, step.level_after) == ("quota.excellent_share", E, G)
    assert step.detail == (
        "quota 20% of those rated good or better (10) allows 2 excellent in SNV / non_leaders:"
        " moved to good (by score)"
    )


def test_it_moves_people_without_a_score_first():
    staff = people([E] * 3 + [G] * 7)
    staff[0] = dataclasses.replace(staff[0], score=None)
    outcome = apply_quota(staff, D90, resolve="by-score", on=dt.date(2024, 12, 31))
    assert set(outcome.steps) == {1}


def test_it_lets_the_head_choose_who_moves():
    staff = people([E] * 4 + [G] * 6)
    outcome = apply_quota(staff, D335, chosen={1, 2})  # the two best scores, the head's choice
    assert outcome.ok and set(outcome.steps) == {1, 2}
    assert outcome.steps[1][0].rule == "quota.named_by_head"
    not_enough = apply_quota(staff, D335, chosen={1})
    assert not not_enough.ok and not_enough.levels[1] is E  # refused: nothing changed
    completed = apply_quota(staff, D335, chosen={1}, resolve="by-score")
    assert set(completed.steps) == {1, 4} and completed.ok
    (outsider,) = apply_quota(staff, D335, chosen={9}).conflicts  # good, not at the top
    assert (outsider.reason, outsider.named) == ("not_top", (9,))
    with pytest.raises(RuleInputError, match="not among the candidates"):
        apply_quota(staff, D335, chosen={99})


def test_it_applies_a_different_rate_by_recorded_decision():
    """rules.md: pack.decree-335-2025.quota."""
    staff = people([E] * 3 + [G] * 7)
    override = {"SNV": QuotaOverride(decision="QĐ 12/QĐ-UBND", ratio=D("0.3"))}
    outcome = apply_quota(staff, D335, overrides=override)
    assert outcome.ok and outcome.groups[0].decision == "QĐ 12/QĐ-UBND"
    assert outcome.groups[0].allowed == 3


def test_it_has_no_decree_90_quota_before_decree_48():
    """rules.md: pack.decree-90-2020.decree-48, settled.5."""
    staff = people([E] * 5 + [G] * 5)
    before = apply_quota(staff, D90, resolve="by-score", on=dt.date(2022, 12, 31))
    after = apply_quota(staff, D90, resolve="by-score", on=dt.date(2023, 12, 31))
    assert not before.in_force and before.steps == {} and count(before, E) == 5
    assert after.in_force and count(after, E) == 2


def test_it_is_idempotent():
    staff = people([E] * 6 + [G] * 9 + [C] * 3) + people([E] * 3 + [G], leader=True, start=40)
    first = apply_quota(staff, D335, resolve="by-score")
    again = apply_quota(
        [dataclasses.replace(c, level=first.levels[c.staff_id]) for c in staff],
        D335,
        resolve="by-score",
    )
    assert again.levels == first.levels and again.steps == {} and again.ok


def test_it_refuses_a_person_twice():
    with pytest.raises(RuleInputError, match="twice"):
        apply_quota(people([E]) + people([G]), D335)


def test_it_adds_its_lines_to_the_classification():
    """rules.md: level.4."""
    pack = registry.DECREE_335_2025
    results = [
        pack.classify(
            PersonPeriod(
                staff_id=i,
                category=Category.CIVIL_SERVANT,
                period=Period.parse("2026-03"),
                points={"general": 30, "tasks": 60 + i},
            )
        )
        for i in range(1, 6)
    ]
    outcome = apply_quota(
        [QuotaCandidate.of(r, agency="STC") for r in results], D335, resolve="by-score"
    )
    final = [outcome.apply(r) for r in results]
    assert [f.level for f in final] == [G, G, G, G, E]  # 5 good or better → 1 excellent
    assert [s.rule for s in final[0].trace] == ["decree-335.grade", "quota.excellent_share"]
    assert final[0].proposed_level is E and final[4].trace == results[4].trace


@pytest.mark.parametrize(
    ("chain", "own_agency", "expected"),
    [
        ([("SNV-TC", "division"), ("SNV", "department"), ("HN", "city")], False, "SNV"),
        ([("SNV-TC", "division"), ("SNV", "department"), ("HN", "city")], True, "SNV-TC"),
        ([("XA-1", "commune"), ("HN", "city")], False, "XA-1"),
        ([("A", "division"), ("B", "division")], False, "B"),
    ],
)
def test_it_finds_the_agency_a_person_counts_in(chain, own_agency, expected):
    """rules.md: level.4."""
    from thenchot.appraisal.rules import agency_of

    rule = dataclasses.replace(D335, agency_is_division=own_agency)
    assert agency_of(chain, rule) == expected
