"""A surprise inspection is invisible to its target until the day it starts: no page, no API
record, no list row, no count — and the answer is the same 404 as for a code that does not exist."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.inspections import services
from thenchot.inspections.models import Inspection

pytestmark = pytest.mark.django_db


@pytest.fixture
def surprise(world, city_inspector):
    today = timezone.localdate()
    return services.inspection_create(
        by=city_inspector,
        code="KT-DX-1",
        kind="surprise",
        conducted_by=world.stc,
        target_unit=world.snv_tc,
        started_on=today + dt.timedelta(days=10),
    )


def test_it_hides_the_page_from_the_target_before_the_start(world, surprise, client_for):
    for name in ("lan", "hoa", "an"):
        response = client_for(name).get(f"/inspections/{surprise.code}/")
        assert response.status_code == 404, name
        missing = client_for(name).get("/inspections/KT-NOPE/")
        assert missing.status_code == 404
    assert client_for("binh").get(f"/inspections/{surprise.code}/").status_code == 200
    assert client_for("hung").get(f"/inspections/{surprise.code}/").status_code == 200


def test_it_leaves_it_out_of_the_targets_lists_and_api(world, surprise, client_for, api_for):
    page = client_for("lan").get("/inspections/")
    assert surprise.code not in page.content.decode()
    api = api_for("lan")
    assert api.get("/api/v1/inspections/").json()["count"] == 0
    detail = api.get(f"/api/v1/inspections/{surprise.code}/")
    assert detail.status_code == 404
    assert detail.json()["error"]["code"] == "not_found"
    assert api_for("binh").get("/api/v1/inspections/").json()["count"] == 1


def test_it_leaves_it_out_of_the_counts_shown_to_the_target(world, surprise, api_for):
    today = timezone.localdate()
    params = {"unit": "SNV", "from": f"{today.year}-01-01", "to": f"{today.year + 1}-12-31"}
    lan = api_for("lan").get("/api/v1/inspection-statistics/", params).json()
    assert lan["total"] == 0 and lan["by_kind"]["surprise"] == 0
    params["unit"] = "HN"
    hung = api_for("hung").get("/api/v1/inspection-statistics/", params).json()
    assert hung["by_kind"]["surprise"] == 1


def test_it_shows_it_to_the_target_once_started(world, surprise, client_for, api_for):
    Inspection.objects.filter(pk=surprise.pk).update(started_on=timezone.localdate())
    assert client_for("lan").get(f"/inspections/{surprise.code}/").status_code == 200
    assert api_for("hoa").get(f"/api/v1/inspections/{surprise.code}/").status_code == 200


def test_it_does_not_hide_a_planned_inspection_before_its_start(world, city_inspector, api_for):
    services.inspection_create(
        by=city_inspector,
        code="KT-KH-1",
        kind="planned",
        conducted_by=world.stc,
        target_unit=world.snv_tc,
        started_on=timezone.localdate() + dt.timedelta(days=10),
    )
    assert api_for("lan").get("/api/v1/inspections/KT-KH-1/").status_code == 200
