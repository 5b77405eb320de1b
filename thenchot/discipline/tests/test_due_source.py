"""Open cases remind the officer who opened them as their legal deadline nears, then escalate
to the heads of the person's agency."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.registry import due_sources
from thenchot.discipline import services

pytestmark = pytest.mark.django_db


def test_it_yields_open_cases_due_on_the_reminder_days(world, scope_of) -> None:  # type: ignore[no-untyped-def]
    from thenchot.people.models import HeadAssignment

    HeadAssignment.objects.create(
        unit=world.snv, staff=world.staff["quan"], role="head", valid_from=dt.date(2020, 1, 1)
    )
    case = services.case_open(
        scope=scope_of("lan"), staff=world.staff["an"], detected_on=dt.date(2025, 8, 1), summary="x"
    )
    source = due_sources.get("discipline.case")
    due_on = dt.date(2025, 10, 30)
    (item,) = source.items(on=dt.date(2025, 10, 23), due_dates={due_on}, overdue=False)
    assert (item.object_id, item.due_on) == (case.pk, due_on)
    assert item.recipients == (world.user("lan").pk,)
    assert item.escalate_to == (world.user("quan").pk,)
    assert list(source.items(on=dt.date(2025, 10, 23), due_dates=set(), overdue=True)) == []
    overdue = list(source.items(on=dt.date(2025, 11, 5), due_dates=set(), overdue=True))
    assert [i.object_id for i in overdue] == [case.pk]
    services.case_drop(
        scope=scope_of("lan"), case=case, closed_on=dt.date(2025, 11, 6), expected_version=1
    )
    assert list(source.items(on=dt.date(2025, 11, 7), due_dates=set(), overdue=True)) == []
