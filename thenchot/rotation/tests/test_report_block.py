"""The `rotations` block of `thenchot report`: periodic moves effective in the range, placed by
the unit the person left; leaders' cadre rotations beside them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.rotation.models import Rotation

pytestmark = pytest.mark.django_db


def _report(unit: str, capsys) -> dict:  # type: ignore[no-untyped-def]
    call_command("report", "--unit", unit, "--from", "2023-01-01", "--to", "2023-09-30")
    return json.loads(capsys.readouterr().out)


def _rot(world, code, kind, src, dst, on):  # type: ignore[no-untyped-def]
    Rotation.objects.create(
        code=code, staff=world.staff["an"], kind=kind, from_unit=src, to_unit=dst, effective_on=on
    )


def test_it_counts_rotations_by_kind_in_the_subtree(world, capsys) -> None:  # type: ignore[no-untyped-def]
    _rot(
        world,
        "R1",
        "between_divisions_same_specialty",
        world.snv_tc,
        world.snv_cc,
        dt.date(2023, 3, 1),
    )
    _rot(
        world,
        "R2",
        "between_fields_within_division",
        world.snv_cc,
        world.snv_cc,
        dt.date(2023, 5, 1),
    )
    _rot(world, "R3", "between_agencies", world.stc_ns, world.snv_tc, dt.date(2023, 6, 1))
    _rot(world, "R4", "cadre_rotation", world.snv, world.stc, dt.date(2023, 7, 1))
    _rot(world, "R5", "between_agencies", world.stc_ns, world.snv_tc, dt.date(2023, 10, 1))
    city = _report("HN", capsys)["rotations"]
    assert city["total"] == 3 and city["cadre_rotation"] == 1
    assert city["by_kind"] == {
        "between_divisions_same_specialty": 1,
        "between_fields_within_division": 1,
        "between_agencies": 1,
    }
    assert _report("SNV", capsys)["rotations"]["total"] == 2
    assert _report("STC", capsys)["rotations"]["by_kind"]["between_agencies"] == 1


def test_it_omits_the_block_without_any_rotation(world, capsys) -> None:  # type: ignore[no-untyped-def]
    assert "rotations" not in _report("HN", capsys)
