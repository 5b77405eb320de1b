"""The API: scoped reads, self-scores and appraisals through the services, bad input refused
with nothing changed, the index published or council-only."""

from __future__ import annotations

import pytest

from thenchot.reform.choices import RoundStatus
from thenchot.reform.models import AppraiserAssignment, Score
from thenchot.reform.testing import framework_with, round_for, score

pytestmark = pytest.mark.django_db
Y = 2026


@pytest.fixture
def setup(world):
    framework_with(Y, ("A", 10, "self"), ("P", -3, "appraised"))
    return round_for(Y, RoundStatus.SELF_SCORING, secretariat_unit=world.snv)


def test_lan_self_scores_through_the_api(world, setup, api_for):
    r = api_for("lan").post(
        "/api/v1/reform-scores/",
        {"year": Y, "unit": "SNV", "criterion": "A", "points": "8.5", "evidence": "Báo cáo"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["self_points"] == "8.50"


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ({"points": "11"}, "11"),
        ({"criterion": "ZZ", "points": "1"}, "ZZ"),
        ({"unit": "NOPE", "points": "1"}, "NOPE"),
        ({"points": "1", "typo": 1}, "typo"),
    ],
)
def test_bad_input_is_refused_and_nothing_changes(world, setup, api_for, body, needle):
    payload = {"year": Y, "unit": "SNV", "criterion": "A", **body}
    r = api_for("lan").post("/api/v1/reform-scores/", payload, format="json")
    assert r.status_code == 400
    assert needle in str(r.json())
    assert not Score.objects.exists()


def test_minh_may_not_score_snv_nor_read_its_scores(world, setup, api_for):
    r = api_for("minh").post(
        "/api/v1/reform-scores/",
        {"year": Y, "unit": "SNV", "criterion": "A", "points": "1"},
        format="json",
    )
    assert r.status_code == 403
    score(world.snv, Y, "A", self_points=5)
    assert api_for("minh").get("/api/v1/reform-scores/").json()["results"] == []
    assert len(api_for("lan").get("/api/v1/reform-scores/").json()["results"]) == 1


def test_an_assigned_appraiser_reads_and_appraises(world, setup, api_for):
    score(world.snv, Y, "P", self_points=0)
    AppraiserAssignment.objects.create(
        round=setup, appraiser_unit=world.stc, assessed_unit=world.snv
    )
    setup.status = RoundStatus.APPRAISING
    setup.save()
    assert len(api_for("minh").get(f"/api/v1/reform-scores/?year={Y}").json()["results"]) == 1
    r = api_for("minh").post(
        "/api/v1/reform-scores/appraise/",
        {"year": Y, "unit": "SNV", "criterion": "P", "points": "-1"},
        format="json",
    )
    assert r.status_code == 200, r.json()
    assert r.json()["appraised_points"] == "-1.00" and r.json()["appraiser_unit"] == "STC"


def test_the_index_is_council_only_until_published(world, setup, api_for):
    score(world.snv, Y, "A", self_points=5)
    assert api_for("minh").get(f"/api/v1/reform-index/?year={Y}").status_code == 403
    r = api_for("lan").get(f"/api/v1/reform-index/?year={Y}&as_of=2026-06-30")
    assert r.status_code == 200
    assert r.json()["units"][0]["total"] == 5 and r.json()["published"] is False
    assert api_for("lan").get("/api/v1/reform-index/?year=abc").status_code == 400
    criteria = api_for("minh").get(f"/api/v1/reform-criteria/?year={Y}").json()["results"]
    assert [c["code"] for c in criteria] == ["A", "P"]
