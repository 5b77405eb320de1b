"""The import page: who may use it, what it does with good and bad uploads."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from thenchot.audit.models import AuditEntry
from thenchot.exchange.tests.conftest import json_file
from thenchot.people.models import Staff

URL = "/exchange/import/"
ROW = {"code": "CB9", "full_name": "Hoàng Thị Mai", "category": "civil_servant"}


def _upload(data: bytes, name: str = "staff.json", content_type: str = "application/json"):  # type: ignore[no-untyped-def]
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_names_its_urls() -> None:
    assert reverse("exchange:import") == URL
    assert reverse("exchange:template") == "/exchange/template.xlsx"
    assert reverse("exchange:export") == "/exchange/export/"


def test_it_sends_an_anonymous_visitor_to_the_login_page(world) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(URL)
    assert response.status_code == 302
    assert "login" in response["Location"]
    response = Client().post(URL, {"file": _upload(json_file(staff=[dict(ROW, unit="SNV")]))})
    assert response.status_code == 302
    assert not Staff.objects.filter(code="CB9").exists()


@pytest.mark.parametrize("persona", ["an", "hoa", "minh", "binh", "hung"])
def test_it_refuses_people_who_cannot_write(client_for, persona) -> None:  # type: ignore[no-untyped-def]
    client = client_for(persona)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"file": _upload(json_file(staff=[dict(ROW, unit="SNV")]))})
    assert response.status_code == 403
    assert not Staff.objects.filter(code="CB9").exists()


def test_it_shows_the_form_to_a_personnel_officer(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").get(URL)
    assert response.status_code == 200
    assert b'type="file"' in response.content
    assert reverse("exchange:template").encode() in response.content


def test_it_imports_into_lans_own_unit(client_for, world) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").post(
        URL, {"file": _upload(json_file(staff=[dict(ROW, unit="SNV-TC")]), name="mai.json")}
    )
    assert response.status_code == 200
    assert b'data-result="ok"' in response.content
    staff = Staff.objects.get(code="CB9")
    assert staff.unit == world.snv_tc
    entry = AuditEntry.objects.get(model_label="people.staff", object_id=str(staff.pk))
    assert (entry.source, entry.reason, entry.actor) == ("import", "mai.json", world.user("lan"))


def test_it_refuses_lans_import_into_a_sibling_unit(client_for) -> None:  # type: ignore[no-untyped-def]
    rows = [dict(ROW, unit="SNV"), dict(ROW, code="CB8", unit="STC")]
    before = AuditEntry.objects.count()
    client = client_for("lan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English by the person's choice
    response = client.post(URL, {"file": _upload(json_file(staff=rows))})
    assert response.status_code == 400
    assert b'data-result="errors"' in response.content
    assert b"staff[1].unit: you may not change records of unit &#x27;STC&#x27;" in response.content
    assert not Staff.objects.filter(code__in=["CB8", "CB9"]).exists()
    assert AuditEntry.objects.count() == before


def test_it_refuses_lans_top_level_unit_and_move_of_minhs_staff(client_for, world) -> None:  # type: ignore[no-untyped-def]
    minh = world.staff["minh"]
    file = json_file(
        units=[{"code": "NEW", "name": "Mới", "kind": "department", "parent": None}],
        staff=[
            {"code": minh.code, "full_name": minh.full_name, "category": "cadre", "unit": "SNV"}
        ],
    )
    response = client_for("lan").post(URL, {"file": _upload(file)})
    assert response.status_code == 400
    text = response.content.decode()
    assert "units[0].parent:" in text
    assert "staff[0].unit:" in text
    minh.refresh_from_db()
    assert minh.unit == world.stc


def test_it_checks_only_when_asked(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").post(
        URL, {"file": _upload(json_file(staff=[dict(ROW, unit="SNV")])), "dry_run": "on"}
    )
    assert response.status_code == 200
    assert b'data-result="ok"' in response.content
    assert not Staff.objects.filter(code="CB9").exists()


def test_it_refuses_an_oversize_upload(client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_MAX_UPLOAD_BYTES = 100
    data = json_file(staff=[dict(ROW, unit="SNV", position_title="x" * 200)])
    response = client_for("lan").post(URL, {"file": _upload(data)})
    assert response.status_code == 400
    assert b"is-invalid" in response.content
    assert not Staff.objects.filter(code="CB9").exists()


@pytest.mark.parametrize(
    ("name", "content_type", "data"),
    [
        ("staff.csv", "text/csv", b"code,full_name\n"),
        ("staff.json", "image/png", b"{}"),
        ("staff.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"{}"),
    ],
)
def test_it_refuses_a_wrong_content_type(client_for, name, content_type, data) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").post(URL, {"file": _upload(data, name, content_type)})
    assert response.status_code == 400
    assert b"is-invalid" in response.content


def test_it_answers_htmx_with_the_result_only(client_for) -> None:  # type: ignore[no-untyped-def]
    response = client_for("lan").post(
        URL, {"file": _upload(b"{", "bad.json")}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert b"<form" not in response.content
    assert b'id="import-errors"' in response.content


def test_it_serves_the_xlsx_template_with_help(client_for) -> None:  # type: ignore[no-untyped-def]
    import io

    from openpyxl import load_workbook

    assert Client().get(reverse("exchange:template")).status_code == 302
    response = client_for("an").get(reverse("exchange:template"))
    assert response.status_code == 200
    wb = load_workbook(io.BytesIO(response.content))
    # Sections in import order: the calendar's days first (cases are counted on it), then
    # the organisation and its people.
    names = wb.sheetnames
    assert names[0] == "holidays"
    assert names.index("units") < names.index("job_positions") < names.index("staff")
    assert wb.sheetnames[-1] == "_help"
    header = [c.value for c in wb["staff"][1]]
    assert header[:4] == ["code", "full_name", "category", "unit"]
    assert wb["staff"]["A1"].comment is not None
    assert wb["_help"].max_row > 20
