"""Properties of the rule packs (hypothesis): a final state never breaks a quota; a higher score
never gives a lower level, other things equal (classify, and through the quota by score); the
quota applied to its own output changes nothing; out-of-range points are refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from thenchot.appraisal.rules import (
    Category,
    Decree90Facts,
    DisciplineFact,
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

SETTINGS = settings(max_examples=200, deadline=None)
MARCH = Period.parse("2026-03")
D335 = registry.DECREE_335_2025
HANOI = registry.HANOI_MONTHLY_2018
RULES = st.sampled_from(
    [
        HANOI.defaults().quota,
        D335.defaults().quota,
        registry.DECREE_90_2020.defaults().quota,
        dataclasses.replace(D335.defaults().quota, base=QuotaBase.GOOD_ONLY),
    ]
)
LEVELS = st.sampled_from(list(Level))
CENTS = st.integers(min_value=0, max_value=10_000).map(lambda n: D(n) / 100)


def points(maximum: int):
    return st.integers(min_value=0, max_value=maximum * 100).map(lambda n: D(n) / 100)


candidates = st.lists(
    st.tuples(LEVELS, st.one_of(st.none(), CENTS), st.sampled_from("AB"), st.booleans()),
    max_size=40,
).map(
    lambda rows: [
        QuotaCandidate(staff_id=i, agency=a, level=lv, score=sc, is_leader=ld)
        for i, (lv, sc, a, ld) in enumerate(rows)
    ]
)
overrides = st.one_of(
    st.just({}),
    st.builds(
        lambda ratio, exceptional: {
            "A": QuotaOverride(decision="QĐ 1", ratio=ratio, exceptional_collective=exceptional)
        },
        st.one_of(st.none(), st.integers(0, 100).map(lambda n: D(n) / 100)),
        st.booleans(),
    ),
)


def settle(people, outcome):
    return [dataclasses.replace(c, level=outcome.levels[c.staff_id]) for c in people]


@SETTINGS
@given(people=candidates, rule=RULES, extra=overrides)
def test_it_never_leaves_a_final_state_over_the_quota(people, rule, extra):
    outcome = apply_quota(people, rule, resolve="by-score", overrides=extra)
    if not outcome.ok:  # only a tie at the boundary refuses "by score" (Settled points 1)
        assert {c.reason for c in outcome.conflicts} == {"tie"}
        assert outcome.levels == {c.staff_id: c.level for c in people}
        return
    final = settle(people, outcome)
    assert not check_quota(final, rule, overrides=extra)
    assert all(g.top <= g.allowed for g in outcome.groups)
    # only the top level moves, one level down, and nobody else changes
    for c in people:
        after = outcome.levels[c.staff_id]
        assert after is c.level or (c.level is Level.EXCELLENT and after is Level.GOOD)


@SETTINGS
@given(people=candidates, rule=RULES, extra=overrides)
def test_it_changes_nothing_when_applied_to_its_own_output(people, rule, extra):
    first = apply_quota(people, rule, resolve="by-score", overrides=extra)
    again = apply_quota(settle(people, first), rule, resolve="by-score", overrides=extra)
    assert again.levels == first.levels and again.steps == {}


@SETTINGS
@given(people=candidates, rule=RULES)
def test_it_changes_nothing_when_it_refuses(people, rule):
    outcome = apply_quota(people, rule)
    if not outcome.ok:
        assert outcome.levels == {c.staff_id: c.level for c in people} and outcome.steps == {}
        assert all(set(c.would_move) <= set(c.holders) for c in outcome.conflicts)


DISCIPLINE = st.lists(
    st.builds(
        DisciplineFact,
        form=st.sampled_from(["reprimand", "warning", "forced_dismissal"]),
        effective_on=st.dates(dt.date(2026, 2, 1), dt.date(2026, 4, 30)),
        duty_related=st.booleans(),
    ),
    max_size=2,
).map(tuple)
CONTEXT = st.fixed_dictionaries(
    {
        "discipline": DISCIPLINE,
        "degradation": st.booleans(),
        "is_head": st.booleans(),
        "unit_result": st.one_of(st.none(), st.sampled_from(list(Level)[:4])),
    }
)


@SETTINGS
@given(general=points(30), tasks=points(70), raise_by=CENTS, context=CONTEXT)
def test_it_never_lowers_a_level_for_a_higher_335_score(general, tasks, raise_by, context):
    def level(g, t):
        person = PersonPeriod(
            staff_id=1,
            category=Category.CIVIL_SERVANT,
            period=MARCH,
            points={"general": g, "tasks": t},
            **context,
        )
        return D335.classify(person).level

    higher_tasks = min(tasks + raise_by, D(70))
    assert level(general, higher_tasks).rank >= level(general, tasks).rank
    higher_general = min(general + raise_by, D(30))
    assert level(higher_general, tasks).rank >= level(general, tasks).rank


@SETTINGS
@given(de=points(20), tasks=points(70), bonus=points(10), raise_by=CENTS, head=st.booleans())
def test_it_never_lowers_a_level_for_a_higher_hanoi_score(de, tasks, bonus, raise_by, head):
    def result(t):
        return HANOI.classify(
            PersonPeriod(
                staff_id=1,
                category=Category.PUBLIC_EMPLOYEE,
                period=MARCH,
                points={"discipline_ethics": de, "tasks": t, "bonus": bonus},
                is_head=head,
                unit_result=Level.GOOD,
            )
        )

    low, high = result(tasks), result(min(tasks + raise_by, D(70)))
    assert high.score >= low.score and high.level.rank >= low.level.rank


@SETTINGS
@given(
    scores=st.lists(st.tuples(points(30), points(70)), min_size=1, max_size=25),
    raise_by=CENTS,
    rule=RULES,
)
def test_it_never_lowers_a_level_for_a_higher_score_through_the_quota(scores, raise_by, rule):
    def final_level_of_first(first_tasks):
        people = []
        for i, (g, t) in enumerate(scores):
            person = PersonPeriod(
                staff_id=i,
                category=Category.CIVIL_SERVANT,
                period=MARCH,
                points={"general": g, "tasks": first_tasks if i == 0 else t},
                is_leader=i % 3 == 0,
            )
            people.append(QuotaCandidate.of(D335.classify(person), agency="STC"))
        return apply_quota(people, rule, resolve="by-score").levels[0]

    before = final_level_of_first(scores[0][1])
    after = final_level_of_first(min(scores[0][1] + raise_by, D(70)))
    assert after.rank >= before.rank


@SETTINGS
@given(on_time=CENTS.map(lambda v: v / 100), exceeded=CENTS.map(lambda v: v / 100), more=CENTS)
def test_it_never_lowers_a_decree_90_level_for_more_tasks_exceeded(on_time, exceeded, more):
    def level(e):
        facts = Decree90Facts(own_on_time=on_time, own_exceeded=min(e, D(1)))
        person = PersonPeriod(
            staff_id=1,
            category=Category.PUBLIC_EMPLOYEE,
            period=Period.of_year(2024),
            decree90=facts,
        )
        return registry.DECREE_90_2020.classify(person).level

    assert level(exceeded + more / 100).rank >= level(exceeded).rank


OUT_OF_RANGE = st.one_of(
    st.integers(min_value=1, max_value=10_000).map(lambda n: -D(n) / 100),
    st.integers(min_value=1, max_value=10_000).map(lambda n: D(30) + D(n) / 100),
)


@SETTINGS
@given(general=OUT_OF_RANGE, tasks=points(70))
def test_it_refuses_points_outside_a_criterion(general, tasks):
    person = PersonPeriod(
        staff_id=1,
        category=Category.CIVIL_SERVANT,
        period=MARCH,
        points={"general": general, "tasks": tasks},
    )
    try:
        D335.classify(person)
    except RuleInputError as exc:
        assert exc.messages[0].startswith("points.general:")
    else:  # pragma: no cover - the property fails
        raise AssertionError(f"accepted general={general}")
