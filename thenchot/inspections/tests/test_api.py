"""The inspections API: scoping (anonymous, sibling, right user), writes through services, errors
in the one error format."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.inspections.models import Inspection, Recommendation
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
d = dt.date


@pytest.fixture
def stc_inspection(world):
    inspection = InspectionFactory(
        code="KT-STC-1", conducted_by=world.stc, target_unit=world.stc_ns, started_on=d(2026, 3, 2)
    )
    RecommendationFactory(code="KN-1", inspection=inspection, due_on=d(2026, 4, 30))
    return inspection


def test_it_refuses_the_anonymous(world, stc_inspection):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/inspections/")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_it_scopes_the_list(world, stc_inspection, api_for):
    assert api_for("binh").get("/api/v1/inspections/").json()["count"] == 1
    assert api_for("minh").get("/api/v1/inspections/").json()["count"] == 1
    assert api_for("lan").get("/api/v1/inspections/").json()["count"] == 0  # sibling
    assert api_for("lan").get("/api/v1/inspections/KT-STC-1/").status_code == 404
    body = api_for("hung").get("/api/v1/inspections/KT-STC-1/", {"as_of": "2026-05-01"}).json()
    assert body["recommendations"][0]["status"] == "overdue"
    assert body["conducted_by"] == "STC" and body["target_unit"] == "STC-NS"


def test_it_creates_through_the_service(world, api_for):
    response = api_for("binh").post(
        "/api/v1/inspections/",
        {
            "code": "KT-NEW",
            "kind": "planned",
            "conducted_by": "STC",
            "target_unit": "STC-NS",
            "started_on": "2026-05-04",
            "topics": ["discipline", "work_results"],
            "team": [{"staff": world.staff["binh"].code, "is_lead": True}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["team"][0]["is_lead"] is True


def test_it_refuses_bad_input_with_field_errors(world, api_for):
    api = api_for("binh")
    response = api.post(
        "/api/v1/inspections/",
        {
            "code": "KT-X",
            "kind": "verification",
            "conducted_by": "STC",
            "target_unit": "STC-NS",
            "started_on": "2026-05-04",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "ordered_by" in response.json()["error"]["fields"]
    response = api.post(
        "/api/v1/inspections/",
        {
            "code": "KT-Y",
            "kind": "planned",
            "conducted_by": "STC",
            "target_unit": "SNV-TC",
            "started_on": "2026-05-04",
            "colour": "red",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "colour" in response.json()["error"]["fields"]
    assert not Inspection.objects.exists()


def test_it_refuses_writes_from_the_target_side(world, stc_inspection, api_for, city_inspector):
    # lan cannot even see it; minh (head of STC) manages it; an has no say.
    response = api_for("lan").post(
        "/api/v1/inspections/KT-STC-1/findings/", {"text": "x"}, format="json"
    )
    assert response.status_code == 404
    response = api_for("binh").post(
        "/api/v1/inspections/KT-STC-1/recommendations/",
        {"code": "KN-2", "text": "x", "responsible_unit": "STC-NS", "due_on": "2026-03-01"},
        format="json",
    )
    assert response.status_code == 400
    assert "due_on" in response.json()["error"]["fields"]
    assert Recommendation.objects.count() == 1


def test_it_runs_the_remediation_loop(world, stc_inspection, api_for):
    response = api_for("minh").post(
        "/api/v1/inspection-recommendations/KN-1/remediation/",
        {"reported_on": "2026-04-10", "text": "Đã khắc phục"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    # minh heads STC, the conducting unit, but he reported it: someone else decides.
    refused = api_for("minh").post(
        "/api/v1/inspection-recommendations/KN-1/decide/", {"accept": True}, format="json"
    )
    assert refused.status_code == 403
    assert (
        api_for("binh")
        .post("/api/v1/inspection-recommendations/KN-1/decide/", {"accept": True}, format="json")
        .status_code
        == 200
    )  # binh inspects for STC
    rec = Recommendation.objects.get(code="KN-1")
    assert rec.done_on == d(2026, 4, 10)
