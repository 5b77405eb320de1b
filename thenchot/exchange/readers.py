"""Readers: a JSON or XLSX file into a `RawDocument`, reporting what is malformed.

Readers know the format (`thenchot/1`, sections as lists or sheets, field names) but not the
meaning of any field: types are checked by `engine.parse_section`, references by the sections.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO

from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core import json_stream
from thenchot.core.interchange import (
    CODE,
    CODES,
    FORMAT,
    LINES,
    STR,
    Field,
    JsonPlace,
    ParsedSection,
    Place,
    Problems,
    RawDocument,
    RawList,
    RawSection,
    Section,
    SectionParser,
    SheetPlace,
    key_text,
    merge_problems,
    quote,
    section_by_key,
    sheet_place,
)
from thenchot.exchange.limits import SHEET_MAX_ROW, Guard, byte_size, import_limits

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


def read_json(
    data: bytes | BinaryIO,
    problems: Problems,
    guard: Guard | None = None,
    *,
    memo: dict[Any, Any] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> RawDocument | None:
    """The document of a JSON file (bytes, or a binary file read a chunk at a time), its
    sections' records typed as they are read (`ParsedSection`): no more than one record's raw
    values is ever held, which keeps a city's file in bounded memory. Problems come out in the
    order of reading the whole file first: the format and date, then each member in the
    file's order, then (from `parse_section`) the typing of each section. `on_bytes` is
    told how many bytes have been read, as the reading goes."""
    guard = guard or Guard(import_limits(), problems)
    # Before parsing: the parser recurses once per level of brackets.
    if not guard.json_depth_of(json_stream.text_chunks(data)):
        return None
    _rewind(data)
    chunks = json_stream.text_chunks(data)
    if on_bytes is not None:
        chunks = _counted(chunks, on_bytes)
    reader = json_stream.StreamReader(json_stream.utf8_reader(chunks))
    members: dict[str, Problems] = {}  # each member's reading problems, in the file's order
    parsers: dict[str, ParsedSection] = {}
    top: dict[str, Any] = {}
    known = section_by_key()
    try:
        for key in reader.members():
            if key in ("format", "as_of"):
                top[key] = reader.value()
                continue
            found = members[key] = Problems(limit=problems.limit)
            parsers.pop(key, None)  # a repeated member: the last one stands, as in json.loads
            section = known.get(key)
            if section is None:
                found.add(key, _("unknown section '%(value)s'") % {"value": key})
                reader.skip()
            elif not reader.is_array():
                reader.skip()
                found.add(key, _("a section must be a list of records"))
            else:
                raw = _read_section(reader, section, key, found, guard, memo)
                if raw is not None:
                    parsers[key] = raw
    except json_stream.NotAnObject:
        _whole(data, problems)
        return None
    except UnicodeDecodeError:
        problems.add("", _("The file is not UTF-8 text."))
        return None
    except RecursionError:  # a depth limit set above what the interpreter allows
        guard.refuse("", _("The JSON nests too deep to be read."))
        return None
    except json.JSONDecodeError as exc:
        if not _utf8(data):  # read whole, the file would not have been text at all
            problems.add("", _("The file is not UTF-8 text."))
            return None
        problems.add(
            _("line %(line)s, column %(column)s") % {"line": exc.lineno, "column": exc.colno},
            _("the file is not valid JSON: %(detail)s") % {"detail": exc.msg},
        )
        return None
    fmt = top.get("format")
    if fmt != FORMAT:
        if fmt is None:
            problems.add("format", _("required field is missing"))
        else:
            problems.add(
                "format",
                _("the format must be '%(expected)s', got '%(value)s'")
                % {"expected": FORMAT, "value": quote(fmt)},
            )
    as_of = _parse_as_of(top.get("as_of"), "as_of", problems)
    for found in members.values():
        merge_problems(problems, found)
    return RawDocument(as_of=as_of, sections=dict(parsers), kind="json")


def _read_section(
    reader: json_stream.StreamReader,
    section: Section,
    key: str,
    found: Problems,
    guard: Guard,
    memo: dict[Any, Any] | None,
) -> ParsedSection | None:
    """Read the records of one section, typing each as it comes; None when the section holds
    more records than the limit (refused as a whole: its records were counted, not kept)."""
    names = set(section.field_names())
    unbounded = _unbounded(section)
    parser = SectionParser(section, xlsx=False, problems=Problems(limit=found.limit), memo=memo)
    problems, guard.problems = guard.problems, found
    limit = guard.limits.rows
    count = 0
    try:
        for index, record in enumerate(reader.items()):
            count = index + 1
            if count > limit:
                continue  # counted for the message, not kept
            place = JsonPlace(key, index)
            if not isinstance(record, dict):
                found.add(place.at(), _("a record must be an object"))
                continue
            for name in record:
                if name not in names:
                    found.add(place.at(name), _("unknown field '%(value)s'") % {"value": name})
            for name in unbounded:
                field_value = record.get(name)
                if field_value is not None:
                    guard.nested_values(place.at(name), field_value)
            parser.add(record, place)
        if count > limit:
            found.items.clear()
            found.omitted = 0
            guard.records(key, count)
            return None
    finally:
        guard.problems = problems
    return ParsedSection(key=key, records=[], places=[], parser=parser)


def _counted(chunks: Iterable[bytes], on_bytes: Callable[[int], None]) -> Iterator[bytes]:
    done = 0
    for chunk in chunks:
        yield chunk
        done += len(chunk)
        on_bytes(done)


def _rewind(data: bytes | BinaryIO) -> None:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        data.seek(0)


def _utf8(data: bytes | BinaryIO) -> bool:
    """Whether the whole file is UTF-8 text (read a chunk at a time)."""
    _rewind(data)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in json_stream.text_chunks(data):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _whole(data: bytes | BinaryIO, problems: Problems) -> None:
    """A document that is not an object: read whole (it holds no records) for the message
    `json.loads` gives, or the one saying it must be an object."""
    _rewind(data)
    raw = data if isinstance(data, (bytes, bytearray, memoryview)) else data.read()
    try:
        text = bytes(raw).decode("utf-8-sig")
    except UnicodeDecodeError:
        problems.add("", _("The file is not UTF-8 text."))
        return
    try:
        json.loads(text)
    except RecursionError:  # a depth limit set above what the interpreter allows
        problems.add("", _("The JSON nests too deep to be read."))
        return
    except json.JSONDecodeError as exc:
        problems.add(
            _("line %(line)s, column %(column)s") % {"line": exc.lineno, "column": exc.colno},
            _("the file is not valid JSON: %(detail)s") % {"detail": exc.msg},
        )
        return
    problems.add("", _("The file must hold one JSON object."))


def read_xlsx(
    data: bytes | BinaryIO, problems: Problems, guard: Guard | None = None
) -> RawDocument | None:
    from openpyxl import load_workbook

    guard = guard or Guard(import_limits(), problems)
    if not guard.workbook(data):
        return None
    _rewind(data)
    source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
    try:
        # Read-only: rows are parsed from the sheet's XML as they are asked for.
        workbook = load_workbook(source, read_only=True, data_only=True)
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
    lists = nested_sheets(known.values())
    sections: dict[str, RawSection] = {}
    item_sheets: list[tuple[Section, Field, list[tuple[Any, dict[str, Any], SheetPlace]]]] = []
    try:
        for sheet in workbook.worksheets:
            title = sheet.title
            if title.startswith("_"):
                continue
            # Every row the sheet holds, not only those within the dimension it declares
            # (which may be wrong: openpyxl would silently stop reading there).
            sheet.reset_dimensions()
            section = known.get(title)
            if section is not None:
                sections[title] = _read_sheet(sheet, section, title, problems, guard)
                continue
            candidates = lists.get(title)
            if candidates:
                found = _read_item_sheet(sheet, title, candidates, problems, guard)
                if found is not None:
                    item_sheets.append(found)
                continue
            problems.add(sheet_place(title), _("unknown sheet '%(value)s'") % {"value": title})
    except Exception:
        problems.add("", _("The file is not a readable XLSX workbook."))
        return None
    finally:
        workbook.close()
    for section, f, items in item_sheets:
        _attach(section, f, items, sections.get(section.key), problems)
    return RawDocument(as_of=as_of, sections=sections, kind="xlsx")


def _unbounded(section: Section) -> list[str]:
    """The fields whose values only the import's value limit bounds: text, codes and lists
    without a `max_length` of their own (which `parse_value` checks), and nested lists.
    Checking only these keeps the check off the city-wide file's time."""
    texts = (STR, CODE, CODES, LINES)
    flat = [f.name for f in section.flat_fields() if f.type in texts and not f.max_length]
    return flat + [f.name for f in section.nested_fields()]


