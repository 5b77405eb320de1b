"""XLSX and PDF renderings of the statistical report (the same figures as the JSON).

- XLSX: a cover sheet, then one sheet per block titled in the reader's language; each sheet
  starts with the block's title and the range (frozen, so they stay in sight), then its tables
  with bold headers; numbers are numbers ("#,##0" for counts, "0.00" for indexes and points),
  never formulas, and text typed by users goes through `core.exports.data_value`.
- PDF: the Vietnamese administrative document (Decree 30/2020/ND-CP, annex I, form of a
  report): issuing body and national emblem lines, number, place and date, title, a narrative
  written from the figures, the figures in tables, recipients and signature. Always in
  Vietnamese: it is an official document.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from thenchot.core.exports import data_value
from thenchot.core.pdf import PdfUnavailable as PdfUnavailable  # raised by `pdf_document`
from thenchot.core.pdf import html_document
from thenchot.reports import narrative
from thenchot.reports.presentation import BlockView, Cell, block_views, unit_label
from thenchot.reports.ranges import official_date, range_phrase, short_date

INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "0.00"
PLAIN_FORMAT = "0"
DATE_FORMAT = "dd/mm/yyyy"
PLACE = "Hà Nội"  # the place of issue on the document (a proper name, the same in any language)
_BAD_SHEET_CHARS = set("[]:*?/\\")


def _sheet_title(title: str, taken: set[str]) -> str:
    cleaned = "".join("_" if ch in _BAD_SHEET_CHARS else ch for ch in title).strip() or "data"
    # Excel's limit is 31 characters: cut at a word, not inside one.
    base = cleaned if len(cleaned) <= 31 else cleaned[:31].rsplit(" ", 1)[0].rstrip(" ,;-")
    name, i = base, 2
    while name.lower() in taken:
        suffix = f" ({i})"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    taken.add(name.lower())
    return name


def _dates(data: dict[str, Any]) -> tuple[dt.date, dt.date, dt.date]:
    return (
        dt.date.fromisoformat(data["from"]),
        dt.date.fromisoformat(data["to"]),
        dt.date.fromisoformat(data["as_of"]),
    )


# -- XLSX ---------------------------------------------------------------------------------------
def _xlsx_cell(sheet: Any, c: Cell) -> Any:
    from openpyxl.cell import WriteOnlyCell

    if c.numeric:
        cell = WriteOnlyCell(sheet, value=c.value)
        cell.number_format = (
            PLAIN_FORMAT if c.plain else DECIMAL_FORMAT if c.decimals else INTEGER_FORMAT
        )
        return cell
    return data_value(sheet, c.text)


def _title_cell(sheet: Any, text: str, size: int | None = None) -> Any:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # a title is text, whatever it starts with
    cell.font = Font(bold=True, size=size) if size else Font(bold=True)
    return cell


def _widths(view: BlockView) -> list[int]:
    widths: list[int] = [len(view.title)]
    for table in view.tables:
        for row in [table.headers, *[[c.text for c in r] for r in table.rows]]:
            for i, text in enumerate(row):
                if i >= len(widths):
                    widths.append(0)
                widths[i] = max(widths[i], len(str(text)))
    return [max(10, min(60, w + 2)) for w in widths]


def render_xlsx(data: dict[str, Any]) -> bytes:
    """The report as an .xlsx file, in the active language."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.utils import get_column_letter

    date_from, date_to, as_of = _dates(data)
    period = range_phrase(date_from, date_to)
    unit = unit_label(data["unit"])
    wb = Workbook(write_only=True)
    taken: set[str] = set()
    cover = wb.create_sheet(_sheet_title(_("Report"), taken))
    cover.column_dimensions["A"].width = 24
    cover.column_dimensions["B"].width = max(24, min(80, len(unit) + 2))
    cover.freeze_panes = "A2"
    cover.append([_title_cell(cover, _("Statistical report"), 14)])
    for label, value in (
        (_("Unit"), unit),
        (_("Period"), period),
        (_("From"), date_from),
        (_("To"), date_to),
        (_("Figures as of"), as_of),
    ):
        if isinstance(value, dt.date):
            cell = WriteOnlyCell(cover, value=value)
            cell.number_format = DATE_FORMAT
        else:
            cell = data_value(cover, value)
        cover.append([_title_cell(cover, label), cell])
    for view in block_views(data):
        sheet = wb.create_sheet(_sheet_title(view.title, taken))
        for i, width in enumerate(_widths(view), 1):
            sheet.column_dimensions[get_column_letter(i)].width = width
        # The block's title and the range stay in sight while scrolling.
        sheet.freeze_panes = "A3"
        sheet.append([_title_cell(sheet, view.title, 13)])
        sheet.append([data_value(sheet, f"{unit} — {period}")])
        for table in view.tables:
            sheet.append([])
            if table.title:
                sheet.append([_title_cell(sheet, table.title)])
            sheet.append([_title_cell(sheet, h) for h in table.headers])
            for row in table.rows:
                sheet.append([_xlsx_cell(sheet, c) for c in row])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# -- PDF ----------------------------------------------------------------------------------------
