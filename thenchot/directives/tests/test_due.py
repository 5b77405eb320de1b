"""Open tasks as a due-date source for reminders: which items, to whom, in fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.core.registry import due_sources
from thenchot.directives.due import POLICY_KEY
from thenchot.directives.testing import ExtensionFactory, TaskFactory
from thenchot.people.models import HeadAssignment, Staff

pytestmark = pytest.mark.django_db
d = dt.date
ON = d(2025, 6, 10)


@pytest.fixture
def source():
    return due_sources.get(POLICY_KEY)


@pytest.fixture
def tasks(world):
    HeadAssignment.objects.create(
        unit=world.snv, staff=world.staff["lan"], role="head", valid_from=d(2020, 1, 1)
    )

    def task(code, deadline, **kw):
        kw.setdefault("lead_unit", world.snv)
        return TaskFactory(
            code=code,
            assigner_unit=world.stc,
            assigned_by=world.user("hung"),
            assigned_on=d(2025, 5, 1),
            deadline=deadline,
            **kw,
        )

    task("IN-7", ON + dt.timedelta(days=7), assignee=world.staff["an"])
    task("IN-3", ON + dt.timedelta(days=3))
    task("TODAY", ON)
    task("LATE", ON - dt.timedelta(days=2))
    task("DONE", ON + dt.timedelta(days=3), completed_on=d(2025, 6, 1))
    task("FAR", ON + dt.timedelta(days=30))
    ext = task("EXT", ON - dt.timedelta(days=1))
    ExtensionFactory(
        task=ext,
        requested_on=ON - dt.timedelta(days=5),
        new_deadline=ON + dt.timedelta(days=1),
        status="approved",
        decided_on=ON - dt.timedelta(days=3),
    )
    return world


def days(*n):
    return {ON + dt.timedelta(days=i) for i in n}


def test_it_yields_open_tasks_due_on_the_reminder_days(source, tasks):
    items = {
        i.title.split(" — ")[0]: i
        for i in source.items(on=ON, due_dates=days(7, 3, 1, 0), overdue=False)
    }
    assert set(items) == {"IN-7", "IN-3", "TODAY", "EXT"}
    assert items["EXT"].due_on == ON + dt.timedelta(days=1)  # the extended deadline
    assert items["IN-7"].url == "/directives/tasks/IN-7/"
    assert items["IN-7"].model_label == "directives.task"


def test_it_adds_overdue_tasks_when_asked(source, tasks):
    items = list(source.items(on=ON, due_dates=set(), overdue=True))
    assert [i.title.split(" — ")[0] for i in items] == ["LATE"]


def test_it_reminds_the_assignee_and_lead_heads_and_escalates_to_the_assigner(source, tasks):
    item = next(i for i in source.items(on=ON, due_dates=days(7), overdue=False))
    an, lan, minh, hung = (tasks.user(n).pk for n in ("an", "lan", "minh", "hung"))
    assert item.recipients == tuple(sorted({an, lan}))
    assert item.escalate_to == tuple(sorted({hung, minh}))  # assigned_by and head of STC


def test_it_skips_people_without_an_account(source, tasks):
    Staff.objects.filter(pk=tasks.staff["lan"].pk).update(user=None)
    item = next(iter(source.items(on=ON, due_dates=days(3), overdue=False)))
    assert item.recipients == ()


def test_it_uses_a_fixed_number_of_queries(source, tasks):
    with CaptureQueriesContext(connection) as ctx:
        list(source.items(on=ON, due_dates=days(7, 3, 1, 0), overdue=True))
    before = len(ctx)
    for i in range(10):
        TaskFactory(code=f"X{i}", lead_unit=tasks.ward, assigned_on=d(2025, 5, 1), deadline=ON)
    with CaptureQueriesContext(connection) as ctx:
        items = list(source.items(on=ON, due_dates=days(7, 3, 1, 0), overdue=True))
    assert len(ctx) == before == 2
    assert len(items) == 15
