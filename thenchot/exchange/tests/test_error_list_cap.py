"""However bad a file, the answer stays readable: the first errors are listed (1,000 by
default) and the rest counted, on the command line and on the import page alike; a value is
quoted up to 80 characters."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from thenchot.exchange.tests.conftest import json_file, messages, run_import
from thenchot.people.models import Staff


def _bad_rows(count: int) -> bytes:
    return json_file(
        staff=[{"code": f"CB{i}", "full_name": "X", "category": "cadre"} for i in range(count)]
    )


def test_it_lists_the_first_errors_and_counts_the_rest(world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_ERRORS = 3
    result = run_import(_bad_rows(5))
    assert messages(result) == [f"staff[{i}].unit: required field is missing" for i in range(3)]
    assert result.omitted == 2
    assert result.error_count == 5
    assert not result.ok
    settings.THENCHOT_IMPORT_MAX_ERRORS = 5
    result = run_import(_bad_rows(5))
    assert len(result.problems) == 5 and result.omitted == 0


def test_it_counts_the_rest_on_the_command_line(world, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_ERRORS = 3
    path = tmp_path / "bad.json"
    path.write_bytes(_bad_rows(5))
    err = io.StringIO()
    with pytest.raises(CommandError, match="5 error"):
        call_command("import_data", str(path), "--lang", "en", stderr=err)
    assert err.getvalue().splitlines()[3:] == ["… and 2 more errors."]
    assert not Staff.objects.filter(code="CB0").exists()


def test_it_counts_the_rest_on_the_import_page(client_for, settings) -> None:  # type: ignore[no-untyped-def]
    settings.THENCHOT_IMPORT_MAX_ERRORS = 3
    upload = SimpleUploadedFile("bad.json", _bad_rows(5), content_type="application/json")
    response = client_for("lan", lang="en").post("/exchange/import/", {"file": upload})
    assert response.status_code == 400
    content = response.content.decode()
    listed = content.split('id="import-errors">')[1].split("</ol>")[0]
    assert listed.count("<li>") == 3
    assert "5 problems found" in content
    assert "… and 2 more errors." in content


def test_it_quotes_a_long_value_up_to_80_characters(world) -> None:  # type: ignore[no-untyped-def]
    code = "SNV-" + "9" * 300
    result = run_import(
        json_file(staff=[{"code": "CB1", "full_name": "X", "category": "cadre", "unit": code}])
    )
    [error] = [m for m in messages(result) if m.startswith("staff[0].unit")]
    assert f"'{code[:80]}…'" in error
    assert code[:81] not in error
    result = run_import(
        json_file(staff=[{"code": "CB1", "full_name": "X", "category": "cadre", "unit": "SNV-P9"}])
    )
    assert any("'SNV-P9'" in m for m in messages(result)), "a short value is quoted whole"
