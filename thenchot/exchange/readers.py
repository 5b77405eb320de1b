"""Readers: a JSON or XLSX file into a `RawDocument`, reporting what is malformed.

Readers know the format (`thenchot/1`, sections as lists or sheets, field names) but not the
meaning of any field: types are checked by `engine.parse_section`, references by the sections.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.exchange.engine import (
    FORMAT,
    JsonPlace,
    Place,
    Problems,
    RawDocument,
    RawSection,
    SheetPlace,
    quote,
    section_by_key,
)

AS_OF_PROPERTY = "as_of"
FORMAT_PROPERTY = "format"


def _parse_as_of(value: Any, place: str, problems: Problems) -> dt.date:
    if value is None:
        return timezone.localdate()
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    problems.add(place, _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": quote(value)})
    return timezone.localdate()


def read_json(data: bytes, problems: Problems) -> RawDocument | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add("", _("The file is not UTF-8 text."))
        return None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problems.add(
            f"line {exc.lineno}, column {exc.colno}",
            _("the file is not valid JSON: %(detail)s") % {"detail": exc.msg},
        )
        return None
    del text
    if not isinstance(doc, dict):
        problems.add("", _("The file must hold one JSON object."))
        return None
    fmt = doc.get("format")
    if fmt != FORMAT:
        if fmt is None:
            problems.add("format", _("required field is missing"))
        else:
            problems.add(
                "format",
                _("the format must be '%(expected)s', got '%(value)s'")
                % {"expected": FORMAT, "value": quote(fmt)},
            )
    as_of = _parse_as_of(doc.get("as_of"), "as_of", problems)
    known = section_by_key()
    sections: dict[str, RawSection] = {}
    for key, value in doc.items():
        if key in ("format", "as_of"):
            continue
        section = known.get(key)
        if section is None:
            problems.add(key, _("unknown section '%(value)s'") % {"value": key})
            continue
        if not isinstance(value, list):
            problems.add(key, _("a section must be a list of records"))
            continue
        names = set(section.field_names())
        records: list[dict[str, Any]] = []
        places: list[Place] = []
        for index, record in enumerate(value):
            place = JsonPlace(key, index)
            if not isinstance(record, dict):
                problems.add(place.at(), _("a record must be an object"))
                continue
            for name in record:
                if name not in names:
                    problems.add(place.at(name), _("unknown field '%(value)s'") % {"value": name})
            records.append(record)
            places.append(place)
        sections[key] = RawSection(key=key, records=records, places=places)
    return RawDocument(as_of=as_of, sections=sections, kind="json")


def read_xlsx(data: bytes, problems: Problems) -> RawDocument | None:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # zipfile.BadZipFile, KeyError, InvalidFileException, XML errors
        problems.add("", _("The file is not a readable XLSX workbook."))
        return None
    try:
        props = {p.name: getattr(p, "value", None) for p in workbook.custom_doc_props}
    except Exception:
        props = {}
    fmt = props.get(FORMAT_PROPERTY)
    if fmt is not None and fmt != FORMAT:
        problems.add(
            "format",
            _("the format must be '%(expected)s', got '%(value)s'")
            % {"expected": FORMAT, "value": quote(fmt)},
        )
    as_of = _parse_as_of(props.get(AS_OF_PROPERTY), "as_of", problems)
    known = section_by_key()
    sections: dict[str, RawSection] = {}
    try:
        for sheet in workbook.worksheets:
            title = sheet.title
            if title.startswith("_"):
                continue
            section = known.get(title)
            if section is None:
                problems.add(f"sheet {title}", _("unknown sheet '%(value)s'") % {"value": title})
                continue
            sections[title] = _read_sheet(sheet, section.field_names(), title, problems)
    except Exception:
        problems.add("", _("The file is not a readable XLSX workbook."))
        return None
    finally:
        workbook.close()
    return RawDocument(as_of=as_of, sections=sections, kind="xlsx")


def _read_sheet(sheet: Any, names: list[str], title: str, problems: Problems) -> RawSection:
    rows = sheet.iter_rows(values_only=True)
    header_row = next(rows, None) or ()
    header: list[str | None] = []
    seen: set[str] = set()
    for value in header_row:
        if value is None or (isinstance(value, str) and not value.strip()):
            header.append(None)
            continue
        name = str(value).strip()
        place = f"sheet {title}, row 1, column {name}"
        if name not in names:
            problems.add(place, _("unknown field '%(value)s'") % {"value": name})
            header.append(None)
        elif name in seen:
            problems.add(place, _("column '%(value)s' appears twice") % {"value": name})
            header.append(None)
        else:
            seen.add(name)
            header.append(name)
    records: list[dict[str, Any]] = []
    places: list[Place] = []
    for number, values in enumerate(rows, start=2):
        record: dict[str, Any] = {}
        empty = True
        for name, value in zip(header, values, strict=False):
            if name is None:
                continue
            if value is not None and not (isinstance(value, str) and not value.strip()):
                empty = False
            record[name] = value
        if empty:
            continue
        for name in seen:
            record.setdefault(name, None)
        records.append(record)
        places.append(SheetPlace(title, number))
    return RawSection(key=title, records=records, places=places, columns=seen)


def read_document(data: bytes, filename: str, problems: Problems) -> RawDocument | None:
    """JSON or XLSX by the file name's extension."""
    lower = filename.lower()
    if lower.endswith(".json"):
        return read_json(data, problems)
    if lower.endswith(".xlsx"):
        return read_xlsx(data, problems)
    problems.add("", _("Only .json and .xlsx files can be imported."))
    return None
