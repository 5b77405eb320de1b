"""The generic XLSX download of list pages: translated bold headers, frozen header row,
autofilter, real dates shown dd/mm/yyyy, Hanoi time, formula-looking text kept as text, and a
proper file name."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from thenchot.core.exports import (
    XLSX_CONTENT_TYPE,
    Column,
    Sheet,
    dated_filename,
    workbook_bytes,
    xlsx_response,
)

ROWS = [
    SimpleNamespace(
        code="NV-1",
        title='=HYPERLINK("http://x")',
        due=dt.date(2026, 3, 5),
        at=dt.datetime(2026, 3, 5, 1, 30, tzinfo=dt.UTC),
        weight=Decimal("1.50"),
        units=Decimal("2.00"),
        done=None,
    ),
    SimpleNamespace(
        code="NV-2",
        title="Báo cáo",
        due=dt.date(2026, 12, 31),
        at=dt.datetime(2026, 12, 31, 20, 0, tzinfo=dt.UTC),
        weight=Decimal("1"),
        units=Decimal("0.25"),
        done=True,
    ),
]
COLUMNS = [
    Column(_("Code"), lambda r: r.code),
    Column(_("Title"), lambda r: r.title, 40),
    Column(_("Deadline"), lambda r: r.due),
    Column(_("Created at"), lambda r: r.at),
    Column(_("Weight"), lambda r: r.weight),
    Column(_("Units"), lambda r: r.units),
    Column(_("Done"), lambda r: r.done),
]


def _open(data: bytes):  # type: ignore[no-untyped-def]
    return load_workbook(io.BytesIO(data))


def test_it_writes_a_response_with_a_proper_file_name():
    response = xlsx_response(filename="nhiệm-vụ.xlsx", columns=COLUMNS, rows=ROWS)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''nhi%E1%BB%87m-v%E1%BB%A5.xlsx" in disposition
    assert response["Cache-Control"] == "no-store"
    assert int(response["Content-Length"]) == len(response.content)
    plain = xlsx_response(filename="tasks", columns=COLUMNS, rows=[])
    assert plain["Content-Disposition"] == 'attachment; filename="tasks.xlsx"'


def test_it_translates_the_headers_and_makes_them_bold_frozen_and_filterable():
    with translation.override("en"):
        response = xlsx_response(filename="t.xlsx", columns=COLUMNS, rows=ROWS, sheet_title="tasks")
    sheet = _open(response.content)["tasks"]
    assert [c.value for c in sheet[1]] == [
        "Code",
        "Title",
        "Deadline",
        "Created at",
        "Weight",
        "Units",
        "Done",
    ]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:G3"
    assert sheet.column_dimensions["B"].width == 40


def test_it_writes_dates_as_excel_dates_in_hanoi_time():
    sheet = _open(workbook_bytes([Sheet("s", COLUMNS, ROWS)]))["s"]
    due, at = sheet["C2"], sheet["D2"]
    assert due.value == dt.datetime(2026, 3, 5) and due.number_format == "dd/mm/yyyy"
    assert at.value == dt.datetime(2026, 3, 5, 8, 30)  # 01:30 UTC is 08:30 in Hanoi
    assert at.number_format == "dd/mm/yyyy hh:mm"
    assert sheet["D3"].value == dt.datetime(2027, 1, 1, 3, 0)  # the next day in Hanoi


def test_it_keeps_formula_looking_text_as_text():
    sheet = _open(workbook_bytes([Sheet("s", COLUMNS, ROWS)]))["s"]
    assert sheet["B2"].data_type == "s"
    assert sheet["B2"].value == '=HYPERLINK("http://x")'


def test_it_writes_numbers_and_booleans_as_such():
    sheet = _open(workbook_bytes([Sheet("s", COLUMNS, ROWS)]))["s"]
    assert sheet["E2"].value == 1.5 and sheet["F2"].value == 2 and sheet["F3"].value == 0.25
    assert sheet["G2"].value is None and sheet["G3"].value is True


def test_it_writes_a_bold_footer_after_the_filtered_rows():
    data = workbook_bytes([Sheet("s", COLUMNS[:2], ROWS, footer=[["Total", 2]])])
    sheet = _open(data)["s"]
    assert sheet.auto_filter.ref == "A1:B3"  # the total stays out of the filter
    assert [c.value for c in sheet[4]] == ["Total", 2] and sheet["A4"].font.b


def test_it_writes_several_sheets_with_safe_names():
    data = workbook_bytes(
        [Sheet("a/b:c", COLUMNS[:1], ROWS), Sheet("x" * 40, COLUMNS[:1], iter(ROWS))]
    )
    book = _open(data)
    assert book.sheetnames == ["a_b_c", "x" * 31]
    assert book["x" * 31].max_row == 3  # a one-pass iterator is fine


def test_it_names_files_with_the_date():
    assert dated_filename("tasks", dt.date(2026, 3, 1)) == "tasks-2026-03-01.xlsx"
