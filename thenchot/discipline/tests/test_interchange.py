"""The `discipline` section: round trip through `import_data`/`export_data`, bad rows refused."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.discipline.models import DisciplineDecision

pytestmark = pytest.mark.django_db

ROWS = [
    {
        "code": "KL-1",
        "staff": "P005",
        "form": "warning",
        "track": "party",
        "violation": "V1",
        "decided_on": "2023-03-01",
        "effective_on": "2023-03-05",
        "decision_number": "12-QĐ/ĐU",
    },
    {
        "code": "KL-2",
        "staff": "P005",
        "form": "salary_step_down",
        "violation": "V1",
        "decided_on": "2023-04-01",
        "effective_on": "2023-04-01",
    },
]


def _write(tmp_path, name: str, rows: list[dict]) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(json.dumps({"format": "thenchot/1", "as_of": "2026-03-01", "discipline": rows}))
    return str(path)


def test_it_round_trips_decisions(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command("import_data", _write(tmp_path, "in.json", ROWS))
    assert DisciplineDecision.objects.count() == 2
    out = tmp_path / "out.json"
    call_command("export_data", str(out), "--sections", "discipline", "--as-of", "2026-03-01")
    exported = json.loads(out.read_text())["discipline"]
    assert [r["code"] for r in exported] == ["KL-1", "KL-2"]
    assert exported[1]["track"] == "administrative" and exported[1]["decision_number"] is None
    DisciplineDecision.objects.all().delete()
    call_command("import_data", str(out))
    again = tmp_path / "again.json"
    call_command("export_data", str(again), "--sections", "discipline", "--as-of", "2026-03-01")
    assert again.read_bytes() == out.read_bytes()


def test_it_changes_nothing_on_a_second_import(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "in.json", ROWS)
    call_command("import_data", path)
    capsys.readouterr()
    call_command("import_data", path, "--lang", "en")
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_it_refuses_bad_rows_and_writes_nothing(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = [
        {**ROWS[0], "staff": "NOBODY"},
        {**ROWS[1], "code": "KL-3", "decided_on": "2025-07-01", "effective_on": "2025-07-01"},
        {**ROWS[0], "code": "KL-4", "effective_on": "2023-02-01"},
    ]
    with pytest.raises(CommandError):
        call_command("import_data", _write(tmp_path, "bad.json", bad), "--lang", "en")
    err = capsys.readouterr().err
    assert "discipline[0].staff: unknown staff code 'NOBODY'" in err
    assert "discipline[1].form: Salary step-down (hạ bậc lương) cannot be imposed on" in err
    assert "discipline[2].effective_on" in err
    assert not DisciplineDecision.objects.exists()
