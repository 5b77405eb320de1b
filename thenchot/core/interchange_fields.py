"""Builders of interchange fields, and the small steps every section repeats.

A section declares its fields as one call each, `spec.date("decided_on", help, required=True)`
(imported as `from thenchot.core import interchange_fields as spec`), and reads, counts and
filters through the helpers below, so the file format's conventions (a unit code is at most 40
characters, a date range selects by one date field, ...) are written once. The engine
(`core.interchange`) stays the one place that parses and runs an import; this module only builds
on it and, being in `core`, imports no app.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core.auditing import CREATE, UPDATE, Change
from thenchot.core.registry import interchange_sections

Field = engine.Field
Check = Callable[[str], str | None]

# The builders the engine already has, under the names this module gives the others.
code = engine.code_field
staff = engine.staff_field
enum = engine.enum_field

UNIT_CODE_LENGTH = 40  # `org.Unit.code`


def text(
    name: str,
    help: Any = "",
    *,
    required: bool = False,
    max_length: int | None = None,
    check: Check | None = None,
) -> Field:
    """Free text (at most `max_length` characters), with an optional further `check`."""
    return Field(name, engine.STR, required=required, max_length=max_length, help=help, check=check)


def date(name: str, help: Any = "", *, required: bool = False) -> Field:
    """A date, YYYY-MM-DD (a date cell in XLSX)."""
    return Field(name, engine.DATE, required=required, help=help)


def flag(name: str, help: Any = "", *, required: bool = False) -> Field:
    """A boolean: true or false."""
    return Field(name, engine.BOOL, required=required, help=help)


def whole(name: str, help: Any = "", *, required: bool = False) -> Field:
    """A whole number."""
    return Field(name, engine.INT, required=required, help=help)


def number(name: str, help: Any = "", *, required: bool = False, places: int = 2) -> Field:
    """A decimal number with at most `places` decimals, read as `Decimal`."""
    return Field(name, engine.DECIMAL, required=required, help=help, places=places)


def lines(name: str, help: Any = "", *, required: bool = False) -> Field:
    """A list of text lines (one cell, one item per line, in XLSX)."""
    return Field(name, engine.LINES, required=required, help=help)


def ref(
    name: str,
    section: str,
    help: Any = "",
    *,
    required: bool = False,
    max_length: int | None = None,
) -> Field:
    """A reference to a record of `section` by its code."""
    return Field(
        name, engine.CODE, required=required, max_length=max_length, ref=section, help=help
    )


def unit(
    name: str,
    help: Any = "",
    *,
    required: bool = False,
    max_length: int | None = UNIT_CODE_LENGTH,
) -> Field:
    """A reference to a unit by code, at most 40 characters (`max_length=None`: no length
    check; the lookup then reports a longer code as unknown)."""
    return ref(name, "units", help, required=required, max_length=max_length)


def refs(name: str, section: str, help: Any = "", **options: Any) -> Field:
    """A list of codes (`;`-separated in XLSX) of records of `section` ("" for other codes);
    `options` as for `ref`."""
    return replace(ref(name, section, help, **options), type=engine.CODES)


def nested(name: str, items: tuple[Field, ...], parent_column: str, help: Any = "") -> Field:
    """A list of records with `items` fields (its own sheet in XLSX, whose first column,
    `parent_column`, names the parent record)."""
    return Field(name, engine.NESTED, items=items, parent_column=parent_column, help=help)


# -- steps sections repeat ----------------------------------------------------------------------
_UNKNOWN = {
    "staff": gettext_lazy("unknown staff code '%(value)s'"),
    "units": gettext_lazy("unknown unit code '%(value)s'"),
}


def known(ctx: engine.ImportContext, row: engine.Row, name: str, codes: Any, section: str) -> bool:
    """False, with "unknown staff code 'X'" (or unit) on `name`, when the row's `name` is a code
    that `codes` (the file's and the database's records of `section`) does not hold; True when
    it holds it or the row leaves the field empty."""
    value = row.get(name)
    if value is None or value in codes:
        return True
    ctx.error(row, name, _UNKNOWN[section] % {"value": value})
    return False


def not_before(
    ctx: engine.ImportContext,
    row: engine.Row,
    name: str,
    dates: tuple[dt.date | None, dt.date | None],
    message: str,
) -> None:
    """An error on `name` when the second of `dates` (the row's end) falls before the first;
    `message` may name the end as `value` or `to` and the start as `date` or `from`."""
    start, end = dates
    if start is not None and end is not None and end < start:
        start_text, end_text = start.isoformat(), end.isoformat()
        ctx.error(
            row,
            name,
            message % {"value": end_text, "to": end_text, "date": start_text, "from": start_text},
        )


def stored_by_code(
    rows: list[engine.Row], queryset: QuerySet[Any]
) -> tuple[list[engine.Row], dict[str, Any]]:
    """The rows whose `code` is given, and the records of `queryset` with those codes, by code
    (a few batched queries)."""
    rows = [r for r in rows if r.get("code") is not None]
    found = engine.in_batches(
        [r.data["code"] for r in rows], lambda batch: queryset.filter(code__in=batch)
    )
    return rows, {obj.code: obj for obj in found}


def counts_of(ctx: engine.ImportContext, key: str) -> engine.Counts:
    return ctx.counts.setdefault(key, engine.Counts())


def changed_only(plans: Iterable[Any], counts: engine.Counts) -> Iterator[Any]:
    """The plans whose `changed` is true; the others are counted as unchanged."""
    for plan in plans:
        if plan.changed:
            yield plan
        else:
            counts.unchanged += 1


def counted_change(counts: engine.Counts, obj: Model, before: Any, after: Any) -> Change:
    """The audit change of a record written whole: a creation when there was no `before`
    snapshot, else an update; counted either way."""
    if before is None:
        counts.created += 1
        return Change(obj, CREATE, None, after)
    counts.updated += 1
    return Change(obj, UPDATE, before, after)


def upsert(
    ctx: engine.ImportContext,
    key: str,
    model: type[Model],
    items: Iterable[tuple[Any | None, dict[str, Any], dict[str, Any]]],
    *,
    batch_size: int = 2000,
) -> Iterator[Change]:
    """`engine.upsert_flat` counted under the section `key`."""
    counts = counts_of(ctx, key)
    return engine.upsert_flat(model, items, counts=counts, batch_size=batch_size)


# -- exports ------------------------------------------------------------------------------------
def readable(
    qs: QuerySet[Any], request: engine.ExportRequest, read_q: Callable[[Any], Q]
) -> QuerySet[Any] | None:
    """`qs` as the export's scope may read it (`read_q(scope)`): all of it for the system;
    None (the export is empty, whatever else it asks) for a scope without a user."""
    scope = request.scope
    if scope is None:
        return qs
    if scope.user_id is None:
        return None
    return qs.filter(read_q(scope))


def in_range(qs: QuerySet[Any], request: engine.ExportRequest, name: str) -> QuerySet[Any]:
    """The records whose date `name` falls in the export's [from, to] range (either end open)."""
    if request.date_from:
        qs = qs.filter(**{f"{name}__gte": request.date_from})
    if request.date_to:
        qs = qs.filter(**{f"{name}__lte": request.date_to})
    return qs


def in_force(
    qs: QuerySet[Any], request: engine.ExportRequest, start: str, end: str
) -> QuerySet[Any]:
    """The records in force on a day of the export's range: begun by its end, not ended (`end`
    empty or later) before its start."""
    if request.date_to:
        qs = qs.filter(**{f"{start}__lte": request.date_to})
    if request.date_from:
        qs = qs.exclude(**{f"{end}__lt": request.date_from})
    return qs


def _text_out(value: Any) -> Any:
    return value or None  # blank text is left out of the file, as an empty cell


_OUT: dict[str, Callable[[Any], Any]] = {engine.DATE: engine.iso, engine.STR: _text_out}


def exported(
    fields: Iterable[Field], qs: QuerySet[Any], paths: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The records of `qs` as a flat section writes them: one dict per record, the `fields` in
    their order, a date in ISO form, blank text as null, other values as stored. A field is
    read from the database field of its name, or from its path in `paths`
    (`{"staff": "staff__code"}`)."""
    fields = list(fields)
    names = [f.name for f in fields]
    outs = [_OUT.get(f.type, _same) for f in fields]
    columns = [(paths or {}).get(name, name) for name in names]
    return [
        {name: out(value) for name, out, value in zip(names, outs, row, strict=True)}
        for row in qs.values_list(*columns)
    ]


def _same(value: Any) -> Any:
    return value


# -- declaring and registering sections ---------------------------------------------------------
S = TypeVar("S", bound=type[engine.Section])


def section(key: str, order: int, title: Any) -> Callable[[S], S]:
    """Class decorator naming a section: its `key` in the file, its `order` in an import (the
    sections it depends on come first) and its `title`."""

    def name(cls: S) -> S:
        cls.key, cls.order, cls.title = key, order, title
        return cls

    return name


def register(*sections: engine.Section) -> None:
    """Register `sections` for import and export, each under its own key and order."""
    for item in sections:
        interchange_sections.register(item.key, item, order=item.order)
