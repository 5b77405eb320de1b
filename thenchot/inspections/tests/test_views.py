"""The inspection pages: anonymous, sibling and right user; forms run the services."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from thenchot.inspections.models import Finding, Inspection, Recommendation, TeamMember
from thenchot.inspections.panels import panel_context
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def inspection(world):
    inspection = InspectionFactory(
        code="KT-STC-1", conducted_by=world.stc, target_unit=world.stc_ns, started_on=d(2026, 3, 2)
    )
    RecommendationFactory(code="KN-1", inspection=inspection, due_on=d(2026, 4, 30))
    return inspection


@pytest.mark.parametrize(
    "url",
    [
        "/inspections/",
        "/inspections/KT-STC-1/",
        "/inspections/recommendations/",
        "/inspections/statistics/",
        "/inspections/plans/",
        "/inspections/new/",
    ],
)
def test_it_sends_the_anonymous_to_login(inspection, url):
    response = Client().get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_shows_the_list_to_the_right_users_only(inspection, client_for):
    assert "KT-STC-1" in client_for("binh").get("/inspections/").content.decode()
    assert "KT-STC-1" not in client_for("lan").get("/inspections/").content.decode()
    assert client_for("lan").get("/inspections/KT-STC-1/").status_code == 404
    assert client_for("minh").get("/inspections/KT-STC-1/").status_code == 200


def test_it_exports_the_list_as_xlsx(inspection, client_for):
    response = client_for("binh").get("/inspections/?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][0] == "KT-STC-1"
    response = client_for("binh").get("/inspections/recommendations/?format=xlsx")
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2
    empty = client_for("lan").get("/inspections/recommendations/?format=xlsx")
    assert load_workbook(io.BytesIO(empty.content)).active.max_row == 1


def test_it_adds_a_finding_and_a_recommendation_by_form(inspection, client_for):
    binh = client_for("binh")
    response = binh.post(
        "/inspections/KT-STC-1/findings/", {"finding-text": "Đi muộn", "finding-severity": "minor"}
    )
    assert response.status_code == 302
    assert Finding.objects.get().severity == "minor"
    response = binh.post(
        "/inspections/KT-STC-1/recommendations/",
        {
            "rec-code": "KN-2",
            "rec-text": "x",
            "rec-responsible_unit": "STC-NS",
            "rec-due_on": "2026-03-01",
        },
    )
    assert response.status_code == 400  # due before the start
    assert not Recommendation.objects.filter(code="KN-2").exists()


def test_it_forbids_forms_to_a_reader_who_does_not_conduct(world, client_for):
    InspectionFactory(
        code="KT-SNV", conducted_by=world.stc, target_unit=world.snv_tc, started_on=d(2026, 3, 2)
    )
    response = client_for("lan").post("/inspections/KT-SNV/findings/", {"finding-text": "x"})
    assert response.status_code == 403
    assert not Finding.objects.exists()


def test_it_creates_an_inspection_by_form(world, client_for):
    response = client_for("binh").post(
        "/inspections/new/",
        {
            "code": "KT-F",
            "kind": "surprise",
            "conducted_by": "STC",
            "target_unit": "STC-NS",
            "started_on": "02/03/2026",
            "topics": ["discipline"],
        },
    )
    assert response.status_code == 302
    assert Inspection.objects.get(code="KT-F").kind == "surprise"
    response = client_for("binh").post(
        "/inspections/new/",
        {
            "code": "KT-G",
            "kind": "planned",
            "conducted_by": "STC",
            "target_unit": "SNV-TC",
            "started_on": "02/03/2026",
        },
    )
    assert response.status_code == 200 and not Inspection.objects.filter(code="KT-G").exists()


def test_it_shows_statistics_in_scope(inspection, client_for):
    page = client_for("minh").get("/inspections/statistics/?from=2026-01-01&to=2026-12-31")
    assert page.status_code == 200
    assert page.context["stats"].total == 1
    assert client_for("lan").get("/inspections/statistics/?unit=STC").status_code == 400
    xlsx = client_for("minh").get(
        "/inspections/statistics/?from=2026-01-01&to=2026-12-31&format=xlsx"
    )
    assert load_workbook(io.BytesIO(xlsx.content)).sheetnames == [
        "summary",
        "by_conductor",
        "by_target",
    ]


def test_it_gives_the_person_page_panel(world, inspection):
    from thenchot.accounts.scoping import compute_scope

    TeamMember.objects.create(inspection=inspection, staff=world.staff["binh"], is_lead=True)
    assert (
        panel_context(compute_scope(world.user("hung")), world.staff["binh"])["inspection_count"]
        == 1
    )
    assert (
        panel_context(compute_scope(world.user("lan")), world.staff["binh"])["inspection_count"]
        == 0
    )
