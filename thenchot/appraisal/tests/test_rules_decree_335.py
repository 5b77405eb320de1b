"""decree-335-2025: period score bands at every threshold, every override, the head's ceiling,
the annual mean (with a former unit's periods) and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest

from thenchot.appraisal.rules import (
    Category,
    DisciplineFact,
    LeaderWork,
    Level,
    Organising,
    Period,
    PersonPeriod,
    RuleInputError,
    WorkItem,
    registry,
)

PACK = registry.DECREE_335_2025
MARCH = Period.parse("2026-03")


def person(points=None, *, period=MARCH, staff_id=11, **kw) -> PersonPeriod:
    return PersonPeriod(
        staff_id=staff_id,
        category=Category.CIVIL_SERVANT,
        period=period,
        points={"general": 30, "tasks": 65} if points is None else points,
        **kw,
    )


@pytest.mark.parametrize(
    ("general", "tasks", "level"),
    [
        ("30", "70", Level.EXCELLENT),
        ("30", "60", Level.EXCELLENT),
        ("30", "59.99", Level.GOOD),
        ("20", "50", Level.GOOD),
        ("20", "49.99", Level.COMPLETE),
        ("20", "30", Level.COMPLETE),
        ("20", "29.99", Level.NOT_COMPLETE),
        ("0", "0", Level.NOT_COMPLETE),
    ],
)
def test_it_grades_the_period_score_at_every_threshold(general, tasks, level):
    """rules.md: level.1, pack.decree-335-2025.score, pack.decree-335-2025.bands."""
    result = PACK.classify(person({"general": general, "tasks": tasks}))
    assert result.score == D(general) + D(tasks)
    assert result.level is level and result.proposed_level is level
    assert result.trace[0].detail.endswith(f"→ {level}")


def test_it_classifies_a_quarter_too():
    result = PACK.classify(person(period=Period.parse("2026-Q2")))
    assert result.level is Level.EXCELLENT and str(result.period) == "2026-Q2"


REPRIMAND = DisciplineFact(form="reprimand", effective_on=dt.date(2026, 3, 2))


@pytest.mark.parametrize(
    ("kw", "level", "rule"),
    [
        ({"discipline": (REPRIMAND,)}, Level.NOT_COMPLETE, "override.discipline"),
        (
            {
                "discipline": (
                    DisciplineFact(
                        form="warning", effective_on=dt.date(2026, 3, 31), track="party"
                    ),
                )
            },
            Level.NOT_COMPLETE,
            "override.discipline",
        ),
        # effective outside the period: this month stands (the year will apply it)
        (
            {"discipline": (DisciplineFact(form="reprimand", effective_on=dt.date(2026, 4, 1)),)},
            Level.EXCELLENT,
            None,
        ),
        # not a violation in the performance of duties
        (
            {
                "discipline": (
                    DisciplineFact(
                        form="reprimand", effective_on=dt.date(2026, 3, 2), duty_related=False
                    ),
                )
            },
            Level.EXCELLENT,
            None,
        ),
        ({"degradation": True}, Level.NOT_COMPLETE, "override.degradation"),
        ({"prohibition_breach": True}, Level.NOT_COMPLETE, "override.prohibition"),
        (
            {"corruption_in_charge": True, "is_leader": True},
            Level.NOT_COMPLETE,
            "override.corruption",
        ),
        # corruption in a unit under direct charge only concerns leaders
        ({"corruption_in_charge": True}, Level.EXCELLENT, None),
        ({"is_head": True, "unit_result": Level.GOOD}, Level.GOOD, "ceiling.unit_result"),
        ({"is_head": True, "unit_result": None}, Level.EXCELLENT, None),
    ],
)
def test_it_applies_every_override_only_downwards(kw, level, rule):
    """rules.md: level.2, pack.decree-335-2025.forced, unit-result.ceiling, settled.9."""
    result = PACK.classify(person(**kw))
    assert result.proposed_level is Level.EXCELLENT
    assert result.level is level
    assert [s.rule for s in result.trace[1:]] == ([rule] if rule else [])


def test_it_writes_the_discipline_reason_as_the_issue_shows_it():
    result = PACK.classify(person(discipline=(REPRIMAND,)))
    assert (
        result.trace[-1].detail == "reprimand effective 2026-03-02 (administrative) → not_complete"
    )
    assert result.trace[-1].level_before is Level.EXCELLENT


def test_it_writes_one_line_for_several_decisions_on_one_person():
    second = DisciplineFact(form="warning", effective_on=dt.date(2026, 3, 20))
    result = PACK.classify(person(discipline=(second, REPRIMAND), degradation=True))
    assert [s.rule for s in result.trace] == ["decree-335.grade", "override.discipline"]
    assert result.trace[-1].params["form"] == "reprimand"


def test_it_keeps_an_override_line_out_when_the_level_is_already_lowest():
    """rules.md: level.trace."""
    result = PACK.classify(person({"general": 10, "tasks": 10}, discipline=(REPRIMAND,)))
    assert result.level is Level.NOT_COMPLETE and len(result.trace) == 1


def test_it_refuses_an_unknown_discipline_form():
    with pytest.raises(RuleInputError, match="unknown form"):
        PACK.classify(
            person(discipline=(DisciplineFact(form="scolding", effective_on=dt.date(2026, 3, 1)),))
        )


@pytest.mark.parametrize(
    "points",
    [
        {"general": "30.01", "tasks": 1},
        {"general": 1, "tasks": 71},
        {"general": -0.5, "tasks": 1},
        {"tasks": 5},
    ],
)
def test_it_refuses_points_out_of_range(points):
    """rules.md: pack.decree-335-2025.score."""
    with pytest.raises(RuleInputError):
        PACK.classify(person(points))


def test_it_computes_task_points_from_work_items_when_absent():
    """rules.md: pack.decree-335-2025.task-results."""
    work = (
        WorkItem(completed=True),
        WorkItem(completed=True, major_errors=2),
        WorkItem(completed=False),
    )
    result = PACK.classify(person({"general": 28}, work=work))
    # quantity 2/3, quality 1.5/3, progress 2/3 → mean 0.6111.. × 70 = 42.78
    assert result.task is not None and result.task.points == D("42.78")
    assert result.score == D("70.78") and result.level is Level.GOOD


def test_it_scores_a_leader_with_the_unit_components():
    """rules.md: pack.decree-335-2025.leaders."""
    leader = LeaderWork(
        subordinate_levels=(Level.GOOD, Level.NOT_COMPLETE), organising=Organising.ALL_ON_TIME
    )
    result = PACK.classify(
        person(
            {"general": 30}, work=(WorkItem(completed=True),), leader_work=leader, is_leader=True
        )
    )
    # own 100%, operating 50%, organising 100% → 83.33% × 70 = 58.33
    assert result.task is not None and result.task.points == D("58.33")


def test_it_refuses_leader_components_for_a_non_leader():
    leader = LeaderWork(subordinate_levels=(), organising=Organising.OTHER)
    with pytest.raises(RuleInputError, match="not a leader"):
        PACK.classify(person({"general": 30}, work=(WorkItem(completed=True),), leader_work=leader))


def test_it_refuses_categories_and_periods_it_does_not_cover():
    """rules.md: packs.decree-335-2025."""
    with pytest.raises(RuleInputError, match="does not cover"):
        PACK.classify(
            PersonPeriod(
                staff_id=1,
                category=Category.PUBLIC_EMPLOYEE,
                period=MARCH,
                points={"general": 1, "tasks": 1},
            )
        )
    with pytest.raises(RuleInputError, match="does not cover"):
        PACK.classify(person(period=Period.parse("2025-12")))
    with pytest.raises(RuleInputError, match="rolled up"):
        PACK.classify(person(period=Period.of_year(2026)))


def periods(scores, *, staff_id=11):
    out = []
    for month, score in scores:
        total = D(score)
        general = min(total, D(30))
        out.append(
            PACK.classify(
                person(
                    {"general": general, "tasks": total - general},
                    period=Period.month(2026, month),
                    staff_id=staff_id,
                )
            )
        )
    return out


YEAR = Period.of_year(2026)


@pytest.mark.parametrize(
    ("scores", "score", "level"),
    [
        ([(1, "90"), (2, "89.98")], D("89.99"), Level.GOOD),
        ([(1, "90"), (2, "90")], D("90"), Level.EXCELLENT),
        ([(1, "70"), (2, "69.98")], D("69.99"), Level.COMPLETE),
        ([(1, "50"), (2, "49.98")], D("49.99"), Level.NOT_COMPLETE),
    ],
)
def test_it_rolls_the_year_up_as_the_mean_of_period_scores(scores, score, level):
    """rules.md: pack.decree-335-2025.annual."""
    result = PACK.rollup(periods(scores), person=person(period=YEAR))
    assert (result.score, result.level) == (score, level)


def test_it_counts_a_former_units_periods_and_rates_the_absent_on_time_worked():
    # months 1-4 sent by the former unit, 5-6 in the new one, then absent (maternity) all year
    """rules.md: pack.decree-335-2025.annual."""
    former = periods([(1, "80"), (2, "80"), (3, "80"), (4, "80")])
    new = periods([(5, "95"), (6, "95")])
    result = PACK.rollup(former + new, person=person(period=YEAR))
    assert result.score == D("85") and result.trace[0].params["count"] == "6"


def test_it_accepts_quarters_and_months_that_do_not_overlap():
    q1 = PACK.classify(person({"general": 30, "tasks": 60}, period=Period.parse("2026-Q1")))
    april = periods([(4, "70")])
    assert PACK.rollup([q1, *april], person=person(period=YEAR)).score == D("80")
    with pytest.raises(RuleInputError, match="overlap"):
        PACK.rollup([q1, *periods([(2, "70")])], person=person(period=YEAR))


def test_it_applies_the_years_discipline_to_the_annual_level():
    """rules.md: pack.decree-335-2025.forced, settled.9."""
    months = periods([(1, "95"), (2, "95")])
    late = DisciplineFact(form="reprimand", effective_on=dt.date(2026, 11, 3))
    assert months[0].level is Level.EXCELLENT
    result = PACK.rollup(months, person=person(period=YEAR, discipline=(late,)))
    assert result.level is Level.NOT_COMPLETE and result.trace[-1].rule == "override.discipline"
    outside = DisciplineFact(form="reprimand", effective_on=dt.date(2027, 1, 3))
    assert (
        PACK.rollup(months, person=person(period=YEAR, discipline=(outside,))).level
        is Level.EXCELLENT
    )


def test_it_caps_a_heads_year_at_the_units_annual_result():
    result = PACK.rollup(
        periods([(1, "95")]), person=person(period=YEAR, is_head=True, unit_result=Level.COMPLETE)
    )
    assert result.level is Level.COMPLETE


def test_it_refuses_a_period_under_another_pack():
    hanoi = registry.HANOI_MONTHLY_2018.classify(
        PersonPeriod(
            staff_id=11,
            category=Category.CIVIL_SERVANT,
            period=MARCH,
            points={"discipline_ethics": 20, "tasks": 70},
        )
    )
    with pytest.raises(RuleInputError, match="classified under hanoi-monthly-2018"):
        PACK.rollup([hanoi], person=person(period=YEAR))
