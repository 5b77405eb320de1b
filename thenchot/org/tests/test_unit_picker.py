"""The unit picker's search: by name without diacritics or by code, readable units only."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from thenchot.org.testing import UnitFactory

pytestmark = pytest.mark.django_db


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


def test_it_finds_a_unit_by_name_without_diacritics(client_for) -> None:  # type: ignore[no-untyped-def]
    assert _codes(client_for("hung").get("/org/pick/", {"q": "so tai chinh"})) == ["STC"]
    assert _codes(client_for("hung").get("/org/pick/", {"q": "Sở Tài chính"})) == ["STC"]


def test_it_puts_the_exact_code_first(client_for) -> None:  # type: ignore[no-untyped-def]
    codes = _codes(client_for("hung").get("/org/pick/", {"q": "snv"}))
    assert codes[0] == "SNV" and set(codes) == {"SNV", "SNV-TC", "SNV-CC"}


def test_it_never_suggests_a_unit_outside_the_readers_scope(client_for) -> None:  # type: ignore[no-untyped-def]
    assert _codes(client_for("lan").get("/org/pick/", {"q": "tai chinh"})) == []
    assert _codes(client_for("lan").get("/org/pick/", {"q": "STC"})) == []
    assert _codes(client_for("lan").get("/org/pick/", {"q": "phong"})) == ["SNV-CC", "SNV-TC"]


def test_it_leaves_out_ended_units_and_caps_the_list(client_for, world) -> None:  # type: ignore[no-untyped-def]
    UnitFactory(code="OLD", name="Phòng Cũ", parent=world.snv, valid_to=dt.date(2020, 1, 1))
    for i in range(25):
        UnitFactory(code=f"P-{i:02d}", name=f"Phường Thử {i}", kind="ward", parent=world.city)
    assert _codes(client_for("hung").get("/org/pick/", {"q": "phong cu"})) == []
    assert len(_codes(client_for("hung").get("/org/pick/", {"q": "phuong thu"}))) == 20
