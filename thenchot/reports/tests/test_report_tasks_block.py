"""The `tasks` block of `thenchot report`, computed from task records (report.md)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.directives.testing import TaskFactory

pytestmark = pytest.mark.django_db
D = dt.date


def test_it_counts_the_tasks_of_the_subtree(world, capsys):
    # SNV subtree: one on time, one late, one overdue on as_of; STC's task is outside.
    TaskFactory(
        lead_unit=world.snv,
        assigned_on=D(2023, 2, 1),
        deadline=D(2023, 3, 1),
        completed_on=D(2023, 2, 20),
    )
    TaskFactory(
        lead_unit=world.snv_tc,
        assigned_on=D(2023, 2, 1),
        deadline=D(2023, 3, 1),
        completed_on=D(2023, 3, 5),
    )
    TaskFactory(lead_unit=world.snv_cc, assigned_on=D(2023, 4, 1), deadline=D(2023, 5, 1))
    TaskFactory(lead_unit=world.stc, assigned_on=D(2023, 4, 1), deadline=D(2023, 5, 1))
    call_command("report", "--unit", "SNV", "--from", "2023-01-01", "--to", "2023-09-30")
    tasks = json.loads(capsys.readouterr().out)["tasks"]
    assert tasks["assigned"] == 3
    assert tasks["due"] == 3
    assert (tasks["completed_on_time"], tasks["completed_late"], tasks["overdue"]) == (1, 1, 1)
    assert tasks["in_progress"] == 0


def test_it_omits_the_block_when_there_are_no_tasks(world, capsys):
    call_command("report", "--unit", "HN", "--from", "2023-01-01", "--to", "2023-09-30")
    assert "tasks" not in json.loads(capsys.readouterr().out)
