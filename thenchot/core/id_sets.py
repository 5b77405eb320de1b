"""Many ids in one query: the right-hand side of `__in` for thousands of ids.

On PostgreSQL the ids go as one array parameter (`IN (SELECT unnest(%s::bigint[]))`): one
query whatever their number, and one parameter for the ORM to prepare instead of one per id
(a city's 200,000 people were 223 queries of 900 ids). Elsewhere (SQLite) lists of `CHUNK`
ids, under its parameter limit. And ids reserved before the rows are written (`reserve_ids`).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Iterator
from collections.abc import Set as AbstractSet
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import Lookup
from django.db.models.expressions import RawSQL

CHUNK = 900  # ids per IN (...) list: SQLite's parameter limit, and plan-friendly on PostgreSQL

# Beyond this many ids, a read asks for everyone and keeps the rows of the ids in Python
# (`id_groups`, `rows_for`): a city's 200,000 ids cost more to send, parse and match than the
# rows they leave out (a year close's due tasks of 20,000 staff: 0.03 s without the ids,
# 0.1-0.2 s with them; its 2.4M closed months: one scan instead of hundreds of queries).
WHOLE = 20 * CHUNK


def chunks(ids: Iterable[int], size: int = CHUNK) -> Iterator[list[int]]:
    """The distinct ids, sorted, in lists of `size`."""
    items = sorted(set(ids))
    for start in range(0, len(items), size):
        yield items[start : start + size]


def id_sets(ids: Iterable[int]) -> Iterator[Any]:
    """The ids as the right-hand side of `__in`, in as few queries as the database allows: one
    array on PostgreSQL, lists of `CHUNK` elsewhere; nothing when there is no id."""
    items = sorted(set(ids))
    if not items:
        return
    if connection.vendor == "postgresql":
        yield RawSQL("SELECT unnest(%s::bigint[])", (array_literal(items),))
        return
    yield from chunks(items)


def array_literal(ids: Iterable[int]) -> str:
    """The ids as a PostgreSQL array literal in text, for `%s::bigint[]`: psycopg's list adapter
    takes six times longer for a city's 200,000 ids (0.30 s against 0.05 s), and the text
    cannot carry anything but integers (`int` refuses the rest)."""
    return "{" + ",".join(str(int(item)) for item in ids) + "}"


def is_whole(count: int) -> bool:
    """Whether `count` ids are better read whole (`WHOLE`)."""
    return count > WHOLE


def id_groups(ids: Collection[int]) -> Iterator[Any]:
    """The right-hand sides of `__in` for `ids` (`id_sets`), or beyond `WHOLE` ids one None:
    the caller reads everyone and keeps the rows of `ids`."""
    if is_whole(len(ids)):
        yield None
        return
    yield from id_sets(ids)


def rows_for(
    ids: Iterable[int], query: models.QuerySet[Any], field: str, *columns: str
) -> Iterator[tuple[Any, ...]]:
    """`query.values_list(*columns)` of the rows whose `field` is one of `ids` (`columns[0]` is
    `field`): the ids sent with the query, or beyond `WHOLE` the query read whole and the rows
    of `ids` kept."""
    wanted: AbstractSet[int] = ids if isinstance(ids, set | frozenset) else set(ids)
    for chunk in id_groups(wanted):
        if chunk is None:
            yield from (row for row in query.values_list(*columns) if row[0] in wanted)
        else:
            yield from query.filter(**{f"{field}__in": chunk}).values_list(*columns)


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys of `model` taken from its sequence (PostgreSQL), for rows a bulk
    write inserts later with these ids (rows that must be known by id before they exist).
    Taken ids are never given again, even if the transaction rolls back."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("ids are reserved from a PostgreSQL sequence")
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        # The sequence looked up once, as a scalar subquery (an init plan): written as the
        # argument of `nextval` it was looked up again for every id (its name parsed, the
        # catalog searched): 1.85 s of the database for a city's 200,000 ids against 0.23 s.
        cursor.execute(
            "SELECT nextval((SELECT pg_get_serial_sequence(%s, %s)::regclass))"
            " FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [row[0] for row in cursor.fetchall()]


class AnyOf(Lookup):  # type: ignore[type-arg, unused-ignore]
    """`filter(AnyOf(F("column"), ids))`: `column IN (ids)` with the ids as one array parameter
    on PostgreSQL (`= ANY(%s)`, the same plan: PostgreSQL reads an IN list as `= ANY(ARRAY[...])`)
    — for a few hundred ids sent several times a request (a board's ≈300 period rows and its
    units: Django prepared and placed each id, and psycopg split hundreds of placeholders).
    Thousands of ids go through `id_sets`. Plain integers only; elsewhere an ordinary IN list."""

    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        ids = sorted({int(v) for v in self.rhs})  # as Django's IN, repeated ids once
        if not ids:
            raise EmptyResultSet  # as Django's IN with no values: no query at all
        if len(ids) == 1:
            # PostgreSQL turns `IN (x)` into `= x` but keeps a one-element array: the same plan.
            return f"{lhs} = %s", (*lhs_params, ids[0])
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::bigint[])", (*lhs_params, ids)
        return f"{lhs} IN ({', '.join(['%s'] * len(ids))})", (*lhs_params, *ids)


class StandInArray(list[int]):
    """A prepared read's stand-in for an array parameter (`core.prepared.PreparedRows`):
    the lookup leaves it in the compiled parameters as it is, and tells it its element type."""

    element = "bigint"


class _InArray(Lookup):  # type: ignore[type-arg, unused-ignore]
    """`column IN (values)` with the values as ONE parameter whatever their number, also for
    none or one: the SQL is the same for every list, so a read can be compiled once
    (`PreparedRows`). PostgreSQL: `= ANY(%s::<element>[])`; SQLite: a JSON array read by
    `json_each`. An empty list matches no row (no query is skipped)."""

    prepare_rhs = False
    element = "bigint"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if isinstance(self.rhs, StandInArray):
            self.rhs.element = self.element
            param: Any = self.rhs
        else:
            param = array_param(connection.vendor, self.element, self.rhs)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{self.element}[])", (*lhs_params, param)
        return f"{lhs} IN (SELECT value FROM json_each(%s))", (*lhs_params, param)


class InIds(_InArray):
    """`filter(InIds(F("unit_id"), ids))`: an integer column in a list of ids (`_InArray`)."""

    lookup_name = "in_ids"
    element = "bigint"


class InTexts(_InArray):
    """`filter(InTexts(F("code"), codes))`: a text column in a list of strings (`_InArray`)."""

    lookup_name = "in_texts"
    element = "text"


def array_param(vendor: str, element: str, values: Iterable[Any]) -> Any:
    """The one parameter `_InArray` sends for `values`: an array literal (integers) or a list
    (text) on PostgreSQL, a JSON array elsewhere."""
    if element == "bigint":
        ids = sorted({int(v) for v in values})
        return array_literal(ids) if vendor == "postgresql" else json.dumps(ids)
    texts = sorted({str(v) for v in values})
    return texts if vendor == "postgresql" else json.dumps(texts, ensure_ascii=False)


__all__ = [
    "CHUNK",
    "AnyOf",
    "InIds",
    "InTexts",
    "StandInArray",
    "array_param",
    "WHOLE",
    "array_literal",
    "chunks",
    "id_groups",
    "id_sets",
    "is_whole",
    "reserve_ids",
    "rows_for",
]
