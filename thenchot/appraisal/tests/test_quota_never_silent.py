"""Issue 12, point 4: quotas are never silent — the pure rules (rules.md "Settled points" 1 and
14). A tie at the boundary is refused naming the tied people; the head names who moves, checked
(at the top level, exactly as many as needed); a pack without scores has no "by score"; quota
overrides replace the pack's ratio and base and the trace names their decision."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.appraisal.rules import (
    Level,
    QuotaBase,
    QuotaCandidate,
    QuotaOverride,
    apply_quota,
    check_quota,
    registry,
)

E, G, NR = Level.EXCELLENT, Level.GOOD, Level.NOT_RATED
HANOI = registry.HANOI_MONTHLY_2018.defaults().quota
D335 = registry.DECREE_335_2025.defaults().quota
D90 = registry.DECREE_90_2020.defaults().quota
YEAR_END = dt.date(2025, 12, 31)


def group(scores: list[str | None], goods: int = 6) -> list[QuotaCandidate]:
    """Excellent people with these scores (ids from 1), then `goods` people at good (80)."""
    top = [
        QuotaCandidate(staff_id=i + 1, agency="SNV", level=E, score=None if s is None else D(s))
        for i, s in enumerate(scores)
    ]
    rest = [
        QuotaCandidate(staff_id=100 + i, agency="SNV", level=G, score=D(80)) for i in range(goods)
    ]
    return top + rest


# (excellent scores, good people, expected: moved by score or the refusal's tied/needed)
@pytest.mark.parametrize(
    ("scores", "goods", "moved", "tied", "needed"),
    [
        (["95", "92"], 6, {2}, (), 0),  # 8 good or better → 1 allowed; no tie
        (["92", "92"], 6, set(), (1, 2), 1),  # the found case: two at 92, one must move
        (["92.00", "92"], 6, set(), (1, 2), 1),  # equal scores, however written
        (["95", "92", "92", "92"], 6, set(), (2, 3, 4), 2),  # 10 → 2 allowed: 2 of 3 tied
        (["91", "92", "92", "95"], 6, set(), (2, 3), 1),  # 91 moves, then a tie at 92
        (["91", "92", "93", "95"], 6, {1, 2}, (), 0),  # no tie: both lowest move
        (["92", "92", "92"], 12, set(), (), 0),  # 15 → 3 allowed: nobody moves, no tie
        ([None, None], 6, set(), (1, 2), 1),  # no score is a tie with no score
    ],
)
def test_it_refuses_a_tie_at_the_boundary_by_score(scores, goods, moved, tied, needed):
    """Settled point 1: by-score moves the lowest first; a shared boundary score is refused,
    naming the tied people, the score and how many of them must move — never broken silently."""
    people = group(scores, goods)
    outcome = apply_quota(people, D335, resolve="by-score")
    if tied:
        (conflict,) = outcome.conflicts
        assert (conflict.reason, conflict.tied, conflict.needed) == ("tie", tied, needed)
        assert outcome.steps == {} and outcome.levels == {c.staff_id: c.level for c in people}
        assert "tie at " in conflict.describe()
    else:
        assert outcome.ok and set(outcome.steps) == moved


def test_it_closes_a_tie_when_the_head_names_who_moves():
    """Settled point 1: the head names one of the two at 92; the trace says "named by the
    head"; the untied part still moves by score."""
    outcome = apply_quota(group(["92", "92"]), D335, resolve="by-score", chosen={2})
    assert outcome.ok and outcome.levels[2] is G and outcome.levels[1] is E
    (step,) = outcome.steps[2]
    assert step.rule == "quota.named_by_head" and step.detail.endswith("named by the head")
    mixed = apply_quota(group(["91", "92", "92", "95"]), D335, resolve="by-score", chosen={3})
    assert mixed.ok and set(mixed.steps) == {1, 3}
    assert [mixed.steps[1][0].rule, mixed.steps[3][0].rule] == [
        "quota.excellent_share",
        "quota.named_by_head",
    ]


