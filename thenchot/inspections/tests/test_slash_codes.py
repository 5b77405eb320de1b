"""Codes holding "/" on the pages: an inspection, a recommendation or a plan may be known by its
official number ("12/KL-TTr"; imports use them), so the lists must link to such records, their
pages must open, and the actions under them must still be reached, not read as part of a code."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import resolve, reverse

from thenchot.audit.models import AuditEntry
from thenchot.inspections import services
from thenchot.inspections.models import Finding, Inspection, RemediationReport

pytestmark = pytest.mark.django_db
d = dt.date
CODE = "12/KL-TTr"
REC = "KN/01"
PLAN = "05/KH-TTr"


@pytest.fixture
def inspection(world):  # type: ignore[no-untyped-def]
    return services.inspection_create(
        by=world.user("binh"),
        code=CODE,
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.stc_ns,
        started_on=d(2026, 3, 2),
        topics=["discipline"],
    )


@pytest.fixture
def rec(world, inspection):  # type: ignore[no-untyped-def]
    return services.recommendation_add(
        by=world.user("binh"),
        inspection=inspection,
        code=REC,
        text="Chấn chỉnh giờ giấc",
        responsible_unit=world.stc_ns,
        due_on=d(2026, 4, 30),
    )


@pytest.fixture
def plan(world):  # type: ignore[no-untyped-def]
    return services.plan_create(by=world.user("binh"), code=PLAN, conducted_by=world.stc, year=2027)


def test_it_builds_links_that_keep_the_slash_and_reach_the_actions():
    assert reverse("inspections:detail", args=[CODE]) == "/inspections/12/KL-TTr/"
    remediation = reverse("inspections:remediation", args=[CODE, REC])
    assert remediation == "/inspections/12/KL-TTr/recommendations/KN/01/remediation/"
    target = resolve(remediation)
    assert (target.view_name, target.kwargs) == (
        "inspections:remediation",
        {"code": CODE, "rec_code": REC},
    )
    assert resolve("/inspections/12/KL-TTr/findings/").view_name == "inspections:finding_add"
    assert resolve("/inspections/12/KL-TTr/recommendations/").view_name == (
        "inspections:recommendation_add"
    )
    assert resolve("/inspections/12/KL-TTr/").kwargs == {"code": CODE}
    assert resolve("/inspections/plans/05/KH-TTr/publish/").view_name == "inspections:plan_publish"
    assert resolve("/inspections/plans/05/KH-TTr/").kwargs == {"code": PLAN}
    # The fixed pages are not read as codes.
    assert resolve("/inspections/recommendations/").view_name == "inspections:recommendations"
    assert resolve("/inspections/plans/new/").view_name == "inspections:plan_create"


def test_it_lists_an_inspection_with_a_slash_code_and_links_to_it(client_for, rec):
    response = client_for("binh").get("/inspections/")
    assert response.status_code == 200
    assert b'href="/inspections/12/KL-TTr/"' in response.content
    recommendations = client_for("binh").get("/inspections/recommendations/")
    assert recommendations.status_code == 200
    assert b'href="/inspections/12/KL-TTr/#rec-KN/01"' in recommendations.content


def test_it_opens_the_page_of_an_inspection_with_a_slash_code(client_for, rec):
    page = client_for("binh").get("/inspections/12/KL-TTr/")
    assert page.status_code == 200
    assert page.context["inspection"].code == CODE
    assert b'action="/inspections/12/KL-TTr/findings/"' in page.content
    assert b'action="/inspections/12/KL-TTr/recommendations/"' in page.content
    assert client_for("binh").get("/inspections/99/KL-TTr/").status_code == 404
    remedying = client_for("minh").get("/inspections/12/KL-TTr/")  # head of the responsible side
    assert b'action="/inspections/12/KL-TTr/recommendations/KN/01/remediation/"' in (
        remedying.content
    )


def test_it_records_a_finding_on_an_inspection_with_a_slash_code(client_for, inspection):
    audited = AuditEntry.objects.count()
    response = client_for("binh").post(
        "/inspections/12/KL-TTr/findings/",
        {"finding-text": "Đi muộn", "finding-severity": "minor"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/inspections/12/KL-TTr/"
    assert list(Finding.objects.values_list("inspection__code", "text")) == [(CODE, "Đi muộn")]
    assert AuditEntry.objects.count() == audited + 1


def test_it_reports_remediation_on_a_slash_coded_recommendation(client_for, rec):
    response = client_for("minh").post(
        "/inspections/12/KL-TTr/recommendations/KN/01/remediation/",
        {"remedy-reported_on": "2026-04-10", "remedy-text": "Đã chấn chỉnh"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/inspections/12/KL-TTr/"
    assert list(RemediationReport.objects.values_list("recommendation__code", "text")) == [
        (REC, "Đã chấn chỉnh")
    ]
    missing = client_for("minh").post(
        "/inspections/12/KL-TTr/recommendations/KN/99/remediation/",
        {"remedy-reported_on": "2026-04-10", "remedy-text": "x"},
    )
    assert missing.status_code == 404
    assert RemediationReport.objects.count() == 1


def test_it_hides_a_slash_coded_inspection_from_outsiders_and_changes_nothing(
    client_for, inspection
):  # type: ignore[no-untyped-def]
    audited = AuditEntry.objects.count()
    hoa = client_for("hoa")  # manages SNV-TC: neither the conducting nor the target side
    assert hoa.get("/inspections/12/KL-TTr/").status_code == 404
    response = hoa.post(
        "/inspections/12/KL-TTr/findings/",
        {"finding-text": "Đi muộn", "finding-severity": "minor"},
    )
    assert response.status_code == 404
    assert not Finding.objects.exists()
    assert AuditEntry.objects.count() == audited
    assert Inspection.objects.get(code=CODE).version == inspection.version


def test_it_lists_and_opens_a_plan_with_a_slash_code(client_for, plan):
    plans = client_for("binh").get("/inspections/plans/")
    assert plans.status_code == 200
    assert b'href="/inspections/plans/05/KH-TTr/"' in plans.content
    page = client_for("binh").get("/inspections/plans/05/KH-TTr/")
    assert page.status_code == 200
    assert page.context["plan"] == plan
    assert client_for("lan").get("/inspections/plans/05/KH-TTr/").status_code == 404


def test_it_adds_an_item_to_a_slash_coded_plan_and_refuses_outsiders(client_for, world, plan):
    data = {"item-target_unit": "STC-NS", "item-planned_month": "5"}
    assert client_for("lan").post("/inspections/plans/05/KH-TTr/items/", data).status_code == 404
    assert not plan.items.exists()
    response = client_for("binh").post("/inspections/plans/05/KH-TTr/items/", data)
    assert response.status_code == 302
    assert response["Location"] == "/inspections/plans/05/KH-TTr/"
    assert list(plan.items.values_list("target_unit__code", "planned_month")) == [("STC-NS", 5)]


def test_the_api_opens_a_slash_coded_inspection_and_its_actions(api_for, rec):  # type: ignore[no-untyped-def]
    response = api_for("binh").get("/api/v1/inspections/12/KL-TTr/")
    assert response.status_code == 200
    assert response.json()["code"] == CODE
    assert resolve("/api/v1/inspections/12/KL-TTr/findings/").kwargs == {"code": CODE}
    assert resolve("/api/v1/inspections/12/KL-TTr/findings/").view_name == "inspection-findings"
    assert api_for("hoa").get("/api/v1/inspections/12/KL-TTr/").status_code == 404
