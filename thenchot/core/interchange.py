"""The generic interchange engine: fields, sections, places, parsing and the import run.

A section (units, staff, ...) is registered by its own app in
`thenchot.core.registry.interchange_sections`; this module never imports a domain app. An
import runs in three steps: every record of every section is parsed (types, required fields,
unknown fields, duplicate keys); every section then plans its changes against the database
with a few set-based queries, collecting every error; only when nothing is wrong are the plans
written, inside one transaction, with one audit batch.
"""

from __future__ import annotations

import array
import datetime as dt
import functools
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core.registry import interchange_sections

FORMAT = "thenchot/1"

STR = "str"
DATE = "date"
BOOL = "bool"
INT = "int"
CODE = "code"  # a reference to another record, by code
CODES = "codes"  # a list of references
# A list of text lines (JSON: a list of strings; XLSX: one cell, one item per line), for lists
# whose items are sentences that may hold `;` (an evaluation's reasons).
LINES = "lines"
ENUM = "enum"
DECIMAL = "decimal"  # a number with at most `places` decimals, read as `Decimal`
NESTED = "nested"  # a list of records of `items` (JSON: a list; XLSX: a sheet of its own)
LISTS = (CODES, LINES)  # flat lists: empty is `[]`


@dataclass(frozen=True)
class Field:
    """One documented field of a section."""

    name: str
    type: str = STR
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int | None = None
    help: Any = ""  # lazily translated help text (XLSX template comments, docs)
    ref: str = ""  # for CODE/CODES: the section the codes point to
    places: int = 2  # for DECIMAL: decimals allowed
    # For STR: a further check of the text, giving the error message or None
    # (`core.codes.AddressableCode.error` for codes used in addresses).
    check: Callable[[str], str | None] | None = None
    # For NESTED: the fields of one item, and the first column of its XLSX sheet, which names
    # the parent record by its key (`task`, `inspection`, `process`: shared/spec/interchange.md).
    items: tuple[Field, ...] = ()
    parent_column: str = ""

    @property
    def nested(self) -> bool:
        return self.type == NESTED


def code_field(
    help: Any, *, check: Callable[[str], str | None] | None = None, max_length: int = 60
) -> Field:
    """A section's key `code`: required text of at most 60 characters (the models' length; 40
    for reference data such as units), with the record's own check
    (`core.codes.AddressableCode.error` where it opens a page)."""
    return Field("code", STR, required=True, max_length=max_length, help=help, check=check)


def staff_field(help: Any = None, *, name: str = "staff", required: bool = True) -> Field:
    """A reference to a staff member by code (at most 40 characters, the staff model's length),
    checked against the `staff` section of the file and the database."""
    if help is None:
        help = gettext_lazy("Staff code.")
    return Field(name, CODE, required=required, max_length=40, ref="staff", help=help)


def enum_field(name: str, choices: Iterable[str], help: Any, *, required: bool = False) -> Field:
    """A field whose value is one of `choices` (a `TextChoices`' `.values`), in their order."""
    return Field(name, ENUM, required=required, choices=tuple(choices), help=help)


# -- places -------------------------------------------------------------------------------------
class Place:
    """Where a record sits in the file; `at(field)` names a field of it, verbatim."""

    __slots__ = ()

    def at(self, field_name: str | None = None) -> str:
        raise NotImplementedError


class JsonPlace(Place):
    __slots__ = ("section", "index")

    def __init__(self, section: str, index: int) -> None:
        self.section = section
        self.index = index

    def at(self, field_name: str | None = None) -> str:
        base = f"{self.section}[{self.index}]"
        return f"{base}.{field_name}" if field_name else base


def sheet_place(sheet: str, row: int | None = None, column: str | None = None) -> str:
    """A place in a workbook as the reader's language says it ("trang tính staff, dòng 2, cột
    category"); the sheet and column keep the names the file uses (issue 11)."""
    if row is None:
        return _("sheet %(sheet)s") % {"sheet": sheet}
    if column is None:
        return _("sheet %(sheet)s, row %(row)s") % {"sheet": sheet, "row": row}
    return _("sheet %(sheet)s, row %(row)s, column %(column)s") % {
        "sheet": sheet,
        "row": row,
        "column": column,
    }


