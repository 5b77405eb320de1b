"""Decree 335 work items of a period (rules.md "Settled points" 6): the tasks whose effective
deadline falls in the period, judged with their status on the period's last day."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.appraisal import inputs
from thenchot.directives.testing import ExtensionFactory, TaskFactory

MARCH = (dt.date(2026, 3, 1), dt.date(2026, 3, 31))
APRIL = (dt.date(2026, 4, 1), dt.date(2026, 4, 30))


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("deadline", "completed", "extension", "march", "april"),
    [
        # due 25/3, completed 2/4: not completed in March, and not an item of April
        ("2026-03-25", "2026-04-02", None, (False, 1), None),  # overdue on 31/3: one delay
        ("2026-03-25", "2026-03-20", None, (True, 0), None),
        # completed late inside March: completed, one delay
        ("2026-03-25", "2026-03-28", None, (True, 1), None),
        # moved to 10/4 by an extension approved in March: an item of April, on time
        ("2026-03-25", "2026-04-08", ("2026-03-20", "2026-04-10", "2026-03-22"), None, (True, 0)),
        # an extension asked after the deadline keeps one delay (settled point 7)
        ("2026-03-25", "2026-04-08", ("2026-03-27", "2026-04-10", "2026-03-28"), None, (True, 1)),
        (None, None, None, None, None),
    ],
)
def test_it_takes_the_items_by_effective_deadline_and_status_at_the_end(  # type: ignore[no-untyped-def]
    world, deadline, completed, extension, march, april
):
    """rules.md: settled.6, settled.7."""
    an = world.staff["an"]
    if deadline is not None:
        task = TaskFactory(
            lead_unit=world.snv_tc,
            assignee=an,
            assigned_on=d("2026-03-01"),
            deadline=d(deadline),
            completed_on=d(completed) if completed else None,
        )
        if extension is not None:
            asked, moved_to, decided = extension
            ExtensionFactory(
                task=task,
                requested_on=d(asked),
                new_deadline=d(moved_to),
                status="approved",
                decided_on=d(decided),
            )
    for (start, end), expected in ((MARCH, march), (APRIL, april)):
        items = [item for item, _line in inputs.work_of([an.pk], start, end).get(an.pk, [])]
        found = (items[0].completed, items[0].delays) if items else None
        assert found == expected, (start, items)
