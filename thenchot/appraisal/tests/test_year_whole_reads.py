"""A city's year close reads everyone's rows and keeps its people's in Python where the ids
would be hundreds of thousands (`core.id_sets.id_groups`, `WHOLE`; on PostgreSQL the due
tasks also through one join, `inputs.JOINED`): the same inputs, and the same year, as reading
by the people's ids."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from thenchot.appraisal import closing, inputs, rollup
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.tests.test_close_year_mixed import mixed  # noqa: F401  (a fixture)
from thenchot.people.models import HeadAssignment, Leave

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)


def _everyone(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("thenchot.core.id_sets.WHOLE", 0)
    monkeypatch.setattr(inputs, "JOINED", 0)


def test_it_reads_the_same_inputs_for_some_people_as_by_their_ids(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    people = list(world.staff.values())
    some, other = people[0], people[1]
    for n, person in enumerate((some, other)):
        Leave.objects.create(
            code=f"NP-{n}",
            staff=person,
            kind="sick",
            date_from=dt.date(2026, 2, 1),
            date_to=dt.date(2026, 5, 31 - n),
        )
        HeadAssignment.objects.create(
            unit=world.stc_ns,
            staff=person,
            role="head" if n else "deputy",
            valid_from=dt.date(2025, 1, 1),
        )
    asked = [p.pk for p in people if p.pk != other.pk]  # `other` is not asked about
    apart = (
        inputs.presence_in(asked, START, END),
        inputs.head_units(asked, END),
        inputs.led_units(END, asked),
        dict(rollup.iter_rollups(asked, "2026", pack_id="decree-335-2025", lines=False)),
    )
    assert some.pk in apart[0] and some.pk in apart[2]
    _everyone(monkeypatch)
    whole = (
        inputs.presence_in(asked, START, END),
        inputs.head_units(asked, END),
        inputs.led_units(END, asked),
        dict(rollup.iter_rollups(asked, "2026", pack_id="decree-335-2025", lines=False)),
    )
    assert whole[:3] == apart[:3]
    assert other.pk not in whole[0] and other.pk not in whole[1]
    assert {s: (r.level, r.error) for s, r in whole[3].items()} == {
        s: (r.level, r.error) for s, r in apart[3].items()
    }


def _close(world) -> dict[int, tuple[object, ...]]:  # type: ignore[no-untyped-def]
    """The year closed, its rows read, and everything rolled back."""
    with transaction.atomic():
        move = closing.heads_naming_ties(unit=world.snv, period="2026")
        closing.close_period(unit=world.snv, period="2026", resolve_quota="by-score", move=move)
        rows = {
            e.staff_id: (e.rule_pack, e.final_level, e.score, e.reasons, e.status, e.version)
            for e in Evaluation.objects.filter(period_code="2026")
        }
        transaction.set_rollback(True)
    return rows


def test_it_closes_a_mixed_year_the_same_reading_everyone(world, mixed, monkeypatch) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    by_ids = _close(world)
    assert {r[0] for r in by_ids.values()} == {
        "decree-335-2025",
        "hanoi-monthly-2018",
        "decree-90-2020",
    }
    _everyone(monkeypatch)
    assert _close(world) == by_ids
