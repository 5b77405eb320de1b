"""Who reads which units through `/api/v1/units/`: anonymous, sibling, subtree, city-wide."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LIST = "/api/v1/units/"


def codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [row["code"] for row in response.json()["results"]]


def test_it_refuses_anonymous_list_with_401_in_the_error_format(world) -> None:
    response = APIClient().get(LIST)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Token")


def test_it_refuses_anonymous_detail_with_401(world) -> None:
    assert APIClient().get(f"{LIST}SNV/").status_code == 401


def test_it_refuses_a_bad_token_with_401(world) -> None:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get(LIST)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_it_lists_the_personnel_officers_subtree_only(api_for) -> None:
    response = api_for("lan").get(LIST)
    assert response.status_code == 200
    assert codes(response) == ["SNV", "SNV-CC", "SNV-TC"]


def test_it_shows_a_sibling_units_head_only_their_own_subtree(api_for) -> None:
    assert codes(api_for("minh").get(LIST)) == ["STC", "STC-NS"]


def test_it_hides_a_sibling_unit_detail_with_404(api_for) -> None:
    response = api_for("minh").get(f"{LIST}SNV/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_shows_a_unit_in_scope(api_for) -> None:
    response = api_for("lan").get(f"{LIST}SNV-TC/")
    assert response.status_code == 200
    body = response.json()
    assert body["parent"] == "SNV"
    assert body["heads"] == [{"staff": "P004", "name": "Phạm Thị Hoa", "role": "head"}]


def test_it_shows_city_leadership_every_unit(api_for) -> None:
    assert codes(api_for("hung").get(LIST)) == [
        "HN",
        "P-BADINH",
        "SNV",
        "SNV-CC",
        "SNV-TC",
        "STC",
        "STC-NS",
    ]


def test_it_shows_plain_staff_no_units(api_for) -> None:
    response = api_for("an").get(LIST)
    assert response.status_code == 200
    assert response.json()["count"] == 0


def test_it_shows_a_division_manager_only_her_division(api_for) -> None:
    assert codes(api_for("hoa").get(LIST)) == ["SNV-TC"]
    assert api_for("hoa").get(f"{LIST}SNV/").status_code == 404


def test_it_lets_a_successor_read_but_not_write_the_units_it_succeeded(api_for, world) -> None:
    """rules.md: org-history.successor."""
    import datetime as dt

    from thenchot.accounts.models import RoleGrant
    from thenchot.org.models import UnitSuccession
    from thenchot.org.testing import UnitFactory
    from thenchot.org.tree import invalidate

    old = UnitFactory(
        code="P-HANGBAC", name="Phường Hàng Bạc", kind="ward", valid_to=dt.date(2025, 6, 30)
    )
    new = UnitFactory(
        code="P-HOANKIEM", name="Phường Hoàn Kiếm", kind="ward", valid_from=dt.date(2025, 7, 1)
    )
    UnitSuccession.objects.create(predecessor=old, successor=new, effective_on=new.valid_from)
    invalidate()
    RoleGrant.objects.create(user=world.user("binh"), role="personnel", unit=new)
    client = api_for("binh")
    assert client.get(f"{LIST}P-HANGBAC/").status_code == 200
    response = client.patch(f"{LIST}P-HANGBAC/", {"name": "X", "version": 1}, format="json")
    assert response.status_code == 403
    assert api_for("lan").get(f"{LIST}P-HANGBAC/").status_code == 404
