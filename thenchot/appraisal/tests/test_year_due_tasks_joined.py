"""The tasks due in a period, read for many people or units at once on PostgreSQL
(`inputs._due_joined`: the extension in force joined once per task, with the ids or, for a
city, without them), are the very rows the per-task effective deadline (`inputs._due`) gives:
extensions approved or not, decided after the period, several on one task, one that moves the
deadline into or out of the period."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.db import connection

from thenchot.appraisal import inputs
from thenchot.directives.testing import ExtensionFactory, TaskFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the joined read is PostgreSQL's"),
]

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
D = dt.date


def _tasks(world):  # type: ignore[no-untyped-def]
    people = list(world.staff.values())
    units = [world.snv, world.snv_tc, world.stc]
    made = []
    for i, (due, done) in enumerate(
        [
            (D(2024, 3, 31), D(2024, 3, 30)),
            (D(2024, 6, 30), D(2024, 7, 10)),
            (D(2024, 12, 20), None),
            (D(2025, 1, 15), None),  # due next year: not in the period
            (D(2023, 12, 20), D(2023, 12, 1)),  # due last year
            (D(2024, 12, 28), D(2025, 1, 5)),
            (D(2024, 5, 31), D(2024, 5, 1)),
            (D(2024, 11, 30), None),
        ]
    ):
        made.append(
            TaskFactory(
                assignee=people[i % len(people)],
                lead_unit=units[i % len(units)],
                assigned_on=D(2023, 11, 1),
                deadline=due,
                completed_on=done,
                quality="exceeds" if done and i % 2 else ("meets" if done else None),
            )
        )
    a, b, c, d, e, f, g, _h = made
    # Approved before the year's end: the deadline moves (out of the period for `c`).
    ExtensionFactory(
        task=c, status="approved", decided_on=D(2024, 12, 1), new_deadline=D(2025, 2, 1)
    )
    # Into the period: last year's task, extended.
    ExtensionFactory(
        task=e, status="approved", decided_on=D(2023, 12, 10), new_deadline=D(2024, 1, 20)
    )
    # Decided after the period's end, pending, rejected: not in force.
    ExtensionFactory(
        task=d, status="approved", decided_on=D(2025, 1, 2), new_deadline=D(2025, 2, 10)
    )
    ExtensionFactory(task=a, status="pending", new_deadline=D(2025, 3, 1))
    ExtensionFactory(
        task=b, status="rejected", decided_on=D(2024, 6, 1), new_deadline=D(2025, 3, 1)
    )
    # Several in force: the latest by the day it took effect, then by the new deadline.
    ExtensionFactory(
        task=f, status="approved", decided_on=D(2024, 12, 1), new_deadline=D(2025, 1, 10)
    )
    ExtensionFactory(
        task=f, status="approved", decided_on=D(2024, 12, 5), new_deadline=D(2024, 12, 30)
    )
    ExtensionFactory(
        task=g,
        status="approved",
        decided_on=None,
        requested_on=D(2024, 5, 20),
        new_deadline=D(2024, 6, 15),
    )
    ExtensionFactory(
        task=g, status="approved", decided_on=D(2024, 5, 20), new_deadline=D(2024, 6, 20)
    )
    return people, units


def _plain(field, ids):  # type: ignore[no-untyped-def]
    return Counter(
        inputs._due(field, list(ids), START, END)
        .order_by()
        .values_list(field, "completed_on", "eff", "quality")
    )


@pytest.mark.parametrize("whole", [False, True])
def test_it_reads_the_same_rows_as_the_per_task_deadline(world, monkeypatch, whole) -> None:  # type: ignore[no-untyped-def]
    people, units = _tasks(world)
    monkeypatch.setattr(inputs, "JOINED", 0)
    monkeypatch.setattr("thenchot.core.id_sets.WHOLE", 0 if whole else 10**9)
    for field, ids in [
        ("assignee_id", [p.pk for p in people]),
        ("assignee_id", [people[0].pk, people[2].pk]),  # some only: the others' left out
        ("lead_unit_id", [u.pk for u in units]),
        ("lead_unit_id", [units[1].pk]),
    ]:
        expected = _plain(field, ids)
        assert expected, field
        assert Counter(inputs._due_tasks(field, ids, START, END)) == expected
    # In force: `c` moved out of the period, `e` into it, `f` to 2024-12-30, `g` to 2024-06-20.
    effective = {
        row[2] for row in inputs._due_tasks("assignee_id", [p.pk for p in people], START, END)
    }
    assert D(2024, 12, 20) not in effective
    assert {D(2024, 1, 20), D(2024, 12, 30), D(2024, 6, 20)} <= effective


def test_it_counts_as_before(world, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    people, _units = _tasks(world)
    ids = [p.pk for p in people]
    before = inputs.own_task_counts(ids, START, END)
    monkeypatch.setattr(inputs, "JOINED", 0)
    monkeypatch.setattr("thenchot.core.id_sets.WHOLE", 0)
    assert inputs.own_task_counts(ids, START, END) == before
