"""The formulas of the `reform` block (shared/spec/report.md), one by one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest

from thenchot.directives.statistics import report_block_tasks
from thenchot.directives.testing import TaskFactory
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory
from thenchot.processes.models import Case
from thenchot.processes.report import cases_block
from thenchot.processes.testing import ProcessFactory
from thenchot.reform.choices import PointsSource, RoundStatus
from thenchot.reform.index import compute_index, rank_group, round_points
from thenchot.reform.models import PublishedResult
from thenchot.reform.rates import Window, rates_for_units
from thenchot.reform.report import reform_block
from thenchot.reform.testing import framework_with, round_for, score

pytestmark = pytest.mark.django_db

Y = 2026
AS_OF = dt.date(2026, 6, 30)
D = dt.date


def _points(index, unit, code):
    u = index.unit(unit.pk)
    return next(p for p in u.points if p.criterion.code == code)


def test_it_takes_council_then_appraised_then_self_then_zero(world):
    framework_with(
        Y, ("A", 10, "self"), ("B", 10, "appraised"), ("C", 10, "self"), ("D", 10, "self")
    )
    score(world.snv, Y, "A", self_points=8, appraised_points=7, council_points=9)
    score(world.snv, Y, "B", self_points=8, appraised_points=7)
    score(world.snv, Y, "C", self_points=6)
    idx = compute_index(year=Y, as_of=AS_OF)
    assert (_points(idx, world.snv, "A").points, _points(idx, world.snv, "A").source) == (
        Decimal("9"),
        PointsSource.COUNCIL,
    )
    assert _points(idx, world.snv, "B").source == PointsSource.APPRAISED
    assert _points(idx, world.snv, "B").points == Decimal("7")
    assert _points(idx, world.snv, "C").points == Decimal("6")
    assert _points(idx, world.snv, "D").points == 0  # no score row for D: 0
    assert idx.unit(world.snv.pk).total == Decimal("22")
    assert idx.unit(world.stc.pk) is None  # no score row at all: not listed


def test_it_counts_penalties_with_the_same_precedence(world):
    framework_with(Y, ("A", 10, "self"), ("P", -3, "appraised"))
    score(world.snv, Y, "A", self_points=10)
    score(world.snv, Y, "P", self_points=0, appraised_points=-2)
    idx = compute_index(year=Y, as_of=AS_OF)
    assert _points(idx, world.snv, "P").points == Decimal("-2")
    assert idx.unit(world.snv.pk).total == Decimal("8")


def test_it_computes_the_task_rate_over_the_window_with_statuses_on_as_of(world):
    framework_with(Y, ("T", 6, "computed", "on_time_task_rate"), ("A", 1, "self"))
    score(world.stc, Y, "A", self_points=1)
    lead = world.stc_ns  # inside STC's subtree
    TaskFactory(
        lead_unit=lead,
        assigned_on=D(2026, 1, 5),
        deadline=D(2026, 3, 1),
        completed_on=D(2026, 2, 20),
    )
    TaskFactory(
        lead_unit=lead,
        assigned_on=D(2026, 1, 5),
        deadline=D(2026, 3, 1),
        completed_on=D(2026, 3, 10),
    )
    TaskFactory(lead_unit=lead, assigned_on=D(2026, 1, 5), deadline=D(2026, 5, 1))  # overdue
    # completed on time, but after as_of: open (overdue) on as_of
    TaskFactory(
        lead_unit=lead,
        assigned_on=D(2026, 1, 5),
        deadline=D(2026, 6, 1),
        completed_on=D(2026, 7, 5),
    )
    TaskFactory(
        lead_unit=lead, assigned_on=D(2026, 1, 5), deadline=D(2026, 8, 1)
    )  # after the window
    TaskFactory(lead_unit=lead, assigned_on=D(2025, 11, 5), deadline=D(2025, 12, 20))  # last year
    TaskFactory(lead_unit=world.snv, assigned_on=D(2026, 1, 5), deadline=D(2026, 3, 1))  # not STC
    idx = compute_index(year=Y, as_of=AS_OF)
    p = _points(idx, world.stc, "T")
    assert (p.numerator, p.denominator) == (1, 4)
    assert p.points == Decimal("1.50")  # 6 × 25 / 100
    assert p.source == PointsSource.COMPUTED
    # the same counts the `tasks` block gives for STC over the window
    block = report_block_tasks(unit=world.stc, date_from=D(2026, 1, 1), date_to=AS_OF, as_of=AS_OF)
    assert (block["completed_on_time"], block["due"]) == (1, 4)


def test_a_rate_with_nothing_to_count_is_100(world):
    framework_with(
        Y,
        ("T", 6, "computed", "on_time_task_rate"),
        ("K", 10, "computed", "case_on_time_rate"),
        ("R", 4, "computed", "recommendations_done_rate"),
    )
    score(world.snv, Y, "T")
    idx = compute_index(year=Y, as_of=AS_OF)
    assert [p.points for p in idx.unit(world.snv.pk).points] == [
        Decimal(6),
        Decimal(10),
        Decimal(4),
    ]


def test_it_computes_the_case_rate_like_the_cases_block(world):
    framework_with(Y, ("K", 10, "computed", "case_on_time_rate"))
    score(world.stc, Y, "K")
    process = ProcessFactory(owner_unit=world.stc_ns, approved_on=D(2025, 1, 1))

    def case(code, received, due, completed=None):
        Case.objects.create(
            code=code,
            process=process,
            unit=world.stc_ns,
            received_on=received,
            due_on=due,
            completed_on=completed,
        )

    case("HS-1", D(2026, 2, 1), D(2026, 2, 10), D(2026, 2, 9))  # on time
    case("HS-2", D(2026, 2, 1), D(2026, 2, 10), D(2026, 2, 12))  # late
    case("HS-3", D(2026, 3, 1), D(2026, 3, 10))  # overdue on as_of
    case("HS-4", D(2026, 6, 20), D(2026, 7, 10))  # due after the window: not counted
    idx = compute_index(year=Y, as_of=AS_OF)
    p = _points(idx, world.stc, "K")
    assert (p.numerator, p.denominator) == (1, 3)
    assert p.points == Decimal("3.33")
    block = cases_block(unit=world.stc, date_from=D(2026, 1, 1), date_to=AS_OF, as_of=AS_OF)
    assert block["completed_on_time"] == 1
    assert block["completed_on_time"] + block["completed_late"] + block["overdue"] == 3


def test_it_rounds_half_up_per_criterion(world):
    framework_with(
        Y,
        ("R", 1, "computed", "recommendations_done_rate"),
        ("R2", 1, "computed", "recommendations_done_rate"),
    )
    score(world.snv, Y, "R")
    ins = InspectionFactory(
        target_unit=world.snv, conducted_by=world.stc, started_on=D(2026, 1, 10)
    )
    for i in range(8):
        RecommendationFactory(
            inspection=ins,
            responsible_unit=world.snv_tc,
            due_on=D(2026, 3, 1),
            done_on=D(2026, 2, 1) if i == 0 else None,
        )
    idx = compute_index(year=Y, as_of=AS_OF)
    p = _points(idx, world.snv, "R")
    assert (p.numerator, p.denominator) == (1, 8)
    assert p.points == Decimal("0.13")  # 0.125 half up; banker's rounding would give 0.12
    assert idx.unit(world.snv.pk).total == Decimal("0.26")  # the sum of the rounded points
    assert round_points(Decimal("2.345")) == Decimal("2.35")
    assert round_points(Decimal("-2.345")) == Decimal("-2.35")


def test_a_survey_criterion_with_no_answers_gives_0_and_otherwise_follows_the_index(world):
    from thenchot.surveys.index import Satisfaction

    framework_with(Y, ("S", 20, "survey", "satisfaction_index"))
    score(world.snv, Y, "S")
    score(world.stc, Y, "S")
    fake = {
        world.snv.pk: Satisfaction(responses=3, index=Decimal("83.333333"), by_element={}),
        world.stc.pk: Satisfaction(responses=0, index=None, by_element={}),
    }
    with mock.patch("thenchot.surveys.index.satisfaction_for_units", return_value=fake) as call:
        idx = compute_index(year=Y, as_of=AS_OF)
    kwargs = call.call_args.kwargs
    assert (kwargs["date_from"], kwargs["date_to"]) == (D(2026, 1, 1), AS_OF)
    assert _points(idx, world.snv, "S").points == Decimal("16.67")
    assert _points(idx, world.stc, "S").points == 0


def test_a_survey_criterion_reads_the_satisfaction_index_of_the_subtree(world):
    from thenchot.surveys.testing import SurveyFactory, respond, with_questions

    framework_with(Y, ("S", 10, "survey", "satisfaction_index"))
    score(world.stc, Y, "S")
    survey = with_questions(SurveyFactory(unit=world.stc_ns, opens_on=D(2026, 1, 1)))
    codes = [q.code for q in survey.questions.all()]
    respond(survey, D(2026, 3, 1), dict.fromkeys(codes, 5))
    respond(survey, D(2026, 3, 2), dict.fromkeys(codes, 2))
    idx = compute_index(year=Y, as_of=AS_OF)
    assert _points(idx, world.stc, "S").points == Decimal("5.00")  # index 50


def test_it_ranks_within_groups_with_shared_ranks(world, more_departments):
    framework_with(Y, ("A", 100, "self"))
    score(world.snv, Y, "A", self_points=90)
    score(world.stc, Y, "A", self_points=80)
    score(more_departments["sxd"], Y, "A", self_points=80)
    score(more_departments["sct"], Y, "A", self_points=70)
    score(world.ward, Y, "A", self_points=50)
    score(more_departments["commune"], Y, "A", self_points=60)
    idx = compute_index(year=Y, as_of=AS_OF)
    ranks = {u.code: (u.group, u.rank) for u in idx.units}
    assert ranks == {
        "SNV": ("department", 1),
        "STC": ("department", 2),
        "SXD": ("department", 2),
        "SCT": ("department", 4),
        "X-SOCSON": ("commune_ward", 1),
        "P-BADINH": ("commune_ward", 2),
    }
    assert rank_group("district") == "district"
    assert rank_group("division") == "division"


def test_the_block_lists_the_subtree_for_the_year_of_to(world):
    framework_with(Y, ("A", 100, "self"))
    framework_with(2025, ("A", 100, "self"))
    score(world.snv, Y, "A", self_points=90)
    score(world.snv_tc, Y, "A", self_points=40)
    score(world.stc, 2025, "A", self_points=10)
    block = reform_block(
        unit=world.snv, date_from=D(2026, 1, 1), date_to=D(2026, 9, 30), as_of=D(2026, 9, 30)
    )
    assert block["year"] == 2026
    assert [(u["unit"], u["total"], u["rank"]) for u in block["units"]] == [
        ("SNV", 90, 1),
        ("SNV-TC", 40, 1),
    ]


def test_a_published_round_gives_the_frozen_figures(world):
    framework_with(Y, ("T", 10, "computed", "on_time_task_rate"), ("A", 10, "self"))
    score(world.stc, Y, "A", self_points=5)
    TaskFactory(
        lead_unit=world.stc,
        assigned_on=D(2026, 1, 5),
        deadline=D(2026, 3, 1),
        completed_on=D(2026, 2, 1),
    )
    live = compute_index(year=Y, as_of=AS_OF)
    rnd = round_for(Y, RoundStatus.PUBLISHED, published_as_of=AS_OF)
    PublishedResult.objects.bulk_create(
        PublishedResult(
            round=rnd,
            unit_id=u.unit_id,
            criterion=p.criterion,
            points=p.points,
            source=p.source,
            rate=p.rate,
            numerator=p.numerator,
            denominator=p.denominator,
        )
        for u in live.units
        for p in u.points
    )
    # later, a late task appears: the live figures move, the published ones do not
    TaskFactory(
        lead_unit=world.stc,
        assigned_on=D(2026, 1, 5),
        deadline=D(2026, 3, 1),
        completed_on=D(2026, 4, 1),
    )
    block = reform_block(
        unit=world.city, date_from=D(2026, 1, 1), date_to=D(2026, 12, 31), as_of=D(2026, 12, 31)
    )
    assert block["units"][0]["total"] == 15
    assert compute_index(year=Y, as_of=D(2026, 12, 31), live=True).unit(
        world.stc.pk
    ).total == Decimal("10")


def test_the_rates_fold_every_listed_unit_at_once(world):
    """One pass for many units gives each the counts of its own subtree."""
    lead = world.snv_tc
    TaskFactory(
        lead_unit=lead,
        assigned_on=D(2026, 1, 5),
        deadline=D(2026, 3, 1),
        completed_on=D(2026, 2, 1),
    )
    TaskFactory(lead_unit=world.snv_cc, assigned_on=D(2026, 1, 5), deadline=D(2026, 3, 1))
    rates = rates_for_units(
        unit_ids=[world.snv.pk, world.snv_tc.pk, world.city.pk, world.stc.pk],
        window=Window.of(Y, AS_OF),
        sources=["on_time_task_rate"],
    )["on_time_task_rate"]
    assert (rates[world.snv.pk].numerator, rates[world.snv.pk].denominator) == (1, 2)
    assert (rates[world.snv_tc.pk].numerator, rates[world.snv_tc.pk].denominator) == (1, 1)
    assert (rates[world.city.pk].numerator, rates[world.city.pk].denominator) == (1, 2)
    assert rates[world.stc.pk].denominator == 0 and rates[world.stc.pk].rate == 100


def test_evaluation_coverage_counts_people_evaluated_in_every_month_they_were_active(world):
    from thenchot.appraisal.models import Evaluation, EvaluationPeriod
    from thenchot.people.models import Assignment
    from thenchot.people.testing import StaffFactory

    framework_with(Y, ("E", 10, "computed", "evaluation_coverage"))
    score(world.stc, Y, "E")
    full = StaffFactory(unit=world.stc_ns)  # active Jan..Jun, evaluated every month
    late = StaffFactory(unit=world.stc_ns, joined_on=D(2026, 5, 10))  # active May, Jun
    Assignment.objects.filter(staff=late).update(valid_from=D(2026, 5, 10))
    gap = StaffFactory(unit=world.stc_ns)  # active Jan..Jun, March missing
    for month in range(1, 7):
        period = EvaluationPeriod.objects.create(
            agency=world.stc,
            code=f"2026-{month:02d}",
            kind="month",
            starts_on=D(2026, month, 1),
            ends_on=D(2026, month, 28),
            self_due=D(2026, month, 28),
            review_due=D(2026, month, 28),
            approval_due=D(2026, month, 28),
            status="closed",
        )
        for person in (full, late, gap):
            if (person is late and month < 5) or (person is gap and month == 3):
                continue
            Evaluation.objects.create(
                period=period,
                staff=person,
                unit=world.stc_ns,
                period_code=period.code,
                category="civil_servant",
            )
    idx = compute_index(year=Y, as_of=AS_OF)
    p = _points(idx, world.stc, "E")
    # binh and minh (the personas of STC) have no evaluation at all
    assert (p.numerator, p.denominator) == (2, 5)
    assert p.points == Decimal("4.00")