class SheetPlace(Place):
    __slots__ = ("section", "row")

    def __init__(self, section: str, row: int) -> None:
        self.section = section
        self.row = row

    def at(self, field_name: str | None = None) -> str:
        return sheet_place(self.section, self.row, field_name or None)


class ItemPlace(Place):
    """An item of a nested list in JSON: `tasks[3].extensions[1]`."""

    __slots__ = ("parent", "name", "index")

    def __init__(self, parent: Place, name: str, index: int) -> None:
        self.parent = parent
        self.name = name
        self.index = index

    def at(self, field_name: str | None = None) -> str:
        base = f"{self.parent.at(self.name)}[{self.index}]"
        return f"{base}.{field_name}" if field_name else base


@dataclass(frozen=True)
class Problem:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


# A file of a million bad rows must not make a million-line answer, nor a 5 MB value a 5 MB
# message: errors past `MAX_PROBLEMS` are only counted, and quoted values are cut.
MAX_PROBLEMS = 1_000
QUOTE_CHARS = 80
PLACE_CHARS = 200
MESSAGE_CHARS = 1_000
_QUOTED = re.compile(rf"'([^']{{{QUOTE_CHARS + 1},}})'")


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text`, cut to `limit` characters followed by "…" when longer."""
    return text if len(text) <= limit else text[:limit] + "…"


def _shorten_quoted(message: str) -> str:
    # Values are quoted between '...' in every message (the interchange contract), also by
    # sections that interpolate them without `quote`.
    if len(message) <= QUOTE_CHARS:
        return message
    message = _QUOTED.sub(lambda m: f"'{shorten(m.group(1))}'", message)
    return shorten(message, MESSAGE_CHARS)


class Problems:
    """Every error of an import, in the order found: the first `limit` are kept, the rest
    counted (`omitted`)."""

    def __init__(self, limit: int = MAX_PROBLEMS) -> None:
        self.items: list[Problem] = []
        self.limit = limit
        self.omitted = 0

    def add(self, place: str, message: str) -> None:
        if len(self.items) >= self.limit:
            self.omitted += 1
            return
        self.items.append(Problem(shorten(place, PLACE_CHARS), _shorten_quoted(message)))

    def __bool__(self) -> bool:
        return bool(self.items) or self.omitted > 0

    def __len__(self) -> int:
        return len(self.items) + self.omitted

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)


def quote(value: Any) -> str:
    """The offending value as it appeared, for messages (cut after `QUOTE_CHARS`)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, dict)):
        import json

        return shorten(json.dumps(value, ensure_ascii=False))
    return shorten(str(value))


# -- raw documents ------------------------------------------------------------------------------
@dataclass
class RawSection:
    """One section as read from a file: records as dicts of raw values, each with its place.

    `records` and `places` are parallel lists. Readers already reported unknown fields.
    """

    key: str
    records: list[dict[str, Any]]
    places: list[Place]
    columns: set[str] = field(default_factory=set)  # fields present in the file (XLSX header)


class RawList(list):  # type: ignore[type-arg]
    """A nested list read from its own XLSX sheet: each item keeps its sheet row as place."""

    def __init__(self) -> None:
        super().__init__()
        self.places: list[Place] = []

    def add(self, item: dict[str, Any], place: Place) -> None:
        self.append(item)
        self.places.append(place)


@dataclass
class RawDocument:
    as_of: dt.date
    sections: dict[str, RawSection]
    kind: str  # "json" or "xlsx"


class Shape:
    """The field names of records that give the same fields in the same order, and where each
    sits: one per such set of records (`SectionParser`), shared by their `Record`s."""

    __slots__ = ("names", "index")

    def __init__(self, names: tuple[str, ...]) -> None:
        self.names = names
        self.index = {name: i for i, name in enumerate(names)}


class Record(MutableMapping[str, Any]):
    """A parsed record's values as a tuple under a `Shape` shared by the records of its
    shape: a mapping like the dict it replaces (same keys, same order), in less than half its
    memory (a city's 200,000 staff records of fourteen fields: 464 bytes a dict, 200 here).
    Setting a value copies the tuple, and a field added makes a shape of its own: records are
    read, rarely written."""

    __slots__ = ("shape", "values_")

    def __init__(self, shape: Shape, values: tuple[Any, ...]) -> None:
        self.shape = shape
        self.values_ = values

    def __getitem__(self, name: str) -> Any:
        i = self.shape.index.get(name)
        if i is None:
            raise KeyError(name)
        return self.values_[i]

    def get(self, name: str, default: Any = None) -> Any:
        i = self.shape.index.get(name)
        return default if i is None else self.values_[i]

    def __contains__(self, name: object) -> bool:
        return name in self.shape.index

    def __iter__(self) -> Iterator[str]:
        return iter(self.shape.names)

    def __len__(self) -> int:
        return len(self.shape.names)

    def __setitem__(self, name: str, value: Any) -> None:
        i = self.shape.index.get(name)
        if i is None:
            self.shape = Shape((*self.shape.names, name))
            self.values_ = (*self.values_, value)
        else:
            self.values_ = (*self.values_[:i], value, *self.values_[i + 1 :])

    def __delitem__(self, name: str) -> None:
        i = self.shape.index.get(name)
        if i is None:
            raise KeyError(name)
        names = self.shape.names
        self.shape = Shape((*names[:i], *names[i + 1 :]))
        self.values_ = (*self.values_[:i], *self.values_[i + 1 :])

    def copy(self) -> dict[str, Any]:
        return dict(zip(self.shape.names, self.values_, strict=True))

    def __repr__(self) -> str:
        return repr(self.copy())


# Distinct shapes one section's records may take before the rest stay dicts: a file's
# records give a handful (a field present or not), a crafted one could give millions.
SHAPES_MAX = 64


class Row:
    """A parsed record: typed values of the fields the file gave, and its place.

    `data` is the record's mapping of values (a `Record`, or a dict for rows built by hand).
    A record read from a JSON section at its own index keeps the section's name for its
    place, made when asked (a city's 400,000 records: 20 MB of `JsonPlace`s)."""

    __slots__ = ("_place", "data", "index")
    _place: Place | str
    data: MutableMapping[str, Any]

    def __init__(self, place: Place, data: MutableMapping[str, Any], index: int) -> None:
        self.index = index
        self.data = data
        self.place = place

    @property
    def place(self) -> Place:
        place = self._place
        return JsonPlace(place, self.index) if isinstance(place, str) else place

    @place.setter
    def place(self, place: Place) -> None:
        if type(place) is JsonPlace and place.index == self.index:
            self._place = place.section
        else:
            self._place = place

    def has(self, name: str) -> bool:
        data = self.data
        if type(data) is Record:
            return name in data.shape.index
        return name in data

    def get(self, name: str, default: Any = None) -> Any:
        data = self.data
        if type(data) is Record:
            i = data.shape.index.get(name)
            value = None if i is None else data.values_[i]
        else:
            value = data.get(name, default)
        return default if value is None else value

    def at(self, field_name: str | None = None) -> str:
        return self.place.at(field_name)


# -- value parsing ------------------------------------------------------------------------------
_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}
_email = EmailValidator()
USERNAME_RE = re.compile(r"^[\w.@+-]+\Z")


def _as_text(value: Any, *, xlsx: bool) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if xlsx and isinstance(value, bool):
        return None
    if xlsx and isinstance(value, int):
        return str(value)
    if xlsx and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def parse_value(f: Field, value: Any, *, xlsx: bool) -> tuple[Any, str | None]:
    """(typed value, error message or None). Empty values have been turned into None before."""
    if f.type in _TEXTUAL:
        text = _as_text(value, xlsx=xlsx)
        if text is None:
            return None, _("'%(value)s' is not text") % {"value": quote(value)}
        return _checked_text(f, text)
    if f.type == DATE:
        if xlsx and isinstance(value, dt.datetime):
            if value.time() == dt.time(0, 0):
                return value.date(), None
        elif xlsx and isinstance(value, dt.date):
            return value, None
        elif isinstance(value, str):
            try:
                if len(value.strip()) == 10:
                    return dt.date.fromisoformat(value.strip()), None
            except ValueError:
                pass
        return None, _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": quote(value)}
    if f.type == BOOL:
        if isinstance(value, bool):
            return value, None
        if xlsx:
            if isinstance(value, (int, float)) and value in (0, 1):
                return bool(value), None
            if isinstance(value, str):
                low = value.strip().lower()
                if low in _TRUE:
                    return True, None
                if low in _FALSE:
                    return False, None
        return None, _("'%(value)s' is not a boolean (true or false)") % {"value": quote(value)}
    if f.type == INT:
        if isinstance(value, int) and not isinstance(value, bool):
            return value, None
        if xlsx and isinstance(value, float) and value.is_integer():
            return int(value), None
        if xlsx and isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            return int(value), None
        return None, _("'%(value)s' is not a whole number") % {"value": quote(value)}
    if f.type == DECIMAL:
        return _parse_decimal(f, value, xlsx=xlsx)
    if f.type == CODES:
        if xlsx and isinstance(value, str):
            items: list[Any] = [part.strip() for part in value.split(";")]
            return [item for item in items if item], None
        if not xlsx and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()], None
        return None, _("'%(value)s' is not a list of codes") % {"value": quote(value)}
    if f.type == LINES:
        if xlsx and isinstance(value, str):
            return [line.strip() for line in value.splitlines() if line.strip()], None
        if not xlsx and isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v.strip() for v in value if v.strip()], None
        return None, _("'%(value)s' is not a list of text lines") % {"value": quote(value)}
    raise ValueError(f"unknown field type {f.type!r}")


def _checked_text(f: Field, text: str) -> tuple[str | None, str | None]:
    """(text, None) when the stripped `text` passes `f`'s choices, length and own check;
    else (None, the first error)."""
    if f.type == ENUM and text not in f.choices:
        return None, _("'%(value)s' is not one of: %(choices)s") % {
            "value": text,
            "choices": ", ".join(f.choices),
        }
    if f.max_length and len(text) > f.max_length:
        return None, _("'%(value)s' is too long (at most %(max)s characters)") % {
            "value": text,
            "max": f.max_length,
        }
    if f.check is not None:
        error = f.check(text)
        if error is not None:
            return None, error
    return text, None


def _parse_decimal(f: Field, value: Any, *, xlsx: bool) -> tuple[Any, str | None]:
    number: Decimal | None = None
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        # repr() is the shortest text that reads back as the same float: 1.1, not 1.1000000001
        number = Decimal(repr(value))
    elif xlsx and isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite():
        return None, _("'%(value)s' is not a number") % {"value": quote(value)}
    if number != number.quantize(Decimal(1).scaleb(-f.places)):
        return None, _("'%(value)s' has more than %(places)s decimals") % {
            "value": quote(value),
            "places": f.places,
        }
    return number.quantize(Decimal(1).scaleb(-f.places)), None


def number_out(value: Decimal | int | None) -> int | float | None:
    """A stored decimal as JSON writes it: 1 for 1.00, 1.5 for 1.50 (stable text)."""
    if value is None:
        return None
    number = Decimal(value)
    if number == number.to_integral_value():
        return int(number)
    return float(number.normalize())


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def check_email(value: str) -> bool:
    """Whether Django's `EmailValidator` takes `value`. Its domain pattern is most of its cost
    (18 µs an address on this machine), and a city's 200,000 addresses share a few domains:
    each domain's verdict is kept, the rest of the check is the validator's own, per address
    (a test compares the two on generated addresses)."""
    if not value or "@" not in value or len(value) > 320:
        return False
    user_part, domain_part = value.rsplit("@", 1)
    if not _email_user.match(user_part):
        return False
    return _domain_ok(domain_part)


# The validator's own user-part pattern, compiled here: read through its lazy wrapper, every
# match costs a proxy call.
_email_user = re.compile(_email.user_regex.pattern, _email.user_regex.flags)


@functools.lru_cache(maxsize=4096)
def _domain_ok(domain_part: str) -> bool:
    # "a" is a valid user part, and no domain part holds "@": the validator's verdict on
    # "a@<domain>" is its verdict on the domain (a longer address only fails its length
    # check when the domain alone is too long for any address).
    try:
        _email(f"a@{domain_part}")
    except ValidationError:
        return False
    return True


# -- sections -----------------------------------------------------------------------------------
@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


class ImportContext:
    """What the sections of one import share: the date, the writer's scope, the errors, the
    parsed rows of every section (so staff can see the units of the same file) and a scratch
    space where a section leaves what later sections need (`shared`)."""

    def __init__(self, *, as_of: dt.date, scope: Any, problems: Problems) -> None:
        self.as_of = as_of
        self.scope = scope  # accounts.scoping.Scope, or None for the system (CLI)
        self.problems = problems
        self.rows: dict[str, list[Row]] = {}
        self.plans: dict[str, Any] = {}
        self.counts: dict[str, Counts] = {}
        self.shared: dict[str, Any] = {}

    def error(self, row: Row, field_name: str | None, message: str) -> None:
        self.problems.add(row.at(field_name), message)

    @property
    def is_system(self) -> bool:
        return self.scope is None


@dataclass
class ExportRequest:
    as_of: dt.date
    scope: Any = None  # None: everything (CLI)
    unit_code: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    params: Mapping[str, Any] = field(default_factory=dict)  # list filters from the UI


class Section:
    """Base class of an interchange section. Subclasses set `key`, `fields`, `order` and
    implement `plan` (validate against the database, set-based, and decide every change),
    `apply` (write the plan in batches, yielding audit `Change`s) and `export`."""

    key: str = ""
    order: int = 100
    fields: tuple[Field, ...] = ()
    key_field: str = "code"
    # A key of several fields (`("code", "version")`: a procedure's versions are records of
    # their own). The engine then finds duplicates on the whole key, and the sheet of a nested
    # list names its parent by one column per key field (`process`, `process_version`), a field
    # left empty taking its value from `key_defaults`. Empty: the key is `key_field` alone.
    key_fields: tuple[str, ...] = ()
    key_defaults: ClassVar[Mapping[str, Any]] = MappingProxyType({})
    title: Any = ""

    def record_key(self, record: Mapping[str, Any]) -> Any:
        """The key of a record: the `key_field` value, or the tuple of the `key_fields` values
        (empty ones taking their default; None when a part is still missing)."""
        if not self.key_fields:
            return record.get(self.key_field)
        parts = []
        for name in self.key_fields:
            value = record.get(name)
            if is_empty(value):
                value = self.key_defaults.get(name)
            if value is None:
                return None
            parts.append(value)
        return tuple(parts)

    def parent_columns(self, nested: Field) -> tuple[str, ...]:
        """The first columns of a nested list's sheet, naming the parent record by its key."""
        extra = tuple(f"{nested.parent_column}_{name}" for name in self.key_fields[1:])
        return (nested.parent_column, *extra)

    def field_map(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def flat_fields(self) -> list[Field]:
        """The fields of the section's own sheet (nested lists have sheets of their own)."""
        return [f for f in self.fields if not f.nested]

    def nested_fields(self) -> list[Field]:
        return [f for f in self.fields if f.nested]

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        raise NotImplementedError

    def apply(self, ctx: ImportContext) -> Iterator[Any]:
        raise NotImplementedError

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        raise NotImplementedError


def registered_sections() -> list[Section]:
    """Sections in dependency order (units, job positions, staff, ...)."""
    items = [section for _key, section in interchange_sections.items()]
    return sorted(items, key=lambda s: (s.order, s.key))


def section_by_key() -> dict[str, Section]:
    return {s.key: s for s in registered_sections()}


class SectionParser:
    """Types the records of one section as a reader finds them, one at a time (a streamed file
    never holds its raw records): type errors, missing required fields and duplicate keys go to
    its own `problems`, which the import adds to the file's in the sections' order.

    Values many records share (codes, choices, dates, points) are kept once per import
    (`memo`), and each record keeps the field names of the section's declaration, not the
    copies a decoder made: at 400,000 records that is most of the import's memory."""

    def __init__(
        self,
        section: Section,
        *,
        xlsx: bool,
        problems: Problems | None = None,
        memo: dict[Any, Any] | None = None,
    ) -> None:
        self.section = section
        self.xlsx = xlsx
        self.problems = problems if problems is not None else Problems()
        self.memo = memo if memo is not None else {}
        self.rows: list[Row] = []
        self._fmap = section.field_map()
        self._names = {name: name for name in self._fmap}
        self._first_seen: dict[Any, Place] = {}
        self._key_name = section.key_fields[0] if section.key_fields else section.key_field
        self._shapes: dict[tuple[str, ...], Shape] = {}

    def add(self, record: dict[str, Any], place: Place) -> None:
        section, problems = self.section, self.problems
        names = self._names
        record = {names.get(name, name): value for name, value in record.items()}
        _parse_record(
            self._fmap,
            section.fields,
            record,
            place,
            xlsx=self.xlsx,
            problems=problems,
            memo=self.memo,
        )
        key = section.record_key(record)
        if key is not None:
            seen = self._first_seen.get(key)
            if seen is not None:
                problems.add(
                    place.at(self._key_name),
                    _("duplicate code '%(value)s' (first at %(first)s)")
                    % {"value": key_text(key), "first": seen.at()},
                )
            else:
                self._first_seen[key] = place
        fields = tuple(record)
        shape = self._shapes.get(fields)
        if shape is None and len(self._shapes) < SHAPES_MAX:
            shape = self._shapes[fields] = Shape(fields)
        data = record if shape is None else Record(shape, tuple(record.values()))
        self.rows.append(Row(place, data, len(self.rows)))

    def done(self) -> list[Row]:
        """The rows; the duplicate index is no longer needed."""
        self._first_seen = {}
        return self.rows


@dataclass
class ParsedSection(RawSection):
    """A section whose reader typed its records as it read them (`SectionParser`)."""

    parser: SectionParser | None = None


def parse_section(
    section: Section,
    raw: RawSection,
    *,
    xlsx: bool,
    problems: Problems,
    memo: dict[Any, Any] | None = None,
) -> list[Row]:
    """Typed rows of one section; type errors, missing required fields and duplicate keys are
    reported. Values are converted in place to keep a large file's memory down. A nested list
    becomes a list of `Row`s, one per item, each with its own place. A section the reader
    parsed already (`ParsedSection`) gives its rows, and its problems are reported."""
    if isinstance(raw, ParsedSection) and raw.parser is not None:
        merge_problems(problems, raw.parser.problems)
        return raw.parser.done()
    parser = SectionParser(section, xlsx=xlsx, problems=problems, memo=memo)
    for record, place in zip(raw.records, raw.places, strict=True):
        parser.add(record, place)
    return parser.done()


def merge_problems(problems: Problems, other: Problems) -> None:
    """Add `other`'s problems after `problems`' own, as if they had been found in that order
    (both keep the same number of problems: what `other` counted only stays counted)."""
    for problem in other.items:
        problems.add(problem.place, problem.message)
    problems.omitted += other.omitted


def key_text(key: Any) -> str:
    """A key as messages quote it: `QT-01`, or `QT-01, 2` for a key of several fields."""
    if isinstance(key, tuple):
        return ", ".join(str(part) for part in key)
    return str(key)


def _parse_record(
    fmap: Mapping[str, Field],
    fields: Sequence[Field],
    record: dict[str, Any],
    place: Place,
    *,
    xlsx: bool,
    problems: Problems,
    memo: dict[Any, Any] | None = None,
) -> None:
    # The hot loop of a large import (a city's file: ten fields of 400,000 records). A text
    # field holding a string (nearly every value of a JSON file) is checked here, without
    # going through `parse_value`; every other case goes through it, with the same results.
    failed: set[str] = set()
    for name, value in list(record.items()):
        f = fmap.get(name)
        if f is None:
            continue  # readers (or parse_items) reported unknown fields already
        kind = f.type
        if kind == NESTED:
            items = parse_items(f, value, place, xlsx=xlsx, problems=problems, memo=memo)
            if items is None:
                failed.add(name)
            record[name] = items or []
            continue
        parsed: Any
        if type(value) is str and kind in _TEXTUAL:
            text = value.strip()
            if not text:
                record[name] = None
                continue
            parsed, message = _checked_text(f, text)
        elif type(value) is str and kind == DATE and len(text := value.strip()) == 10:
            try:
                parsed, message = dt.date.fromisoformat(text), None
            except ValueError:
                parsed, message = parse_value(f, value, xlsx=xlsx)
        else:
            if is_empty(value) or (kind in LISTS and value == []):
                record[name] = [] if kind in LISTS else None
                continue
            parsed, message = parse_value(f, value, xlsx=xlsx)
        if message is not None:
            problems.add(place.at(name), message)
            failed.add(name)
            record[name] = None
        elif memo is not None and kind in _SHARED:
            # `_shared`, inline: one object per distinct value of the field
            values = memo.get(id(f))
            if values is None:
                values = memo[id(f)] = {}
            if values is False:
                record[name] = parsed
                continue
            found = values.get(parsed)
            if found is not None:
                record[name] = found
                continue
            if len(values) >= SHARED_MAX:
                memo[id(f)] = False
            else:
                values[parsed] = parsed
            record[name] = parsed
        else:
            record[name] = parsed
    for required in _required(fields):
        if record.get(required) is None and required not in failed:
            problems.add(place.at(required), _("required field is missing"))


_TEXTUAL = frozenset({STR, CODE, ENUM})
_required_names: dict[int, tuple[Sequence[Field], tuple[str, ...]]] = {}


def _required(fields: Sequence[Field]) -> tuple[str, ...]:
    """The names of the required `fields`, in their order (kept per declaration)."""
    known = _required_names.get(id(fields))
    if known is not None and known[0] is fields:
        return known[1]
    names = tuple(f.name for f in fields if f.required)
    _required_names[id(fields)] = (fields, names)
    return names


# Types whose values recur across records: one object per distinct value of a field
# (the import's memo), until a field shows `SHARED_MAX` distinct values (codes that are all
# different, such as the staff an evaluation names, would only cost the memo's room).
_SHARED = frozenset({STR, DATE, ENUM, CODE, DECIMAL})
SHARED_MAX = 20_000


def _shared(memo: dict[Any, Any], f: Field, value: Any) -> Any:
    values = memo.get(id(f))
    if values is None:
        values = memo[id(f)] = {}
    elif values is False:
        return value  # a field of (nearly) all different values: not worth the room
    found = values.get(value)
    if found is not None:
        return found
    if len(values) >= SHARED_MAX:
        memo[id(f)] = False
    else:
        values[value] = value
    return value


def parse_items(
    f: Field,
    value: Any,
    parent: Place,
    *,
    xlsx: bool,
    problems: Problems,
    memo: dict[Any, Any] | None = None,
) -> list[Row] | None:
    """The items of the nested list `f` of the record at `parent`, each a typed `Row` whose
    place is `tasks[3].extensions[1]` (JSON) or its row of the item sheet (XLSX). None when the
    value is not a list at all (reported); items that are not objects are reported and left
    out; an empty value is an empty list."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return []
    if not isinstance(value, list):
        problems.add(
            parent.at(f.name), _("'%(value)s' is not a list of records") % {"value": quote(value)}
        )
        return None
    fmap = {item.name: item for item in f.items}
    places = value.places if isinstance(value, RawList) else None
    items: list[Row] = []
    for index, item in enumerate(value):
        place: Place = places[index] if places is not None else ItemPlace(parent, f.name, index)
        if not isinstance(item, dict):
            problems.add(place.at(), _("a record must be an object"))
            continue
        record = dict(item)
        for name in record:
            if name not in fmap:
                problems.add(place.at(name), _("unknown field '%(value)s'") % {"value": name})
        for name in [n for n in record if n not in fmap]:
            del record[name]
        _parse_record(fmap, f.items, record, place, xlsx=xlsx, problems=problems, memo=memo)
        items.append(Row(place, record, index))
    return items


def nested_rows(ctx: ImportContext, row: Row, f: Field) -> list[Row] | None:
    """The parsed items of `row`'s nested list `f`, or None when the record leaves the list
    out (the stored list stays as it is). Rows built by hand (tests, other callers) may carry
    raw dicts: they are parsed here, their problems reported like the engine's."""
    if not row.has(f.name):
        return None
    value = row.data[f.name]
    if isinstance(value, list) and all(isinstance(v, Row) for v in value):
        return value
    items = parse_items(f, value, row.place, xlsx=False, problems=ctx.problems)
    row.data[f.name] = items or []
    return items or []


# -- helpers shared by sections -----------------------------------------------------------------
def chunked(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def in_batches(
    values: Iterable[Any], fetch: Callable[[list[Any]], Iterable[Any]], size: int = 2000
) -> list[Any]:
    """Run `fetch(batch)` over `values` in batches (a bounded number of parameters per query,
    which SQLite needs) and concatenate the results."""
    values = list(values)
    out: list[Any] = []
    for batch in chunked(values, size):
        out.extend(fetch(list(batch)))
    return out


def iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def upsert_flat(
    model: type[Any],
    items: Iterable[tuple[Any | None, dict[str, Any], dict[str, Any]]],
    *,
    counts: Counts,
    batch_size: int = 2000,
) -> Iterator[Any]:
    """Write a section's flat records: `items` are (existing instance or None, the keys a new
    row needs (code, foreign ids), the values from the file). New rows are created in bulk,
    changed ones updated in bulk with their version moved on, unchanged ones only counted; the
    audit Changes are yielded for the caller's batch."""
    from django.utils import timezone

    from thenchot.core.auditing import CREATE, UPDATE, Change, snapshot

    now = timezone.now()
    creates: list[Any] = []
    updates: list[tuple[Any, dict[str, Any]]] = []
    changed_fields: set[str] = set()
    for old, keys, values in items:
        if old is None:
            creates.append(model(**keys, **values))
            counts.created += 1
        elif any(getattr(old, k) != v for k, v in values.items()):
            before = snapshot(old)
            for k, v in values.items():
                setattr(old, k, v)
            old.version += 1
            old.updated_at = now
            changed_fields.update(values)
            updates.append((old, before))
            counts.updated += 1
        else:
            counts.unchanged += 1
    model.objects.bulk_create(creates, batch_size=batch_size)
    for obj in creates:
        yield Change(obj, CREATE, None, snapshot(obj))
    if updates:
        model.objects.bulk_update(
            [obj for obj, _before in updates],
            [*sorted(changed_fields), "version", "updated_at"],
            batch_size=batch_size,
        )
        for obj, before in updates:
            yield Change(obj, UPDATE, before, snapshot(obj))


class ReservedIds:
    """The ids of the rows a section will insert, taken from the table's sequence in one
    statement before its first batch (PostgreSQL; elsewhere empty): the same ids, in the same
    order, as a statement per batch would give, but no statement between two batches' writes
    (`core.bulk.writing_ahead` sends a batch while the next is built; a statement waits)."""

    def __init__(self, model: type[Any], count: int) -> None:
        from django.db import connection

        from thenchot.core.id_sets import reserve_ids

        pg = connection.vendor == "postgresql"
        # 8 bytes an id (a list of ints: 36): a city's 200,000 rows of four tables
        self._ids = iter(array.array("q", reserve_ids(model, count) if pg and count > 0 else ()))

    def take(self, count: int) -> list[int]:
        taken = list(itertools.islice(self._ids, count))
        if len(taken) != count:
            raise ValueError("fewer ids reserved than rows inserted")
        return taken


def insert_new(
    table: Any,
    rows: Sequence[dict[str, Any]],
    fetch_ids: Callable[[Sequence[dict[str, Any]]], Mapping[Any, int]],
    key: Callable[[dict[str, Any]], Any],
    *,
    ids: ReservedIds | None = None,
) -> None:
    """Insert the new `rows` of a `core.bulk.Table` and set each row's `id`. On PostgreSQL the
    ids are taken from the table's sequence first (`core.id_sets.reserve_ids`, or `ids` when
    the caller reserved them for all its batches: the same ids, in the same order, the sequence
    would have given the inserted rows) and written with the rows; elsewhere the rows are
    inserted and their ids read back by `fetch_ids(rows)`, a mapping of each row's natural key
    (`key(row)`) to its id."""
    # Imported here like the writer above: core.bulk imports models, and the sections import
    # this module while the apps load.
    from django.db import connection

    from thenchot.core.bulk import Table
    from thenchot.core.id_sets import reserve_ids

    if not rows:
        return
    if connection.vendor != "postgresql":
        table.insert(rows)
        found = fetch_ids(rows)
        for row in rows:
            row["id"] = found[key(row)]
        return
    model = table.model
    new_ids = ids.take(len(rows)) if ids is not None else reserve_ids(model, len(rows))
    for row, pk in zip(rows, new_ids, strict=True):
        row["id"] = pk
    keyed = Table(model)  # with the primary key's column
    keyed.fields = [model._meta.pk, *keyed.fields]
    keyed.adapters = [None, *keyed.adapters]
    keyed.insert(rows)
