"""decree-90-2020 with Decree 48/2023: non-leader and leader criteria at every threshold, the gap
reading, discipline before and after 2023-09-15, months worked, maternity and leave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from thenchot.appraisal.rules import (
    Category,
    Decree90Facts,
    DisciplineFact,
    Level,
    Period,
    PersonPeriod,
    RuleInputError,
    registry,
)

PACK = registry.DECREE_90_2020
E, G, C, N, NR = Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE, Level.NOT_RATED
Y2024 = Period.of_year(2024)


def person(facts=None, *, category=Category.PUBLIC_EMPLOYEE, period=Y2024, **kw) -> PersonPeriod:
    return PersonPeriod(staff_id=3, category=category, period=period, decree90=facts, **kw)


def own(on_time, exceeded="0", short=None, **kw):
    return Decree90Facts(
        own_on_time=D(on_time),
        own_exceeded=D(exceeded),
        own_short=None if short is None else D(short),
        **kw,
    )


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        (own("1", "0.5"), E),
        (own("1", "0.49"), G),
        (own("1", "0"), G),
        (own("0.99", "0.9"), C),  # 1% short
        (own("0.8"), C),  # 20% short
        (own("0.79"), N),  # 21% short: the *default* reading of the 20-50% gap
        (own("0.5"), N),
        (own("0.49"), N),  # over 50% short
        (own("0.9", short="0.25"), N),  # short given explicitly
        (own("0.9", short="0.2"), C),
    ],
)
def test_it_rates_a_non_leader_on_own_tasks(facts, level):
    """rules.md: level.1, pack.decree-90-2020.inputs, pack.decree-90-2020.non-leader."""
    result = PACK.classify(person(facts))
    assert result.level is level and result.score is None
    assert result.trace[0].rule == "decree-90.criteria"


def test_it_reads_the_gap_as_complete_when_the_parameter_says_so():
    """rules.md: pack.decree-90-2020.non-leader."""
    params = PACK.defaults().replace({"criteria.gap_level": "complete"})
    assert PACK.classify(person(own("0.7")), params).level is C
    assert PACK.classify(person(own("0.49")), params).level is N


def lead(
    on_time="1", exceeded="0.5", completed="1", unit_on_time="1", unit_exceeded="0.5", managed=()
):
    return own(
        on_time,
        exceeded,
        unit_completed=D(completed),
        unit_on_time=D(unit_on_time),
        unit_exceeded=D(unit_exceeded),
        managed_levels=managed,
    )


@pytest.mark.parametrize(
    ("facts", "level"),
    [
        (lead(), E),
        (lead(managed=(E, G, G, C)), E),  # 75% good or better
        (lead(managed=(G, G, C, C)), C),  # 50% good or better: neither excellent nor good
        # one managed unit not complete: no good; 75% complete or better ≥ 70%: complete
        (lead(managed=(E, E, E, N)), C),
        (lead(managed=(E, E, N, N)), N),  # 50% complete or better
        (lead(unit_exceeded="0.49"), G),
        (lead(unit_exceeded="0.49", unit_on_time="0.8"), G),
        (lead(unit_exceeded="0.49", unit_on_time="0.79"), C),
        (lead(completed="0.99"), C),
        (lead(completed="0.71"), C),
        (lead(completed="0.7"), N),  # "more than 70%"
        (lead(completed="0.5"), N),  # 50-70%: the *default* reading
        (lead(on_time="0.9"), C),  # own results limit the leader too
        (lead(exceeded="0.4"), G),
    ],
)
def test_it_rates_a_leader_on_the_units_targets_and_managed_units(facts, level):
    """rules.md: level.1, pack.decree-90-2020.leader."""
    assert PACK.classify(person(facts, is_leader=True)).level is level


def test_it_rates_every_cadre_on_the_leader_criteria():
    """rules.md: pack.decree-90-2020.leader."""
    facts = lead(completed="0.7")
    assert PACK.classify(person(facts, category=Category.CADRE)).level is N
    assert PACK.classify(person(own("1", "0.5"), category=Category.PUBLIC_EMPLOYEE)).level is E
    with pytest.raises(RuleInputError, match="unit's targets"):
        PACK.classify(person(own("1", "0.5"), category=Category.CADRE))


def test_it_refuses_shares_outside_zero_and_one():
    with pytest.raises(RuleInputError, match="between 0 and 1"):
        PACK.classify(person(own("1.2")))


REPRIMAND_2024 = DisciplineFact(form="reprimand", effective_on=dt.date(2024, 5, 2), violation="V1")


@pytest.mark.parametrize(
    ("period", "discipline", "finalised_on", "level"),
    [
        # Decree 48/2023 cl. 5: any discipline in the year → not complete, from 2023-09-15
        (Y2024, (REPRIMAND_2024,), None, N),
        (
            Y2024,
            (DisciplineFact(form="warning", effective_on=dt.date(2024, 12, 31), track="party"),),
            None,
            N,
        ),
        (Y2024, (DisciplineFact(form="warning", effective_on=dt.date(2025, 1, 1)),), None, E),
        # duty-related or not: Decree 48 says any discipline
        (
            Y2024,
            (
                DisciplineFact(
                    form="reprimand", effective_on=dt.date(2024, 2, 1), duty_related=False
                ),
            ),
            None,
            N,
        ),
        # before Decree 48: the rules.md rule does not exist yet
        (
            Period.of_year(2022),
            (DisciplineFact(form="reprimand", effective_on=dt.date(2022, 3, 1)),),
            None,
            E,
        ),
        # the year 2023 is rated after 2023-09-15...
        (
            Period.of_year(2023),
            (DisciplineFact(form="reprimand", effective_on=dt.date(2023, 3, 1)),),
            None,
            N,
        ),
        # ...unless its result was finalised before (not re-examined)
        (
            Period.of_year(2023),
            (DisciplineFact(form="reprimand", effective_on=dt.date(2023, 3, 1)),),
            dt.date(2023, 9, 14),
            E,
        ),
        # cl. 5c: Party decision in 2024, administrative in 2025 on the same act: counts in 2024 only
        (
            Period.of_year(2025),
            (
                REPRIMAND_2024,
                DisciplineFact(form="warning", effective_on=dt.date(2025, 2, 1), violation="V1"),
            ),
            None,
            E,
        ),
        (
            Y2024,
            (
                REPRIMAND_2024,
                DisciplineFact(form="warning", effective_on=dt.date(2025, 2, 1), violation="V1"),
            ),
            None,
            N,
        ),
        # cl. 5b: the violation was already used in 2024, the decision takes effect in 2025
        (
            Period.of_year(2025),
            (DisciplineFact(form="warning", effective_on=dt.date(2025, 2, 1), counted_year=2024),),
            None,
            E,
        ),
    ],
)
def test_it_applies_discipline_under_decree_48(period, discipline, finalised_on, level):
    """rules.md: pack.decree-90-2020.decree-48, settled.5."""
    result = PACK.classify(
        person(own("1", "0.5"), period=period, discipline=discipline, finalised_on=finalised_on)
    )
    assert result.level is level
    if level is N:
        assert result.trace[-1].rule == "override.discipline"


@pytest.mark.parametrize(
    ("kw", "level", "rule"),
    [
        ({"months_worked": D("5.9")}, NR, "override.months_worked"),
        ({"months_worked": D(6)}, E, None),
        ({"months_worked": D(4), "maternity": True}, E, "override.maternity"),
        ({"lawful_leave_months": D("2.9")}, E, None),
        ({"lawful_leave_months": D(3)}, C, "override.leave"),
        ({"lawful_leave_months": D("5.9")}, C, "override.leave"),
        ({"lawful_leave_months": D(6)}, E, None),
        ({"degradation": True}, N, "override.degradation"),
        ({"corruption_in_charge": True, "is_leader": True}, N, "override.corruption"),
    ],
)
def test_it_applies_months_worked_leave_and_conduct(kw, level, rule):
    """rules.md: outcomes.not-rated, level.2, pack.decree-90-2020.months, settled.10."""
    facts = lead() if kw.get("is_leader") else own("1", "0.5")
    result = PACK.classify(person(facts, **kw))
    assert result.level is level
    assert [s.rule for s in result.trace[1:]] == ([rule] if rule else [])


def test_it_rates_under_six_months_as_not_rated_without_task_shares():
    """rules.md: outcomes.not-rated, pack.decree-90-2020.months."""
    result = PACK.classify(person(None, months_worked=D(3)))
    assert result.level is NR and [s.rule for s in result.trace] == ["override.months_worked"]
    with pytest.raises(RuleInputError, match="missing"):
        PACK.classify(person(None))


def test_it_caps_a_head_at_the_unit_result():
    """rules.md: unit-result.ceiling."""
    result = PACK.classify(person(lead(), is_head=True, unit_result=G))
    assert result.level is G and result.trace[-1].rule == "ceiling.unit_result"


def test_it_covers_civil_servants_until_2025_and_the_others_after():
    """rules.md: packs.decree-90-2020."""
    with pytest.raises(RuleInputError, match="does not cover"):
        PACK.classify(
            person(own("1"), category=Category.CIVIL_SERVANT, period=Period.of_year(2026))
        )
    assert (
        PACK.classify(
            person(own("1"), category=Category.CIVIL_SERVANT, period=Period.of_year(2025))
        ).level
        is G
    )
    assert PACK.classify(person(own("1"), period=Period.of_year(2026))).level is G
    with pytest.raises(RuleInputError, match="no month results"):
        PACK.classify(person(own("1"), period=Period.parse("2024-05")))
    with pytest.raises(RuleInputError):
        PACK.classify(person(own("1"), category=Category.CONTRACT_WORKER))


def test_it_refuses_months_outside_a_year():
    with pytest.raises(RuleInputError, match="0-12 months"):
        PACK.classify(person(own("1"), months_worked=D(13)))
