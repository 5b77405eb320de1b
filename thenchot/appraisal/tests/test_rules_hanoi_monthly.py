"""hanoi-monthly-2018 (QĐ 3814-QĐ/TU): score bands at every threshold, bad points, grades, the
head's ceiling, the task-points pre-fill and the quarterly and annual graded means."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from thenchot.appraisal.rules import (
    Category,
    Level,
    Period,
    PersonPeriod,
    RuleInputError,
    WorkItem,
    registry,
)

PACK = registry.HANOI_MONTHLY_2018
MARCH = Period.parse("2026-03")


def person(points, *, period=MARCH, category=Category.CONTRACT_WORKER, **kw) -> PersonPeriod:
    return PersonPeriod(
        staff_id=kw.pop("staff_id", 7), category=category, period=period, points=points, **kw
    )


@pytest.mark.parametrize(
    ("tasks", "bonus", "score", "level", "grade"),
    [
        ("70", "0", D("90"), Level.EXCELLENT, "A"),
        ("69.99", "0", D("89.99"), Level.GOOD, "B"),
        ("50", "0", D("70"), Level.GOOD, "B"),
        ("49.99", "0", D("69.99"), Level.COMPLETE, "C"),
        ("30", "0", D("50"), Level.COMPLETE, "C"),
        ("29.99", "0", D("49.99"), Level.NOT_COMPLETE, "D"),
        ("0", "0", D("20"), Level.NOT_COMPLETE, "D"),
        ("70", "10", D("100"), Level.EXCELLENT, "A"),
        ("60", "10", D("90"), Level.EXCELLENT, "A"),
    ],
)
def test_it_grades_the_score_at_every_threshold(tasks, bonus, score, level, grade):
    """rules.md: outcomes.grade-letters,
    pack.hanoi-monthly-2018.score, pack.hanoi-monthly-2018.bands."""
    result = PACK.classify(person({"discipline_ethics": "20", "tasks": tasks, "bonus": bonus}))
    assert (result.score, result.level, PACK.display_grade(result.level)) == (score, level, grade)
    assert [s.rule for s in result.trace] == ["hanoi-2018.grade"]
    assert result.trace[0].params["grade"] == grade


def test_it_caps_the_score_at_100_when_maxima_are_raised():
    """rules.md: pack.hanoi-monthly-2018.score."""
    params = PACK.defaults()
    assert (
        PACK.classify(person({"discipline_ethics": 20, "tasks": 70, "bonus": 10}), params).score
        == 100
    )


def test_it_treats_missing_bonus_as_zero():
    assert PACK.classify(person({"discipline_ethics": 20, "tasks": 50})).score == D(70)


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ({"discipline_ethics": "20.01", "tasks": 1}, "above the maximum of 20"),
        ({"discipline_ethics": 20, "tasks": "70.5"}, "above the maximum of 70"),
        ({"discipline_ethics": 20, "tasks": 1, "bonus": 11}, "above the maximum of 10"),
        ({"discipline_ethics": -1, "tasks": 1}, "negative"),
        ({"discipline_ethics": 5, "tasks": "1.005"}, "more than 2 decimal places"),
        ({"discipline_ethics": "abc", "tasks": 1}, "not a number"),
        ({"tasks": 1}, "points.discipline_ethics: missing"),
        ({"discipline_ethics": 1, "general": 1, "tasks": 1}, "unknown criterion"),
        ({"discipline_ethics": 1}, "points.tasks: missing"),
    ],
)
def test_it_refuses_points_out_of_range(points, message):
    """rules.md: pack.hanoi-monthly-2018.score."""
    with pytest.raises(RuleInputError) as err:
        PACK.classify(person(points))
    assert any(message in m for m in err.value.messages)


def test_it_reports_every_bad_point_at_once():
    with pytest.raises(RuleInputError) as err:
        PACK.classify(person({"discipline_ethics": 21, "tasks": -3, "bonus": 12}))
    assert len(err.value.messages) == 3


def test_it_caps_a_head_at_the_unit_result_with_a_trace_line():
    """rules.md: level.3, unit-result.ceiling."""
    points = {"discipline_ethics": 20, "tasks": 65, "bonus": 5}
    head = PACK.classify(person(points, is_head=True, unit_result=Level.GOOD))
    not_head = PACK.classify(person(points, unit_result=Level.GOOD))
    assert (head.proposed_level, head.level) == (Level.EXCELLENT, Level.GOOD)
    assert head.trace[-1].rule == "ceiling.unit_result"
    assert head.trace[-1].detail == "unit result good → head capped at good"
    assert not_head.level is Level.EXCELLENT


def test_it_never_raises_a_head_to_the_unit_result():
    """rules.md: level.3."""
    result = PACK.classify(
        person({"discipline_ethics": 10, "tasks": 30}, is_head=True, unit_result=Level.EXCELLENT)
    )
    assert result.level is Level.NOT_COMPLETE
    assert len(result.trace) == 1


def test_it_prefills_task_points_from_work_items_with_the_calculation():
    work = (WorkItem(completed=True), WorkItem(completed=True, delays=1))
    result = PACK.classify(person({"discipline_ethics": 18}, work=work))
    # quantity 100%, quality 100%, progress 87.5% → mean 95.833.. → 67.08
    assert result.task is not None and result.task.points == D("67.08")
    assert result.score == D("85.08")


def test_it_refuses_to_classify_a_quarter_which_is_rolled_up():
    with pytest.raises(RuleInputError, match="rolled up"):
        PACK.classify(
            person({"discipline_ethics": 20, "tasks": 70}, period=Period.parse("2026-Q1"))
        )


def test_it_refuses_a_month_before_the_pack():
    """rules.md: packs.hanoi-monthly-2018."""
    with pytest.raises(RuleInputError, match="does not cover"):
        PACK.classify(
            person({"discipline_ethics": 20, "tasks": 70}, period=Period.parse("2018-06"))
        )


def months(scores, *, staff_id=7, year=2026):
    out = []
    for i, score in enumerate(scores, start=1):
        total = D(score)
        de = min(total, D(20))
        tasks = min(total - de, D(70))
        out.append(
            PACK.classify(
                person(
                    {"discipline_ethics": de, "tasks": tasks, "bonus": total - de - tasks},
                    period=Period.month(year, i),
                    staff_id=staff_id,
                )
            )
        )
    return out


@pytest.mark.parametrize(
    ("scores", "mean", "level"),
    [
        # Settled point 3: the mean is graded unrounded and shown to 2 places half up
        (["90", "90", "89.99"], D("90.00"), Level.GOOD),  # 89.9966..: good, shown 90.00
        (["90", "89.99", "89.99"], D("89.99"), Level.GOOD),  # 89.9933..
        (["95", "85", "90"], D("90"), Level.EXCELLENT),
        (["70", "69.99", "70"], D("70.00"), Level.COMPLETE),  # 69.9966..
        (["70", "69.99", "69.99"], D("69.99"), Level.COMPLETE),
        (["50", "49.99", "49.99"], D("49.99"), Level.NOT_COMPLETE),
        (["50", "50", "49.99"], D("50.00"), Level.NOT_COMPLETE),  # 49.9966..
    ],
)
def test_it_rolls_a_quarter_up_as_the_graded_mean(scores, mean, level):
    """rules.md: pack.hanoi-monthly-2018.rollup, settled.3 (graded unrounded, shown to two
    decimals)."""
    quarter = Period.parse("2026-Q1")
    result = PACK.rollup(months(scores), person=person({}, period=quarter))
    assert (result.score, result.level) == (mean, level)
    assert result.trace[0].rule == "hanoi-2018.rollup"
    assert result.trace[0].params["count"] == "3"


def test_it_rolls_the_year_up_for_a_contract_worker():
    """rules.md: pack.hanoi-monthly-2018.rollup."""
    year = PACK.rollup(
        months(["92"] * 6 + ["88"] * 6), person=person({}, period=Period.of_year(2026))
    )
    assert (year.score, year.level) == (D("90"), Level.EXCELLENT)
    assert registry.pack_for(Category.CONTRACT_WORKER, Period.of_year(2026)) is PACK


def test_it_caps_a_heads_year_at_the_unit_result():
    year = PACK.rollup(
        months(["95"] * 3),
        person=person({}, period=Period.parse("2026-Q1"), is_head=True, unit_result=Level.COMPLETE),
    )
    assert year.level is Level.COMPLETE and year.trace[-1].rule == "ceiling.unit_result"


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda ms: ms + [ms[0]], "overlap"),
        (lambda ms: months(["90"], staff_id=8), "belongs to staff 8"),
        (lambda ms: months(["90"], year=2025), "outside 2026-Q1"),
    ],
)
def test_it_refuses_periods_that_do_not_belong_to_the_rollup(mutate, message):
    with pytest.raises(RuleInputError) as err:
        PACK.rollup(mutate(months(["90", "80"])), person=person({}, period=Period.parse("2026-Q1")))
    assert any(message in m for m in err.value.messages)


def test_it_gives_not_rated_for_a_rollup_without_months():
    result = PACK.rollup([], person=person({}, period=Period.parse("2026-Q2")))
    assert (result.level, result.score) == (Level.NOT_RATED, None)
