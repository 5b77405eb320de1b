"""The `discipline` block of `thenchot report`: decisions effective in the range, placed by the
person's unit on the effective date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db


def _report(unit: str, capsys) -> dict:  # type: ignore[no-untyped-def]
    call_command("report", "--unit", unit, "--from", "2023-01-01", "--to", "2023-09-30")
    return json.loads(capsys.readouterr().out)


def test_it_counts_people_decisions_and_forms_in_the_subtree(world, capsys) -> None:  # type: ignore[no-untyped-def]
    from thenchot.people.models import Assignment

    an, minh = world.staff["an"], world.staff["minh"]
    decision(an, "A1", "reprimand", track="party", violation="V", decided_on=dt.date(2023, 3, 1))
    decision(an, "A2", "warning", violation="V", decided_on=dt.date(2023, 4, 1))
    decision(minh, "M1", "warning", decided_on=dt.date(2023, 5, 1))
    decision(an, "OUT", "reprimand", decided_on=dt.date(2023, 10, 1))
    # An left STC for SNV-TC in 2022: a 2023 decision still counts where he was then.
    Assignment.objects.filter(staff=an).update(valid_from=dt.date(2022, 1, 1))
    Assignment.objects.create(
        staff=an, unit=world.stc_ns, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2021, 12, 31)
    )
    city = _report("HN", capsys)["discipline"]
    assert (city["people"], city["decisions"]) == (2, 3)
    assert city["by_form"]["warning"] == 2 and city["by_form"]["reprimand"] == 1
    snv = _report("SNV", capsys)["discipline"]
    assert (snv["people"], snv["decisions"]) == (1, 2)
    assert _report("STC", capsys)["discipline"]["decisions"] == 1


def test_it_omits_the_block_without_any_decision(world, capsys) -> None:  # type: ignore[no-untyped-def]
    assert "discipline" not in _report("HN", capsys)


def test_it_places_records_in_the_tree_as_it_stood_each_day(world) -> None:  # type: ignore[no-untyped-def]
    from thenchot.discipline.statistics import SubtreeOn
    from thenchot.org.models import Unit, UnitLink
    from thenchot.org.tree import invalidate, tree

    moved = Unit.objects.create(
        code="P-X", name="Phòng X", kind="division", valid_from=dt.date(2020, 1, 1)
    )
    UnitLink.objects.create(
        unit=moved, parent=world.snv, valid_from=dt.date(2020, 1, 1), valid_to=dt.date(2023, 6, 30)
    )
    UnitLink.objects.create(unit=moved, parent=world.stc, valid_from=dt.date(2023, 7, 1))
    invalidate()
    inside = SubtreeOn(world.snv.pk)
    for day in (
        dt.date(2023, 1, 1),
        dt.date(2023, 6, 30),
        dt.date(2023, 7, 1),
        dt.date(2024, 1, 1),
    ):
        assert inside.contains(moved.pk, day) == (moved.pk in tree().subtree_on(world.snv.pk, day))
    assert inside.contains(moved.pk, dt.date(2023, 6, 30)) and not inside.contains(
        moved.pk, dt.date(2023, 7, 1)
    )