@pytest.mark.parametrize(
    ("chosen", "resolve", "reason", "needed", "named"),
    [
        ({1, 2}, "by-score", "too_many", 1, (1, 2)),  # two named, one needed
        ({101}, "by-score", "not_top", 1, (101,)),  # a person at good: an outsider
        ({1}, "refuse", None, 0, ()),  # exactly as many as needed: closes
        (set(), "refuse", "exceeded", 1, ()),
    ],
)
def test_it_checks_who_the_head_names(chosen, resolve, reason, needed, named):
    """Settled point 1: each named person at the top level, exactly as many as needed; a
    refusal names them and the number needed, and changes nothing."""
    people = group(["92", "92"])
    outcome = apply_quota(people, D335, resolve=resolve, chosen=chosen)
    if reason is None:
        assert outcome.ok
        return
    (conflict,) = outcome.conflicts
    assert (conflict.reason, conflict.needed, conflict.named) == (reason, needed, named)
    assert outcome.steps == {} and outcome.levels == {c.staff_id: c.level for c in people}


def test_it_refuses_too_few_named_among_a_tie():
    """Settled point 1: three at 92, two must move; naming one leaves a tie of two, one needed
    (by score), or one more needed (without)."""
    people = group(["92", "92", "92", "95"])
    by_score = apply_quota(people, D335, resolve="by-score", chosen={1})
    (tie,) = by_score.conflicts
    assert (tie.reason, tie.tied, tie.needed, tie.named) == ("tie", (2, 3), 1, (1,))
    (short,) = apply_quota(people, D335, chosen={1}).conflicts
    assert (short.reason, short.needed) == ("exceeded", 1)
    assert apply_quota(people, D335, resolve="by-score", chosen={1, 2}).ok


def test_it_has_no_by_score_for_a_pack_without_scores():
    """Settled point 1: decree-90 has no scores, hence no by-score; the head names who moves."""
    assert registry.DECREE_90_2020.scored is False and registry.DECREE_335_2025.scored is True
    people = group([None, None, None], goods=7)  # 10 → 2 allowed, 1 must move
    outcome = apply_quota(people, D90, resolve="by-score", on=YEAR_END, scored=False)
    (conflict,) = outcome.conflicts
    assert (conflict.reason, conflict.needed, conflict.would_move) == ("no_score", 1, ())
    named = apply_quota(people, D90, resolve="by-score", on=YEAR_END, scored=False, chosen={3})
    assert named.ok and set(named.steps) == {3}


# -- overrides by decision (Settled point 14) -------------------------------------------------------
def hanoi_agency() -> list[QuotaCandidate]:
    """10 in the agency: 5 excellent, 3 good, 2 not rated (8 rated, 8 good or better)."""
    levels = [E] * 5 + [G] * 3 + [NR] * 2
    return [
        QuotaCandidate(staff_id=i + 1, agency="STP", level=lv, score=D(99 - i))
        for i, lv in enumerate(levels)
    ]


@pytest.mark.parametrize(
    ("base", "ratio", "label", "counted", "allowed"),
    [
        (None, "40", "those rated", 8, 3),  # the pack's base (Hanoi: those rated)
        (QuotaBase.RATED, "40", "those rated", 8, 3),
        (QuotaBase.HEADCOUNT, "40", "the headcount", 10, 4),  # Hanoi's exceptional collective
        (QuotaBase.GOOD_OR_BETTER, "25", "those rated good or better", 8, 2),
    ],
)
def test_it_uses_an_override_instead_of_the_packs_default(base, ratio, label, counted, allowed):
    """Settled point 14: the override's ratio of its base (those rated, the headcount, those
    rated good or better) replaces the pack's; the trace names the decision and its date."""
    override = QuotaOverride(
        decision="12/QĐ-UBND",
        ratio=D(ratio) / 100,
        base=base,
        decided_on=dt.date(2026, 1, 3),
    )
    outcome = apply_quota(hanoi_agency(), HANOI, resolve="by-score", overrides={"STP": override})
    (use,) = outcome.groups
    assert (use.base_label, use.base, use.allowed, use.decision) == (
        label,
        counted,
        allowed,
        "12/QĐ-UBND",
    )
    step = outcome.steps[5][0]  # the lowest excellent moves first
    assert step.rule == "quota.excellent_share_decision"
    assert f"quota {ratio}% of {label} by decision 12/QĐ-UBND of 03/01/2026" in step.detail


