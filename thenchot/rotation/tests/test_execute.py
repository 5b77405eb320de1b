"""Carrying out a rotation moves the assignment (history kept) and restarts the clock; a move
that does not fit the person or the units is refused with nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.errors import DomainError, OutOfScope
from thenchot.discipline.models import DisciplineCase
from thenchot.people.models import Assignment, Staff
from thenchot.rotation import services
from thenchot.rotation.models import Rotation

pytestmark = pytest.mark.django_db
ON = dt.date(2025, 3, 1)


def _run(world, scope_of, who="lan", staff="an", **kw):  # type: ignore[no-untyped-def]
    person = Staff.objects.get(pk=world.staff[staff].pk)
    kw.setdefault("kind", "between_divisions_same_specialty")
    kw.setdefault("to_unit", world.snv_cc)
    return services.rotation_execute(
        scope=scope_of(who), staff=person, effective_on=ON, expected_version=person.version, **kw
    )


def test_it_moves_the_assignment_and_restarts_the_clock(world, scope_of, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.kinds."""
    rotation = _run(world, scope_of, decision_number="45/QĐ-SNV")
    an = Staff.objects.get(code="P005")
    assert (an.unit_id, an.in_position_since) == (world.snv_cc.pk, ON)
    history = list(
        Assignment.objects.filter(staff=an)
        .order_by("valid_from")
        .values_list("unit__code", "valid_from", "valid_to")
    )
    assert history == [
        ("SNV-TC", dt.date(2020, 1, 1), dt.date(2025, 2, 28)),
        ("SNV-CC", ON, None),
    ]
    assert (rotation.from_unit_id, rotation.to_unit_id) == (world.snv_tc.pk, world.snv_cc.pk)


def test_it_keeps_a_move_between_fields_in_the_same_division(world, scope_of, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.kinds."""
    _run(world, scope_of, kind="between_fields_within_division", to_unit=None)
    an = Staff.objects.get(code="P005")
    assert (an.unit_id, an.in_position_since) == (world.snv_tc.pk, ON)
    assert Assignment.objects.filter(staff=an).count() == 1


@pytest.mark.parametrize(
    ("staff", "kind", "target", "field"),
    [
        ("an", "between_divisions_same_specialty", "snv_tc", "to_unit"),  # the unit it leaves
        ("an", "between_agencies", "snv_tc", "to_unit"),
        ("an", "between_divisions_same_specialty", "stc_ns", "kind"),  # another agency
        ("an", "between_agencies", "snv_cc", "kind"),  # same agency
        ("an", "between_fields_within_division", "snv_cc", "to_unit"),
        ("an", "cadre_rotation", "snv_cc", "kind"),  # not a leader
        ("hoa", "between_divisions_same_specialty", "snv_cc", "kind"),  # a leader
    ],
)
def test_it_refuses_a_move_that_does_not_fit(
    world, scope_of, listed, staff, kind, target, field
) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.kinds."""
    before = list(Assignment.objects.order_by("pk").values_list("pk", "unit_id", "valid_to"))
    with pytest.raises(DomainError) as exc:
        _run(world, scope_of, staff=staff, kind=kind, to_unit=getattr(world, target))
    assert field in exc.value.field_errors
    assert (
        list(Assignment.objects.order_by("pk").values_list("pk", "unit_id", "valid_to")) == before
    )
    assert not Rotation.objects.exists()
    assert (
        Staff.objects.get(pk=world.staff[staff].pk).in_position_since
        == world.staff[staff].in_position_since
    )


def test_it_refuses_a_postponed_person(world, scope_of, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.postponed."""
    DisciplineCase.objects.create(
        code="KL-9", staff=world.staff["an"], detected_on=dt.date(2025, 2, 1), summary="x"
    )
    with pytest.raises(DomainError, match="postponed"):
        _run(world, scope_of)
    assert Staff.objects.get(code="P005").unit_id == world.snv_tc.pk


def test_it_moves_a_leader_by_cadre_rotation(world, scope_of, listed) -> None:  # type: ignore[no-untyped-def]
    """rules.md: rotation.period."""
    rotation = _run(
        world, scope_of, who="quan", staff="hoa", kind="cadre_rotation", to_unit=world.stc_ns
    )
    assert rotation.kind == "cadre_rotation"
    assert Staff.objects.get(code="P004").unit_id == world.stc_ns.pk


@pytest.mark.parametrize("who", ["hoa", "minh", "binh", "an"])
def test_it_lets_only_personnel_in_scope_carry_out(world, scope_of, listed, who) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):
        _run(world, scope_of, who=who)
    assert Staff.objects.get(code="P005").unit_id == world.snv_tc.pk
