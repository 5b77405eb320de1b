"""XLSX exports of the inspection lists (a small openpyxl writer: the generic helper in
`core` did not exist yet when this was written). Dates are real date cells shown dd/mm/yyyy;
codes stay codes, so a sheet can be filtered and re-read."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Sequence
from operator import itemgetter
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from thenchot.core.exports import data_row
from thenchot.inspections.choices import InspectionKind, RecommendationStatus, Topic

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = tuple[Any, Callable[[Any], Any]]


def workbook_bytes(sheets: Sequence[tuple[str, Sequence[Column], Iterable[Any]]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold = Font(bold=True)
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(title[:31])
        sheet.append(data_row(sheet, [str(header) for header, _get in columns]))
        for cell in sheet[1]:
            cell.font = bold
        for row in rows:
            values = []
            for _header, get in columns:
                value = get(row)
                values.append(value)
            # Titles and texts typed by users are stored as text, never as formulas.
            sheet.append(data_row(sheet, values))
            for cell in sheet[sheet.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
        for index, (header, _get) in enumerate(columns, start=1):
            letter = sheet.cell(row=1, column=index).column_letter
            sheet.column_dimensions[letter].width = max(12, min(60, len(str(header)) + 4))
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _kind(value: str) -> str:
    return str(dict(InspectionKind.choices).get(value, value))


def _topics(values: list[str]) -> str:
    labels = dict(Topic.choices)
    return "; ".join(str(labels.get(v, v)) for v in values or [])


def inspections_xlsx(inspections: Iterable[Any]) -> bytes:
    columns: list[Column] = [
        (_("Code"), lambda i: i.code),
        (_("Kind"), lambda i: _kind(i.kind)),
        (_("Title"), lambda i: i.title),
        (_("Conducting unit"), lambda i: i.conducted_by.code),
        (_("Target unit"), lambda i: i.target_unit.code),
        (_("Target unit name"), lambda i: i.target_unit.name),
        (_("Ordered by"), lambda i: i.ordered_by.code if i.ordered_by_id else None),
        (_("Started on"), lambda i: i.started_on),
        (_("Ended on"), lambda i: i.ended_on),
        (_("Topics"), lambda i: _topics(i.topics)),
        (_("Conclusion number"), lambda i: i.conclusion_number or None),
        (_("Conclusion date"), lambda i: i.conclusion_on),
    ]
    return workbook_bytes([("inspections", columns, inspections)])


def recommendations_xlsx(recommendations: Iterable[Any]) -> bytes:
    labels = dict(RecommendationStatus.choices)
    columns: list[Column] = [
        (_("Code"), lambda r: r.code),
        (_("Inspection"), lambda r: r.inspection.code),
        (_("Recommendation"), lambda r: r.text),
        (_("Responsible unit"), lambda r: r.responsible_unit.code),
        (_("Due on"), lambda r: r.due_on),
        (_("Done on"), lambda r: r.done_on),
        (_("Status"), lambda r: str(labels.get(r.status, r.status))),
    ]
    return workbook_bytes([("recommendations", columns, recommendations)])


def statistics_xlsx(stats: Any) -> bytes:
    kinds = [(k, str(label)) for k, label in InspectionKind.choices]

    def table(which: str) -> tuple[str, list[Column], list[dict[str, Any]]]:
        columns: list[Column] = [
            (_("Unit"), lambda r: r["unit"]),
            (_("Name"), lambda r: r["name"]),
            (_("Total"), lambda r: r["total"]),
        ]
        for key, label in kinds:
            columns.append((label, itemgetter(key)))
        return (f"by_{which}", columns, stats.rows(which))

    summary: list[Column] = [(_("Figure"), lambda r: r[0]), (_("Value"), lambda r: r[1])]
    recs = stats.recommendations
    figures = [
        (_("Inspections"), stats.total),
        *[(label, stats.by_kind[key]) for key, label in kinds],
        (_("Recommendations"), recs["total"]),
        (_("Recommendations done"), recs["done"]),
        (_("Recommendations overdue"), recs["overdue"]),
    ]
    return workbook_bytes([("summary", summary, figures), table("conductor"), table("target")])
