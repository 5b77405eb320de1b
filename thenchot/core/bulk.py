"""Set-based writes for large imports, the demo and period closes: rows go to the database
without the ORM's per-row SQL compilation, and their audit lines go in the same way.

Why not `bulk_create` and `core.auditing.record_many`: measured on this 2-core machine, the ORM
insert path costs ~150 µs per row on SQLite (the 999-parameter limit gives ~60-row INSERTs, and
every value passes through the SQL compiler), so a city's 200,000 staff — with their accounts,
assignments and ~600,000 audit lines — took minutes. Here PostgreSQL gets `COPY` and other
databases one `executemany` per batch, with each column adapted once by the backend's own
adapter. The audit lines are the ones `record_many` writes (same columns, same `diff`, same
snapshot rules, the same action context), in one batch id per import.
"""

from __future__ import annotations

import datetime as dt
import json
import queue
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.utils import timezone

from thenchot.core.changes import CREATE, SKIPPED_FIELDS, UPDATE, Change, diff, jsonable
from thenchot.core.context import current
from thenchot.core.registry import bulk_written

BATCH = 5000


def concrete_field(model: type[models.Model], name: str) -> models.Field:
    """The field `name` of `model`, which must have a column (not a reverse relation)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise ValueError(f"{model.__name__}.{name} is not a column")
    return field


def column_of(field: models.Field) -> str:
    """The column of a concrete field (Django calls a field concrete when it has one)."""
    if field.column is None:
        raise ValueError(f"{field} has no column")
    return field.column


def _columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


def _remember_last(adapt: Callable[[Any], Any]) -> Callable[[Any], Any]:
    # A batch shares one timestamp: adapt it once, not once per row.
    last: list[Any] = [object(), None]

    def adapted(value: Any) -> Any:
        if value is not last[0]:
            last[0], last[1] = value, adapt(value)
        return last[1]

    return adapted


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    """How to turn a Python value into a parameter for this column; None: as it is."""
    internal = field.get_internal_type()
    ops = connection.ops
    if internal == "JSONField":
        return _json_adapter(field.encoder)  # type: ignore[attr-defined]
    if connection.vendor == "postgresql":
        return None  # psycopg adapts dates, aware datetimes and booleans itself
    if internal == "DateTimeField":
        return _remember_last(ops.adapt_datetimefield_value)
    if internal == "DateField":
        return ops.adapt_datefield_value
    return None


class RawJSON(str):
    """A value already encoded as JSON (a list shared by many audit lines, encoded once)."""


def _json_adapter(encoder: Any) -> Callable[[Any], Any]:
    def adapt(value: Any) -> Any:
        if value is None or type(value) is RawJSON:
            return value
        return json.dumps(value, cls=encoder)

    return adapt


def prepare_connection() -> None:
    """Per-connection settings for a large write. SQLite's default page cache (2 MB) makes
    every index insert of a growing database go back to the file; 128 MB keeps the indexes
    of a 200,000-person import in memory."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -131072")


