"""The `leaves` and `rotations` sections: imported rotations record the assignment history
without moving anyone again; round trips are byte for byte; bad rows change nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.people.models import Assignment, Leave, Staff
from thenchot.rotation.models import Rotation

pytestmark = pytest.mark.django_db
AS_OF = "2026-03-01"
STAFF = {
    "code": "NV-1",
    "full_name": "Đặng Thu Hà",
    "category": "civil_servant",
    "unit": "SNV-CC",
    "joined_on": "2020-01-01",
}
ROTATIONS = [
    {
        "code": "R-2",
        "staff": "NV-1",
        "kind": "between_divisions_same_specialty",
        "from_unit": "SNV-TC",
        "to_unit": "SNV-CC",
        "effective_on": "2023-03-01",
        "decision_number": "45/QĐ-SNV",
    },
    {
        "code": "R-1",
        "staff": "NV-1",
        "kind": "between_agencies",
        "from_unit": "STC-NS",
        "to_unit": "SNV-TC",
        "effective_on": "2021-06-01",
    },
    {
        "code": "R-3",
        "staff": "NV-1",
        "kind": "between_fields_within_division",
        "from_unit": "SNV-CC",
        "to_unit": "SNV-CC",
        "effective_on": "2024-06-01",
    },
]
LEAVES = [
    {"code": "NP-1", "staff": "NV-1", "kind": "study", "from": "2025-09-01", "to": "2026-08-31"}
]


def _write(tmp_path, name, **sections):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(json.dumps({"format": "thenchot/1", "as_of": AS_OF, **sections}))
    return str(path)


def _history() -> list[tuple[str, dt.date | None, dt.date | None]]:
    return list(
        Assignment.objects.filter(staff__code="NV-1")
        .order_by("valid_from")
        .values_list("unit__code", "valid_from", "valid_to")
    )


def test_it_records_the_history_of_imported_rotations(world, tmp_path) -> None:  # type: ignore[no-untyped-def]
    call_command(
        "import_data", _write(tmp_path, "a.json", staff=[STAFF], rotations=ROTATIONS, leaves=LEAVES)
    )
    assert _history() == [
        ("STC-NS", dt.date(2020, 1, 1), dt.date(2021, 5, 31)),
        ("SNV-TC", dt.date(2021, 6, 1), dt.date(2023, 2, 28)),
        ("SNV-CC", dt.date(2023, 3, 1), None),
    ]
    assert Staff.objects.get(code="NV-1").unit.code == "SNV-CC"
    assert Rotation.objects.count() == 3 and Leave.objects.get().kind == "study"


def test_it_round_trips_byte_for_byte_and_changes_nothing_twice(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = _write(tmp_path, "a.json", staff=[STAFF], rotations=ROTATIONS, leaves=LEAVES)
    call_command("import_data", path)
    out = tmp_path / "out.json"
    call_command("export_data", str(out), "--sections", "staff,leaves,rotations", "--as-of", AS_OF)
    capsys.readouterr()
    call_command("import_data", str(out), "--lang", "en")
    printed = capsys.readouterr().out
    assert "rotations: 0 created, 0 updated, 3 unchanged" in printed
    assert "leaves: 0 created, 0 updated, 1 unchanged" in printed
    history = _history()
    Rotation.objects.all().delete()
    Leave.objects.all().delete()
    Assignment.objects.filter(staff__code="NV-1").delete()
    Staff.objects.filter(code="NV-1").delete()
    call_command("import_data", str(out))
    assert _history() == history
    again = tmp_path / "again.json"
    call_command(
        "export_data", str(again), "--sections", "staff,leaves,rotations", "--as-of", AS_OF
    )
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"to_unit": "SNV-TC"}, "rotations[0].to_unit: 'SNV-TC' is the unit the person leaves"),
        ({"to_unit": "SNV-XX"}, "rotations[0].to_unit: unknown unit code 'SNV-XX'"),
        ({"staff": "NOBODY"}, "rotations[0].staff: unknown staff code 'NOBODY'"),
        ({"effective_on": "2027-01-01"}, "rotations[0].effective_on"),
        ({"to_unit": "STC-NS"}, "rotations[0].effective_on: the person was in unit 'SNV-CC'"),
    ],
)
def test_it_refuses_bad_rotation_rows(world, tmp_path, capsys, change, message) -> None:  # type: ignore[no-untyped-def]
    rows = [{**ROTATIONS[0], **change}]
    with pytest.raises(CommandError):
        call_command(
            "import_data",
            _write(tmp_path, "bad.json", staff=[STAFF], rotations=rows),
            "--lang",
            "en",
        )
    assert message in capsys.readouterr().err
    assert not Staff.objects.filter(code="NV-1").exists() and not Rotation.objects.exists()


def test_it_refuses_a_leave_that_ends_before_it_starts(world, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    rows = [{**LEAVES[0], "to": "2025-08-01"}]
    with pytest.raises(CommandError):
        call_command(
            "import_data", _write(tmp_path, "bad.json", staff=[STAFF], leaves=rows), "--lang", "en"
        )
    assert "leaves[0].to" in capsys.readouterr().err
    assert not Leave.objects.exists()
