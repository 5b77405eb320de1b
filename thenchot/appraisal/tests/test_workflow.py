"""The monthly workflow with the personas: an self-assesses, hoa reviews, son approves and
closes; each step's refusals for the wrong person change nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from thenchot.appraisal import closing, services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head
from thenchot.audit.models import AuditEntry
from thenchot.core.errors import OutOfScope


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def test_it_opens_a_draft_for_everyone_of_the_agency(world, month):  # type: ignore[no-untyped-def]
    codes = set(month.evaluations.values_list("staff__code", flat=True))
    assert {world.staff[n].code for n in ("lan", "quan", "hoa", "an", "son")} <= codes
    assert world.staff["minh"].code not in codes  # STC is another agency
    ev = evaluation_of(world, "an")
    assert ev.status == EvaluationStatus.DRAFT
    assert ev.rule_pack == "decree-335-2025"  # a civil servant from 2026
    assert evaluation_of(world, "son").is_head


def test_it_is_idempotent_when_opened_again(world, month):  # type: ignore[no-untyped-def]
    count = month.evaluations.count()
    again = services.period_open(agency=world.snv, code=month.code)
    assert again.created == 0 and again.period.pk == month.pk
    assert month.evaluations.count() == count


def test_it_runs_the_whole_workflow(world, month):  # type: ignore[no-untyped-def]
    """rules.md: raters.line."""
    ev = evaluation_of(world, "an")
    ev = services.self_assess(
        evaluation=ev,
        by=world.user("an"),
        general_points="28",
        task_points="63.5",
        evidence="Báo cáo tháng",
        proposed_level="excellent",
    )
    assert ev.status == EvaluationStatus.SELF_ASSESSED and not ev.submitted_late
    ev = services.review(
        evaluation=ev, by=world.user("hoa"), task_points="60", comment="Một báo cáo chậm"
    )
    assert ev.status == EvaluationStatus.REVIEWED and ev.reviewed_task_points == Decimal("60")
    ev = services.approve(evaluation=ev, by=world.user("son"))
    assert ev.status == EvaluationStatus.APPROVED
    for name in ("lan", "quan", "hoa", "son"):
        approved(evaluation_of(world, name), general="25", tasks="50")
    result = closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    ev.refresh_from_db()
    assert result.periods_closed == 1 and result.evaluations == 5
    assert ev.status == EvaluationStatus.CLOSED
    assert ev.score == Decimal("88") and ev.final_level == "good"
    assert ev.reasons[0]["rule"] == "decree-335.grade"
    assert (
        AuditEntry.objects.filter(model_label="appraisal.evaluation", object_id=str(ev.pk)).count()
        >= 4
    )


def test_it_refuses_a_reviewer_outside_the_line(world, month):  # type: ignore[no-untyped-def]
    """rules.md: raters.line."""
    ev = services.self_assess(
        evaluation=evaluation_of(world, "an"),
        by=world.user("an"),
        general_points="28",
        task_points="60",
    )
    for outsider in ("minh", "binh", "lan", "an"):
        with pytest.raises(OutOfScope):
            services.review(evaluation=ev, by=world.user(outsider), comment="x")
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SELF_ASSESSED and ev.reviewed_by_id is None


def test_it_refuses_approving_ones_own_evaluation(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "son")
    services.self_assess(evaluation=ev, by=world.user("son"), general_points="28", task_points="60")
    with pytest.raises(OutOfScope):
        services.review(evaluation=ev, by=world.user("son"))
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SELF_ASSESSED


def test_it_refuses_approval_by_a_division_manager(world, month):  # type: ignore[no-untyped-def]
    """rules.md: raters.line."""
    ev = services.self_assess(
        evaluation=evaluation_of(world, "an"),
        by=world.user("an"),
        general_points="28",
        task_points="60",
    )
    ev = services.review(evaluation=ev, by=world.user("hoa"))
    with pytest.raises(OutOfScope):
        services.approve(evaluation=ev, by=world.user("hoa"))
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.REVIEWED


def test_it_returns_an_assessment_for_revision(world, month):  # type: ignore[no-untyped-def]
    ev = services.self_assess(
        evaluation=evaluation_of(world, "an"),
        by=world.user("an"),
        general_points="28",
        task_points="60",
    )
    ev = services.review(
        evaluation=ev, by=world.user("hoa"), return_for_revision=True, comment="Bổ sung minh chứng"
    )
    assert ev.status == EvaluationStatus.RETURNED
    ev = services.self_assess(
        evaluation=ev, by=world.user("an"), general_points="27", task_points="60"
    )
    assert ev.status == EvaluationStatus.SELF_ASSESSED and ev.general_points == Decimal("27")
