"""The home page's own code, read by a query compiled once per process, is what the queryset
read gives: the person's code, none for a user without a staff record or a vanished one."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from thenchot.accounts.scoping import compute_scope
from thenchot.home.views import home_summary
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _by_queryset(staff_id: int | None) -> str | None:
    if staff_id is None:
        return None
    return Staff.objects.filter(pk=staff_id).values_list("code", flat=True).first()


@pytest.mark.parametrize("username", ["an", "lan", "hung", "quan", "hoa"])
def test_it_reads_the_code_the_queryset_reads(world, username: str) -> None:  # type: ignore[no-untyped-def]
    user = _user(username)
    scope = compute_scope(user)
    for _ in range(2):  # the first run prepares the read, the second reuses it
        assert home_summary(scope=scope, user=user)["own_code"] == _by_queryset(scope.own_staff_id)


def test_it_gives_no_code_for_a_staff_record_that_is_gone(world) -> None:  # type: ignore[no-untyped-def]
    user = _user("an")
    scope = dataclasses.replace(compute_scope(user), own_staff_id=987_654_321)
    assert home_summary(scope=scope, user=user)["own_code"] is None
    assert home_summary(scope=scope, user=user)["own_code"] == _by_queryset(987_654_321)


def test_it_reads_the_code_of_the_person_asked(world) -> None:  # type: ignore[no-untyped-def]
    user = _user("an")
    scope = compute_scope(user)
    codes = set()
    for staff in Staff.objects.all()[:5]:
        other = dataclasses.replace(scope, own_staff_id=staff.pk)
        codes.add(home_summary(scope=other, user=user)["own_code"])
        assert home_summary(scope=other, user=user)["own_code"] == staff.code
    assert len(codes) == min(5, Staff.objects.count())
