"""Every bad input is reported with its place and the value quoted, all at once, and nothing
is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from thenchot.audit.models import AuditEntry
from thenchot.exchange.tests.conftest import json_file, messages, run_import, xlsx_file
from thenchot.org.models import Unit, UnitLink
from thenchot.people.models import JobPosition, Staff

STAFF = {"code": "CB1", "full_name": "Nguyễn Văn Mới", "category": "civil_servant", "unit": "SNV"}


@pytest.fixture(autouse=True)
def _english():  # type: ignore[no-untyped-def]
    with translation.override("en"):
        yield


def _counts() -> tuple[int, int, int, int, int]:
    return (
        Unit.objects.count(),
        UnitLink.objects.count(),
        Staff.objects.count(),
        JobPosition.objects.count(),
        AuditEntry.objects.count(),
    )


def _refused(data: bytes, filename: str = "bad.json") -> list[str]:
    before = _counts()
    result = run_import(data, filename=filename)
    assert not result.ok
    assert _counts() == before, "nothing may be written"
    return messages(result)


def test_it_reports_malformed_json_with_line_and_column(world) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(b'{"format": "thenchot/1",\n "units": [}')
    assert len(errors) == 1
    assert errors[0].startswith("line 2, column ")
    assert "not valid JSON" in errors[0]


def test_it_reports_a_malformed_workbook(world) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(b"PK\x03\x04 not really a zip", filename="bad.xlsx")
    assert errors == ["The file is not a readable XLSX workbook."]


def test_it_refuses_a_wrong_format_tag_and_unknown_sections(world) -> None:  # type: ignore[no-untyped-def]
    data = b'{"format": "thenchot/2", "unit": [], "as_of": "2026-02-30"}'
    errors = _refused(data)
    assert "format: the format must be 'thenchot/1', got 'thenchot/2'" in errors
    assert "unit: unknown section 'unit'" in errors
    assert "as_of: '2026-02-30' is not a date (YYYY-MM-DD)" in errors


def test_it_refuses_unknown_fields_and_reference_codes_all_at_once(world) -> None:  # type: ignore[no-untyped-def]
    staff = [dict(STAFF, code=f"CB{i}") for i in range(13)]
    staff[0]["fullname"] = "typo"
    staff[12]["unit"] = "SNV-P9"
    staff[5]["job_position"] = "VTVL-X"
    errors = _refused(json_file(staff=staff))
    assert errors == [
        "staff[0].fullname: unknown field 'fullname'",
        "staff[5].job_position: unknown job position code 'VTVL-X'",
        "staff[12].unit: unknown unit code 'SNV-P9'",
    ]


def test_it_refuses_duplicate_codes_missing_fields_bad_enums_and_dates(world) -> None:  # type: ignore[no-untyped-def]
    units = [
        {"code": "X1", "name": "Một", "kind": "division", "parent": "SNV"},
        {"code": "X1", "name": "Hai", "kind": "province", "parent": "SNV"},
    ]
    staff = [
        {"code": "CB1", "category": "civil_servant", "unit": "SNV", "joined_on": "2020-13-01"},
        dict(STAFF, code="CB2", is_leader="yes"),
    ]
    errors = _refused(json_file(units=units, staff=staff))
    assert "units[1].code: duplicate code 'X1' (first at units[0])" in errors
    assert any(e.startswith("units[1].kind: 'province' is not one of: city, ") for e in errors)
    assert "staff[0].joined_on: '2020-13-01' is not a date (YYYY-MM-DD)" in errors
    assert "staff[0].full_name: required field is missing" in errors
    assert "staff[1].is_leader: 'yes' is not a boolean (true or false)" in errors


def test_it_refuses_valid_to_before_valid_from(world) -> None:  # type: ignore[no-untyped-def]
    units = [
        {
            "code": "X1",
            "name": "Một",
            "kind": "division",
            "parent": "SNV",
            "valid_from": "2025-01-01",
            "valid_to": "2024-12-31",
        }
    ]
    errors = _refused(json_file(units=units))
    assert errors == ["units[0].valid_to: '2024-12-31' is before valid_from '2025-01-01'"]


def test_it_refuses_a_unit_made_its_own_ancestor(world) -> None:  # type: ignore[no-untyped-def]
    # Through the database: HN under SNV-TC, which is under SNV, under HN.
    errors = _refused(
        json_file(units=[{"code": "HN", "name": "HN", "kind": "city", "parent": "SNV-TC"}])
    )
    assert errors == ["units[0].parent: unit 'HN' would become its own ancestor"]
    # Inside the file, and directly.
    units = [
        {"code": "A", "name": "A", "kind": "division", "parent": "B"},
        {"code": "B", "name": "B", "kind": "division", "parent": "A"},
        {"code": "C", "name": "C", "kind": "division", "parent": "C"},
    ]
    errors = _refused(json_file(units=units))
    assert "units[0].parent: unit 'A' would become its own ancestor" in errors
    assert "units[1].parent: unit 'B' would become its own ancestor" in errors
    assert "units[2].parent: unit 'C' would become its own ancestor" in errors


def test_it_refuses_staff_in_a_unit_that_did_not_exist_on_the_date(world) -> None:  # type: ignore[no-untyped-def]
    units = [
        {"code": "OLD", "name": "Cũ", "kind": "district", "parent": "HN", "valid_to": "2025-06-30"},
        {"code": "NEW", "name": "Mới", "kind": "ward", "parent": "HN", "valid_from": "2025-07-01"},
    ]
    staff = [
        dict(STAFF, code="CB1", unit="OLD"),
        dict(STAFF, code="CB2", unit="NEW", joined_on="2020-01-01"),
    ]
    errors = _refused(json_file(units=units, staff=staff))
    assert errors == [
        "staff[0].unit: unit 'OLD' did not exist on 2026-03-01",
        "staff[1].joined_on: unit 'NEW' did not exist on 2020-01-01",
    ]


def test_it_refuses_a_rotation_period_outside_24_to_60_months(world) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.period."""
    jobs = [
        {"code": "J1", "name": "Một", "rotation_subject": True, "rotation_period_months": 12},
        {"code": "J2", "name": "Hai", "rotation_period_months": 60},
    ]
    errors = _refused(json_file(job_positions=jobs, units=[{"code": "?"}]))
    assert (
        "job_positions[0].rotation_period_months: the rotation period must be between 24 and 60"
        " months, got '12'"
    ) in errors


