"""The commendation pages: the list and its filters, recording and correcting through the form
(a person and a unit at once, or neither, refused on the form with the values named and nothing
written), deleting, and the panels on the person's page and the unit's page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from thenchot.audit.models import AuditEntry
from thenchot.commendations.models import Commendation
from thenchot.commendations.testing import CommendationFactory

pytestmark = pytest.mark.django_db


def _form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "staff": "",
        "unit": "",
        "kind": "certificate",
        "decision_number": "15/QĐ-SNV",
        "decided_on": "15/01/2026",
        "issued_by": "Giám đốc Sở Nội vụ",
        "reason": "Hoàn thành xuất sắc nhiệm vụ",
    }
    data.update(values)
    return data


def test_it_records_a_commendation_through_the_form(world, client_for) -> None:
    response = client_for("lan", lang="en").post(
        reverse("commendations:new"), _form(staff=world.staff["an"].code, innovation="on")
    )
    item = Commendation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("commendations:detail", args=[item.code])
    assert (item.staff_id, item.innovation, item.decided_on) == (
        world.staff["an"].pk,
        True,
        dt.date(2026, 1, 15),
    )


@pytest.mark.parametrize("both", [True, False])
def test_the_form_refuses_both_or_neither_and_writes_nothing(world, client_for, both) -> None:
    values = {"staff": world.staff["an"].code, "unit": "SNV"} if both else {}
    before = AuditEntry.objects.count()
    response = client_for("lan", lang="en").post(reverse("commendations:new"), _form(**values))
    page = response.content.decode()
    assert response.status_code == 200
    if both:
        assert "not both" in page and "&#x27;SNV&#x27;" in page
    else:
        assert "neither a staff member nor a unit" in page
    assert not Commendation.objects.exists()
    assert AuditEntry.objects.count() == before


def test_the_form_names_an_unknown_code(client_for) -> None:
    response = client_for("lan", lang="en").post(reverse("commendations:new"), _form(unit="SNV-X9"))
    assert "Unknown unit code &#x27;SNV-X9&#x27;" in response.content.decode()
    assert not Commendation.objects.exists()


def test_it_corrects_and_deletes_through_the_pages(world, client_for) -> None:
    item = CommendationFactory.create(code="12/QĐ-KT", staff=world.staff["an"])
    client = client_for("lan", lang="en")
    page = client.get(reverse("commendations:edit", args=[item.code]))
    assert page.status_code == 200
    response = client.post(
        reverse("commendations:edit", args=[item.code]),
        _form(staff=world.staff["an"].code, kind="emulation_fighter", version=1),
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.kind, item.version) == ("emulation_fighter", 2)
    stale = client.post(
        reverse("commendations:edit", args=[item.code]),
        _form(staff=world.staff["an"].code, kind="medal", version=1),
    )
    assert "changed by someone else" in stale.content.decode()
    client.post(reverse("commendations:delete", args=[item.code]), {"version": 2})
    assert not Commendation.objects.exists()


def test_the_list_filters_by_unit_subtree_year_form_and_innovation(world, client_for) -> None:
    CommendationFactory.create(code="A-TC", staff=world.staff["an"], innovation=True)
    CommendationFactory.create(code="B-SNV", unit=world.snv, kind="emulation_flag")
    CommendationFactory.create(code="C-STC", unit=world.stc, decided_on=dt.date(2024, 5, 2))
    client = client_for("quan", lang="en")

    def listed(**query: str) -> set[str]:
        page = client.get(reverse("commendations:list"), query).content.decode()
        return {code for code in ("A-TC", "B-SNV", "C-STC") if f">{code}<" in page}

    assert listed() == {"A-TC", "B-SNV", "C-STC"}
    assert listed(unit="SNV") == {"A-TC", "B-SNV"}
    assert listed(unit="SNV-TC") == {"A-TC"}
    assert listed(year="2024") == {"C-STC"}
    assert listed(kind="emulation_flag") == {"B-SNV"}
    assert listed(innovation="true") == {"A-TC"}
    assert listed(unit="NOPE") == set()


def test_a_commendation_shows_on_the_persons_page(world, client_for) -> None:
    CommendationFactory.create(
        code="KTH-P1", staff=world.staff["an"], innovation=True, reason="Sáng kiến số hóa hồ sơ"
    )
    page = client_for("lan", lang="en").get(reverse("people:person", args=[world.staff["an"].code]))
    html = page.content.decode()
    assert 'id="panel-commendations"' in html
    assert "KTH-P1" in html and "Sáng kiến số hóa hồ sơ" in html
    assert "1 innovation commendation" in html
    # Minh (STC) does not read An's record at all; Hoa's page of herself shows no panel.
    other = client_for("hoa", lang="en").get(
        reverse("people:person", args=[world.staff["hoa"].code])
    )
    assert 'id="panel-commendations"' not in other.content.decode()


def test_a_unit_commendation_shows_on_the_units_page(world, client_for) -> None:
    CommendationFactory.create(code="KTH-U1", unit=world.snv, kind="emulation_flag")
    html = client_for("lan", lang="en").get(reverse("org:unit", args=["SNV"])).content.decode()
    assert 'id="panel-commendations"' in html and "KTH-U1" in html
    assert "Emulation flag" in html
    stc = client_for("quan", lang="en").get(reverse("org:unit", args=["STC"])).content.decode()
    assert 'id="panel-commendations"' not in stc