class Table:
    """Insert plain dict rows into `model`'s table, filling defaults like `Model()` would."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = _columns(model)
        self.adapters = [_adapter(f) for f in self.fields]
        self.table = model._meta.db_table
        self._fill: tuple[list[models.Field], list[tuple[str, bool, models.Field]]] | None = None

    def complete(self, row: dict[str, Any], now: Any) -> dict[str, Any]:
        """`row` with every column set: defaults, and `now` for auto_now(_add) columns."""
        # Called once per row of a large write: what each column needs is looked up once per
        # list of fields (callers may replace `fields`, as `insert_new` does on a copy).
        known = self._fill
        if known is None or known[0] is not self.fields:
            known = self._fill = (
                self.fields,
                [
                    (
                        f.attname,
                        getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False),
                        f,
                    )
                    for f in self.fields
                ],
            )
        for name, timed, f in known[1]:
            if name not in row:
                row[name] = now if timed else f.get_default()
        return row

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        getter = itemgetter(*[f.attname for f in self.fields])
        self.insert_values([list(getter(row)) for row in rows])

    def insert_values(self, values: list[list[Any]]) -> None:
        """Insert rows given as lists of values in the order of `fields` (adapted here, in
        place): what `insert` does once it has read its dicts."""
        if not values:
            return
        names = [f.attname for f in self.fields]
        quoted = ", ".join(connection.ops.quote_name(column_of(f)) for f in self.fields)
        adapted = [(i, a) for i, a in enumerate(self.adapters) if a is not None]
        if adapted:
            for value in values:
                for i, adapt in adapted:
                    value[i] = adapt(value[i])
        if connection.vendor == "postgresql":
            statement = f"COPY {connection.ops.quote_name(self.table)} ({quoted}) FROM STDIN"
            writer = getattr(_ahead, "writer", None)
            if writer is not None and writer.raw is connection.connection:
                writer.put(self.table, statement, values)
                return
            with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
                for value in values:
                    copy.write_row(value)
            return
        marks = ", ".join(["%s"] * len(names))
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {connection.ops.quote_name(self.table)} ({quoted}) VALUES ({marks})",
                values,
            )


# -- writing ahead (PostgreSQL) -----------------------------------------------------------------
# A large import is Python work (typing, planning, building rows and audit lines) and database
# work (the COPYs and their indexes), each about half of it: done one after the other on two
# cores, half the machine waits. Within `writing_ahead()` a `Table`'s COPY is handed to a thread
# that sends it on the same connection (in the same transaction) while the caller goes on to
# build the next rows; any other statement of the caller first waits until every COPY handed
# over has gone (an execute wrapper), so statements still reach the database in the order they
# were made, and nothing ever uses the connection from two threads at once.
WRITE_AHEAD = 2  # COPYs waiting for the thread (a batch each: bounded memory)
_ahead = threading.local()


class _CopyWriter:
    """The thread that sends COPYs on `raw` (the open DB-API connection), in order.

    Each COPY's foreign keys are checked when it ends, in this thread: left deferred (Django
    makes them `DEFERRABLE INITIALLY DEFERRED`), a city's million checks ran in the commit,
    after everything else (23 s of the database's time, none of it beside Python's). Only the
    written table's own keys are made immediate, for its COPY alone, and deferred again."""

    def __init__(self, raw: Any) -> None:
        self.raw = raw
        self.error: BaseException | None = None
        self.cancelled = False
        self._keys: dict[str, str] = {}  # table -> its deferred foreign keys, quoted
        self._quote = connection.ops.quote_name  # the caller's (a thread has its own wrapper)
        self._queue: queue.Queue[tuple[str, str, list[list[Any]]] | None] = queue.Queue(WRITE_AHEAD)
        self._thread = threading.Thread(target=self._work, name="bulk-writer", daemon=True)
        self._thread.start()

    def put(self, table: str, statement: str, values: list[list[Any]]) -> None:
        self._raise()
        self._queue.put((table, statement, values))

    def drain(self) -> None:
        """Wait until every COPY handed over is written; a COPY's error is raised here."""
        self._queue.join()
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            # as Django's cursor raises it (`django.db.IntegrityError` for a broken key)
            with connection.wrap_database_errors:
                raise self.error

    def before_query(self, execute: Any, sql: Any, params: Any, many: Any, context: Any) -> Any:
        self.drain()
        return execute(sql, params, many, context)

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _work(self) -> None:
        while True:
            item = self._queue.get()
            try:
                if item is None:
                    return
                if self.error is None and not self.cancelled:
                    try:
                        self._send(*item)
                    except BaseException as exc:  # raised in the caller's thread
                        self.error = exc
            finally:
                self._queue.task_done()

    def _send(self, table: str, statement: str, values: list[list[Any]]) -> None:
        with self.raw.cursor() as cursor:
            keys = self._keys.get(table)
            if keys is None:
                cursor.execute(
                    "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass"
                    " AND contype = 'f' AND condeferrable AND condeferred ORDER BY conname",
                    [self._quote(table)],
                )
                keys = self._keys[table] = ", ".join(
                    self._quote(name) for (name,) in cursor.fetchall()
                )
            if keys:
                cursor.execute(f"SET CONSTRAINTS {keys} IMMEDIATE")
            with cursor.copy(statement) as copy:
                for value in values:
                    copy.write_row(value)
            if keys:
                cursor.execute(f"SET CONSTRAINTS {keys} DEFERRED")


