"""The audit writer: who, when, request id, before/after, reason — and the log cannot be edited."""

from __future__ import annotations

import pytest

from thenchot.audit.models import AuditEntry
from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.org.models import Unit

pytestmark = pytest.mark.django_db


def test_it_records_before_and_after_with_the_context(world):
    unit = Unit.objects.get(pk=world.snv.pk)
    before = auditing.snapshot(unit)
    unit.name = "Sở Nội vụ Hà Nội"
    unit.save()
    with acting(actor=world.user("lan"), source="web", reason="đổi tên", request_id="req-1"):
        auditing.record(unit, action=auditing.UPDATE, before=before)
    entry = AuditEntry.objects.get(object_id=str(unit.pk), model_label="org.unit")
    assert entry.before["name"] == "Sở Nội vụ"
    assert entry.after["name"] == "Sở Nội vụ Hà Nội"
    assert entry.changed_fields == ["name"]
    assert (entry.actor_name, entry.source, entry.reason, entry.request_id) == (
        "lan",
        "web",
        "đổi tên",
        "req-1",
    )


def test_it_skips_updates_that_change_nothing(world):
    unit = world.snv
    auditing.record(unit, action=auditing.UPDATE, before=auditing.snapshot(unit))
    assert not AuditEntry.objects.filter(model_label="org.unit").exists()


def test_it_writes_bulk_changes_in_one_batch(world):
    units = list(Unit.objects.all())
    with acting(source="import", reason="units.json"):
        n = auditing.record_many(
            auditing.Change(u, auditing.CREATE, None, auditing.snapshot(u)) for u in units
        )
    assert n == len(units)
    batches = set(AuditEntry.objects.values_list("batch", flat=True))
    assert len(batches) == 1 and "" not in batches
    assert set(AuditEntry.objects.values_list("reason", flat=True)) == {"units.json"}


def test_it_cannot_be_edited_or_deleted(world):
    auditing.record(world.snv, action=auditing.CREATE)
    entry = AuditEntry.objects.get()
    entry.reason = "sửa"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
