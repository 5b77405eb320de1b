"""A read the hottest requests make on every call, compiled to SQL once per process.

Django compiles a queryset to SQL each time it runs it. For a row read with its relations
(`select_related`) that costs more Python than the database takes to answer it: 2.6 ms of
compiling against 1.9 ms for the rest, for the evaluation a self-assessment locks (issue 18, on
the load benchmark's busy 2-core machine). `PreparedRead` builds the queryset once with
stand-in values, keeps the SQL and the compiler that knows how to turn rows into model
instances (columns, converters, related objects), and runs it again with the real values: the
same SQL, the same instances, as the queryset gives (a test compares the two).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.db import connections
from django.db.models import Model, QuerySet
from django.db.models.query import ValuesListIterable, get_related_populators
from django.db.transaction import TransactionManagementError

from thenchot.core.id_sets import StandInArray, array_param

M = TypeVar("M", bound=Model)

# Stand-ins for the values: integers no key takes, each told apart by its position.
_STAND_IN = -7_316_000_000_000
_SHAPES = 64  # compiled shapes a `PreparedRows` keeps per thread and database


class PreparedRead(Generic[M]):
    """`build(**values)` -> the queryset, with keyword values that are each used once as a
    query parameter (a key, a code); `PreparedRead(build).run(**values)` -> its instances."""

    def __init__(self, build: Callable[..., QuerySet[M]], *names: str) -> None:
        self.build = build
        self.names = names
        self._local = threading.local()  # a compiler is not shared between threads

    def run(self, *, using: str = "default", **values: Any) -> list[M]:
        prepared = getattr(self._local, using, None)
        if prepared is None:
            prepared = self._prepare(using)
            setattr(self._local, using, prepared)
        compiler, sql, params, slots, locks, reader = prepared
        connection = connections[using]
        if locks and not connection.in_atomic_block:
            raise TransactionManagementError(
                "select_for_update cannot be used outside of a transaction."
            )
        run_params = list(params)
        for name, position in slots.items():
            run_params[position] = values[name]
        with connection.cursor() as cursor:
            cursor.execute(sql, run_params)
            rows = cursor.fetchall()
        return reader(rows)

    def _prepare(
        self, using: str
    ) -> tuple[Any, str, tuple[Any, ...], dict[str, int], bool, Callable[[list[Any]], list[M]]]:
        stand_ins = {name: _STAND_IN - i for i, name in enumerate(self.names)}
        queryset = self.build(**stand_ins)
        compiler = queryset.query.get_compiler(using=using)
        with _atomic_if(queryset.query.select_for_update, using):
            sql, params = compiler.as_sql()
        slots: dict[str, int] = {}
        for name, value in stand_ins.items():
            found = _positions(params, value)
            if len(found) != 1:
                raise ValueError(f"{name!r} must be one parameter of the query, once")
            slots[name] = found[0]
        return (
            compiler,
            sql,
            tuple(params),
            slots,
            bool(queryset.query.select_for_update),
            self._reader(compiler, using),
        )

    @staticmethod
    def _reader(compiler: Any, using: str) -> Callable[[list[Any]], list[M]]:
        """Rows -> instances: what Django's ModelIterable does with a compiled query's rows
        (Django 5.2), its column list, converters and related populators worked out once (they
        depend on the query only; working them out took a third of a self-assessment's reads)."""
        select, klass_info = compiler.select, compiler.klass_info
        annotations = list((compiler.annotation_col_map or {}).items())
        model_cls = klass_info["model"]
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        init_list = [f[0].target.attname for f in select[start:end]]
        converters = compiler.get_converters([s[0] for s in select[0 : compiler.col_count]])
        # Django 5.2's signature (the stubs describe a later one, with a fetch mode).
        related_populators = get_related_populators(klass_info, select, using)  # type: ignore[call-arg]

        def read(rows: list[Any]) -> list[M]:
            out = []
            converted = compiler.apply_converters(rows, converters) if converters else rows
            for row in converted:
                obj = model_cls.from_db(using, init_list, row[start:end])
                for populator in related_populators:
                    populator.populate(row, obj)
                for attr_name, position in annotations:
                    setattr(obj, attr_name, row[position])
                out.append(obj)
            return out

        return read


class PreparedRows:
    """A `values_list` read compiled once per process (and per `shape`), run again with the
    real values: the rows the queryset gives, converted as it converts them (a test compares
    the two on both databases).

    `build(**values)` -> the queryset, or `build(shape, **values)` when `shaped`: the shape is
    what changes the SQL itself (a LIMIT, a filter present or not, a date), a few keys (at most
    `_SHAPES` are kept). Each name of `scalars` is an integer or a code the query takes as
    parameters (once or more, never in an expression); each of `arrays` a
    list given to `core.id_sets.InIds` / `InTexts` (one parameter whatever its length); a shape
    may leave a name out."""

    def __init__(
        self,
        build: Callable[..., QuerySet[Any]],
        *,
        scalars: tuple[str, ...] = (),
        arrays: tuple[str, ...] = (),
        shaped: bool = False,
    ) -> None:
        self.build = build
        self.scalars = scalars
        self.arrays = arrays
        self.shaped = shaped
        self._local = threading.local()

    def run(
        self, *, shape: Hashable = None, using: str = "default", **values: Any
    ) -> list[tuple[Any, ...]]:
        kept: dict[Any, Any] = self._local.__dict__
        prepared = kept.get((using, shape))
        if prepared is None:
            if len(kept) >= _SHAPES:  # a shape of each day, say: the oldest go
                for old in list(kept)[: _SHAPES // 2]:
                    del kept[old]
            prepared = kept[(using, shape)] = self._prepare(using, shape)
        sql, params, slots, array_slots, read = prepared
        vendor = connections[using].vendor
        run_params = list(params)
        for name, positions in slots.items():
            for position in positions:
                run_params[position] = values[name]
        for name, (position, element) in array_slots.items():
            run_params[position] = array_param(vendor, element, values[name])
        with connections[using].cursor() as cursor:
            cursor.execute(sql, run_params)
            rows = cursor.fetchall()
        found: list[tuple[Any, ...]] = read(rows)
        return found

    def _prepare(self, using: str, shape: Hashable) -> tuple[Any, ...]:
        stand_ins: dict[str, Any] = {name: _STAND_IN - i for i, name in enumerate(self.scalars)}
        for i, name in enumerate(self.arrays):
            stand_ins[name] = StandInArray([_STAND_IN - 1000 - i])
        queryset = self.build(shape, **stand_ins) if self.shaped else self.build(**stand_ins)
        if queryset._iterable_class is not ValuesListIterable:
            raise ValueError("PreparedRows reads a values_list() queryset (not flat, not named)")
        query = queryset.query
        compiler = query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots: dict[str, list[int]] = {}
        for name in self.scalars:
            found = _positions(params, stand_ins[name])
            if found:  # a shape may leave a value out (a filter it does not need)
                slots[name] = found
        array_slots: dict[str, tuple[int, str]] = {}
        for name in self.arrays:
            stand_in = stand_ins[name]
            found = [i for i, p in enumerate(params) if p is stand_in]
            if len(found) > 1:
                raise ValueError(f"{name!r} must be one InIds/InTexts parameter, once")
            if found:
                array_slots[name] = (found[0], stand_in.element)
        # The columns in the order asked for (Django's ValuesListIterable, 5.2).
        names = [*query.extra_select, *query.values_select, *query.annotation_select]
        asked: tuple[str, ...] = queryset._fields  # type: ignore[attr-defined]
        fields = [*asked, *(f for f in query.annotation_select if f not in asked)]
        positions = [names.index(f) for f in fields]
        order = None if fields == names else (lambda r: tuple(r[i] for i in positions))
        converters = compiler.get_converters([s[0] for s in compiler.select[: compiler.col_count]])

        def read(rows: list[Any]) -> list[tuple[Any, ...]]:
            if converters:
                rows = [tuple(r) for r in compiler.apply_converters(rows, converters)]
            if order is not None:
                rows = [order(r) for r in rows]
            return rows

        return sql, tuple(params), slots, array_slots, read


def _positions(params: Any, stand_in: int) -> list[int]:
    """Where a scalar stand-in sits among a compiled query's parameters: as the integer, or as
    its text where the column is text (a token's key, a counter's name)."""
    text = str(stand_in)
    return [
        i
        for i, p in enumerate(params)
        if (type(p) is int and p == stand_in) or (type(p) is str and p == text)
    ]


class _atomic_if:
    """A transaction around compiling a locking read (Django refuses to compile one outside)."""

    def __init__(self, needed: bool, using: str) -> None:
        from django.db import transaction

        self.block = transaction.atomic(using=using) if needed else None

    def __enter__(self) -> None:
        if self.block is not None:
            self.block.__enter__()

    def __exit__(self, *exc: Any) -> None:
        if self.block is not None:
            self.block.__exit__(*exc)
