"""Export downloads: scoped to what the user may read, with the staff-list filters."""

from __future__ import annotations

import json

from django.test import Client

URL = "/exchange/export/"


def _codes(response, section: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r["code"] for r in json.loads(response.content)[section]]


def test_it_sends_an_anonymous_visitor_to_the_login_page(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(URL, {"section": "staff", "format": "json"})
    assert response.status_code == 302


def test_it_exports_only_lans_subtree(client_for, world) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").get(URL, {"section": "staff", "format": "json"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="thenchot-staff-')
    codes = _codes(response, "staff")
    assert world.staff["minh"].code not in codes  # STC, a sibling of SNV
    assert world.staff["binh"].code not in codes
    assert world.staff["an"].code in codes
    units = _codes(client_for("lan").get(URL, {"section": "units", "format": "json"}), "units")
    assert "STC" not in units and "SNV-TC" in units


def test_it_exports_everything_for_city_leadership(client_for, world) -> None:  # type: ignore[no-untyped-def]
    codes = _codes(client_for("hung").get(URL, {"section": "staff", "format": "json"}), "staff")
    assert len(codes) == 7


def test_it_exports_only_ans_own_record(client_for, world) -> None:  # type: ignore[no-untyped-def]
    codes = _codes(client_for("an").get(URL, {"section": "staff", "format": "json"}), "staff")
    assert codes == [world.staff["an"].code]


def test_it_applies_the_staff_list_filters(client_for, world) -> None:  # type: ignore[no-untyped-def]
    client = client_for("hung")
    by_unit = _codes(
        client.get(URL, {"section": "staff", "format": "json", "unit": "SNV-TC"}), "staff"
    )
    assert sorted(by_unit) == sorted([world.staff["hoa"].code, world.staff["an"].code])
    heads = _codes(
        client.get(URL, {"section": "staff", "format": "json", "is_head": "true"}), "staff"
    )
    assert sorted(heads) == sorted([world.staff["hoa"].code, world.staff["minh"].code])
    found = _codes(
        client.get(URL, {"section": "staff", "format": "json", "q": "nguyen van an"}), "staff"
    )
    assert found == [world.staff["an"].code]


def test_it_exports_xlsx(client_for) -> None:  # type: ignore[no-untyped-def]
    from thenchot.exchange.tests.conftest import sheet_values

    response = client_for("lan").get(URL, {"section": "staff", "format": "xlsx"})
    assert response.status_code == 200
    sheets = sheet_values(response.content)
    assert sheets["staff"][0][0] == "code"
    assert len(sheets["staff"]) == 5  # header + quan, lan, hoa, an


def test_it_rejects_unknown_sections_and_formats(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for("lan")
    assert client.get(URL, {"section": "chores", "format": "json"}).status_code == 400
    assert client.get(URL, {"section": "staff", "format": "csv"}).status_code == 400
    assert client.get(URL, {"section": "staff", "format": "json", "as_of": "x"}).status_code == 400
    assert (
        client.get(URL, {"section": "staff", "format": "json", "unit": "NOPE"}).status_code == 400
    )
