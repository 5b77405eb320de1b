"""How much one import may hold, so that no file can exhaust the server's memory or time.

Every limit is refused with a message that names it and the value found, before the part of
the file that breaks it is parsed. The defaults leave room for the city-wide file (200,000
staff with a month of evaluations: 60 MB of compact JSON, 170 MB as the export indents it,
16 MB of XLSX unpacking to 193 MB) and stop what no agency sends (docs/interchange.md,
"Limits"). Each can be changed with the setting, or the environment variable, of the same
name.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, fields
from itertools import accumulate
from typing import Any, BinaryIO
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from thenchot.core.interchange import Problems, sheet_place, shorten

MIB = 1024 * 1024
# Excel's last row: a sheet that claims a later row is not a spreadsheet Excel could open.
SHEET_MAX_ROW = 1_048_576


@dataclass(frozen=True)
class ImportLimits:
    file_bytes: int = 512 * MIB  # the city-wide export as the application writes it: 170 MB
    unzipped_bytes: int = 1024 * MIB  # sum of the XLSX's members once unpacked (city: 193 MB)
    zip_ratio: int = 100  # unpacked size / file size (city: 12)
    rows: int = 500_000  # records per section (JSON) or rows per sheet (XLSX)
    value_chars: int = 32_767  # one text value: the most an Excel cell holds
    json_depth: int = 32  # brackets open at once; the format itself needs 5
    errors: int = 1_000  # errors listed; the rest are counted


SETTING_NAMES = {
    "file_bytes": "THENCHOT_IMPORT_MAX_FILE_BYTES",
    "unzipped_bytes": "THENCHOT_IMPORT_MAX_UNZIPPED_BYTES",
    "zip_ratio": "THENCHOT_IMPORT_MAX_ZIP_RATIO",
    "rows": "THENCHOT_IMPORT_MAX_ROWS",
    "value_chars": "THENCHOT_IMPORT_MAX_VALUE_CHARS",
    "json_depth": "THENCHOT_IMPORT_MAX_JSON_DEPTH",
    "errors": "THENCHOT_IMPORT_MAX_ERRORS",
}


def _positive(name: str, raw: object) -> int:
    try:
        value = int(str(raw))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {raw!r}") from None
    if value < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, got {value}")
    return value


def import_limits() -> ImportLimits:
    """The limits in force: the Django setting if the project defines it, else the environment
    variable of the same name, else the default."""
    defaults = ImportLimits()
    values: dict[str, int] = {}
    for f in fields(ImportLimits):
        name = SETTING_NAMES[f.name]
        raw = getattr(settings, name, None)
        if raw is None:
            raw = os.environ.get(name) or None
        values[f.name] = getattr(defaults, f.name) if raw is None else _positive(name, raw)
    return ImportLimits(**values)


class Guard:
    """The limits of one import and whether the file broke one: a broken limit stops the
    import after the reader (what lies beyond it was not read, so nothing else is reliable)."""

    def __init__(self, limits: ImportLimits, problems: Problems) -> None:
        self.limits = limits
        self.problems = problems
        self.broken = False

    def refuse(self, place: str, message: str) -> None:
        self.problems.add(place, message)
        self.broken = True

    def file_size(self, size: int) -> bool:
        if size <= self.limits.file_bytes:
            return True
        self.refuse(
            "",
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(self.limits.file_bytes)},
        )
        return False

    def json_depth(self, data: bytes) -> bool:
        return self._depth(json_depth(data))

    def json_depth_of(self, chunks: Iterable[bytes]) -> bool:
        """`json_depth` of a file read a chunk at a time."""
        return self._depth(json_depth_of_chunks(chunks))

    def _depth(self, depth: int) -> bool:
        if depth <= self.limits.json_depth:
            return True
        self.refuse(
            "",
            _("The JSON nests %(depth)s levels deep; the limit is %(limit)s.")
            % {"depth": count(depth), "limit": count(self.limits.json_depth)},
        )
        return False

    def records(self, place: str, number: int, *, sheet: bool = False) -> bool:
        if number <= self.limits.rows:
            return True
        if sheet:
            message = _("the sheet holds %(count)s rows; the limit is %(limit)s rows per sheet")
        else:
            message = _(
                "the section holds %(count)s records; the limit is %(limit)s records per section"
            )
        self.refuse(place, message % {"count": count(number), "limit": count(self.limits.rows)})
        return False

    def value(self, place: str, value: Any) -> bool:
        """False (and refused) when `value` is text longer than the limit."""
        if not isinstance(value, str) or len(value) <= self.limits.value_chars:
            return True
        self.refuse(
            place,
            _("'%(value)s' is %(length)s characters long; the limit is %(limit)s")
            % {
                "value": shorten(value),
                "length": count(len(value)),
                "limit": count(self.limits.value_chars),
            },
        )
        return False

    def nested_values(self, place: str, value: Any) -> None:
        """Refuse every over-long text inside `value` (lists and objects of a JSON record; their
        depth was bounded before parsing)."""
        if isinstance(value, str):
            self.value(place, value)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if not isinstance(item, (int, float, bool)) and item is not None:
                    self.nested_values(f"{place}[{index}]", item)
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(item, (int, float, bool)) and item is not None:
                    self.nested_values(f"{place}.{key}", item)

    def workbook(self, data: bytes | BinaryIO) -> bool:
        """Check the XLSX's unpacked size and ratio from its directory, before any member is
        unpacked (zipfile stops at each member's declared size, so the directory cannot lie
        its way past this), then count each worksheet's rows in its raw XML, so that a sheet
        of a million rows is refused without being parsed (openpyxl parses a sheet whole
        just to open it when the sheet declares no dimension)."""
        size = byte_size(data)
        source = io.BytesIO(data) if isinstance(data, (bytes, bytearray)) else data
        try:
            with zipfile.ZipFile(source) as archive:
                members = archive.infolist()
                if not self._unpacked(sum(info.file_size for info in members), size):
                    return False
                titles = _sheet_titles(archive)
                for info in members:
                    name = info.filename
                    if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                        title = titles.get(name, name)
                        # Row 1 is the header, not a record.
                        rows = max(_count_rows(archive, info) - 1, 0)
                        self.records(sheet_place(title), rows, sheet=True)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
            # NotImplementedError: a compression method zipfile does not know.
            self.refuse("", _("The file is not a readable XLSX workbook."))
        return not self.broken

    def _unpacked(self, unpacked: int, size: int) -> bool:
        limits = self.limits
        if unpacked > limits.unzipped_bytes:
            self.refuse(
                "",
                _("The workbook unpacks to %(size)s; the limit is %(limit)s.")
                % {
                    "size": filesizeformat(unpacked),
                    "limit": filesizeformat(limits.unzipped_bytes),
                },
            )
            return False
        ratio = unpacked / max(size, 1)
        if ratio > limits.zip_ratio:
            self.refuse(
                "",
                _(
                    "The workbook unpacks to %(ratio)s times its size; the limit is %(limit)s "
                    "times (real workbooks are far less compressed)."
                )
                % {"ratio": count(int(ratio)), "limit": count(limits.zip_ratio)},
            )
            return False
        return True


def byte_size(data: bytes | BinaryIO) -> int:
    """The size of a file given as bytes or as a binary file (its position left at 0)."""
    if isinstance(data, (bytes, bytearray)):
        return len(data)
    size = data.seek(0, os.SEEK_END)
    data.seek(0)
    return size


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet member path -> the sheet's title, from the workbook and its relationships
    (both small; a workbook without them is left for openpyxl to call unreadable)."""
    try:
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target") or ""
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        targets[rel.get("Id")] = posixpath.normpath(path)
    titles = {}
    for element in workbook.iter():
        if element.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
        if rid in targets:
            titles[targets[rid]] = element.get("name") or targets[rid]
    return titles


