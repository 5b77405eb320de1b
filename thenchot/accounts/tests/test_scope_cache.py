"""The scope is read fresh on every request and only what follows from the grants is reused:
a revoked grant, a new grant, a moved login or a changed tree count at once (issue 18)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.accounts.models import RoleGrant, User
from thenchot.accounts.scoping import compute_scope
from thenchot.org.testing import UnitFactory
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def _fresh(name: str) -> User:
    """The persona as a request would load it: nothing of it cached on the object."""
    return User.objects.get(username=name)


def test_it_drops_a_revoked_grant_at_once(world):  # type: ignore[no-untyped-def]
    before = compute_scope(_fresh("hoa"))
    assert before.can_read_unit(world.snv_tc.pk)
    RoleGrant.objects.filter(user__username="hoa").delete()
    after = compute_scope(_fresh("hoa"))
    assert not after.can_read_unit(world.snv_tc.pk)
    assert after.read_units == frozenset()


def test_it_adds_a_new_grant_at_once(world):  # type: ignore[no-untyped-def]
    assert not compute_scope(_fresh("an")).can_read_unit(world.stc.pk)
    RoleGrant.objects.create(user=_fresh("an"), role="unit_head", unit=world.stc)
    scope = compute_scope(_fresh("an"))
    assert scope.can_read_unit(world.stc.pk) and scope.can_read_unit(world.stc_ns.pk)


def test_it_sees_a_unit_added_to_the_tree_under_a_grant(world):  # type: ignore[no-untyped-def]
    assert compute_scope(_fresh("lan")).can_read_unit(world.snv_tc.pk)
    new = UnitFactory(code="SNV-MOI", name="Phòng mới", kind="division", parent=world.snv)
    assert compute_scope(_fresh("lan")).can_read_unit(new.pk)
    assert not compute_scope(_fresh("minh")).can_read_unit(new.pk)


def test_it_follows_a_login_moved_to_another_staff_record(world):  # type: ignore[no-untyped-def]
    an = world.staff["an"]
    assert compute_scope(_fresh("an")).own_staff_id == an.pk
    Staff.objects.filter(pk=an.pk).update(user=None)
    scope = compute_scope(_fresh("an"))
    assert scope.own_staff_id is None
    assert list(scope.restrict_staff(Staff.objects.all())) == []


def test_it_gives_two_users_with_the_same_grants_their_own_staff_record(world):  # type: ignore[no-untyped-def]
    hoa = compute_scope(_fresh("hoa"))
    second = User.objects.create(username="hoa2")
    RoleGrant.objects.create(user=second, role="division_manager", unit=world.snv_tc)
    other = compute_scope(_fresh("hoa2"))
    assert other.read_units == hoa.read_units  # the units reused from the same grants
    assert other.own_staff_id is None and hoa.own_staff_id == world.staff["hoa"].pk
    assert other.user_id == second.pk


def test_it_reads_the_grants_and_the_staff_record_in_one_query(world):  # type: ignore[no-untyped-def]
    compute_scope(_fresh("hoa"))  # the tree loaded once
    user = _fresh("hoa")
    with CaptureQueriesContext(connection) as queries:
        scope = compute_scope(user)
    tables = [q["sql"] for q in queries.captured_queries if "accounts_rolegrant" in q["sql"]]
    assert len(tables) == 1 and "people_staff" in tables[0]
    # Outside a request the tree's counter is checked too: nothing else is read.
    assert len(queries.captured_queries) == 2
    assert scope.own_staff_id == world.staff["hoa"].pk and scope.can_read_unit(world.snv_tc.pk)


def test_it_keeps_no_scope_for_the_anonymous(world):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    with CaptureQueriesContext(connection) as queries:
        scope = compute_scope(AnonymousUser())
    assert scope.is_anonymous and scope.read_units == frozenset()
    assert queries.captured_queries == []
