"""An imported month closes with its heads under the unit-result ceiling (rules.md "Unit
result"): the department whose unit completed 6 of its 10 tasks due has its head capped at
`not_complete` by `close_period`, with the ceiling line in the trace — the defect was an imported
head created with `is_head` false, who closed at "good"."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import month_before, this_month, with_snv_head
from thenchot.directives.testing import TaskFactory
from thenchot.exchange.services import import_file
from thenchot.people.testing import World


@pytest.fixture
def code(world: World) -> str:
    with_snv_head(world)
    return month_before(this_month(), 2)


def _tasks_due(world: World, code: str, *, completed: int, due: int = 10) -> None:
    """`due` tasks led by SNV falling due in the month, the first `completed` done on time."""
    start = dt.date.fromisoformat(f"{code}-01")
    for i in range(due):
        TaskFactory(
            lead_unit=world.snv,
            assigned_on=start,
            deadline=start + dt.timedelta(days=10),
            completed_on=start + dt.timedelta(days=5) if i < completed else None,
        )


def _import_and_close(world: World, code: str) -> dict[str, Evaluation]:
    """Everyone of SNV approved at 80 points (good under decree-335), then the command closes."""
    names = ("son", "hoa", "an", "lan", "quan")
    rows = [
        {
            "staff": world.staff[name].code,
            "period": code,
            "general_points": 25,
            "task_points": 55,
            "status": "approved",
        }
        for name in names
    ]
    data = json.dumps({"format": "thenchot/1", "evaluations": rows}).encode()
    result = import_file(data=data, filename="thang.json")
    assert result.ok, [str(p) for p in result.problems]
    call_command("close_period", "--unit", "SNV", "--period", code, "--lang", "en")
    return {
        name: Evaluation.objects.get(staff=world.staff[name], period_code=code) for name in names
    }


def test_it_caps_an_imported_head_at_the_unit_result(world: World, code: str) -> None:
    """rules.md: settled.4."""
    _tasks_due(world, code, completed=6)  # 60%: not more than 70% completed
    found = _import_and_close(world, code)
    head = found["son"]
    assert head.is_head and head.imported and head.status == "closed"
    assert head.score == 80 and head.final_level == "not_complete"
    assert head.reasons[-1]["rule"] == "ceiling.unit_result"
    assert head.reasons[-1]["level_before"] == "good"
    assert found["lan"].final_level == "good"  # not a head: no ceiling


def test_it_leaves_an_imported_head_whose_unit_had_no_task_due(world: World, code: str) -> None:
    """rules.md: unit-result.no-task."""
    found = _import_and_close(world, code)  # rules.md: a unit with no task due has no ceiling
    head = found["son"]
    assert head.is_head and head.final_level == "good"
    assert all(r["rule"] != "ceiling.unit_result" for r in head.reasons)


def test_it_caps_at_complete_when_more_than_70_percent_were_done(world: World, code: str) -> None:
    """rules.md: unit-result.formula."""
    _tasks_due(world, code, completed=8)  # 80% done, not all: the unit is "complete"
    found = _import_and_close(world, code)
    assert found["son"].final_level == "complete"
    assert found["son"].reasons[-1]["rule"] == "ceiling.unit_result"
    assert found["hoa"].final_level == "good"  # heads SNV-TC, which led no task
