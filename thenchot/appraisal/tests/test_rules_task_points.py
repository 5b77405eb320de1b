"""Decree 335/2025 task points over work items: quantity, quality, progress, excused causes,
weights, the leader components and bad input."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from thenchot.appraisal.rules import (
    LeaderWork,
    Level,
    Organising,
    RuleInputError,
    TaskFormula,
    WorkItem,
    task_result,
)

F = TaskFormula()
MAX = D(70)


def run(items, leader=None, formula=F):
    return task_result(items, formula=formula, max_points=MAX, leader=leader)


W = WorkItem


@pytest.mark.parametrize(
    ("items", "quantity", "quality", "progress", "points"),
    [
        ([W(True)], D(1), D(1), D(1), D("70.00")),
        ([W(True), W(False)], D("0.5"), D("0.5"), D("0.5"), D("35.00")),
        ([W(True, major_errors=1)], D(1), D("0.75"), D(1), D("64.17")),
        ([W(True, delays=2)], D(1), D(1), D("0.5"), D("58.33")),
        # a credit never goes below 0
        ([W(True, major_errors=5, delays=9)], D(1), D(0), D(0), D("23.33")),
        # excused errors and delays are not counted
        (
            [W(True, major_errors=2, excused_errors=2, delays=1, excused_delays=1)],
            D(1),
            D(1),
            D(1),
            D("70.00"),
        ),
        ([W(True, major_errors=2, excused_errors=1)], D(1), D("0.75"), D(1), D("64.17")),
        # errors on an item not completed do not matter: it earns nothing anyway
        ([W(False, major_errors=3), W(True)], D("0.5"), D("0.5"), D("0.5"), D("35.00")),
        # weights are converted units
        (
            [W(True, weight=D(3)), W(False, weight=D(1))],
            D("0.75"),
            D("0.75"),
            D("0.75"),
            D("52.50"),
        ),
        (
            [W(True, weight=D("0.5"), delays=1), W(True, weight=D("1.5"))],
            D(1),
            D(1),
            D("0.9375"),
            D("68.54"),
        ),
    ],
)
def test_it_computes_the_three_shares_and_the_points(items, quantity, quality, progress, points):
    """rules.md: pack.decree-335-2025.task-results."""
    result = run(items)
    assert result is not None
    assert (result.quantity, result.quality, result.progress) == (quantity, quality, progress)
    assert result.points == points


def test_it_gives_nothing_to_compute_without_items():
    assert run([]) is None


@pytest.mark.parametrize(
    ("subordinates", "organising", "operating", "organising_share", "points"),
    [
        ((Level.COMPLETE, Level.GOOD), Organising.ALL_ON_TIME, D(1), D(1), D("70.00")),
        ((Level.NOT_COMPLETE,), Organising.ALL_ON_TIME, D("0.5"), D(1), D("58.33")),
        ((), Organising.ALL_DONE_SOME_LATE, D(1), D("0.75"), D("64.17")),
        ((Level.GOOD,), Organising.OTHER, D(1), D("0.5"), D("58.33")),
        # not rated subordinates do not lower the operating result
        ((Level.NOT_RATED,), Organising.ALL_ON_TIME, D(1), D(1), D("70.00")),
    ],
)
def test_it_weighs_a_leaders_operating_result_and_organising_ability(
    subordinates, organising, operating, organising_share, points
):
    """rules.md: pack.decree-335-2025.leaders."""
    result = run([W(True)], LeaderWork(subordinates, organising))
    assert result is not None
    assert (result.operating, result.organising, result.points) == (
        operating,
        organising_share,
        points,
    )


def test_it_scores_a_leader_without_own_items_on_the_other_two_components():
    """rules.md: pack.decree-335-2025.leaders."""
    result = run([], LeaderWork((Level.GOOD,), Organising.ALL_DONE_SOME_LATE))
    assert result is not None and result.own is None
    assert result.points == D("61.25")  # mean(100%, 75%) × 70


def test_it_follows_edited_weights():
    formula = F.__class__(weight_quantity=D(0), weight_quality=D(0), weight_progress=D(1))
    assert run([W(True, delays=1)], formula=formula).points == D("52.50")


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (W(True, weight=D(0)), "must be positive"),
        (W(True, weight=D(-1)), "must be positive"),
        (W(True, major_errors=-1), "whole number"),
        (W(True, delays=-2), "whole number"),
        (W(True, major_errors=1, excused_errors=2), "more than the errors"),
        (W(True, delays=0, excused_delays=1), "more than the delays"),
    ],
)
def test_it_refuses_bad_work_items(item, message):
    with pytest.raises(RuleInputError) as err:
        run([W(True), item])
    assert any(message in m and m.startswith("work[1]") for m in err.value.messages)


def test_it_shows_the_calculation_as_percentages():
    params = run([W(True), W(True, major_errors=1)]).as_params()
    assert (
        params["quality"] == "87.5" and params["quantity"] == "100" and params["points"] == "67.08"
    )