def count(number: int) -> str:
    """A whole number as the user's language writes it (1.000.000 in Vietnamese)."""
    return str(number_format(number, force_grouping=True))


# A worksheet's rows are `<row ...>` elements (`<row` cannot occur in text, where `<` is
# escaped), with the prefix the root element gives them, if any (`<x:worksheet>`, `<x:row>`).
_ROOT = re.compile(rb"<(?:([A-Za-z_][\w.\-]*):)?worksheet[\s>]")
_CHUNK = 1024 * 1024


def _count_rows(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    rows = 0
    tail = b""
    needles: list[bytes] = []
    with archive.open(info) as member:
        while chunk := member.read(_CHUNK):
            buffer = tail + chunk
            if not needles:
                root = _ROOT.search(buffer)
                prefix = root.group(1) + b":" if root and root.group(1) else b""
                needles = [
                    b"<" + prefix + b"row" + end for end in (b" ", b">", b"/", b"\n", b"\t", b"\r")
                ]
            # Tags found in the tail were counted with the previous chunk.
            rows += sum(buffer.count(n) - tail.count(n) for n in needles)
            tail = buffer[-(max(map(len, needles)) - 1) :]
    return rows


_ESCAPE = re.compile(rb"\\.", re.DOTALL)
_NOT_QUOTE_OR_BRACKET = bytes(b for b in range(256) if b not in b'"[]{}')
_DELTA = [0] * 256
for _byte in b"[{":
    _DELTA[_byte] = 1
for _byte in b"]}":
    _DELTA[_byte] = -1


def json_depth_of_chunks(chunks: Iterable[bytes]) -> int:
    """`json_depth` of a document given a chunk at a time (a file read in bounded memory): the
    same steps per chunk, carrying whether the chunk begins inside a string, the depth, and a
    backslash whose escaped byte is in the next chunk."""
    deepest = depth = 0
    inside = False
    carry = b""
    for chunk in chunks:
        chunk = carry + chunk
        run = len(chunk) - len(chunk.rstrip(b"\\"))
        carry = b"\\" if run % 2 else b""
        if carry:
            chunk = chunk[:-1]
        kept = _ESCAPE.sub(b"", chunk).translate(None, _NOT_QUOTE_OR_BRACKET)
        pieces = kept.split(b'"')
        brackets = b"".join(pieces[1::2] if inside else pieces[::2])
        if len(pieces) % 2 == 0:
            inside = not inside
        for level in accumulate(map(_DELTA.__getitem__, brackets), initial=depth):
            if level > deepest:
                deepest = level
        depth = level if brackets else depth
    return deepest


def json_depth(data: bytes) -> int:
    """The deepest nesting of `[`/`{` outside strings in raw JSON bytes, without parsing (the
    parser recurses once per level: 100,000 levels would crash it). Linear and in C but for
    the last step: escapes go first, then everything but quotes and brackets; removing
    adjacent quote pairs keeps each bracket's quote parity (odd: inside a string), and the
    even pieces between quotes are the brackets outside strings."""
    kept = _ESCAPE.sub(b"", data).translate(None, _NOT_QUOTE_OR_BRACKET)
    kept = kept.replace(b'""', b"")
    brackets = b"".join(kept.split(b'"')[::2])
    return max(accumulate(map(_DELTA.__getitem__, brackets)), default=0)
