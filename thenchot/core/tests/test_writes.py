"""The audited writes every service makes (`core.writes`): insert with its creation line,
change over the version read with its before and after, refused when stale or invalid."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from thenchot.audit.models import AuditEntry
from thenchot.core import writes
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError
from thenchot.core.services import full_clean
from thenchot.org.models import Unit
from thenchot.org.testing import EPOCH

pytestmark = pytest.mark.django_db


def _lines(unit: Unit) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(model_label="org.unit", object_id=str(unit.pk)))


def test_it_inserts_and_audits_the_creation():
    unit = writes.create(Unit(code="X1", name="Đơn vị X", kind="department", valid_from=EPOCH))
    assert Unit.objects.filter(code="X1").exists()
    (line,) = _lines(unit)
    assert line.action == "create" and line.after["name"] == "Đơn vị X"


def test_it_audits_the_creation_as_snap_shows_the_saved_row():
    unit = writes.create(
        Unit(code="X2", name="Đơn vị Y", kind="department", valid_from=EPOCH),
        snap=lambda u: {"id": u.pk, "code": u.code},
    )
    (line,) = _lines(unit)
    assert line.after == {"id": unit.pk, "code": "X2"}  # the pk: taken after the insert


def test_it_updates_the_fields_over_the_version_read_and_audits_the_change(world):
    unit = Unit.objects.get(pk=world.snv.pk)
    version = unit.version
    writes.update(unit, {"name": "Sở Nội vụ mới"}, expected_version=version)
    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.name, stored.version) == ("Sở Nội vụ mới", version + 1)
    (line,) = _lines(unit)
    assert (line.before["name"], line.after["name"]) == ("Sở Nội vụ", "Sở Nội vụ mới")
    assert line.changed_fields == ["name"]


def test_a_stale_version_is_refused_and_nothing_is_written(world):
    unit = Unit.objects.get(pk=world.snv.pk)
    with pytest.raises(ConcurrentUpdate):
        writes.update(unit, {"name": "Tên khác"}, expected_version=unit.version - 1)
    assert Unit.objects.get(pk=unit.pk).name == "Sở Nội vụ"
    assert _lines(unit) == []


@pytest.mark.parametrize(
    ("clean", "error"), [(Unit.full_clean, ValidationError), (full_clean, DomainError)]
)
def test_a_change_its_clean_refuses_is_not_written(world, clean, error):
    unit = Unit.objects.get(pk=world.snv.pk)
    with pytest.raises(error):
        writes.update(unit, {"name": ""}, expected_version=unit.version, clean=clean)
    assert Unit.objects.get(pk=unit.pk).name == "Sở Nội vụ"
    assert _lines(unit) == []


def test_save_writes_what_the_caller_changed_against_its_snapshot(world):
    from thenchot.core import auditing

    unit = Unit.objects.get(pk=world.snv.pk)
    before = auditing.snapshot(unit)
    unit.name, unit.kind = "Sở Nội vụ (mới)", "agency"
    writes.save(unit, before=before, expected_version=unit.version, fields=["name"])
    stored = Unit.objects.get(pk=unit.pk)
    assert (stored.name, stored.kind) == ("Sở Nội vụ (mới)", "department")  # `fields` only