def nested_sheets(sections: Any) -> dict[str, list[tuple[Section, Field]]]:
    """Item sheet name -> the (section, nested field) it may belong to. Two sections may use
    the same list name; the sheet's first column (the parent column) tells them apart."""
    out: dict[str, list[tuple[Section, Field]]] = {}
    for section in sections:
        for f in section.nested_fields():
            out.setdefault(f.name, []).append((section, f))
    return out


def _header(
    values: Any,
    names: set[str],
    title: str,
    problems: Problems,
    lists: frozenset[str] | set[str] = frozenset(),
) -> tuple[list[str | None], set[str]]:
    header: list[str | None] = []
    seen: set[str] = set()
    for value in values:
        if value is None or (isinstance(value, str) and not value.strip()):
            header.append(None)
            continue
        name = str(value).strip()
        place = sheet_place(title, 1, name)
        if name in lists:
            problems.add(
                place,
                _("'%(value)s' is a list: its items go on the sheet '%(value)s'") % {"value": name},
            )
            header.append(None)
        elif name not in names:
            problems.add(place, _("unknown field '%(value)s'") % {"value": name})
            header.append(None)
        elif name in seen:
            problems.add(place, _("column '%(value)s' appears twice") % {"value": name})
            header.append(None)
        else:
            seen.add(name)
            header.append(name)
    return header, seen