def test_it_applies_a_group_override_to_that_group_only():
    """Settled point 14: an override of one group (leaders) leaves the other at the default."""
    staff = [
        QuotaCandidate(staff_id=i, agency="SNV", level=E if i < 3 else G, score=D(90 + i))
        for i in range(10)
    ]
    leaders = [
        QuotaCandidate(staff_id=50 + i, agency="SNV", level=E, score=D(90 + i), is_leader=True)
        for i in range(2)
    ]
    override = QuotaOverride(decision="5/QĐ", ratio=D(1), decided_on=dt.date(2026, 1, 3))
    outcome = apply_quota(staff + leaders, D335, overrides={("SNV", "leaders"): override})
    assert [(c.group.group, c.group.decision) for c in outcome.conflicts] == [("non_leaders", "")]


# -- properties ------------------------------------------------------------------------------------
SCORES = st.one_of(st.none(), st.sampled_from([D(90), D(91), D(92), D("92.5"), D(95)]))
PEOPLE = st.lists(
    st.tuples(st.sampled_from([E, E, G, NR]), SCORES, st.booleans()), max_size=30
).map(
    lambda rows: [
        QuotaCandidate(staff_id=i, agency="A", level=lv, score=sc, is_leader=ld)
        for i, (lv, sc, ld) in enumerate(rows)
    ]
)
RULES = st.sampled_from([HANOI, D335, D90, dataclasses.replace(D335, base=QuotaBase.GOOD_ONLY)])


def key(c: QuotaCandidate) -> tuple[bool, D]:
    return (False, D(0)) if c.score is None else (True, c.score)


@settings(max_examples=300, deadline=None)
@given(people=PEOPLE, rule=RULES)
def test_it_never_breaks_a_tie_at_the_boundary_silently(people, rule):
    """Settled point 1: whoever moves by score never shares a score with someone of the same
    group kept at the top; the final state never exceeds the quota."""
    outcome = apply_quota(people, rule, resolve="by-score")
    if not outcome.ok:
        assert all(c.reason == "tie" and len(c.tied) > c.needed >= 1 for c in outcome.conflicts)
        return
    assert not check_quota(
        [
            QuotaCandidate(c.staff_id, c.agency, outcome.levels[c.staff_id], c.score, c.is_leader)
            for c in people
        ],
        rule,
    )
    grouped = rule.by_group
    for moved in (c for c in people if c.staff_id in outcome.steps):
        kept = [
            c
            for c in people
            if outcome.levels[c.staff_id] is E and (not grouped or c.is_leader == moved.is_leader)
        ]
        assert all(key(k) != key(moved) for k in kept)


@settings(max_examples=300, deadline=None)
@given(people=PEOPLE, rule=RULES, pick=st.randoms(use_true_random=False))
def test_it_resolves_a_tie_when_the_head_names_as_many_as_needed(people, rule, pick):
    """Settled point 1: naming exactly `needed` of the tied people closes the group, and the
    quota is not exceeded."""
    outcome = apply_quota(people, rule, resolve="by-score")
    chosen: set[int] = set()
    for _round in range(5):
        if outcome.ok:
            break
        for conflict in outcome.conflicts:
            chosen |= set(pick.sample(list(conflict.tied), conflict.needed))
        outcome = apply_quota(people, rule, resolve="by-score", chosen=chosen)
    assert outcome.ok
    assert all(g.top <= g.allowed for g in outcome.groups)
    assert all(outcome.levels[s] is G for s in chosen)