def _issuer(unit_code: str, on: dt.date) -> dict[str, Any]:
    from thenchot.org.tree import tree
    from thenchot.people.selectors import heads_of

    snap = tree()
    uid = snap.by_code.get(unit_code)
    info = snap.units.get(uid) if uid is not None else None
    parent = snap.parent_on(uid, on) if uid is not None else None
    head = None
    if uid is not None:
        head = next((h for h in heads_of(uid, on) if h.role == "head"), None)
    return {
        "code": unit_code,
        "name": info.name if info else unit_code,
        "kind": info.kind if info else "",
        "parent": snap.units[parent].name if parent is not None else "",
        "head_name": head.staff.full_name if head else "",
        "head_title": (head.staff.position_title if head else "") or "",
    }


def official_context(data: dict[str, Any]) -> dict[str, Any]:
    """What the official document says, in the active language (Vietnamese for the PDF)."""
    date_from, date_to, as_of = _dates(data)
    issuer = _issuer(data["unit"], as_of)
    subject = narrative.subject_of(data, unit_kind=issuer["kind"], unit_label=issuer["name"])
    return {
        "issuer": issuer,
        "number_line": _("No.: %(blank)s/BC-%(code)s")
        % {"blank": "\u2003" * 3, "code": data["unit"]},
        "place_date": _("%(place)s, %(date)s") % {"place": PLACE, "date": official_date(as_of)},
        "subject": _(
            "Results of the work on cadres, civil servants and public employees in %(period)s"
        )
        % {"period": subject.period},
        "intro": narrative.intro(data, subject),
        "paragraphs": narrative.paragraphs(data, subject),
        "blocks": block_views(data),
        "range_line": _("Figures from %(from)s to %(to)s, as recorded on %(as_of)s.")
        % {"from": short_date(date_from), "to": short_date(date_to), "as_of": short_date(as_of)},
        "signer_title": (issuer["head_title"] or _("Head of the unit")).upper(),
        "recipients": [r for r in (issuer["parent"],) if r],
        "archive": _("Archive: office, %(code)s.") % {"code": data["unit"]},
    }


def render_pdf_html(data: dict[str, Any]) -> str:
    """The HTML WeasyPrint lays out, in Vietnamese."""
    with translation.override("vi"):
        return render_to_string("reports/report_pdf.html", official_context(data))


def pdf_document(data: dict[str, Any]) -> Any:
    """The laid-out document (WeasyPrint's), whose pages tests can read back."""
    # WeasyPrint needs Pango; `html_document` imports it only then (`PdfUnavailable` without).
    return html_document(render_pdf_html(data)).render()


def render_pdf(data: dict[str, Any], **_ignored: Any) -> bytes:
    return bytes(pdf_document(data).write_pdf())


def render(data: dict[str, Any], fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the report as `fmt` ("xlsx" or "pdf")."""
    stem = f"bao-cao-{data['unit']}-{data['from']}-{data['to']}".replace("/", "-")
    if fmt == "pdf":
        return render_pdf(data), "application/pdf", f"{stem}.pdf"
    from thenchot.core.exports import XLSX_CONTENT_TYPE

    return render_xlsx(data), XLSX_CONTENT_TYPE, f"{stem}.xlsx"
