"""Inspections, plans and recommendations recorded without a code get the next number of their
series; units are chosen with pickers (codes submitted as before, several with spaces); an
official number typed by hand is kept."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.inspections.models import Inspection, InspectionPlan, Recommendation
from thenchot.inspections.testing import InspectionFactory

pytestmark = pytest.mark.django_db
d = dt.date


def test_it_numbers_an_inspection_recorded_without_a_code(world, client_for) -> None:  # type: ignore[no-untyped-def]
    InspectionFactory(
        code="KTCV-2026-0011",
        conducted_by=world.stc,
        target_unit=world.stc,
        started_on=d(2026, 1, 5),
    )
    binh = client_for("binh")
    page = binh.get("/inspections/new/").content.decode()
    assert 'data-picker-url="/org/pick/"' in page and "data-picker-multiple" in page
    response = binh.post(
        "/inspections/new/",
        {
            "code": "",
            "kind": "surprise",
            "conducted_by": "STC",
            "target_unit": "STC",
            "other_targets": "STC-NS",  # the multi-pick's codes, separated by spaces
            "started_on": "02/03/2026",
        },
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get(code="KTCV-2026-0012")
    assert [u.code for u in inspection.other_targets.all()] == ["STC-NS"]


def test_it_keeps_an_official_number_typed_by_hand(world, client_for) -> None:  # type: ignore[no-untyped-def]
    base = {"kind": "surprise", "conducted_by": "STC", "target_unit": "STC-NS"}
    response = client_for("binh").post(
        "/inspections/new/", {**base, "code": "12/KL-UBND", "started_on": "02/03/2026"}
    )
    assert response.status_code == 302 and Inspection.objects.filter(code="12/KL-UBND").exists()


def test_it_numbers_a_plan_and_a_recommendation_recorded_without_a_code(world, client_for) -> None:  # type: ignore[no-untyped-def]
    binh = client_for("binh")
    response = binh.post(
        "/inspections/plans/new/", {"code": "", "conducted_by": "STC", "year": "2028"}
    )
    assert response.status_code == 302
    assert InspectionPlan.objects.get().code == "KH-KTCV-2028-0001"
    inspection = InspectionFactory(
        code="KT-STC-1", conducted_by=world.stc, target_unit=world.stc_ns, started_on=d(2026, 3, 2)
    )
    for _ in range(2):
        response = binh.post(
            "/inspections/KT-STC-1/recommendations/",
            {
                "rec-code": "",
                "rec-text": "Chấn chỉnh",
                "rec-responsible_unit": "STC-NS",
                "rec-due_on": "2026-04-01",
            },
        )
        assert response.status_code == 302
    assert sorted(r.code for r in Recommendation.objects.filter(inspection=inspection)) == [
        "KT-STC-1-KN01",
        "KT-STC-1-KN02",
    ]
