"""Inside `inputs.counts_kept()` (a close), the tasks a unit leads are read once per period and
serve both the unit's result (the heads' ceilings) and its Decree 90 targets, with the same
counts as two separate reads."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import inputs
from thenchot.directives.testing import TaskFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2024, 1, 1), dt.date(2024, 12, 31)


def _task(unit, due, done, quality="meets"):  # type: ignore[no-untyped-def]
    return TaskFactory(
        lead_unit=unit,
        assigned_on=dt.date(2024, 2, 1),
        deadline=due,
        completed_on=done,
        quality=quality if done else "",
    )


def _task_reads(queries) -> int:  # type: ignore[no-untyped-def]
    return sum('"directives_task"' in q["sql"] for q in queries)


def test_a_units_tasks_are_read_once_for_its_result_and_its_targets(world) -> None:  # type: ignore[no-untyped-def]
    _task(world.snv_tc, dt.date(2024, 6, 30), dt.date(2024, 6, 20), "exceeds")
    _task(world.snv_tc, dt.date(2024, 7, 31), dt.date(2024, 8, 2))  # late
    _task(world.snv_tc, dt.date(2024, 9, 30), None)  # open
    _task(world.snv, dt.date(2024, 3, 31), dt.date(2024, 3, 1))
    _task(world.snv, dt.date(2025, 1, 15), None)  # due next year: not counted
    units = [world.snv.pk, world.snv_tc.pk]
    apart = (inputs.unit_task_counts(units, START, END), inputs.unit_year_counts(units, START, END))
    with inputs.counts_kept(), CaptureQueriesContext(connection) as seen:
        kept = (
            inputs.unit_task_counts(units, START, END),
            inputs.unit_year_counts(units, START, END),
            inputs.unit_year_counts([world.snv_tc.pk], START, END),
        )
    assert _task_reads(seen.captured_queries) == 1
    assert kept[:2] == apart
    assert kept[2] == {world.snv_tc.pk: apart[1][world.snv_tc.pk]}
    assert apart[1][world.snv_tc.pk].due == 3
    # Outside a close nothing is kept.
    with CaptureQueriesContext(connection) as seen:
        inputs.unit_year_counts(units, START, END)
    assert _task_reads(seen.captured_queries) == 1
