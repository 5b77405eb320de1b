"""`PreparedRows` (a `values_list` read compiled once per shape) gives the rows the queryset
gives, for lists of ids and codes of any length, on both databases; the reads built on it and
the scope's headships agree with the ORM reads they replaced (issue 18)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db.models import F, Q

from thenchot.accounts.scoping import compute_scope
from thenchot.core.id_sets import InIds, InTexts
from thenchot.core.prepared import PreparedRows
from thenchot.org.models import Unit, valid_on_q
from thenchot.people.models import HeadAssignment, Staff

pytestmark = pytest.mark.django_db


def _units(*, ids: Any, codes: Any) -> Any:
    return (
        Unit.objects.filter(InIds(F("id"), ids) | InTexts(F("code"), codes))
        .order_by("code")
        .values_list("code", "id", "valid_from", "kind")
    )


_UNITS = PreparedRows(_units, arrays=("ids", "codes"))


def test_it_gives_the_rows_of_the_queryset_for_lists_of_any_length(world: Any) -> None:
    units = list(Unit.objects.order_by("code"))
    assert len(units) >= 4
    cases = [
        ([], []),
        ([units[0].pk], []),
        ([], [units[1].code]),
        ([u.pk for u in units[:3]], [units[-1].code, "NO-SUCH"]),
        ([u.pk for u in units], [u.code for u in units]),
        ([-5], ["NO-SUCH"]),
    ]
    for ids, codes in cases:
        expected = list(
            Unit.objects.filter(Q(pk__in=ids) | Q(code__in=codes))
            .order_by("code")
            .values_list("code", "id", "valid_from", "kind")
        )
        assert _UNITS.run(ids=ids, codes=codes) == expected
    assert _UNITS.run(ids=[], codes=[]) == []


def _staff_of(shape: tuple[bool, int], *, unit: Any, pk: Any) -> Any:
    with_pk, limit = shape
    rows = Staff.objects.filter(unit_id=unit)
    if with_pk:
        rows = rows.filter(Q(pk=pk) | Q(pk__gt=pk))
    return rows.order_by("code").values_list("full_name", "pk")[:limit]


_STAFF_OF = PreparedRows(_staff_of, scalars=("unit", "pk"), shaped=True)


def test_a_scalar_may_recur_and_a_shape_may_leave_it_out(world: Any) -> None:
    unit = world.snv_tc.pk
    everyone = list(
        Staff.objects.filter(unit_id=unit).order_by("code").values_list("full_name", "pk")
    )
    assert everyone
    assert _STAFF_OF.run(shape=(False, 10), unit=unit, pk=0) == everyone[:10]
    first = min(pk for _name, pk in everyone)
    expected = [r for r in everyone if r[1] >= first][:1]
    assert _STAFF_OF.run(shape=(True, 1), unit=unit, pk=first) == expected
    assert _STAFF_OF.run(shape=(False, 10), unit=-1, pk=0) == []


def test_it_refuses_a_read_that_is_not_a_values_list() -> None:
    bad = PreparedRows(lambda *, pk: Unit.objects.filter(pk=pk), scalars=("pk",))
    with pytest.raises(ValueError):
        bad.run(pk=1)


def test_the_scope_reads_the_headships_and_own_unit_with_the_grants(world: Any) -> None:
    for name in sorted(world.users):
        user = world.user(name)
        for on in (dt.date(2020, 1, 1), dt.date.today(), dt.date(2040, 1, 1)):
            scope = compute_scope(user, on)
            staff = Staff.objects.filter(user=user).first()
            assert scope.facts_read
            assert scope.own_unit_id == (staff.unit_id if staff else None)
            expected = sorted(
                HeadAssignment.objects.filter(valid_on_q(on), staff__user=user).values_list(
                    "unit_id", "role"
                )
            )
            assert list(scope.headships) == expected
    assert any(compute_scope(world.user(n)).headships for n in world.users)  # not all empty
