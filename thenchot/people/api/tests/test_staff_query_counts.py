"""A staff list page costs a fixed number of SQL queries, whatever its size (no N+1).

The counts are committed in query_counts.json; a change that adds queries per page fails here.
Lower a baseline when a change saves queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.org.testing import EPOCH
from thenchot.people.models import Assignment, HeadAssignment, JobPosition, Staff

pytestmark = pytest.mark.django_db

BASELINES = json.loads((Path(__file__).parent / "query_counts.json").read_text())


@pytest.fixture
def many_staff(world):  # type: ignore[no-untyped-def]
    """150 staff in SNV-TC and SNV-CC, with job positions, some of them heads."""
    positions = JobPosition.objects.bulk_create(
        JobPosition(code=f"VT{i}", name=f"Vị trí {i}") for i in range(5)
    )
    units = [world.snv_tc, world.snv_cc]
    staff = Staff.objects.bulk_create(
        Staff(
            code=f"CB{i:04d}",
            full_name=f"Nguyễn Văn Số {i:04d}",
            category="civil_servant",
            unit=units[i % 2],
            job_position=positions[i % 5],
            search_text=f"nguyen van so {i:04d} cb{i:04d}",
        )
        for i in range(150)
    )
    Assignment.objects.bulk_create(
        Assignment(staff=s, unit_id=s.unit_id, valid_from=EPOCH) for s in staff
    )
    HeadAssignment.objects.bulk_create(
        HeadAssignment(unit_id=s.unit_id, staff=s, role="deputy", valid_from=EPOCH)
        for s in staff[::10]
    )
    return world


def count_queries(client, params: dict[str, object]) -> tuple[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/staff/", params)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize(
    ("username", "params", "key"),
    [
        ("hung", {}, "staff_list_hung"),
        ("lan", {}, "staff_list_lan"),
        ("hung", {"unit": "SNV", "q": "nguyen van", "ordering": "unit__code"}, "staff_filtered"),
        ("hung", {"unit": "SNV", "as_of": "2024-01-01", "is_head": "false"}, "staff_as_of"),
    ],
)
def test_it_lists_staff_in_a_fixed_number_of_queries(
    api_for, many_staff, username, params, key
) -> None:
    client = api_for(username)
    client.get(
        "/api/v1/staff/", params
    )  # warm the tree snapshot and caches, as in a running server
    small, small_body = count_queries(client, {**params, "page_size": 5})
    large, large_body = count_queries(client, {**params, "page_size": 100})
    assert len(small_body["results"]) == 5 and len(large_body["results"]) == 100
    assert any(row["job_position"] for row in large_body["results"])
    assert small == large
    assert large <= BASELINES[key], large
