"""One-row writes compiled once per process (`core.compiled`) write what Django writes: the SQL
Django compiles for each write, the same rows, signals and instance state (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.db.models import F, sql
from django.db.models.signals import post_save, pre_save

from thenchot.audit.models import AuditEntry
from thenchot.core import compiled
from thenchot.core.bulk import AUDIT_COLUMNS
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db

COMPARED = AUDIT_COLUMNS  # every column an audit line is written with


def _entry(world: Any, n: int, **extra: Any) -> AuditEntry:
    from django.contrib.contenttypes.models import ContentType

    name = sorted(world.users)[n % len(world.users)]
    values: dict[str, Any] = {
        "at": dt.datetime(2026, 12, 7, 9, n, tzinfo=dt.UTC),
        "actor": world.user(name),
        "actor_name": name,
        "request_id": f"req-{n}",
        "source": "api",
        "action": "update",
        "content_type": ContentType.objects.get_for_model(Unit),
        "model_label": "org.unit",
        "object_id": str(n),
        "object_repr": f"Đơn vị {n}",
        "before": {"name": "cũ", "n": n},
        "after": {"name": "mới", "n": n, "list": [1, None]},
        "changed_fields": ["name"],
        "reason": "",
        "batch": "",
    }
    return AuditEntry(**{**values, **extra})


def _django_insert_sql(entry: AuditEntry) -> tuple[str, list[Any]]:
    meta = AuditEntry._meta
    fields = [f for f in meta.local_concrete_fields if f is not meta.auto_field]
    query = sql.InsertQuery(AuditEntry)
    query.insert_values(fields, [entry], raw=False)
    compiler = query.get_compiler(using="default")
    compiler.returning_fields = meta.db_returning_fields
    [(statement, params)] = compiler.as_sql()
    return statement, list(params)


def test_an_insert_writes_the_row_save_writes_with_its_signals(world):  # type: ignore[no-untyped-def]
    heard: list[tuple[str, Any, Any]] = []

    def before(sender: Any, instance: Any, **kw: Any) -> None:
        heard.append(("pre", instance.pk, kw["update_fields"]))

    def after(sender: Any, instance: Any, created: bool, **kw: Any) -> None:
        heard.append(("post", instance.pk, created))

    pre_save.connect(before, sender=AuditEntry, dispatch_uid="test-compiled-pre")
    post_save.connect(after, sender=AuditEntry, dispatch_uid="test-compiled-post")
    try:
        written = []
        for n in (1, 2, 3, 4):  # the first compiles, the others reuse the kept SQL
            entry = _entry(world, n, reason="đổi" if n == 3 else "")
            compiled.insert(entry)
            assert entry.pk is not None and not entry._state.adding
            assert entry._state.db == "default"
            written.append(entry)
        by_save = _entry(world, 5)
        by_save.save(force_insert=True)
    finally:
        pre_save.disconnect(dispatch_uid="test-compiled-pre", sender=AuditEntry)
        post_save.disconnect(dispatch_uid="test-compiled-post", sender=AuditEntry)
    assert heard[:2] == [("pre", None, None), ("post", written[0].pk, True)]
    assert [h[0] for h in heard] == ["pre", "post"] * 5
    kept = [
        v for k, v in compiled._kept.items() if k[0] == "insert" and k[-1] == "audit.auditentry"
    ]
    assert kept and kept[0] is not None  # the statement is kept, not compiled again
    for entry in [*written, by_save]:
        row = AuditEntry.objects.values(*COMPARED).get(pk=entry.pk)
        assert row == {name: getattr(entry, name) for name in COMPARED}


def test_the_kept_insert_is_the_sql_django_compiles(world):  # type: ignore[no-untyped-def]
    compiled.insert(_entry(world, 1))
    key = ("insert", "default", connection.vendor, "audit.auditentry")
    statement, _returning = compiled._kept[key]
    other = _entry(world, 2, before=None, reason="lý do")
    assert _django_insert_sql(other)[0] == statement


def test_an_expression_goes_through_django(world):  # type: ignore[no-untyped-def]
    from django.db.models import Value
    from django.db.models.functions import Upper

    compiled.insert(_entry(world, 1))
    entry = _entry(world, 6, object_repr=Upper(Value("don vi")))
    compiled.insert(entry)
    assert AuditEntry.objects.get(pk=entry.pk).object_repr == "DON VI"


def test_a_versioned_update_is_what_the_queryset_update_does(world):  # type: ignore[no-untyped-def]
    unit = Unit.objects.get(pk=world.snv.pk)
    start = unit.version
    for n, valid_to in enumerate((None, dt.date(2030, 1, 1), dt.date(2031, 1, 1), None)):
        done = compiled.update_versioned(
            Unit,
            pk=unit.pk,
            version=start + n,
            values={"name": f"Tên {n}", "valid_to": valid_to},
            counter="version",
        )
        assert done == 1
        row = Unit.objects.values("name", "valid_to", "version").get(pk=unit.pk)
        assert row == {"name": f"Tên {n}", "valid_to": valid_to, "version": start + n + 1}
    stale = compiled.update_versioned(
        Unit, pk=unit.pk, version=start, values={"name": "x", "valid_to": None}, counter="version"
    )
    assert stale == 0
    assert Unit.objects.get(pk=unit.pk).name == "Tên 3"
    # The kept statement for each shape (NULL or a date) is Django's own SQL.
    for valid_to in (None, dt.date(2032, 1, 1)):
        values = {"name": "y", "valid_to": valid_to}
        key = ("update", "default", connection.vendor, "org.unit", "version", ("name", "valid_to"))
        kept, _increment = compiled._kept[(*key, (False, valid_to is None))]
        query = Unit._default_manager.filter(pk=unit.pk, version=9).query.chain(sql.UpdateQuery)
        query.add_update_values({**values, "version": F("version") + 1})
        assert query.get_compiler(using="default").as_sql()[0] == kept


def test_save_versioned_refuses_a_stale_version_and_stamps_the_update(world):  # type: ignore[no-untyped-def]
    unit = Unit.objects.get(pk=world.snv.pk)
    was = unit.updated_at
    unit.name = "Sở Nội vụ mới"
    save_versioned(unit, expected_version=unit.version, fields=["name"])
    row = Unit.objects.get(pk=unit.pk)
    assert (row.name, row.version) == ("Sở Nội vụ mới", unit.version)
    assert row.updated_at > was
    with pytest.raises(ConcurrentUpdate):
        save_versioned(unit, expected_version=unit.version - 1, fields=["name"])


@pytest.mark.parametrize("version", [2**63, -(2**63) - 1, 29044152920118886400])
def test_a_version_no_column_can_hold_is_a_stale_version_not_an_error(world, version):  # type: ignore[no-untyped-def]
    # The API passes the client's version on: one beyond 64 bits matched no row through the
    # queryset (Django's range check) and must still, on every database.
    unit = Unit.objects.get(pk=world.snv.pk)
    unit.name = "Sở Nội vụ mới"
    save_versioned(unit, expected_version=unit.version, fields=["name"])  # the shape is kept
    with pytest.raises(ConcurrentUpdate):
        save_versioned(unit, expected_version=version, fields=["name"])
    assert Unit.objects.get(pk=unit.pk).version == unit.version
