"""Staff filters: search without diacritics, unit subtree on a date, category, flags, order."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.core.collation import name_sort_key
from thenchot.people.models import HeadAssignment
from thenchot.people.services import staff_transfer
from thenchot.people.testing import StaffFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/"


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_it_finds_a_name_typed_without_diacritics(api_for, world) -> None:
    assert codes(api_for("hung").get(LIST, {"q": "nguyen van an"})) == ["P005"]
    assert codes(api_for("hung").get(LIST, {"q": "NGUYỄN thị"})) == ["P002"]


def test_it_does_not_find_people_outside_the_scope(api_for, world) -> None:
    assert codes(api_for("lan").get(LIST, {"q": "le quang minh"})) == []


def test_it_filters_a_unit_subtree(api_for, world) -> None:
    assert sorted(codes(api_for("hung").get(LIST, {"unit": "SNV"}))) == [
        "P000",
        "P002",
        "P004",
        "P005",
    ]
    assert sorted(codes(api_for("hung").get(LIST, {"unit": "SNV-TC"}))) == ["P004", "P005"]


def test_it_filters_several_categories(api_for, world) -> None:
    StaffFactory(
        code="VC1", full_name="Hoàng Thu Trang", category="public_employee", unit=world.snv
    )
    StaffFactory(code="HD1", full_name="Bùi Văn Tú", category="contract_worker", unit=world.snv)
    response = api_for("lan").get(f"{LIST}?category=public_employee&category=contract_worker")
    assert sorted(codes(response)) == ["HD1", "VC1"]


def test_it_filters_leaders_and_heads(api_for, world) -> None:
    client = api_for("hung")
    assert sorted(codes(client.get(LIST, {"is_leader": "true"}))) == ["P001", "P003", "P004"]
    assert sorted(codes(client.get(LIST, {"is_head": "true"}))) == ["P003", "P004"]
    rows = {r["code"]: r for r in client.get(LIST).json()["results"]}
    assert rows["P004"]["is_head"] is True and rows["P005"]["is_head"] is False


def test_it_derives_is_head_on_the_as_of_date(api_for, world) -> None:
    HeadAssignment.objects.filter(staff=world.staff["hoa"]).update(valid_to=dt.date(2024, 12, 31))
    client = api_for("lan")
    assert client.get(f"{LIST}P004/").json()["is_head"] is False
    assert client.get(f"{LIST}P004/", {"as_of": "2024-06-01"}).json()["is_head"] is True
    assert codes(client.get(LIST, {"is_head": "true", "as_of": "2024-06-01"})) == ["P004"]


def test_it_filters_the_subtree_as_it_was_on_a_past_date(api_for, world) -> None:
    staff_transfer(
        scope=compute_scope(world.user("quan")),
        staff=world.staff["an"],
        unit=world.stc_ns,
        on=dt.date(2026, 1, 1),
        expected_version=1,
    )
    client = api_for("hung")
    assert "P005" not in codes(client.get(LIST, {"unit": "SNV-TC"}))
    assert "P005" in codes(client.get(LIST, {"unit": "SNV-TC", "as_of": "2025-06-01"}))
    assert "P005" in codes(client.get(LIST, {"unit": "STC"}))


def test_it_orders_by_unit_code_then_by_full_name_descending(api_for, world) -> None:
    client = api_for("lan")
    rows = client.get(LIST, {"ordering": "unit__code,full_name"}).json()["results"]
    assert [r["code"] for r in rows] == ["P002", "P000", "P005", "P004"]
    rows = client.get(LIST, {"ordering": "-full_name"}).json()["results"]
    # By given name, middle, family in Vietnamese order (`core.collation`), not by code point.
    names = [r["full_name"] for r in rows]
    assert names == sorted(names, key=name_sort_key, reverse=True)


def test_it_paginates(api_for, world) -> None:
    client = api_for("hung")
    first = client.get(LIST, {"page_size": 3}).json()
    second = client.get(LIST, {"page_size": 3, "page": 2}).json()
    assert first["count"] == 7 and len(first["results"]) == 3
    assert first["next"] and first["previous"] is None
    assert not {r["code"] for r in first["results"]} & {r["code"] for r in second["results"]}


def test_it_refuses_a_malformed_filter_with_a_field_error(api_for, world) -> None:
    response = api_for("hung").get(LIST, {"category": "astronaut"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["category"]
