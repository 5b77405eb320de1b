"""Who reads which staff records through `/api/v1/staff/`."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LIST = "/api/v1/staff/"


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.content
    return sorted(row["code"] for row in response.json()["results"])


def test_it_refuses_anonymous_list_and_detail_with_401(world) -> None:
    client = APIClient()
    for url in (LIST, f"{LIST}P005/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"


def test_it_lists_the_personnel_officers_subtree(api_for) -> None:
    # lan (SNV): herself, quan (staff of SNV), hoa and an (SNV-TC)
    assert codes(api_for("lan").get(LIST)) == ["P000", "P002", "P004", "P005"]


def test_it_lists_a_sibling_units_head_only_their_unit(api_for) -> None:
    assert codes(api_for("minh").get(LIST)) == ["P003", "P006"]


def test_it_hides_a_sibling_units_staff_member_with_404(api_for) -> None:
    response = api_for("minh").get(f"{LIST}P005/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_shows_a_staff_member_in_scope(api_for) -> None:
    body = api_for("lan").get(f"{LIST}P005/").json()
    assert body["full_name"] == "Nguyễn Văn An"
    assert body["unit"] == "SNV-TC" and body["unit_name"] == "Phòng Tổ chức"


def test_it_shows_a_division_manager_her_division(api_for) -> None:
    assert codes(api_for("hoa").get(LIST)) == ["P004", "P005"]
    assert api_for("hoa").get(f"{LIST}P002/").status_code == 404


def test_it_shows_plain_staff_only_their_own_record(api_for) -> None:
    client = api_for("an")
    assert codes(client.get(LIST)) == ["P005"]
    assert client.get(f"{LIST}P005/").status_code == 200
    assert client.get(f"{LIST}P004/").status_code == 404


def test_it_shows_city_leadership_everyone(api_for) -> None:
    assert codes(api_for("hung").get(LIST)) == [f"P{i:03d}" for i in range(7)]
