"""The official PDF (the Vietnamese administrative report) and the XLSX, for the article's nine
months of 2023 loaded from an interchange file."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import translation

from thenchot.reports import labels
from thenchot.reports.blocks import ReportRequest, build_report
from thenchot.reports.rendering import render_pdf_html, render_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def data(article):
    return build_report(ReportRequest.for_unit(article, dt.date(2023, 1, 1), dt.date(2023, 9, 30)))


OFFICIAL_LINES = (
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "/BC-HN",
    "Hà Nội, ngày 30 tháng 9 năm 2023",
    "BÁO CÁO",
    "Kết quả công tác cán bộ, công chức, viên chức 9 tháng đầu năm 2023",
    "Nơi nhận:",
    "(Ký, ghi rõ họ tên)",
)
NARRATIVE = (
    "Trong 9 tháng đầu năm 2023, Thành phố đã tiến hành 53 cuộc kiểm tra công vụ, trong đó "
    "18 cuộc theo kế hoạch, 32 cuộc đột xuất và 3 cuộc kiểm tra xác minh."
)


def _pdf_text(document) -> str:
    """The text WeasyPrint laid out on the pages (what the PDF shows), in reading order."""
    parts: list[str] = []

    def walk(box) -> None:
        text = getattr(box, "text", None)
        if isinstance(text, str):
            parts.append(text)
        for child in getattr(box, "children", []) or []:
            walk(child)

    for page in document.pages:
        walk(page._page_box)
        parts.append("\n")
    return " ".join(" ".join(parts).split())


def test_it_writes_the_official_document_in_vietnamese_whatever_the_language(data):
    with translation.override("en"):
        html = render_pdf_html(data)
    for line in OFFICIAL_LINES:
        assert line in html, line
    assert NARRATIVE in html
    assert "Phòng Cải cách hành chính: 40" in html
    assert "Thành phố đã xử lý kỷ luật 4 người với 5 quyết định" in html
    assert "16 quy trình nội bộ đang áp dụng" in html
    # Labels and Vietnamese numbers in the tables, no machine key.
    assert "Đột xuất" in html and "Cấp huyện" in html
    for key in ("by_kind", "by_conductor", "in_force_by_level"):
        assert key not in html
    assert '"Times New Roman", "Liberation Serif", "DejaVu Serif"' in html


def test_the_pdf_shows_the_official_lines_and_the_narrative(data):
    pytest.importorskip("weasyprint", reason="WeasyPrint/Pango not installed")
    from thenchot.reports.rendering import pdf_document

    document = pdf_document(data)
    text = _pdf_text(document)
    for line in OFFICIAL_LINES:
        assert " ".join(line.split()) in text, line
    assert "53 cuộc kiểm tra công vụ" in text and "32 cuộc đột xuất" in text
    # Upper-cased by the style sheet: the issuing body as the document shows it.
    assert "THÀNH PHỐ HÀ NỘI" in text
    assert document.write_pdf().startswith(b"%PDF")


def test_the_xlsx_has_vietnamese_sheets_headers_and_number_formats(data):
    from openpyxl import load_workbook

    with translation.override("vi"):
        content = render_xlsx(data)
    wb = load_workbook(io.BytesIO(content))
    assert wb.sheetnames[:5] == [
        "Báo cáo",
        "Kiểm tra công vụ",
        "Kỷ luật",
        "Định kỳ chuyển đổi vị trí công",  # cut at a word, within 31 characters
        "Quy trình nội bộ",
    ]
    assert all(len(name) <= 31 for name in wb.sheetnames)
    sheet = wb["Kiểm tra công vụ"]
    assert sheet.freeze_panes == "A3"
    rows = [tuple(c for c in row) for row in sheet.iter_rows()]
    values = [tuple(c.value for c in row if c.value is not None) for row in rows]
    assert values[0][0] == "Kiểm tra công vụ"
    assert ("Chỉ tiêu", "Số lượng") in values
    assert any(len(v) == 2 and v[1] == 53 for v in values)  # the total, labelled
    assert ("Đột xuất", 32) in values
    header = next(v for v in values if v and v[0] == "Đơn vị tiến hành kiểm tra")
    with translation.override("vi"):
        total = str(labels.figure_label("total", parent="by_conductor", block="inspections"))
    assert header[1:] == (total, "Theo kế hoạch", "Đột xuất", "Xác minh")
    team = next(v for v in values if v and v[0] == "Phòng Cải cách hành chính (SNV-CCHC)")
    assert team[1:] == (40, 9, 28, 3)
    number = next(row[1] for row in rows if row[1].value == 53)
    assert number.number_format == "#,##0" and number.data_type == "n"
    assert not any(
        isinstance(c.value, str) and c.value.startswith("=") for row in rows for c in row
    )
    assert sheet.column_dimensions["A"].width >= 20


def test_the_xlsx_writes_decimals_with_two_places_and_guards_text(world):
    from openpyxl import load_workbook

    data = {
        "unit": "HN",
        "from": "2023-01-01",
        "to": "2023-12-31",
        "as_of": "2023-12-31",
        "satisfaction": {"responses": 1200, "index": 86.456, "by_element": {"access": 90.5}},
        "zz_new": {"=cmd|' /C calc'!A0": 1},
    }
    with translation.override("vi"):
        wb = load_workbook(io.BytesIO(render_xlsx(data)))
    sheet = wb[wb.sheetnames[1]]
    cells = {row[0].value: row[1] for row in sheet.iter_rows() if len(row) > 1}
    with translation.override("vi"):
        index = str(labels.figure_label("index", block="satisfaction"))
        responses = str(labels.figure_label("responses", block="satisfaction"))
    assert cells[index].number_format == "0.00" and cells[index].value == 86.456
    assert cells[responses].number_format == "#,##0"
    other = wb[wb.sheetnames[2]]
    texts = [c for row in other.iter_rows() for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
