"""XLSX numbers stay numbers and carry a number format, so the reader's Excel shows them with
its own separators ("1.234,5" in a Vietnamese Excel): whole values without decimals, fractions
with at most two places; plain ints (counts, years) stay General."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace

from openpyxl import Workbook, load_workbook

from thenchot.core.exports import Column, Sheet, data_row, workbook_bytes


def test_it_gives_decimal_cells_a_number_format() -> None:
    rows = [SimpleNamespace(points=Decimal("62.50"), whole=Decimal("27.00"), rate=83.5, year=2026)]
    columns = [
        Column("points", lambda r: r.points),
        Column("whole", lambda r: r.whole),
        Column("rate", lambda r: r.rate),
        Column("year", lambda r: r.year),
    ]
    book = load_workbook(io.BytesIO(workbook_bytes([Sheet("data", columns, rows)])))
    points, whole, rate, year = book.active[2]
    assert points.value == 62.5 and points.data_type == "n"
    assert points.number_format == "#,##0.0#"
    assert whole.value == 27 and whole.number_format == "#,##0"
    assert rate.value == 83.5 and rate.number_format == "#,##0.0#"
    assert year.value == 2026 and year.number_format == "General"


def test_it_formats_numbers_written_through_data_row() -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(data_row(sheet, [Decimal("1234.5"), Decimal("40"), 7, "=1+1"]))
    buffer = io.BytesIO()
    book.save(buffer)
    a, b, c, d = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    assert a.value == 1234.5 and a.number_format == "#,##0.0#"
    assert b.value == 40 and b.number_format == "#,##0"
    assert c.value == 7 and c.number_format == "General"
    assert d.value == "=1+1" and d.data_type == "s"
