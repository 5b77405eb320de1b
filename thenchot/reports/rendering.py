"""XLSX and PDF renderings of the statistical report (same figures as the JSON)."""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from thenchot.core.exports import data_row
from thenchot.core.registry import report_blocks
from thenchot.reports.blocks import narratives


def _flatten(prefix: str, value: Any, rows: list[tuple[str, Any]]) -> None:
    if isinstance(value, dict):
        for key in value:
            _flatten(f"{prefix}.{key}" if prefix else str(key), value[key], rows)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            label = item.get("unit", i) if isinstance(item, dict) else i
            _flatten(f"{prefix}[{label}]", item, rows)
    else:
        rows.append((prefix, value))


def render_xlsx(data: dict[str, Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = "report"
    # Unit names and codes are typed by users: cells hold them as text, never as formulas.
    ws.append(data_row(ws, [_("Unit"), data["unit"]]))
    ws.append(data_row(ws, [_("From"), data["from"]]))
    ws.append(data_row(ws, [_("To"), data["to"]]))
    ws.append(data_row(ws, [_("As of"), data["as_of"]]))
    for cell in ws["A"]:
        cell.font = Font(bold=True)
    for key, block in report_blocks.items():
        if key not in data:
            continue
        sheet = wb.create_sheet(title=key[:31])
        sheet.append(data_row(sheet, [str(block.title)]))
        sheet["A1"].font = Font(bold=True, size=13)
        sheet.append([_("Figure"), _("Value")])
        rows: list[tuple[str, Any]] = []
        _flatten("", data[key], rows)
        for label, value in rows:
            sheet.append(data_row(sheet, [label, value]))
        sheet.column_dimensions["A"].width = 48
        sheet.column_dimensions["B"].width = 14
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


class PdfUnavailable(RuntimeError):
    pass


def render_pdf(data: dict[str, Any], *, unit_name: str) -> bytes:
    # WeasyPrint needs Pango; import it only here so everything else works without it.
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            _("PDF output needs WeasyPrint and the Pango library (see README): %(error)s")
            % {"error": exc}
        ) from exc
    sections = []
    for key, block in report_blocks.items():
        if key not in data:
            continue
        rows: list[tuple[str, Any]] = []
        _flatten("", data[key], rows)
        sections.append({"title": block.title, "rows": rows})
    html = render_to_string(
        "reports/report_pdf.html",
        {
            "data": data,
            "unit_name": unit_name,
            "sections": sections,
            "narratives": narratives(data),
        },
    )
    return HTML(string=html).write_pdf()
