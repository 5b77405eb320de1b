"""A unit list page costs a fixed number of SQL queries, whatever its size (no N+1).

The counts are committed in query_counts.json; a change that adds queries per page fails here.
Lower a baseline when a change saves queries.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.testing import EPOCH
from thenchot.org.tree import invalidate
from thenchot.people.models import HeadAssignment, Staff

pytestmark = pytest.mark.django_db

BASELINES = json.loads((Path(__file__).parent / "query_counts.json").read_text())


@pytest.fixture
def many_units(world):  # type: ignore[no-untyped-def]
    """120 divisions under SNV, each with a head and a predecessor."""
    units = Unit.objects.bulk_create(
        Unit(code=f"SNV-D{i:03d}", name=f"Phòng {i}", kind="division", valid_from=EPOCH)
        for i in range(120)
    )
    old = Unit.objects.bulk_create(
        Unit(code=f"OLD-{i:03d}", name=f"Phòng cũ {i}", kind="division", valid_to=EPOCH)
        for i in range(120)
    )
    UnitLink.objects.bulk_create(
        UnitLink(unit=u, parent=world.snv, valid_from=EPOCH) for u in units
    )
    UnitSuccession.objects.bulk_create(
        UnitSuccession(predecessor=o, successor=u) for o, u in zip(old, units, strict=True)
    )
    staff = Staff.objects.bulk_create(
        Staff(code=f"H{i:03d}", full_name=f"Trưởng phòng {i}", category="civil_servant", unit=u)
        for i, u in enumerate(units)
    )
    HeadAssignment.objects.bulk_create(
        HeadAssignment(unit=u, staff=s, role="head", valid_from=EPOCH)
        for u, s in zip(units, staff, strict=True)
    )
    invalidate()
    return world


def count_queries(client, page_size: int) -> tuple[int, dict]:  # type: ignore[no-untyped-def,type-arg]
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/units/", {"page_size": page_size, "unit": "SNV"})
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


@pytest.mark.parametrize("username", ["hung", "lan"])
def test_it_lists_units_in_a_fixed_number_of_queries(api_for, many_units, username) -> None:
    client = api_for(username)
    client.get("/api/v1/units/")  # warm the tree snapshot, as in a running server
    small, small_body = count_queries(client, 5)
    large, large_body = count_queries(client, 100)
    assert len(small_body["results"]) == 5 and len(large_body["results"]) == 100
    generated = [row for row in large_body["results"] if row["code"].startswith("SNV-D")]
    assert len(generated) >= 95
    assert all(row["heads"] and row["parent"] and row["predecessors"] for row in generated)
    assert small == large
    assert large <= BASELINES[f"unit_list_{username}"], large
