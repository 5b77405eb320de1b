"""Findings, conclusion, recommendations and the remediation loop (report → accept/return)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.inspections import services
from thenchot.inspections.models import Finding, Recommendation, RemediationReport
from thenchot.inspections.status import recommendation_status
from thenchot.people.models import HeadAssignment

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def inspection(world):
    return services.inspection_create(
        by=world.user("binh"),
        code="KT-STC-1",
        kind="surprise",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 3, 2),
        topics=["discipline"],
    )


@pytest.fixture
def rec(world, inspection):
    return services.recommendation_add(
        by=world.user("binh"),
        inspection=inspection,
        code="KN-1",
        text="Chấn chỉnh giờ giấc",
        responsible_unit=world.stc_ns,
        due_on=d(2026, 4, 30),
    )


def test_it_records_findings_until_the_conclusion(world, inspection):
    services.finding_add(
        by=world.user("binh"), inspection=inspection, text="Đi muộn", severity="minor"
    )
    services.conclusion_record(
        by=world.user("binh"),
        inspection=inspection,
        expected_version=inspection.version,
        number="12/KL-STC",
        issued_on=d(2026, 3, 20),
        text="Kết luận",
    )
    with pytest.raises(DomainError):
        services.finding_add(by=world.user("binh"), inspection=inspection, text="Muộn nữa")
    assert list(Finding.objects.values_list("text", flat=True)) == ["Đi muộn"]
    inspection.refresh_from_db()
    assert inspection.ended_on == d(2026, 3, 20)


def test_it_refuses_findings_from_the_target_side(world, inspection):
    with pytest.raises(OutOfScope):
        services.finding_add(by=world.user("lan"), inspection=inspection, text="x")
    assert not Finding.objects.exists()


def test_it_refuses_a_recommendation_due_before_the_inspection(world, inspection):
    with pytest.raises(DomainError) as exc:
        services.recommendation_add(
            by=world.user("binh"),
            inspection=inspection,
            code="KN-0",
            text="x",
            responsible_unit=world.stc_ns,
            due_on=d(2026, 3, 1),
        )
    assert "due_on" in exc.value.field_errors
    assert not Recommendation.objects.exists()


def test_it_accepts_a_remediation_and_marks_the_recommendation_done(world, rec):
    # minh heads STC: he reports for STC-NS, and binh (the inspector) decides.
    report = services.remediation_report(
        by=world.user("minh"), recommendation=rec, reported_on=d(2026, 4, 20), text="Đã chấn chỉnh"
    )
    assert (
        recommendation_status(
            due_on=rec.due_on, done_on=None, pending_since=report.reported_on, on=d(2026, 4, 25)
        )
        == "awaiting_review"
    )
    services.remediation_decide(by=world.user("binh"), report=report, accept=True)
    rec.refresh_from_db()
    assert rec.done_on == d(2026, 4, 20)
    assert AuditEntry.objects.filter(
        model_label="inspections.remediationreport", action="update"
    ).exists()
    with pytest.raises(DomainError):
        services.remediation_report(
            by=world.user("minh"), recommendation=rec, reported_on=d(2026, 4, 21), text="again"
        )


def test_it_returns_a_report_and_reopens_the_recommendation(world, rec):
    report = services.remediation_report(
        by=world.user("minh"), recommendation=rec, reported_on=d(2026, 4, 20), text="Chưa đủ"
    )
    with pytest.raises(DomainError):  # returning needs a reason
        services.remediation_decide(by=world.user("binh"), report=report, accept=False)
    services.remediation_decide(
        by=world.user("binh"), report=report, accept=False, comment="Thiếu biên bản"
    )
    rec.refresh_from_db()
    assert rec.done_on is None
    report.refresh_from_db()
    assert report.status == "returned"
    again = services.remediation_report(
        by=world.user("minh"), recommendation=rec, reported_on=d(2026, 4, 28), text="Bổ sung"
    )
    assert again.status == "pending"


def test_it_refuses_reports_from_outside_the_responsible_unit(world, rec):
    for name in ("lan", "hoa", "an"):
        with pytest.raises(OutOfScope):
            services.remediation_report(
                by=world.user(name), recommendation=rec, reported_on=d(2026, 4, 1), text="x"
            )
    assert not RemediationReport.objects.exists()


def test_it_lets_only_the_conducting_side_decide(world, rec):
    HeadAssignment.objects.create(unit=world.stc_ns, staff=world.staff["an"], role="head")
    report = services.remediation_report(
        by=world.user("an"), recommendation=rec, reported_on=d(2026, 4, 1), text="x"
    )
    with pytest.raises(OutOfScope):
        services.remediation_decide(by=world.user("lan"), report=report, accept=True)
    report.refresh_from_db()
    assert report.status == "pending"


def test_it_refuses_a_future_remediation_date(world, rec):
    with pytest.raises(DomainError):
        services.remediation_report(
            by=world.user("minh"),
            recommendation=rec,
            reported_on=timezone.localdate() + dt.timedelta(days=1),
            text="x",
        )


def test_nobody_accepts_a_remediation_report_they_submitted(world, rec):
    report = services.remediation_report(
        by=world.user("minh"), recommendation=rec, reported_on=d(2026, 4, 20), text="Đã chấn chỉnh"
    )
    # The inspector who also filed the report (on the unit's behalf): someone else decides.
    RemediationReport.objects.filter(pk=report.pk).update(reported_by=world.user("binh"))
    report.refresh_from_db()
    with pytest.raises(OutOfScope):
        services.remediation_decide(by=world.user("binh"), report=report, accept=True)
    report.refresh_from_db()
    rec.refresh_from_db()
    assert report.status == "pending" and rec.done_on is None
