"""The reasons of an evaluation in the interchange XLSX: one reason per line of one wrapped cell,
read back line by line, so a reason holding `;` survives the round trip; JSON keeps a list."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook, load_workbook

from thenchot.appraisal.models import Evaluation
from thenchot.exchange.services import export_data, import_file

WITH_SEMICOLON = "điểm 86 (chung 26; nhiệm vụ 60) → hoàn thành tốt"
SECOND = "không vượt tỷ lệ hoàn thành xuất sắc"


def _json(rows):  # type: ignore[no-untyped-def]
    return json.dumps({"format": "thenchot/1", "as_of": "2026-11-01", "evaluations": rows}).encode()


def _history(world, reasons):  # type: ignore[no-untyped-def]
    row = {
        "staff": world.staff["an"].code,
        "period": "2025-06",
        "general_points": 18,
        "task_points": 60,
        "final_level": "good",
        "status": "closed",
        "reasons": reasons,
    }
    result = import_file(data=_json([row]), filename="lich-su.json")
    assert result.ok, [str(p) for p in result.problems]
    return Evaluation.objects.get(staff=world.staff["an"], period_code="2025-06")


def _details(ev: Evaluation) -> list[str]:
    ev.refresh_from_db()
    return [r["detail"] for r in ev.reasons]


def _reasons_cell(data: bytes):  # type: ignore[no-untyped-def]
    sheet = load_workbook(io.BytesIO(data))["evaluations"]
    headers = [c.value for c in sheet[1]]
    return sheet.cell(row=2, column=headers.index("reasons") + 1)


def test_it_writes_one_reason_per_line_in_a_wrapped_cell(world):  # type: ignore[no-untyped-def]
    _history(world, [WITH_SEMICOLON, SECOND])
    cell = _reasons_cell(export_data(fmt="xlsx", sections=["evaluations"]))
    assert cell.value == f"{WITH_SEMICOLON}\n{SECOND}"
    assert cell.alignment.wrap_text


def test_a_reason_with_a_semicolon_survives_the_xlsx_round_trip(world):  # type: ignore[no-untyped-def]
    ev = _history(world, [WITH_SEMICOLON, SECOND])
    data = export_data(fmt="xlsx", sections=["evaluations"])
    again = import_file(data=data, filename="export.xlsx")
    assert again.ok, [str(p) for p in again.problems]
    assert again.counts["evaluations"].unchanged == 1
    assert _details(ev) == [WITH_SEMICOLON, SECOND]


def test_json_keeps_the_reasons_as_a_list(world):  # type: ignore[no-untyped-def]
    _history(world, [WITH_SEMICOLON, SECOND])
    exported = json.loads(export_data(fmt="json", sections=["evaluations"]))
    assert exported["evaluations"][0]["reasons"] == [WITH_SEMICOLON, SECOND]


def test_it_reads_an_xlsx_cell_line_by_line(world):  # type: ignore[no-untyped-def]
    book = Workbook()
    sheet = book.active
    sheet.title = "evaluations"
    sheet.append(["staff", "period", "general_points", "task_points", "final_level", "reasons"])
    sheet.append([world.staff["an"].code, "2025-06", 18, 60, "good", "a; b\r\n\n  c  "])
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_file(data=buffer.getvalue(), filename="lich-su.xlsx")
    assert result.ok, [str(p) for p in result.problems]
    assert _details(Evaluation.objects.get(staff=world.staff["an"])) == ["a; b", "c"]


def test_a_changed_reason_of_a_closed_period_is_refused(world):  # type: ignore[no-untyped-def]
    ev = _history(world, [WITH_SEMICOLON])
    book = load_workbook(io.BytesIO(export_data(fmt="xlsx", sections=["evaluations"])))
    sheet = book["evaluations"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("reasons") + 1).value = "chung 26\nnhiệm vụ 60"
    buffer = io.BytesIO()
    book.save(buffer)
    refused = import_file(data=buffer.getvalue(), filename="sua.xlsx")
    assert not refused.ok and "is closed" in "\n".join(str(p) for p in refused.problems)
    assert _details(ev) == [WITH_SEMICOLON]


def test_it_refuses_reasons_that_are_not_a_list_in_json(world):  # type: ignore[no-untyped-def]
    row = {
        "staff": world.staff["an"].code,
        "period": "2025-06",
        "final_level": "good",
        "reasons": WITH_SEMICOLON,
    }
    result = import_file(data=_json([row]), filename="sai.json")
    text = "\n".join(str(p) for p in result.problems)
    assert "evaluations[0].reasons" in text and "not a list of text lines" in text
    assert not Evaluation.objects.exists()
