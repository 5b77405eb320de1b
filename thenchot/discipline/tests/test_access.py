"""Discipline records are visible to personnel officers and leaders in scope and to the person,
never to division managers, inspectors, other staff or anonymous visitors."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.discipline.selectors import can_read_discipline, decisions_queryset
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def decisions(world):  # type: ignore[no-untyped-def]
    from thenchot.people.testing import StaffFactory

    stc_person = StaffFactory(code="STC-1", full_name="Hoàng Văn Tài", unit=world.stc_ns)
    return {
        "an": decision(world.staff["an"], "KL-AN"),
        "stc": decision(stc_person, "KL-STC"),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("quan", {"KL-AN", "KL-STC"}),
        ("hung", {"KL-AN", "KL-STC"}),
        ("lan", {"KL-AN"}),
        ("minh", {"KL-STC"}),
        ("an", {"KL-AN"}),
        ("hoa", set()),
        ("binh", set()),
    ],
)
def test_it_shows_decisions_only_to_those_allowed(
    world, scope_of, decisions, who, expected
) -> None:  # type: ignore[no-untyped-def]
    codes = set(decisions_queryset(scope_of(who)).values_list("code", flat=True))
    assert codes == expected
    assert can_read_discipline(scope_of(who), world.staff["an"]) == ("KL-AN" in expected)


def test_it_lists_to_division_managers_and_inspectors_only_their_own(client_for, decisions) -> None:  # type: ignore[no-untyped-def]
    assert "KL-AN" in client_for("lan").get("/discipline/").content.decode()
    for who in ("hoa", "binh"):
        response = client_for(who).get("/discipline/")
        assert response.status_code == 200
        assert "KL-AN" not in response.content.decode()
        assert "KL-STC" not in response.content.decode()


def test_it_sends_anonymous_visitors_to_the_login_page(client, decisions) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/discipline/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_hides_a_case_from_a_sibling_units_head(world, client_for, scope_of) -> None:  # type: ignore[no-untyped-def]
    from thenchot.discipline import services

    case = services.case_open(
        scope=scope_of("lan"), staff=world.staff["an"], detected_on=dt.date(2025, 8, 1), summary="x"
    )
    assert client_for("lan").get(f"/discipline/cases/{case.code}/").status_code == 200
    assert client_for("minh").get(f"/discipline/cases/{case.code}/").status_code == 404
    assert client_for("hoa").get(f"/discipline/cases/{case.code}/").status_code == 404


def test_it_exports_the_visible_decisions_as_xlsx(client_for, decisions) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    response = client_for("lan").get("/discipline/?format=xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["KL-AN"]