def _records(
    rows: Any, header: list[str | None], seen: set[str], title: str, guard: Guard, start: int = 2
) -> Any:  # Iterator[tuple[int, dict[str, Any]]]
    max_chars = guard.limits.value_chars
    for number, values in enumerate(rows, start=start):
        if number > SHEET_MAX_ROW:
            # openpyxl fills the gap before a row numbered a billion with empty rows.
            guard.refuse(
                sheet_place(title, number),
                _("a sheet has at most %(limit)s rows") % {"limit": SHEET_MAX_ROW},
            )
            return
        record: dict[str, Any] = {}
        empty = True
        for name, value in zip(header, values, strict=False):
            if name is None:
                continue
            if type(value) is str and len(value) > max_chars:
                guard.value(SheetPlace(title, number).at(name), value)
                value = None
            if value is not None and not (isinstance(value, str) and not value.strip()):
                empty = False
            record[name] = value
        if empty:
            continue
        for name in seen:
            record.setdefault(name, None)
        yield number, record


def _read_sheet(
    sheet: Any, section: Section, title: str, problems: Problems, guard: Guard
) -> RawSection:
    rows = sheet.iter_rows(values_only=True)
    names = {f.name for f in section.flat_fields()}
    lists = {f.name for f in section.nested_fields()}
    header, seen = _header(next(rows, None) or (), names, title, problems, lists)
    records: list[dict[str, Any]] = []
    places: list[Place] = []
    for number, record in _records(rows, header, seen, title, guard):
        if len(records) == guard.limits.rows:  # a sheet whose rows the count did not see
            guard.records(sheet_place(title), number, sheet=True)
            break
        records.append(record)
        places.append(SheetPlace(title, number))
    return RawSection(key=title, records=records, places=places, columns=seen)


