"""An import is bounded: file size, unpacked size and compression ratio of an XLSX, rows per
section or sheet, length of a value and nesting depth of JSON. Each limit is refused with a
message naming it and the value found, nothing is written, and a file within every limit
imports as before."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from thenchot.audit.models import AuditEntry
from thenchot.exchange.tests.conftest import json_file, messages, run_import, xlsx_file
from thenchot.people.models import Staff

HEADER = ["code", "full_name", "category", "unit"]


def _row(i: int, **extra: Any) -> dict[str, Any]:
    return {
        "code": f"CB{i}",
        "full_name": f"Nguyễn Văn {i}",
        "category": "cadre",
        "unit": "SNV",
        **extra,
    }


def _sheet_row(i: int) -> list[Any]:
    return list(_row(i).values())


def _refused(data: bytes, filename: str = "big.json") -> list[str]:
    before = Staff.objects.count(), AuditEntry.objects.count()
    result = run_import(data, filename=filename)
    assert not result.ok
    assert (Staff.objects.count(), AuditEntry.objects.count()) == before, "nothing is written"
    return messages(result)


def _imported(data: bytes, filename: str = "fine.json") -> None:
    result = run_import(data, filename=filename, dry_run=True)
    assert result.ok, messages(result)


def test_it_refuses_a_file_over_the_size_limit(world, settings) -> None:  # type: ignore[no-untyped-def]
    data = json_file(staff=[_row(1)])
    settings.THENCHOT_IMPORT_MAX_FILE_BYTES = len(data) - 1
    assert _refused(data) == [
        f"The file is {len(data)}\xa0bytes; the limit is {len(data) - 1}\xa0bytes."
    ]
    settings.THENCHOT_IMPORT_MAX_FILE_BYTES = len(data)
    _imported(data)


def test_it_refuses_a_file_over_the_size_limit_on_the_command_line(
    world, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "big.json"
    path.write_bytes(json_file(staff=[_row(1)]))
    settings.THENCHOT_IMPORT_MAX_FILE_BYTES = 10
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_data", str(path), "--lang", "en", stderr=err)
    assert "the limit is 10\xa0bytes" in err.getvalue()
    assert not Staff.objects.filter(code="CB1").exists()


def test_it_refuses_more_records_per_section_than_the_limit(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_ROWS = 2
    assert _refused(json_file(staff=[_row(1), _row(2), _row(3)])) == [
        "staff: the section holds 3 records; the limit is 2 records per section"
    ]
    _imported(json_file(staff=[_row(1), _row(2)]))


def test_it_refuses_more_rows_per_sheet_than_the_limit(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_ROWS = 2
    data = xlsx_file({"staff": [HEADER, _sheet_row(1), _sheet_row(2), _sheet_row(3)]})
    assert _refused(data, "big.xlsx") == [
        "sheet staff: the sheet holds 3 rows; the limit is 2 rows per sheet"
    ]
    _imported(xlsx_file({"staff": [HEADER, _sheet_row(1), _sheet_row(2)]}), "fine.xlsx")


def test_it_refuses_a_workbook_that_unpacks_over_the_limit(world, settings) -> None:  # type: ignore[no-untyped-def]
    data = xlsx_file({"staff": [HEADER, _sheet_row(1)]})
    settings.THENCHOT_IMPORT_MAX_UNZIPPED_BYTES = 1000
    errors = _refused(data, "big.xlsx")
    assert len(errors) == 1
    assert errors[0].startswith("The workbook unpacks to ")
    assert errors[0].endswith("; the limit is 1000\xa0bytes.")


def test_it_refuses_a_workbook_compressed_beyond_the_ratio(world, settings) -> None:  # type: ignore[no-untyped-def]
    rows = [HEADER, *([_sheet_row(1)] * 3000)]  # duplicates: compressed about 40 times
    data = xlsx_file({"staff": rows})
    settings.THENCHOT_IMPORT_MAX_ZIP_RATIO = 10
    errors = _refused(data, "bomb.xlsx")
    assert len(errors) == 1
    assert "times its size; the limit is 10 times" in errors[0]


def test_it_refuses_a_value_longer_than_the_limit(world) -> None:  # type: ignore[no-untyped-def]
    huge = "x" * 5_000_000
    evaluation = {"staff": "P001", "period": "2026-01", "reasons": ["ok", huge]}
    assert _refused(json_file(evaluations=[evaluation])) == [
        "evaluations[0].reasons[1]: '" + "x" * 80 + "…' is 5,000,000 characters long; "
        "the limit is 32,767"
    ]
    # A field with a length of its own says so, quoting as briefly.
    assert _refused(json_file(staff=[_row(1, position_title=huge)])) == [
        "staff[0].position_title: '" + "x" * 80 + "…' is too long (at most 200 characters)"
    ]


def test_it_refuses_a_long_value_in_a_sheet_and_in_a_nested_list(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_VALUE_CHARS = 20
    long_name = "Nguyễn Văn Rất Rất Dài"  # 22 characters
    data = xlsx_file({"staff": [HEADER, [*_sheet_row(1)[:1], long_name, "cadre", "SNV"]]})
    assert _refused(data, "long.xlsx") == [
        f"sheet staff, row 2, column full_name: '{long_name}' is 22 characters long; "
        "the limit is 20"
    ]
    tasks = [{"code": "T1", "coordinating_units": ["SNV", "S" * 21]}]
    assert _refused(json_file(tasks=tasks)) == [
        "tasks[0].coordinating_units[1]: '" + "S" * 21 + "' is 21 characters long; the limit is 20"
    ]
    _imported(json_file(staff=[_row(1, full_name="Đ" * 20)]))


def test_it_refuses_json_nested_deeper_than_the_limit(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_JSON_DEPTH = 3
    deep = json_file(staff=[_row(1, position_title=[["x"]])])
    assert _refused(deep) == ["The JSON nests 5 levels deep; the limit is 3."]
    # Brackets inside strings, escaped quotes included, are text, not nesting.
    _imported(json_file(staff=[_row(1, full_name='Lê [[["{{ \\" [[')]))


def _deep_json(levels: int) -> bytes:
    return b'{"format": "thenchot/1", "staff": ' + b"[" * levels + b"]" * levels + b"}"


def test_it_refuses_100000_levels_of_json_on_the_command_line(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "deep.json"
    path.write_bytes(_deep_json(100_000))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("import_data", str(path), "--lang", "en", stderr=err)
    assert err.getvalue() == "The JSON nests 100,001 levels deep; the limit is 32.\n"


def test_it_refuses_100000_levels_of_json_on_the_import_page(client_for) -> None:  # type: ignore[no-untyped-def]
    upload = SimpleUploadedFile("deep.json", _deep_json(100_000), content_type="application/json")
    response = client_for("lan", lang="en").post("/exchange/import/", {"file": upload})
    assert response.status_code == 400
    assert b"The JSON nests 100,001 levels deep; the limit is 32." in response.content
