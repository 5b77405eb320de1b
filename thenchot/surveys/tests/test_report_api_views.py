"""The `satisfaction` report block, the API endpoints and the staff pages, each with the
outsider who may not see them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thenchot.core.registry import report_blocks
from thenchot.surveys.testing import respond

pytestmark = pytest.mark.django_db
JAN1, DEC31 = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def test_the_report_block_writes_rounded_numbers(world, ward_survey):
    respond(ward_survey, dt.date(2025, 3, 1), {"Q1": 5, "Q2": 1})
    respond(ward_survey, dt.date(2025, 3, 2), {"Q1": 4, "Q2": 5})
    respond(ward_survey, dt.date(2025, 3, 3), {"Q1": 2, "Q2": 5})
    block = dict(report_blocks.items())["satisfaction"]
    assert block.has_data()
    data = block.compute(unit=world.city, date_from=JAN1, date_to=DEC31, as_of=DEC31)
    assert data == {
        "responses": 3,
        "index": 66.67,
        "by_element": {"access": 66.67, "procedure": 66.67},
    }
    assert "66" in block.narrative(data)


def test_the_api_lists_surveys_in_scope_only(api_for, ward_survey, stc_survey):
    codes = [s["code"] for s in api_for("minh").get("/api/v1/surveys/").json()["results"]]
    assert codes == ["KS-STC"]
    assert api_for("minh").get("/api/v1/surveys/KS-BD/").status_code == 404
    assert api_for("hung").get("/api/v1/surveys/KS-BD/").status_code == 200


def test_the_api_gives_a_units_index(api_for, world, stc_survey):
    respond(stc_survey, dt.date(2025, 3, 1), {"Q1": 5, "Q3": 3}, code="R-API")
    answer = api_for("minh").get(
        "/api/v1/surveys/satisfaction/", {"unit": "STC", "from": "2025-01-01", "to": "2025-12-31"}
    )
    assert answer.status_code == 200
    assert answer.json()["index"] == 50.0 and answer.json()["responses"] == 1
    assert api_for("minh").get("/api/v1/surveys/satisfaction/", {"unit": "SNV"}).status_code == 404
    bad = api_for("minh").get("/api/v1/surveys/satisfaction/", {"unit": "STC", "to": "2025-13-01"})
    assert bad.status_code == 400 and "2025-13-01" in bad.content.decode()
    response = api_for("minh").get("/api/v1/survey-responses/R-API/").json()
    assert response["answers"] == {"Q1": 5, "Q2": None, "Q3": 3, "Q4": None, "Q5": None}


def test_the_pages_show_a_survey_and_its_answers_to_readers_only(client_for, ward_survey):
    respond(ward_survey, dt.date(2025, 3, 1), {"Q1": 5})
    page = client_for("hung", lang="en").get(reverse("surveys:detail", args=["KS-BD"]))
    assert page.status_code == 200 and "/s/bd2025/" in page.content.decode()
    assert client_for("minh").get(reverse("surveys:detail", args=["KS-BD"])).status_code == 404
    index = client_for("hung").get(
        reverse("surveys:unit_index"), {"unit": "HN", "from": "2025-01-01", "to": "2025-12-31"}
    )
    assert index.status_code == 200 and index.context["index"] == 100
    assert (
        client_for("minh").get(reverse("surveys:unit_index"), {"unit": "P-BADINH"}).status_code
        == 404
    )


def test_a_manager_creates_a_survey_and_an_outsider_cannot(client_for, world):
    data = {
        "code": "KS-NEW",
        "title": "Khảo sát mới",
        "unit": "STC",
        "opens_on": "2025-01-01",
        "q-TOTAL_FORMS": "2",
        "q-INITIAL_FORMS": "0",
        "q-0-code": "Q1",
        "q-0-element": "access",
        "q-0-text": "Thuận tiện?",
        "q-1-code": "Q2",
        "q-1-element": "result",
        "q-1-text": "Đúng hạn?",
    }
    assert client_for("minh").post(reverse("surveys:new"), data).status_code == 302
    from thenchot.surveys.models import Survey

    assert list(Survey.objects.get(code="KS-NEW").questions.values_list("code", flat=True)) == [
        "Q1",
        "Q2",
    ]
    refused = client_for("lan").post(reverse("surveys:new"), {**data, "code": "KS-X"})
    assert refused.status_code == 400 and not Survey.objects.filter(code="KS-X").exists()


def test_the_export_and_the_sheet_download(client_for, ward_survey):
    respond(ward_survey, dt.date(2025, 3, 1), {"Q1": 5})
    export = client_for("hung").get(reverse("surveys:export", args=["KS-BD"]))
    assert export.status_code == 200 and export["Content-Type"].startswith(
        "application/vnd.openxml"
    )
    sheet = client_for("hung").get(reverse("surveys:sheet", args=["KS-BD"]))
    assert sheet.status_code in (200, 503)
    if sheet.status_code == 200:
        assert sheet.content.startswith(b"%PDF")
