"""`thenchot import_data` and `thenchot export_data`: exit codes, stdout and stderr."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from thenchot.exchange.tests.conftest import AS_OF, json_file
from thenchot.people.models import Staff

ROW = {"code": "CB9", "full_name": "Hoàng Thị Mai", "category": "cadre", "unit": "SNV"}


def _import(path, *args: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    out, err = io.StringIO(), io.StringIO()
    call_command("import_data", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_imports_and_prints_counts_per_section(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "staff.json"
    path.write_bytes(json_file(staff=[ROW]))
    out, err = _import(path, "--lang", "en")
    assert out.splitlines() == ["staff: 1 created, 0 updated, 0 unchanged"]
    assert err == ""
    assert Staff.objects.filter(code="CB9").exists()


def test_it_checks_only_on_a_dry_run(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "staff.json"
    path.write_bytes(json_file(staff=[ROW]))
    out, _err = _import(path, "--dry-run", "--lang", "en")
    assert "staff: 1 created" in out and "nothing was written" in out
    assert not Staff.objects.filter(code="CB9").exists()


def test_it_lists_every_error_on_stderr_and_fails(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.json"
    bad = [dict(ROW, unit="SNV-P9"), dict(ROW, code="CB8", category="boss")]
    path.write_bytes(json_file(staff=bad))
    err = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_data", str(path), "--lang", "en", stderr=err)
    lines = err.getvalue().splitlines()
    assert (
        lines[0]
        == "staff[1].category: 'boss' is not one of: cadre, civil_servant, public_employee, contract_worker"
    )
    assert lines[1] == "staff[0].unit: unknown unit code 'SNV-P9'"
    assert "2 error(s)" in str(excinfo.value)
    assert not Staff.objects.filter(code__in=["CB8", "CB9"]).exists()


def test_it_takes_the_language_from_lang(world, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from thenchot.core.cli import cli_language

    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    assert cli_language(None) == "en"
    monkeypatch.setenv("LANG", "C.UTF-8")
    assert cli_language(None) == "vi"


def test_it_exits_with_1_from_the_console_script(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # CommandError -> exit status 1 when run as `thenchot import_data`.
    from django.core.management import ManagementUtility

    path = tmp_path / "bad.json"
    path.write_bytes(b"{")
    utility = ManagementUtility(["thenchot", "import_data", str(path), "--lang", "en"])
    with pytest.raises(SystemExit) as excinfo:
        utility.execute()
    assert excinfo.value.code == 1


def test_it_exports_sections_of_a_subtree(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "out.json"
    call_command(
        "export_data",
        str(path),
        "--sections",
        "units,staff",
        "--unit",
        "SNV",
        "--as-of",
        AS_OF.isoformat(),
        stdout=io.StringIO(),
    )
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert set(doc) == {"format", "as_of", "units", "staff"}
    assert [u["code"] for u in doc["units"]] == ["SNV", "SNV-CC", "SNV-TC"]
    assert {s["unit"] for s in doc["staff"]} <= {"SNV", "SNV-CC", "SNV-TC"}
    assert {s["username"] for s in doc["staff"]} == {"quan", "lan", "hoa", "an"}


def test_it_limits_an_export_to_a_date_range(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    from thenchot.org.models import Unit

    Unit.objects.create(code="OLD", name="Cũ", kind="district", valid_to=dt.date(2019, 12, 31))
    path = tmp_path / "out.xlsx"
    call_command(
        "export_data",
        str(path),
        "--sections",
        "units",
        "--from",
        "2019-01-01",
        "--to",
        "2019-06-30",
        stdout=io.StringIO(),
    )
    from thenchot.exchange.tests.conftest import sheet_values

    rows = sheet_values(path.read_bytes())["units"]
    assert [r[0] for r in rows] == ["code", "OLD"]


def test_it_refuses_bad_export_options(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="SNV-P9"):
        call_command("export_data", str(tmp_path / "x.json"), "--unit", "SNV-P9", "--lang", "en")
    with pytest.raises(CommandError, match="'chores'"):
        call_command(
            "export_data", str(tmp_path / "x.json"), "--sections", "chores", "--lang", "en"
        )
    with pytest.raises(CommandError, match=".json or .xlsx"):
        call_command("export_data", str(tmp_path / "x.csv"), "--lang", "en")
