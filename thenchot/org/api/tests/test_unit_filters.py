"""Unit filters: subtree on a date, direct children, kinds, diacritic-free search, as_of."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.org.models import UnitSuccession
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate
from thenchot.people.models import HeadAssignment

pytestmark = pytest.mark.django_db

LIST = "/api/v1/units/"
OLD_END = dt.date(2025, 6, 30)
NEW_START = dt.date(2025, 7, 1)


@pytest.fixture
def history(world):  # type: ignore[no-untyped-def]
    """Hanoi before and after the 2025 reform: a district and its ward end, a new ward begins."""
    district = UnitFactory(
        code="Q-HK", name="Quận Hoàn Kiếm", kind="district", valid_to=OLD_END, parent=world.city
    )
    old_ward = UnitFactory(
        code="P-HANGBAC", name="Phường Hàng Bạc", kind="ward", valid_to=OLD_END, parent=district
    )
    new_ward = UnitFactory(
        code="P-HOANKIEM",
        name="Phường Hoàn Kiếm",
        kind="ward",
        valid_from=NEW_START,
        parent=world.city,
    )
    UnitSuccession.objects.create(predecessor=old_ward, successor=new_ward, effective_on=NEW_START)
    invalidate()
    HeadAssignment.objects.create(
        unit=district,
        staff=world.staff["minh"],
        role="head",
        valid_from=dt.date(2020, 1, 1),
        valid_to=OLD_END,
    )
    return world


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return [row["code"] for row in response.json()["results"]]


def test_it_filters_a_subtree_by_code(api_for, world) -> None:
    assert codes(api_for("hung").get(LIST, {"unit": "SNV"})) == ["SNV", "SNV-CC", "SNV-TC"]


def test_it_filters_a_subtree_outside_the_scope_to_nothing(api_for, world) -> None:
    assert codes(api_for("lan").get(LIST, {"unit": "STC"})) == []


def test_it_filters_an_unknown_unit_code_to_nothing(api_for, world) -> None:
    assert codes(api_for("hung").get(LIST, {"unit": "NOPE"})) == []


def test_it_filters_direct_children_by_parent(api_for, world) -> None:
    assert codes(api_for("hung").get(LIST, {"parent": "HN"})) == ["P-BADINH", "SNV", "STC"]


def test_it_filters_several_kinds(api_for, world) -> None:
    response = api_for("hung").get(f"{LIST}?kind=ward&kind=city")
    assert codes(response) == ["HN", "P-BADINH"]


def test_it_refuses_an_unknown_kind_with_a_field_error(api_for, world) -> None:
    response = api_for("hung").get(LIST, {"kind": "galaxy"})
    assert response.status_code == 400
    assert "kind" in response.json()["error"]["fields"]


def test_it_searches_without_diacritics(api_for, world) -> None:
    assert codes(api_for("hung").get(LIST, {"q": "so noi vu"})) == ["SNV"]
    assert codes(api_for("hung").get(LIST, {"q": "Phòng Tổ"})) == ["SNV-TC"]


def test_it_shows_only_todays_units_by_default(api_for, history) -> None:
    listed = codes(api_for("hung").get(LIST, {"page_size": 100}))
    assert "P-HOANKIEM" in listed
    assert "Q-HK" not in listed and "P-HANGBAC" not in listed


def test_it_shows_the_tree_as_of_a_past_date(api_for, history) -> None:
    response = api_for("hung").get(LIST, {"as_of": "2023-06-30", "unit": "Q-HK"})
    assert codes(response) == ["P-HANGBAC", "Q-HK"]
    rows = {row["code"]: row for row in response.json()["results"]}
    assert rows["P-HANGBAC"]["parent"] == "Q-HK"
    assert rows["Q-HK"]["heads"] == [{"staff": "P003", "name": "Lê Quang Minh", "role": "head"}]
    listed = codes(api_for("hung").get(LIST, {"as_of": "2023-06-30", "page_size": 100}))
    assert "P-HOANKIEM" not in listed


def test_it_reports_predecessors_and_successors_by_code(api_for, history) -> None:
    new = api_for("hung").get(f"{LIST}P-HOANKIEM/").json()
    old = api_for("hung").get(f"{LIST}P-HANGBAC/").json()
    assert new["predecessors"] == ["P-HANGBAC"] and new["successors"] == []
    assert old["successors"] == ["P-HOANKIEM"]


def test_it_describes_an_ended_unit_on_its_last_day(api_for, history) -> None:
    body = api_for("hung").get(f"{LIST}P-HANGBAC/").json()
    assert body["valid_to"] == "2025-06-30"
    assert body["parent"] == "Q-HK"


def test_it_describes_a_unit_on_the_given_date(api_for, history) -> None:
    body = api_for("hung").get(f"{LIST}Q-HK/", {"as_of": "2026-01-01"}).json()
    assert body["parent"] is None
    assert body["heads"] == []


def test_it_refuses_a_malformed_as_of_with_a_field_error(api_for, world) -> None:
    response = api_for("hung").get(LIST, {"as_of": "30/06/2023"})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["as_of"]


def test_it_orders_by_name_descending(api_for, world) -> None:
    listed = codes(api_for("lan").get(LIST, {"ordering": "-name"}))
    assert listed == ["SNV", "SNV-TC", "SNV-CC"]
