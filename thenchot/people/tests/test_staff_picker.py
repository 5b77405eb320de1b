"""The staff picker's search: by name without diacritics or by code, within the reader's scope,
the exact code first, at most 20 suggestions."""

from __future__ import annotations

import re

import pytest

from thenchot.people.testing import StaffFactory

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


@pytest.mark.parametrize("query", ["nguyen van an", "Nguyễn Văn An", "NGUYEN  van", "p005"])
def test_it_finds_a_person_by_name_without_diacritics_or_by_code(client_for, query) -> None:  # type: ignore[no-untyped-def]
    codes = _codes(client_for("lan").get("/staff/pick/", {"q": query}))
    assert codes[0] == "P005"  # Nguyễn Văn An


def test_it_never_suggests_someone_outside_the_readers_units(client_for) -> None:  # type: ignore[no-untyped-def]
    # Lê Quang Minh works in STC: Lan (personnel of SNV) does not read him; Hùng (city) does.
    assert _codes(client_for("lan").get("/staff/pick/", {"q": "le quang minh"})) == []
    assert _codes(client_for("lan").get("/staff/pick/", {"q": "P003"})) == []
    assert _codes(client_for("hung").get("/staff/pick/", {"q": "le quang minh"})) == ["P003"]
    # An reads only himself.
    assert _codes(client_for("an").get("/staff/pick/", {"q": "nguyen"})) == ["P005"]


def test_it_puts_the_exact_code_first_then_names_starting_with_the_query(client_for, world) -> None:  # type: ignore[no-untyped-def]
    StaffFactory(code="AN1", full_name="Trần An Khang", unit=world.snv)
    StaffFactory(code="X9", full_name="An Thị Bích", unit=world.snv)
    codes = _codes(client_for("lan").get("/staff/pick/", {"q": "an"}))
    assert codes.index("X9") < codes.index("AN1")  # "an thi bich" starts with the query
    assert _codes(client_for("lan").get("/staff/pick/", {"q": "an1"}))[0] == "AN1"


def test_it_caps_the_suggestions(client_for, world) -> None:  # type: ignore[no-untyped-def]
    for i in range(25):
        StaffFactory(code=f"CAP{i:02d}", full_name=f"Hoàng Thị Cúc {i}", unit=world.snv_tc)
    assert len(_codes(client_for("lan").get("/staff/pick/", {"q": "hoang thi cuc"}))) == 20


def test_it_suggests_nothing_for_an_empty_query_and_sends_the_anonymous_to_login(
    client, client_for
) -> None:  # type: ignore[no-untyped-def]
    assert _codes(client_for("hung").get("/staff/pick/", {"q": "  "})) == []
    assert client.get("/staff/pick/", {"q": "an"}).status_code == 302
