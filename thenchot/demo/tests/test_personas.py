"""The demo logins: one per role, a shared password, grants that give the expected reach."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from thenchot.accounts.models import RoleGrant, User
from thenchot.accounts.scoping import compute_scope
from thenchot.demo.generator import DEMO_PASSWORD
from thenchot.demo.staffing import PERSONAS
from thenchot.org.tree import tree

pytestmark = pytest.mark.django_db

EXPECTED = {
    "quantri": ("admin", None),
    "lanhdao": ("city_leadership", None),
    "noivu": ("personnel", "SNV"),
    "giamdoc": ("unit_head", "STC"),
    "truongphong": ("division_manager", "SNV-CCVC"),
    "canbo": ("staff", "SNV-CCVC"),
    "thanhtra": ("inspector", "STC"),
    "noivu.phuong": ("personnel", "P-BADINH"),
}


@pytest.mark.parametrize("username", sorted(EXPECTED))
def test_it_lets_each_persona_log_in_with_the_demo_password(demo, username):
    assert Client().login(username=username, password=DEMO_PASSWORD)


def test_it_refuses_a_wrong_password(demo):
    assert not Client().login(username="lanhdao", password="wrong-password")


def test_it_gives_each_persona_the_expected_grant(demo):
    grants = {
        (g.user.username, g.role, g.unit.code if g.unit else None)
        for g in RoleGrant.objects.select_related("user", "unit")
    }
    assert grants == {(u, role, unit) for u, (role, unit) in EXPECTED.items()}
    assert len({role for role, _unit in EXPECTED.values()}) == 7  # every role


def test_it_links_personas_to_staff_records_and_nobody_else_gets_an_account(demo):
    assert User.objects.count() == len(PERSONAS)
    for user in User.objects.all():
        assert user.staff.full_name == user.first_name
    admin = User.objects.get(username="quantri")
    assert admin.is_superuser and admin.is_staff
    assert not User.objects.filter(is_superuser=True).exclude(username="quantri").exists()


def test_it_lets_the_new_ward_read_the_old_wards_it_succeeded(demo):
    snap = tree()
    scope = compute_scope(User.objects.get(username="noivu.phuong"), on=dt.date(2026, 1, 1))
    assert scope.can_read_unit(snap.by_code["BADINH-PHUCXA"])
    assert not scope.can_read_unit(snap.by_code["HOANKIEM-HANGBAC"])
    assert not scope.can_read_unit(snap.by_code["SNV"])


def test_it_keeps_the_department_personnel_officer_out_of_the_wards(demo):
    snap = tree()
    scope = compute_scope(User.objects.get(username="noivu"), on=dt.date(2026, 1, 1))
    assert scope.can_read_unit(snap.by_code["SNV-CCVC"])
    # SNV absorbed the labour department in 2025: its people may read its records.
    assert scope.can_read_unit(snap.by_code["SLDTBXH-BTXH"])
    assert not scope.can_read_unit(snap.by_code["P-BADINH"])
    assert not scope.can_read_unit(snap.by_code["STC"])
