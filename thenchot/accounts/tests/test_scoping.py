"""Who sees which units and staff: the scope each persona gets from their grants."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.core.errors import OutOfScope
from thenchot.org.models import UnitSuccession
from thenchot.org.testing import UnitFactory
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def test_it_gives_city_leadership_everything(world):
    scope = compute_scope(world.user("hung"))
    assert scope.city_wide
    assert Staff.objects.count() == scope.restrict_staff(Staff.objects.all()).count()


def test_it_limits_personnel_to_their_subtree(world):
    scope = compute_scope(world.user("lan"))
    assert scope.can_read_unit(world.snv_tc.pk)
    assert not scope.can_read_unit(world.stc.pk)
    assert scope.can_write_unit(world.snv_cc.pk)
    assert not scope.can_write_unit(world.stc.pk)
    codes = set(scope.restrict_staff(Staff.objects.all()).values_list("unit__code", flat=True))
    assert codes == {"SNV", "SNV-TC"}


def test_it_shows_plain_staff_only_their_own_record(world):
    scope = compute_scope(world.user("an"))
    visible = list(scope.restrict_staff(Staff.objects.all()))
    assert visible == [world.staff["an"]]
    assert not scope.can_read_unit(world.snv_tc.pk)


def test_it_refuses_writes_from_readers(world):
    scope = compute_scope(world.user("minh"))
    assert scope.can_read_unit(world.stc_ns.pk)
    with pytest.raises(OutOfScope):
        scope.require_write_unit(world.stc_ns.pk)


def test_it_lets_a_successor_read_its_predecessors(world):
    """rules.md: org-history.successor."""
    old = UnitFactory(
        code="Q-HK",
        name="Quận Hoàn Kiếm",
        kind="district",
        valid_from=dt.date(2008, 8, 1),
        valid_to=dt.date(2025, 6, 30),
        parent=world.city,
    )
    old_ward = UnitFactory(
        code="P-HANGBAC",
        name="Phường Hàng Bạc",
        kind="ward",
        valid_from=dt.date(2008, 8, 1),
        valid_to=dt.date(2025, 6, 30),
        parent=old,
    )
    new = UnitFactory(
        code="P-HOANKIEM",
        name="Phường Hoàn Kiếm",
        kind="ward",
        valid_from=dt.date(2025, 7, 1),
        parent=world.city,
    )
    UnitSuccession.objects.create(
        predecessor=old_ward, successor=new, effective_on=dt.date(2025, 7, 1)
    )
    from thenchot.accounts.models import RoleGrant

    RoleGrant.objects.create(user=world.user("an"), role="personnel", unit=new)
    from thenchot.org.tree import invalidate

    invalidate()
    scope = compute_scope(world.user("an"), on=dt.date(2026, 1, 1))
    assert scope.can_read_unit(old_ward.pk)
    assert not scope.can_read_unit(old.pk)
    assert not scope.can_write_unit(old_ward.pk)  # ended units are read-only
    assert scope.can_write_unit(new.pk)
