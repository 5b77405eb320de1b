"""Writers: exported records to JSON bytes (stable byte for byte) and XLSX (stable cell for
cell), and the XLSX template with help in the user's language."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from thenchot.exchange.engine import (
    BOOL,
    CODE,
    CODES,
    DATE,
    ENUM,
    FORMAT,
    INT,
    STR,
    Field,
    Section,
)
from thenchot.exchange.readers import AS_OF_PROPERTY, FORMAT_PROPERTY

Exported = Sequence[tuple[Section, list[dict[str, Any]]]]


def dump_json(sections: Exported, *, as_of: dt.date) -> bytes:
    """`{"format", "as_of", <section>: [...]}`: records sorted by key with sorted keys, every
    documented field present (null when empty), UTF-8 without escapes, indent 2, final newline."""
    doc: dict[str, Any] = {"format": FORMAT, "as_of": as_of.isoformat()}
    for section, records in sections:
        doc[section.key] = [dict(sorted(record.items())) for record in records]
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _cell(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.type == CODES:
        return ";".join(value) if value else None
    if f.type == DATE:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    return value


def dump_xlsx(sections: Exported, *, as_of: dt.date) -> bytes:
    """One sheet per section, field names in row 1, dates as date cells, lists joined with
    `;`. The format and `as_of` travel as document properties (sheets would be data) and are
    repeated on an `_about` sheet for people."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.packaging.custom import StringProperty

    workbook = Workbook(write_only=True)
    workbook.custom_doc_props.append(StringProperty(name=FORMAT_PROPERTY, value=FORMAT))
    workbook.custom_doc_props.append(StringProperty(name=AS_OF_PROPERTY, value=as_of.isoformat()))
    for section, records in sections:
        sheet = workbook.create_sheet(section.key)
        fields = section.fields
        sheet.append([f.name for f in fields])
        for record in records:
            row: list[Any] = []
            for f in fields:
                value = _cell(f, record.get(f.name))
                if isinstance(value, dt.date):
                    cell = WriteOnlyCell(sheet, value=value)
                    cell.number_format = "yyyy-mm-dd"
                    row.append(cell)
                else:
                    row.append(value)
            sheet.append(row)
    about = workbook.create_sheet("_about")
    about.append(["format", FORMAT])
    about.append(["as_of", as_of.isoformat()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def type_label(f: Field) -> str:
    labels = {
        STR: _("text"),
        DATE: _("date (YYYY-MM-DD)"),
        BOOL: _("true or false"),
        INT: _("whole number"),
        CODE: _("code"),
        CODES: _("codes separated by ;"),
        ENUM: _("one of the listed values"),
    }
    return str(labels.get(f.type, f.type))


def field_help(f: Field) -> str:
    parts = [str(f.help)] if f.help else []
    parts.append(_("Type: %(type)s.") % {"type": type_label(f)})
    if f.choices:
        parts.append(_("Values: %(values)s.") % {"values": ", ".join(f.choices)})
    parts.append(_("Required.") if f.required else _("Optional."))
    return " ".join(parts)


def template_xlsx(sections: Sequence[Section]) -> bytes:
    """An empty workbook to fill in: one sheet per section whose header cells carry the help
    as comments, and a `_help` sheet (ignored on import) listing every field."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    default = workbook.active
    bold = Font(bold=True)
    for section in sections:
        sheet = workbook.create_sheet(section.key)
        for column, f in enumerate(section.fields, start=1):
            cell = sheet.cell(row=1, column=column, value=f.name)
            cell.font = bold
            comment = Comment(field_help(f), "Then Chốt")
            comment.width = 300
            comment.height = 150
            cell.comment = comment
            sheet.column_dimensions[cell.column_letter].width = max(14, len(f.name) + 4)
        sheet.freeze_panes = "A2"
    help_sheet = workbook.create_sheet("_help")
    help_sheet.append([_("Sheet"), _("Column"), _("Required"), _("Type"), _("Help")])
    for cell in help_sheet[1]:
        cell.font = bold
    help_sheet.append(
        [
            "",
            "",
            "",
            "",
            _(
                "Fill one sheet per kind of record; the first row holds the column names. "
                "Sheets whose names start with _ are ignored. Nothing is written unless the "
                "whole file is correct."
            ),
        ]
    )
    for section in sections:
        for f in section.fields:
            help_sheet.append(
                [
                    section.key,
                    f.name,
                    _("yes") if f.required else _("no"),
                    type_label(f),
                    field_help(f),
                ]
            )
    for letter, width in zip("ABCDE", (16, 24, 10, 24, 90), strict=True):
        help_sheet.column_dimensions[letter].width = width
    workbook.remove(default)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