def test_it_refuses_duplicate_usernames_and_bad_emails(world) -> None:  # type: ignore[no-untyped-def]
    staff = [
        dict(STAFF, code="CB1", username="moi", email="not-an-email"),
        dict(STAFF, code="CB2", username="moi"),
        dict(STAFF, code="CB3", username="lan"),  # Lan's account belongs to her staff record
        dict(STAFF, code="CB4", username="có dấu"),
    ]
    errors = _refused(json_file(staff=staff))
    assert errors == [
        "staff[0].email: 'not-an-email' is not a valid e-mail address",
        "staff[1].username: username 'moi' is used twice in this file (first at staff[0].username)",
        "staff[2].username: username 'lan' already belongs to staff member 'P002'",
        "staff[3].username: 'có dấu' is not a valid username (letters, digits and @ . + - _ only)",
    ]


def test_it_names_sheet_row_and_column_in_a_workbook(world) -> None:  # type: ignore[no-untyped-def]
    header = ["code", "full_name", "category", "unit", "is_head", "joined_on", "colour"]
    data = xlsx_file(
        {
            "staff": [
                header,
                ["CB1", "Một", "civil_servant", "SNV", "TRUE", dt.date(2021, 1, 1), None],
                [],
                ["CB2", "Hai", "civil_servant", "SNV-P9", "maybe", "01/02/2020", None],
            ],
            "_notes": [["anything"]],
            "Sheet9": [["x"]],
        }
    )
    errors = _refused(data, filename="bad.xlsx")
    assert errors == [
        "sheet staff, row 1, column colour: unknown field 'colour'",
        "sheet Sheet9: unknown sheet 'Sheet9'",
        "sheet staff, row 4, column is_head: 'maybe' is not a boolean (true or false)",
        "sheet staff, row 4, column joined_on: '01/02/2020' is not a date (YYYY-MM-DD)",
        "sheet staff, row 4, column unit: unknown unit code 'SNV-P9'",
    ]


def test_it_refuses_a_file_of_the_wrong_kind(world) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(b"code,name\n", filename="units.csv")
    assert errors == ["Only .json and .xlsx files can be imported."]
