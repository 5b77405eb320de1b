"""Writes to the unit tree: scope re-checked, cycles and bad dates refused, every change audited."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org import services
from thenchot.org.models import Unit
from thenchot.org.tree import tree

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_it_creates_a_division_inside_the_personnel_officers_subtree(world):
    scope = compute_scope(world.user("lan"))
    with acting(actor=world.user("lan"), source="web"):
        unit = services.unit_create(
            scope=scope,
            code="SNV-CCVC",
            name="Phòng Công chức, viên chức",
            kind="division",
            parent=world.snv,
            valid_from=dt.date(2026, 1, 1),
        )
    assert tree().parent_on(unit.pk, TODAY) == world.snv.pk
    entry = AuditEntry.objects.get(model_label="org.unit", object_id=str(unit.pk))
    assert entry.actor == world.user("lan")
    assert entry.action == "create"
    assert entry.after["code"] == "SNV-CCVC"


def test_it_refuses_to_create_under_a_sibling_department(world):
    scope = compute_scope(world.user("lan"))
    with pytest.raises(OutOfScope):
        services.unit_create(scope=scope, code="STC-X", name="X", kind="division", parent=world.stc)
    assert not Unit.objects.filter(code="STC-X").exists()


def test_it_refuses_valid_to_before_valid_from(world):
    scope = compute_scope(world.user("quan"))
    with pytest.raises(DomainError) as exc:
        services.unit_create(
            scope=scope,
            code="BAD",
            name="Sai ngày",
            kind="other",
            parent=world.city,
            valid_from=dt.date(2026, 5, 1),
            valid_to=dt.date(2026, 4, 30),
        )
    assert "valid_to" in exc.value.field_errors
    assert not Unit.objects.filter(code="BAD").exists()


def test_it_refuses_to_make_a_unit_its_own_ancestor(world):
    scope = compute_scope(world.user("quan"))
    with pytest.raises(DomainError):
        services.unit_move(scope=scope, unit=world.snv, new_parent=world.snv_tc, on=TODAY)
    assert tree().parent_on(world.snv.pk, TODAY) == world.city.pk


def test_it_moves_a_unit_keeping_its_history(world):
    scope = compute_scope(world.user("quan"))
    on = dt.date(2026, 3, 1)
    services.unit_move(scope=scope, unit=world.snv_cc, new_parent=world.stc, on=on)
    snap = tree()
    assert snap.parent_on(world.snv_cc.pk, on - dt.timedelta(days=1)) == world.snv.pk
    assert snap.parent_on(world.snv_cc.pk, on) == world.stc.pk


def test_it_refuses_a_stale_edit(world):
    scope = compute_scope(world.user("lan"))
    stale = Unit.objects.get(pk=world.snv_tc.pk)
    services.unit_update(
        scope=scope,
        unit=Unit.objects.get(pk=world.snv_tc.pk),
        expected_version=1,
        data={"name": "Phòng Tổ chức - Biên chế"},
    )
    with pytest.raises(ConcurrentUpdate):
        services.unit_update(scope=scope, unit=stale, expected_version=1, data={"name": "Khác"})
    assert Unit.objects.get(pk=world.snv_tc.pk).name == "Phòng Tổ chức - Biên chế"


def test_it_merges_units_and_ends_the_predecessors(world):
    scope = compute_scope(world.user("quan"))
    on = dt.date(2026, 7, 1)
    services.units_succeed(
        scope=scope, predecessors=[world.snv_cc], successors=[world.snv_tc], on=on
    )
    world.snv_cc.refresh_from_db()
    assert world.snv_cc.valid_to == dt.date(2026, 6, 30)
    assert world.snv_cc.pk in tree().predecessor_closure({world.snv_tc.pk})
    assert world.snv_cc.pk not in tree().children_on(world.snv.pk, on)