@contextmanager
def writing_ahead() -> Iterator[None]:
    """Send the COPYs of `Table` from a thread of their own while the caller goes on
    (PostgreSQL; elsewhere nothing changes). Use inside the transaction: every COPY is written
    when the block ends, before the transaction does; on an error none still waiting is sent."""
    if connection.vendor != "postgresql" or getattr(_ahead, "writer", None) is not None:
        yield
        return
    connection.ensure_connection()
    writer = _CopyWriter(connection.connection)
    _ahead.writer = writer
    try:
        with connection.execute_wrapper(writer.before_query):
            yield
            writer.drain()
    except BaseException:
        writer.cancelled = True
        raise
    finally:
        _ahead.writer = None
        writer.stop()


_PLAIN = (str, int, bool, float, type(None))
_audited: dict[type[models.Model], list[str]] = {}


def snapshot_of(model: type[models.Model], row: dict[str, Any]) -> dict[str, Any]:
    """What `core.changes.snapshot` gives for an instance with these values."""
    names = _audited.get(model)
    if names is None:
        names = _audited[model] = [
            f.attname for f in model._meta.concrete_fields if f.name not in SKIPPED_FIELDS
        ]
    out: dict[str, Any] = {}
    for name in names:
        value: Any = row.get(name)
        kind = type(value)
        if kind in _PLAIN:
            out[name] = value
        elif kind is dt.date:
            # Rows of a large write share few dates (births, starts): each is put in ISO
            # form once; a batch's `now` (a datetime) once per batch.
            text = _iso_dates.get(value)
            if text is None:
                if len(_iso_dates) >= _ISO_DATES_MAX:
                    _iso_dates.clear()
                text = _iso_dates[value] = value.isoformat()
            out[name] = text
        elif kind is dt.datetime and value is _last_moment[0]:
            out[name] = _last_moment[1]
        else:
            out[name] = jsonable(value)
            if kind is dt.datetime:
                _last_moment[:] = [value, out[name]]
    return out


# `date` values are equal exactly when their ISO forms are (not so datetimes: the same instant
# in two zones), so dates are remembered by value and a datetime only as the last one seen.
_ISO_DATES_MAX = 100_000
_iso_dates: dict[dt.date, str] = {}
_last_moment: list[Any] = [object(), None]


def text_of(model: type[models.Model], row: dict[str, Any]) -> str:
    """What `str()` gives for an instance of `model` holding `row`'s values: the model's own
    `__str__` read over the values, no instance built, so that a line written without an
    instance names its record as one written with it would (one rule, on the model)."""
    return str(model.__str__(SimpleNamespace(**row)))  # type: ignore[arg-type]


