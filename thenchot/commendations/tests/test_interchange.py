"""The `commendations` section: a round trip is byte for byte (JSON) and cell for cell (XLSX);
importing twice changes nothing; a row for a person and a unit at once, or for neither, an
unknown code or a unit outside the importer's subtree is refused with its place and value, and
nothing of the file is written."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.commendations.models import Commendation
from thenchot.exchange.services import export_data, import_file

pytestmark = pytest.mark.django_db
AS_OF = "2026-03-01"
ROWS = [
    {
        "code": "KT-2",
        "unit": "SNV",
        "kind": "emulation_flag",
        "decided_on": "2026-01-15",
        "reason": "Đơn vị dẫn đầu phong trào thi đua",
        "decision_number": "125/QĐ-UBND",
        "issued_by": "Chủ tịch UBND thành phố",
    },
    {
        "code": "12/QĐ-KT",
        "staff": "P005",
        "kind": "certificate",
        "decided_on": "2025-12-20",
        "innovation": True,
        "reason": "Sáng kiến số hóa hồ sơ",
    },
]


def _data(rows: list[dict[str, object]]) -> bytes:
    return json.dumps({"format": "thenchot/1", "as_of": AS_OF, "commendations": rows}).encode()


def _import(rows: list[dict[str, object]], scope: object = None) -> object:
    return import_file(data=_data(rows), filename="khen-thuong.json", scope=scope)


def test_it_imports_with_an_audit_line_per_record(world) -> None:
    result = _import(ROWS)
    assert result.ok, [str(p) for p in result.problems]
    flag = Commendation.objects.get(code="KT-2")
    person = Commendation.objects.get(code="12/QĐ-KT")
    assert (flag.unit_id, flag.staff_id, flag.decision_number) == (
        world.snv.pk,
        None,
        "125/QĐ-UBND",
    )
    assert (person.staff_id, person.innovation) == (world.staff["an"].pk, True)
    lines = AuditEntry.objects.filter(model_label="commendations.commendation")
    assert {(e.action, e.reason) for e in lines} == {("create", "khen-thuong.json")}
    assert lines.count() == 2


def test_it_round_trips_byte_for_byte_and_changes_nothing_twice(world, tmp_path, capsys) -> None:
    assert _import(ROWS).ok
    first = export_data(fmt="json", sections=["commendations"])
    again = import_file(data=first, filename="again.json")
    assert again.counts["commendations"].as_dict() == {"created": 0, "updated": 0, "unchanged": 2}
    Commendation.objects.all().delete()
    assert import_file(data=first, filename="again.json").ok
    assert export_data(fmt="json", sections=["commendations"]) == first
    exported = json.loads(first)["commendations"]
    assert [r["code"] for r in exported] == ["12/QĐ-KT", "KT-2"]
    assert exported[0]["unit"] is None and exported[1]["staff"] is None


def test_it_round_trips_through_xlsx(world) -> None:
    assert _import(ROWS).ok
    json_before = export_data(fmt="json", sections=["commendations"])
    book = export_data(fmt="xlsx", sections=["commendations"])
    Commendation.objects.all().delete()
    result = import_file(data=book, filename="khen-thuong.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert export_data(fmt="json", sections=["commendations"]) == json_before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"staff": "P005"},
            "commendations[0].staff: a commendation is for one staff member or for one unit, not both: staff member 'P005' and unit 'SNV' were both given",
        ),
        (
            {"unit": None},
            "commendations[0].unit: a commendation is for one staff member or for one unit: neither",
        ),
        ({"unit": "SNV-X9"}, "commendations[0].unit: unknown unit code 'SNV-X9'"),
        ({"kind": "plaque"}, "commendations[0].kind"),
        (
            {"decided_on": "2099-01-01"},
            "commendations[0].decided_on: '2099-01-01' is in the future",
        ),
        ({"colour": "red"}, "colour"),
    ],
)
def test_it_refuses_bad_rows_and_writes_nothing(world, tmp_path, capsys, change, message) -> None:
    rows = [{**ROWS[0], **change}, ROWS[1]]
    rows[0] = {k: v for k, v in rows[0].items() if v is not None}
    path = tmp_path / "bad.json"
    path.write_bytes(_data(rows))
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError):
        call_command("import_data", str(path), "--lang", "en")
    assert message in capsys.readouterr().err
    assert not Commendation.objects.exists()
    assert AuditEntry.objects.count() == before


def test_an_import_by_a_person_stays_inside_their_subtree(world) -> None:
    rows = [{**ROWS[0], "unit": "STC"}, ROWS[1]]
    result = _import(rows, scope=compute_scope(world.user("lan")))
    assert not result.ok
    assert any("you may not record commendations of 'STC'" in str(p) for p in result.problems)
    assert not Commendation.objects.exists()
    assert _import(ROWS, scope=compute_scope(world.user("lan"))).ok


def test_the_export_holds_only_what_the_reader_may_read(world) -> None:
    assert _import([*ROWS, {**ROWS[0], "code": "KT-STC", "unit": "STC"}]).ok
    mine = json.loads(
        export_data(fmt="json", sections=["commendations"], scope=compute_scope(world.user("minh")))
    )
    assert [r["code"] for r in mine["commendations"]] == ["KT-STC"]
    snv = json.loads(export_data(fmt="json", sections=["commendations"], unit_code="SNV-TC"))
    assert [r["code"] for r in snv["commendations"]] == ["12/QĐ-KT"]
