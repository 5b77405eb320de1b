"""People with the same roll-up inputs share one result (`rollup._from_totals`): each gets it
under their own staff id (`rollup._for_staff`, a copy of the fields), the same value
`dataclasses.replace` gives, and a task's Decree 90 facts are shared values equal to new ones."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest

from thenchot.appraisal import rollup, rules
from thenchot.appraisal.rules.decree90_counts import TaskFact


def test_it_gives_a_shared_roll_up_its_own_staff_id() -> None:
    pack = rules.registry.get("decree-335-2025")
    person = rules.PersonPeriod(
        staff_id=7,
        category=rules.Category.CIVIL_SERVANT,
        period=rules.Period.parse("2026"),
        is_leader=True,
        is_head=True,
        unit_result=rules.Level.COMPLETE,
    )
    found = pack.rollup_totals(
        count=12, rated=12, total=Decimal("1000.00"), person=person, params=pack.parameters(None)
    )
    copied = rollup._for_staff(found, 8)
    assert copied == dataclasses.replace(found, staff_id=8)
    assert copied.staff_id == 8 and found.staff_id == 7  # the shared one untouched
    # What makes the copy the same value: no __post_init__ to run, no slots.
    assert not hasattr(rules.Classification, "__post_init__")
    assert not hasattr(rules.Classification, "__slots__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        copied.staff_id = 9  # type: ignore[misc]


@pytest.mark.parametrize("completed_on", [None, dt.date(2026, 3, 1), dt.date(2026, 3, 9)])
@pytest.mark.parametrize("quality", [None, "meets", "exceeds", "below"])
def test_a_tasks_facts_are_shared_values_equal_to_new_ones(completed_on, quality) -> None:  # type: ignore[no-untyped-def]
    args = {
        "completed_on": completed_on,
        "effective_deadline": dt.date(2026, 3, 5),
        "quality": quality,
        "year_end": dt.date(2026, 12, 31),
    }
    fact = TaskFact.of(**args)
    assert fact is TaskFact.of(**args)
    done = completed_on is not None
    on_time = done and completed_on <= dt.date(2026, 3, 5)
    assert fact == TaskFact(
        completed=done,
        on_time=on_time,
        exceeded=done and quality == "exceeds",
        short=not (on_time and (quality or "meets") in ("meets", "exceeds")),
    )
