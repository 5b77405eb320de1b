"""One-row writes the hottest requests make on every call, compiled to SQL once per process.

Django compiles an INSERT or an UPDATE to SQL on every call. A self-assessment writes one
versioned UPDATE (`core.concurrency.save_versioned`) and one audit line (`core.auditing.record`),
and compiling the two cost more Python than the database took to run them (issue 18). Here the
first write of each shape is compiled by Django, as `save(force_insert=True)` and
`QuerySet.update()` compile it; its SQL is kept when the parameters this module computes for
that write, through the same field methods Django calls, are the ones Django compiled — else
that shape always goes through Django. Later writes of the shape run the kept SQL with their
own parameters. The shape of an UPDATE includes which values are None: Django writes
`"col" = NULL` in the SQL for those.

What Django does around the statement is done here too: `pre_save`/`post_save` for the insert
(the receivers that keep counts fresh read the audit line), the returned primary key set on the
instance, a failed statement marking the transaction for rollback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connections, router, transaction
from django.db.models import F, Model, sql
from django.db.models.signals import post_save, pre_save

# (kind, database, vendor, model label, names...) -> the kept SQL, or None: through Django.
_kept: dict[tuple[Any, ...], Any] = {}


def _same(ours: Sequence[Any], django: Sequence[Any]) -> bool:
    if len(ours) != len(django):
        return False
    for a, b in zip(ours, django, strict=True):
        if type(a) is not type(b):
            return False
        # A JSON value goes to the driver wrapped (psycopg's Jsonb), compared by what it holds.
        if hasattr(a, "obj") and hasattr(a, "dumps"):
            if a.obj != b.obj or a.dumps != b.dumps:
                return False
        elif a != b:
            return False
    return True


# -- INSERT ----------------------------------------------------------------------------------------
def insert(instance: Model, *, using: str | None = None) -> None:
    """`instance.save(force_insert=True)` for a new record of a model without parents (its
    primary key chosen by the database): the same row, signals and instance state."""
    model = type(instance)
    meta = model._meta
    using = using or router.db_for_write(model, instance=instance)
    connection = connections[using]
    key = ("insert", using, connection.vendor, meta.label_lower)
    kept = _kept.get(key, False)
    if (
        kept is None
        or instance.pk is not None
        or meta.parents
        or meta.proxy
        or meta.auto_created
        or meta.order_with_respect_to
    ):
        instance.save(force_insert=True, using=using)
        return
    instance._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
    pre_save.send(sender=model, instance=instance, raw=False, using=using, update_fields=None)
    fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
    returning = meta.db_returning_fields
    # What SQLInsertCompiler computes for each value (`pre_save_val`, `prepare_value`).
    values = [f.pre_save(instance, add=True) for f in fields]
    params: list[Any] = []
    if any(hasattr(v, "resolve_expression") for v in values):
        kept = None  # an expression is compiled into the SQL: this write goes through Django
    else:
        params = [
            f.get_db_prep_save(v, connection=connection)
            for f, v in zip(fields, values, strict=True)
        ]
        if kept is False:
            kept = _compile_insert(instance, fields, returning, params, using)
            _kept[key] = kept
    with transaction.mark_for_rollback_on_error(using=using):
        if kept is None:
            _insert_by_django(instance, fields, returning, using)
        else:
            statement, returning_params = kept
            with connection.cursor() as cursor:
                cursor.execute(statement, params)
                ops: Any = connection.ops  # (Django's, not in the stubs)
                row = ops.fetch_returned_insert_columns(cursor, returning_params)
            for value, field in zip(row, returning, strict=True):
                setattr(instance, field.attname, value)
    instance._state.db = using
    instance._state.adding = False
    post_save.send(
        sender=model, instance=instance, created=True, update_fields=None, raw=False, using=using
    )


def _insert_query(instance: Model, fields: list[Any], returning: Sequence[Any], using: str) -> Any:
    query = sql.InsertQuery(type(instance))
    query.insert_values(fields, [instance], raw=False)
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = returning
    return compiler


def _compile_insert(
    instance: Model, fields: list[Any], returning: Sequence[Any], params: list[Any], using: str
) -> tuple[str, Any] | None:
    connection = connections[using]
    if not returning or not connection.features.can_return_columns_from_insert:
        return None
    compiler = _insert_query(instance, fields, returning, using)
    statements = compiler.as_sql()
    cols = [f.get_col(type(instance)._meta.db_table) for f in returning]
    if len(statements) != 1 or compiler.get_converters(cols):
        return None
    statement, django_params = statements[0]
    if not _same(params, django_params):
        return None
    return statement, compiler.returning_params


def _insert_by_django(
    instance: Model, fields: list[Any], returning: Sequence[Any], using: str
) -> None:
    rows = _insert_query(instance, fields, returning, using).execute_sql(returning)
    if rows:
        for value, field in zip(rows[0], returning, strict=False):
            setattr(instance, field.attname, value)


# -- UPDATE ----------------------------------------------------------------------------------------
def update_versioned(
    model: type[Model], *, pk: Any, version: int, values: dict[str, Any], counter: str
) -> int:
    """`model._default_manager.filter(pk=pk, **{counter: version}).update(**values,
    **{counter: F(counter) + 1})`: the number of rows updated. `values` by attribute name,
    plain values (no expression)."""
    using = router.db_for_write(model)
    connection = connections[using]
    meta = model._meta
    names = tuple(values)
    nulls = tuple(v is None for v in values.values())  # each a NULL in the SQL
    key = ("update", using, connection.vendor, meta.label_lower, counter, names, nulls)
    kept = _kept.get(key, False)
    pk_field, counter_field = meta.pk, meta.get_field(counter)
    if (
        kept is not None
        and not any(hasattr(v, "resolve_expression") for v in values.values())
        # A key or version outside its column's range matches no row: Django's lookup says so
        # without asking the database (SQLite would refuse the parameter), so let it.
        and _in_range(connection, pk_field, pk)
        and _in_range(connection, counter_field, version)
    ):
        fields: list[Any] = [meta.get_field(name) for name in names]
        plain = [
            f.get_db_prep_save(v, connection=connection)
            for f, v in zip(fields, values.values(), strict=True)
            if v is not None
        ]
        where = []
        for field, value in ((pk_field, pk), (counter_field, version)):
            prepared = field.get_prep_value(value)  # type: ignore[union-attr]
            where.append(field.get_db_prep_value(prepared, connection, prepared=True))  # type: ignore[union-attr]
        if kept is False:
            kept = _compile_update(model, pk, version, values, counter, plain, where, using)
            _kept[key] = kept
        if kept is not None:
            statement, increment = kept
            with (
                transaction.mark_for_rollback_on_error(using=using),
                connection.cursor() as cursor,
            ):
                cursor.execute(statement, [*plain, increment, *where])
                return int(cursor.rowcount)
    return int(
        model._default_manager.using(using)
        .filter(pk=pk, **{counter: version})
        .update(**values, **{counter: F(counter) + 1})
    )


def _in_range(connection: Any, field: Any, value: Any) -> bool:
    """Whether an integer `value` fits `field`'s column (`IntegerFieldOverflow`'s test)."""
    if not isinstance(value, int):
        return True
    low, high = connection.ops.integer_field_ranges.get(field.get_internal_type(), (None, None))
    return (low is None or value >= low) and (high is None or value <= high)


def _update_query(
    model: type[Model], pk: Any, version: int, values: dict[str, Any], counter: str, using: str
) -> Any:
    queryset = model._default_manager.using(using).filter(pk=pk, **{counter: version})
    query: Any = queryset.query.chain(sql.UpdateQuery)
    query.add_update_values({**values, counter: F(counter) + 1})
    query.clear_select_clause()
    return query


def _compile_update(
    model: type[Model],
    pk: Any,
    version: int,
    values: dict[str, Any],
    counter: str,
    plain: list[Any],
    where: list[Any],
    using: str,
) -> tuple[str, Any] | None:
    """Django's SQL and its parameter of the increment (the driver's type for the `1`, Int4
    with psycopg), when its other parameters are `plain` then `where`."""
    query = _update_query(model, pk, version, values, counter, using)
    if query.related_updates or query.order_by:
        return None
    compiler = query.get_compiler(using=using)
    compiler.pre_sql_setup()
    statement, django_params = compiler.as_sql()
    n = len(plain)
    if (
        not statement
        or len(django_params) != n + 1 + len(where)
        or not _same(plain, django_params[:n])
        or not _same(where, django_params[n + 1 :])
    ):
        return None
    return str(statement), django_params[n]