def _read_item_sheet(
    sheet: Any,
    title: str,
    candidates: list[tuple[Section, Field]],
    problems: Problems,
    guard: Guard,
) -> tuple[Section, Field, list[tuple[Any, dict[str, Any], SheetPlace]]] | None:
    """The rows of a nested list's sheet: (parent key, item, place) each. The first column
    names the parent (`task`, `inspection`, ...)."""
    rows = sheet.iter_rows(values_only=True)
    first_row = tuple(next(rows, ()) or ())
    first = first_row[0] if first_row else None
    first_name = str(first).strip() if first is not None else ""
    match = [(s, f) for s, f in candidates if f.parent_column == first_name]
    if not match:
        expected = " / ".join(sorted({f.parent_column for _s, f in candidates}))
        problems.add(
            sheet_place(title, 1, first_name or "A"),
            _("the first column of sheet '%(sheet)s' must be '%(expected)s'")
            % {"sheet": title, "expected": expected},
        )
        return None
    section, f = match[0]
    # A composite key (`process`, `process_version`): the further parent columns are optional,
    # an absent one giving every row the key's default.
    extra: list[str] = []
    for position, name in enumerate(section.parent_columns(f)[1:], start=1):
        if position >= len(first_row) or str(first_row[position] or "").strip() != name:
            break
        extra.append(name)
    width = 1 + len(extra)
    names = {item.name for item in f.items}
    header, seen = _header(first_row[width:], names, title, problems)
    header = [*([None] * width), *header]
    items: list[tuple[Any, dict[str, Any], SheetPlace]] = []
    parent_column = f.parent_column
    for number, values in enumerate(rows, start=2):
        parent = values[0] if values else None
        found = list(_records([values], header, seen, title, guard, start=number))
        if guard.broken and number > SHEET_MAX_ROW:
            break
        if not found and _blank(parent) and all(_blank(v) for v in (values or ())[1:width]):
            continue
        item = found[0][1] if found else dict.fromkeys(seen)
        place = SheetPlace(title, number)
        if _blank(parent):
            problems.add(place.at(parent_column), _("required field is missing"))
            continue
        if len(items) == guard.limits.rows:
            guard.records(sheet_place(title), number, sheet=True)
            break
        key: Any = _key_text(parent)
        if section.key_fields:
            cells = dict(zip(extra, (values or ())[1:width], strict=False))
            key = _parent_key(section, f, key, cells)
        items.append((key, item, place))
    return section, f, items


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _key_text(value: Any) -> Any:
    """A key cell as the parent sheet's key reads (codes written as numbers are text)."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _parent_key(section: Section, f: Field, first: Any, cells: dict[str, Any]) -> Any:
    """The composite key a nested row names: its first column, then one column per further key
    field (absent or empty: the field's default), read like the parent sheet's cells."""
    parts = [first]
    for name, column in zip(section.key_fields[1:], section.parent_columns(f)[1:], strict=True):
        value = cells.get(column)
        parts.append(_key_text(section.key_defaults.get(name) if _blank(value) else value))
    return tuple(parts)


def _record_key(section: Section, record: dict[str, Any]) -> Any:
    """A parent sheet's record key as its nested rows name it."""
    if not section.key_fields:
        return _key_text(record.get(section.key_field))
    parts = []
    for name in section.key_fields:
        value = record.get(name)
        parts.append(_key_text(section.key_defaults.get(name) if _blank(value) else value))
    return None if any(_blank(p) for p in parts) else tuple(parts)


def _attach(
    section: Section,
    f: Field,
    items: list[tuple[Any, dict[str, Any], SheetPlace]],
    parent: RawSection | None,
    problems: Problems,
) -> None:
    """Give every record of the parent sheet its list (empty when the item sheet has no row for
    it: the sheet is there, so the lists are given), and report rows whose parent the parent
    sheet does not hold."""
    if parent is None:
        if items:
            problems.add(
                sheet_place(f.name),
                _("the rows of sheet '%(sheet)s' belong to sheet '%(parent)s', which is missing")
                % {"sheet": f.name, "parent": section.key},
            )
        return
    by_key: dict[Any, RawList] = {}
    for record in parent.records:
        lst = RawList()
        record[f.name] = lst
        key = _record_key(section, record)
        if not _blank(key):
            by_key.setdefault(key, lst)
    parent.columns.add(f.name)
    for key, item, place in items:
        target = by_key.get(key)
        if target is None:
            problems.add(
                place.at(f.parent_column),
                _("'%(value)s' is not a code of sheet '%(parent)s'")
                % {"value": quote(key_text(key)), "parent": section.key},
            )
            continue
        target.add(item, place)


def read_document(
    data: bytes | BinaryIO,
    filename: str,
    problems: Problems,
    guard: Guard | None = None,
    *,
    memo: dict[Any, Any] | None = None,
    on_bytes: Callable[[int], None] | None = None,
) -> RawDocument | None:
    """JSON or XLSX by the file name's extension, given as bytes or as a binary file (read a
    chunk at a time); None when the file cannot be read or breaks a limit
    (`exchange.limits`). `memo`: the import's shared values (`SectionParser`); `on_bytes`:
    told the bytes read so far (JSON)."""
    guard = guard or Guard(import_limits(), problems)
    if not guard.file_size(byte_size(data)):
        return None
    lower = filename.lower()
    if lower.endswith(".json"):
        document = read_json(data, problems, guard, memo=memo, on_bytes=on_bytes)
    elif lower.endswith(".xlsx"):
        document = read_xlsx(data, problems, guard)
    else:
        problems.add("", _("Only .json and .xlsx files can be imported."))
        return None
    return None if guard.broken else document
