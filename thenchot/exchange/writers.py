"""Writers: exported records to JSON bytes (stable byte for byte) and XLSX (stable cell for
cell), and the XLSX template with help in the user's language."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core.exports import as_text, data_value
from thenchot.core.interchange import (
    BOOL,
    CODE,
    CODES,
    DATE,
    DECIMAL,
    ENUM,
    FORMAT,
    INT,
    LINES,
    NESTED,
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
        nested = section.nested_fields()
        if nested:
            records = [_with_items(record, nested) for record in records]
        doc[section.key] = [dict(sorted(record.items())) for record in records]
    return (json.dumps(doc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _with_items(record: dict[str, Any], nested: list[Field]) -> dict[str, Any]:
    """Nested items with every documented field (null when empty) and sorted keys, in the
    order the section gives them (each section exports its lists in a stable order)."""
    out = dict(record)
    for f in nested:
        if f.name in out:
            names = sorted(item.name for item in f.items)
            out[f.name] = [{n: item.get(n) for n in names} for item in out[f.name] or []]
    return out


def _cell(f: Field, value: Any) -> Any:
    if value is None:
        return None
    if f.type == CODES:
        return ";".join(value) if value else None
    if f.type == LINES:
        # One item per line; a line break inside an item would make two items on re-import.
        return "\n".join(" ".join(str(item).split()) for item in value) or None
    if f.type == DATE:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value
    return value


def dump_xlsx(sections: Exported, *, as_of: dt.date) -> bytes:
    """One sheet per section, field names in row 1, dates as date cells, lists of codes joined
    with `;`, lists of text lines one per line in a wrapped cell. The format and `as_of` travel as document properties (sheets would be data) and are
    repeated on an `_about` sheet for people."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.packaging.custom import StringProperty

    workbook = Workbook(write_only=True)
    workbook.custom_doc_props.append(StringProperty(name=FORMAT_PROPERTY, value=FORMAT))
    workbook.custom_doc_props.append(StringProperty(name=AS_OF_PROPERTY, value=as_of.isoformat()))
    for section, records in sections:
        fields = section.flat_fields()
        _sheet(workbook, section.key, [f.name for f in fields], fields, records, WriteOnlyCell)
        for nested in section.nested_fields():
            columns = section.parent_columns(nested)
            keys = section.key_fields or (section.key_field,)
            items = [
                {
                    **{c: record.get(k) for c, k in zip(columns, keys, strict=True)},
                    **item,
                }
                for record in records
                for item in record.get(nested.name) or []
            ]
            item_fields = [
                Field(columns[0], STR),
                *(
                    Field(c, section.field_map()[k].type)
                    for c, k in zip(columns[1:], keys[1:], strict=True)
                ),
                *nested.items,
            ]
            _sheet(
                workbook,
                nested.name,
                [f.name for f in item_fields],
                item_fields,
                items,
                WriteOnlyCell,
            )
    about = workbook.create_sheet("_about")
    about.append(["format", FORMAT])
    about.append(["as_of", as_of.isoformat()])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(
    workbook: Any,
    title: str,
    header: list[str],
    fields: Sequence[Field],
    records: Sequence[dict[str, Any]],
    cell_type: Any,
) -> None:
    from openpyxl.styles import Alignment

    wrap = Alignment(wrap_text=True, vertical="top")
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for record in records:
        row: list[Any] = []
        for f in fields:
            value = _cell(f, record.get(f.name))
            if isinstance(value, dt.date):
                cell = cell_type(sheet, value=value)
                cell.number_format = "yyyy-mm-dd"
                row.append(cell)
            elif f.type == LINES and value is not None:
                cell = as_text(cell_type(sheet, value=value))
                cell.alignment = wrap
                row.append(cell)
            else:
                # A name typed as `=HYPERLINK(...)` is data: a text cell, read back as typed.
                row.append(data_value(sheet, value))
        sheet.append(row)


def type_label(f: Field) -> str:
    labels = {
        STR: _("text"),
        DATE: _("date (YYYY-MM-DD)"),
        BOOL: _("true or false"),
        INT: _("whole number"),
        CODE: _("code"),
        CODES: _("codes separated by ;"),
        LINES: _("text, one item per line"),
        ENUM: _("one of the listed values"),
        DECIMAL: _("number"),
    }
    if f.type == NESTED:
        return _("list: one row per item on the sheet '%(sheet)s'") % {"sheet": f.name}
    return str(labels.get(f.type, f.type))


def field_help(f: Field) -> str:
    parts = [str(f.help)] if f.help else []
    parts.append(_("Type: %(type)s.") % {"type": type_label(f)})
    if f.choices:
        parts.append(_("Values: %(values)s.") % {"values": ", ".join(f.choices)})
    parts.append(_("Required.") if f.required else _("Optional."))
    return " ".join(parts)


def _template_sheets(sections: Sequence[Section]) -> list[tuple[str, list[Field]]]:
    """(sheet title, its columns) of every section and of every nested list, which comes
    right after its section with the parent's key column first."""
    out: list[tuple[str, list[Field]]] = []
    for section in sections:
        out.append((section.key, section.flat_fields()))
        for nested in section.nested_fields():
            parent = Field(
                nested.parent_column,
                CODE,
                required=True,
                ref=section.key,
                help=_("Code of the record of sheet '%(sheet)s' this row belongs to.")
                % {"sheet": section.key},
            )
            further = [
                Field(
                    column,
                    section.field_map()[name].type,
                    ref=section.key,
                    help=_("Key field '%(field)s' of that record (empty: its default).")
                    % {"field": name},
                )
                for column, name in zip(
                    section.parent_columns(nested)[1:], section.key_fields[1:], strict=True
                )
            ]
            out.append((nested.name, [parent, *further, *nested.items]))
    return out


def template_xlsx(sections: Sequence[Section]) -> bytes:
    """An empty workbook to fill in: one sheet per section whose header cells carry the help
    as comments, and a `_help` sheet (ignored on import) listing every field."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font

    workbook = Workbook()
    default = workbook.active
    bold = Font(bold=True)
    for title, fields in _template_sheets(sections):
        sheet = workbook.create_sheet(title)
        for column, f in enumerate(fields, start=1):
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
    for title, fields in _template_sheets(sections):
        for f in fields:
            help_sheet.append(
                [
                    title,
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
