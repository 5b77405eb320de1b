"""The `surveys` and `survey_responses` sections: a round trip in JSON and XLSX, and the
refusals — an answer outside 1–5, a question of another survey, a response after closing —
each naming the value, nothing written."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from thenchot.exchange.services import export_data, import_file
from thenchot.surveys.models import Answer, Response, Survey
from thenchot.surveys.testing import respond

pytestmark = pytest.mark.django_db


def _doc(**sections):
    return json.dumps({"format": "thenchot/1", "as_of": "2025-12-31", **sections}).encode()


def test_it_exports_answers_as_an_object_and_reads_them_back(world, ward_survey):
    respond(ward_survey, dt.date(2025, 3, 1), {"Q1": 5, "Q3": 2}, code="R-1")
    data = export_data(
        fmt="json", sections=["surveys", "survey_responses"], as_of=dt.date(2025, 12, 31)
    )
    doc = json.loads(data)
    assert doc["survey_responses"] == [
        {
            "answers": {"Q1": 5, "Q2": None, "Q3": 2, "Q4": None, "Q5": None},
            "code": "R-1",
            "submitted_on": "2025-03-01",
            "survey": "KS-BD",
        }
    ]
    assert [q["code"] for q in doc["surveys"][0]["questions"]] == ["Q1", "Q2", "Q3", "Q4", "Q5"]
    result = import_file(data=data, filename="again.json")
    assert result.ok, result.problems
    assert result.counts["survey_responses"].unchanged == 1


def test_the_xlsx_cell_layout_round_trips(world, ward_survey):
    respond(ward_survey, dt.date(2025, 3, 1), {"Q1": 5, "Q3": 2}, code="R-1")
    data = export_data(
        fmt="xlsx", sections=["surveys", "survey_responses"], as_of=dt.date(2025, 12, 31)
    )
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(data))["survey_responses"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("code", "survey", "submitted_on", "answers")
    assert rows[1][3] == "Q1=5;Q2=;Q3=2;Q4=;Q5="
    Answer.objects.all().delete()
    Response.objects.all().delete()
    result = import_file(data=data, filename="answers.xlsx")
    assert result.ok, result.problems
    assert dict(Response.objects.get().answers.values_list("question__code", "score")) == {
        "Q1": 5,
        "Q3": 2,
    }


@pytest.mark.parametrize(
    ("answers", "named"),
    [
        ({"Q1": 6}, "'6'"),
        ({"Q1": 0}, "'0'"),
        ({"Q1": "5"}, "'5'"),
        ({"X9": 4}, "'X9'"),
    ],
)
def test_it_refuses_a_bad_answer_naming_it(world, ward_survey, answers, named):
    doc = _doc(
        survey_responses=[
            {"code": "R-9", "survey": "KS-BD", "submitted_on": "2025-05-01", "answers": answers}
        ]
    )
    result = import_file(data=doc, filename="bad.json")
    assert not result.ok
    assert any(
        named in p.message and "survey_responses[0].answers" in p.place for p in result.problems
    ), result.problems
    assert not Response.objects.exists()


def test_it_refuses_a_response_after_the_survey_closed(world, ward_survey):
    doc = _doc(
        survey_responses=[
            {"code": "R-9", "survey": "KS-BD", "submitted_on": "2026-01-05", "answers": {"Q1": 4}}
        ]
    )
    result = import_file(data=doc, filename="late.json")
    assert [p.place for p in result.problems] == ["survey_responses[0].submitted_on"]
    assert "2026-01-05" in result.problems[0].message
    assert not Response.objects.exists()


def test_it_refuses_removing_an_answered_question(world, ward_survey):
    respond(ward_survey, dt.date(2025, 3, 1), {"Q5": 5})
    doc = _doc(
        surveys=[
            {
                "code": "KS-BD",
                "title": "x",
                "unit": "P-BADINH",
                "opens_on": "2025-01-01",
                "questions": [{"code": "Q1", "text": "a", "element": "access"}],
            }
        ]
    )
    result = import_file(data=doc, filename="cut.json")
    assert any("Q5" in p.message for p in result.problems)
    assert Survey.objects.get().questions.count() == 5
