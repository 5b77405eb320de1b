"""Fast inserts for the demo's large tables (staff, assignments and their audit lines).

`bulk_create` spends most of its time compiling SQL value by value, and on SQLite it is held to
999 parameters per statement (about 80 rows). At 200,000 staff that is over half a million audit
lines, so the big tables go through one `executemany` per batch instead, with each field adapted
by the backend's own adapters. Audit lines are still built by the audit writer
(`core.auditing`), so their content is the same as on every other path.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from thenchot.core import auditing

Adapter = Callable[[Any], Any] | None


def _adapter(field: models.Field) -> Adapter:  # type: ignore[type-arg]
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        encoder = getattr(field, "encoder", None)
        return lambda value: None if value is None else ops.adapt_json_value(value, encoder)
    return None


def next_id(model: type[models.Model]) -> int:
    last = model.objects.aggregate(m=models.Max("pk"))["m"]
    return int(last or 0) + 1


def insert(
    model: type[models.Model], objs: Sequence[models.Model], *, first_id: int | None = None
) -> None:
    """INSERT `objs` with one executemany. With `first_id`, primary keys are assigned from it
    (the caller needs them for foreign keys) and set on the objects."""
    if not objs:
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or first_id]
    if first_id is not None:
        for offset, obj in enumerate(objs):
            obj.pk = first_id + offset
    stamped = [
        f.attname
        for f in fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    for obj in objs:
        for attname in stamped:
            setattr(obj, attname, now)
    adapters = [(f.attname, _adapter(f)) for f in fields]
    rows = [
        tuple(
            getattr(obj, attname) if adapt is None else adapt(getattr(obj, attname))
            for attname, adapt in adapters
        )
        for obj in objs
    ]
    qn = connection.ops.quote_name
    table = qn(str(model._meta.db_table))
    columns = ", ".join(qn(f.column) for f in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is several times faster than INSERT on PostgreSQL; psycopg adapts each value.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(fields))
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def reset_sequences(*models_: type[models.Model]) -> None:
    """After explicit primary keys, move PostgreSQL's sequences past them (SQLite needs none)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def audit_created(objs: Iterable[models.Model], *, batch: str | None = None) -> int:
    """Audit the creation of `objs` (already saved) like `auditing.record_many` does, written
    with one executemany; returns the number of lines."""
    batch = batch or uuid.uuid4().hex
    entries = []
    for obj in objs:
        change = auditing.Change(obj, auditing.CREATE, None, auditing.snapshot(obj))
        entry = auditing._build(change, batch=batch, reason=None)
        if entry is not None:
            entries.append(entry)
    insert(apps.get_model("audit", "AuditEntry"), entries)
    return len(entries)
