"""The staff list runs a fixed number of SQL queries whatever the page size (no N+1).

The committed baselines are in `query_counts.json`. A change that adds a query per row fails
here; a change that legitimately adds a query per page updates the baseline in the same commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.people.models import HeadAssignment, JobPosition, Staff
from thenchot.people.testing import StaffFactory

pytestmark = pytest.mark.django_db
BASELINES = json.loads((Path(__file__).parent / "query_counts.json").read_text())


@pytest.fixture
def crowd(world):  # type: ignore[no-untyped-def]
    """120 more staff spread over units, with job positions and a few heads."""
    position = JobPosition.objects.create(
        code="VT-KT", name="Kế toán", rotation_subject=True, rotation_period_months=36
    )
    units = [world.snv, world.snv_tc, world.snv_cc, world.stc, world.stc_ns, world.ward]
    for i in range(120):
        staff = StaffFactory(
            code=f"Q{i:04d}",
            full_name=f"Nguyễn Văn Đông {i:03d}",
            unit=units[i % len(units)],
            job_position=position if i % 2 else None,
            is_leader=i % 7 == 0,
        )
        if i % 25 == 0:
            HeadAssignment.objects.create(unit=staff.unit, staff=staff, role="deputy")
    return Staff.objects.count()


def _count(client, params):  # type: ignore[no-untyped-def]
    client.get("/staff/", params)  # warm the session and the tree snapshot
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/staff/", params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "persona,key", [("hung", "people:list city-wide"), ("lan", "people:list personnel")]
)
def test_it_runs_the_same_queries_for_10_and_100_rows(client_for, crowd, persona, key):
    client = client_for(persona)
    small, small_page = _count(client, {"page_size": 10, "sort": "unit"})
    large, large_page = _count(client, {"page_size": 100, "sort": "unit"})
    assert len(small_page.context["page"].object_list) == 10
    assert len(large_page.context["page"].object_list) > 10
    assert small == large, f"{key}: {small} queries for 10 rows, {large} for 100"
    assert large == BASELINES[key], (
        f"{key}: {large} queries, baseline {BASELINES[key]} "
        "(update thenchot/people/tests/query_counts.json if the change is intended)"
    )


def test_it_runs_the_same_queries_with_every_filter(client_for, crowd):
    client = client_for("hung")
    params = {
        "q": "nguyen van dong",
        "unit": "SNV",
        "category": "civil_servant",
        "is_leader": "false",
        "is_head": "false",
        "page_size": 100,
    }
    count, response = _count(client, params)
    assert response.context["page"].paginator.count > 10
    assert count == BASELINES["people:list filtered"]