class Line:
    """An audit line for a row written without a model instance."""

    __slots__ = ("model", "pk", "text", "action", "before", "after")

    def __init__(
        self,
        model: type[models.Model],
        pk: Any,
        text: str,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        self.model = model
        self.pk = pk
        self.text = text
        self.action = action
        self.before = before
        self.after = after


# The audit columns a bulk writer sets, in this order (the rest take their defaults).
AUDIT_COLUMNS = (
    "at",
    "actor_id",
    "actor_name",
    "request_id",
    "source",
    "action",
    "content_type_id",
    "model_label",
    "object_id",
    "object_repr",
    "before",
    "after",
    "changed_fields",
    "reason",
    "batch",
)
_AUDIT_KEYS = set(AUDIT_COLUMNS)


def write_audit(
    items: Iterable[Change | Line], *, reason: str | None = None, batch: str | None = None
) -> int:
    """Write the audit lines of `items` (Changes of instances, or Lines), `BATCH` per
    statement, under one batch id; returns how many were written. Unchanged updates are
    skipped, as `record_many` does."""
    entry_model = apps.get_model("audit", "AuditEntry")
    table = Table(entry_model)
    ctx = current()
    actor = ctx.actor
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_name = str(getattr(actor, "username", "")) if actor is not None else ""
    batch = batch or uuid.uuid4().hex
    why = reason if reason is not None else ctx.reason
    content_types: dict[type[models.Model], int] = {}
    create_fields: dict[tuple[type[models.Model], tuple[str, ...]], RawJSON] = {}
    # Each line is a list in the table's column order, copied from one that holds what every
    # line of the batch shares (a city's import writes 800,000 lines: no dict per line).
    slot = {f.attname: i for i, f in enumerate(table.fields)}
    missing = [(slot[f.attname], f) for f in table.fields if f.attname not in _AUDIT_KEYS]
    shared: list[Any] = [None] * len(table.fields)
    for name, value in (
        ("actor_id", actor_id),
        ("actor_name", actor_name),
        ("request_id", ctx.request_id),
        ("source", ctx.source),
        ("reason", why),
        ("batch", batch),
    ):
        shared[slot[name]] = value
    at, action_at, ct_at, label_at = (
        slot["at"],
        slot["action"],
        slot["content_type_id"],
        slot["model_label"],
    )
    id_at, repr_at, before_at, after_at = (
        slot["object_id"],
        slot["object_repr"],
        slot["before"],
        slot["after"],
    )
    fields_at = slot["changed_fields"]
    pending: list[list[Any]] = []
    written = 0
    now = timezone.now()
    shared[at] = now
    for item in items:
        if isinstance(item, Change):
            model: type[models.Model] = item.instance.__class__
            pk, text = item.instance.pk, str(item.instance)
            action, before, after = item.action, item.before, item.after
        else:
            model, pk, text = item.model, item.pk, item.text
            action, before, after = item.action, item.before, item.after
        fields: RawJSON | list[str] | None
        if before is None and after is not None:
            # `diff` of a creation: the keys with a value. Created rows of a model share a
            # handful of such key sets; each is sorted and encoded once.
            present = tuple([k for k, v in after.items() if v is not None])
            fields = create_fields.get((model, present))
            if fields is None:
                fields = create_fields[(model, present)] = RawJSON(json.dumps(sorted(present)))
        else:
            fields = diff(before, after)
            if action == UPDATE and not fields:
                continue
        ct = content_types.get(model)
        if ct is None:
            ct = content_types[model] = ContentType.objects.get_for_model(model).pk
        line = shared.copy()
        line[action_at] = action
        line[ct_at] = ct
        line[label_at] = model._meta.label_lower
        line[id_at] = str(pk)
        line[repr_at] = text[:200]
        line[before_at] = before
        line[after_at] = after
        line[fields_at] = fields
        for i, f in missing:
            # as `Table.complete` fills a column the writer does not set
            timed = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            line[i] = now if timed else f.get_default()
        pending.append(line)
        if len(pending) >= BATCH:
            table.insert_values(pending)
            written += len(pending)
            pending = []
            now = shared[at] = timezone.now()
    if pending:
        table.insert_values(pending)
        written += len(pending)
    if content_types:
        labels = frozenset(model._meta.label_lower for model in content_types)
        for _name, receiver in bulk_written.items():
            receiver(labels)
    return written


def insert_instances(
    model: type[models.Model], objs: Sequence[models.Model], *, first_id: int | None = None
) -> None:
    """INSERT model instances through `Table` (no ORM compile per row). With `first_id` the
    primary keys are assigned from it and set on the objects (callers need them for foreign
    keys); call `reset_sequences` afterwards on PostgreSQL."""
    if not objs:
        return
    table = Table(model)
    if first_id is not None:
        for offset, obj in enumerate(objs):
            obj.pk = first_id + offset
        table.fields = [model._meta.pk, *table.fields]
        table.adapters = [None, *table.adapters]
    now = timezone.now()
    rows = []
    for obj in objs:
        row = {f.attname: getattr(obj, f.attname) for f in table.fields}
        for f in table.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                row[f.attname] = now
                setattr(obj, f.attname, now)
        rows.append(row)
    for start in range(0, len(rows), BATCH):
        table.insert(rows[start : start + BATCH])


def reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit primary keys, move PostgreSQL's sequences past them (SQLite needs none)."""
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


__all__ = [
    "CREATE",
    "Line",
    "Table",
    "insert_instances",
    "reset_sequences",
    "snapshot_of",
    "write_audit",
    "writing_ahead",
]
