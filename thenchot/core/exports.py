"""XLSX downloads of list pages: rows in, a spreadsheet a person can filter and sort out.

Every list page of every app exports through `xlsx_response` (or `workbook_bytes` for a file
with several sheets), so all exports look alike: translated headers in bold, a frozen header
row, an autofilter over the table, dates as real Excel dates shown dd/mm/yyyy, date-times in
Hanoi time, numbers with decimals as numbers with a number format (the reader's Excel shows
its own separators). The workbook is written in openpyxl's write-only mode, which keeps memory flat for
long lists (the rows are consumed once, e.g. from `queryset.iterator()`).

Text that starts like a formula (`=`, `+`, `-`, `@`) is stored as text: a title typed by a user
must never run as a formula in the reader's Excel (spreadsheet formula injection). Every XLSX
the application writes goes through `data_value` / `data_row` for that.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Numbers with decimals stay numbers, shown with the separators of the reader's Excel ("1.234,5"
# in a Vietnamese Excel, "1,234.5" in an English one: the codes below are locale-neutral). A
# whole value has no decimal part at all ("#,##0.##" would show "27."), a fraction at most two
# places, as the pages show them (core.numbers). Plain ints (counts, years) stay General: a year
# must not read "2,026".
WHOLE_NUMBER_FORMAT = "#,##0"
DECIMAL_NUMBER_FORMAT = "#,##0.0#"
_MAX_WIDTH = 60
_MIN_WIDTH = 10


@dataclass(frozen=True)
class Column:
    """One column: its header (translated when written) and how to read a row's value."""

    header: Any
    value: Callable[[Any], Any]
    width: int | None = None  # characters; default from the header


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Any]
    # Extra rows after the data (e.g. a total line): lists of plain values, written in bold.
    footer: Sequence[Sequence[Any]] = ()


# openpyxl stores a string beginning with `=` as a formula and one equal to an error code
# (`#N/A`) as an error; Excel also evaluates what begins with `+`, `-` or `@` once edited.
FORMULA_STARTS = frozenset("=+-@#")


def as_text(cell: Any) -> Any:
    """`cell`, with a string value stored as a text cell (never a formula or an error), so that
    what a user typed is shown, and read back, as the same text."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def number_format_of(value: Any) -> str | None:
    """The cell format of a number with decimals (Decimal or float), None for anything else."""
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            return None
        return WHOLE_NUMBER_FORMAT if value == value.to_integral_value() else DECIMAL_NUMBER_FORMAT
    if isinstance(value, float):
        return WHOLE_NUMBER_FORMAT if value.is_integer() else DECIMAL_NUMBER_FORMAT
    return None


def data_value(sheet: Any, value: Any) -> Any:
    """What to give `sheet.append` for `value` (any openpyxl worksheet, write-only or not): a
    text cell for a string that openpyxl or Excel would otherwise take for a formula."""
    from openpyxl.cell import Cell, WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Cell):
        return as_text(value)
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        # Control characters (other than tab and line breaks) cannot be stored in an XLSX cell
        # at all: openpyxl refuses the whole file. They carry no meaning in our records.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return as_text(WriteOnlyCell(sheet, value=value))
    number_format = number_format_of(value)
    if number_format is not None:
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = number_format
        return cell
    return value


def data_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """`values` made safe for `sheet.append` (see `data_value`)."""
    return [data_value(sheet, value) for value in values]


def _plain(value: Any) -> Any:
    """A value openpyxl stores as the right cell type."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, (dt.date, bool, int, float)):
        return value
    if isinstance(value, decimal.Decimal):
        return float(value) if value != value.to_integral_value() else int(value)
    return str(value)  # lazy translations, choices labels, model instances


def _cell(sheet: Any, value: Any, *, bold: bool = False) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    plain = _plain(value)
    cell = WriteOnlyCell(sheet, value=plain)
    as_text(cell)
    if isinstance(plain, dt.datetime):
        cell.number_format = DATETIME_FORMAT
    elif isinstance(plain, dt.date):
        cell.number_format = DATE_FORMAT
    elif (number_format := number_format_of(value)) is not None:
        cell.number_format = number_format
    if bold:
        cell.font = Font(bold=True)
    return cell


def _sheet_title(title: str) -> str:
    # Excel refuses these characters in sheet names and cuts names at 31 characters.
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in str(title)).strip()
    return (cleaned or "data")[:31]


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The .xlsx file holding `sheets`, in order."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    for spec in sheets:
        sheet = workbook.create_sheet(_sheet_title(spec.title))
        headers = [str(column.header) for column in spec.columns]
        for index, (column, header) in enumerate(zip(spec.columns, headers, strict=True), 1):
            width = column.width or max(_MIN_WIDTH, min(_MAX_WIDTH, len(header) + 4))
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.append([_cell(sheet, header, bold=True) for header in headers])
        last_row = 1
        for row in spec.rows:
            sheet.append([_cell(sheet, column.value(row)) for column in spec.columns])
            last_row += 1
        if spec.columns:
            last_col = get_column_letter(len(spec.columns))
            sheet.auto_filter.ref = f"A1:{last_col}{last_row}"
        for extra in spec.footer:
            sheet.append([_cell(sheet, value, bold=True) for value in extra])
    if not sheets:
        workbook.create_sheet("data")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(data: bytes, filename: str) -> HttpResponse:
    """An attachment response for ready .xlsx bytes (non-ASCII file names encoded per RFC 6266)."""
    if not filename.lower().endswith(".xlsx"):
        filename += ".xlsx"
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["Content-Length"] = str(len(data))
    response["Cache-Control"] = "no-store"  # exports hold personal data
    return response


def dated_filename(stem: str, on: dt.date | None = None) -> str:
    """`tasks-2025-03-01.xlsx`: the date tells two downloads apart."""
    return f"{stem}-{(on or timezone.localdate()).isoformat()}.xlsx"


def xlsx_response(
    *,
    filename: str,
    columns: Sequence[Column],
    rows: Iterable[Any],
    sheet_title: str = "data",
    footer: Sequence[Sequence[Any]] = (),
) -> HttpResponse:
    """The usual list export: one sheet of `rows` under `columns`, as a download."""
    data = workbook_bytes([Sheet(sheet_title, columns, rows, footer)])
    return download(data, filename)
