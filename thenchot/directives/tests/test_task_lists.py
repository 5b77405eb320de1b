"""Who sees which tasks, the three personal lists, and a fixed query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from thenchot.accounts.scoping import compute_scope
from thenchot.directives.selectors import (
    can_read_task,
    my_tasks,
    task_detail,
    task_queryset,
    tasks_assigned_by,
    unit_tasks,
)
from thenchot.directives.testing import TaskFactory, sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def codes(qs):
    return sorted(qs.values_list("code", flat=True))


@pytest.fixture
def tasks(world):
    today = timezone.localdate()
    return {
        "snv": sample_task(world, code="T-SNV"),  # STC → SNV, assignee An
        "ward": TaskFactory(
            code="T-WARD",
            lead_unit=world.ward,
            assigner_unit=world.city,
            assigned_on=today - 10 * DAY,
        ),
        "coord": TaskFactory(
            code="T-COORD",
            lead_unit=world.ward,
            assigner_unit=world.city,
            coordinating_units=[world.snv_cc],
            assigned_on=today - 10 * DAY,
        ),
        "tc": TaskFactory(
            code="T-TC",
            lead_unit=world.snv_tc,
            assigner_unit=world.snv,
            assigned_on=today - 10 * DAY,
        ),
    }


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("hung", ["T-COORD", "T-SNV", "T-TC", "T-WARD"]),  # city-wide
        ("quan", ["T-COORD", "T-SNV", "T-TC", "T-WARD"]),
        ("lan", ["T-COORD", "T-SNV", "T-TC"]),  # SNV subtree: lead, coordinating
        ("minh", ["T-SNV"]),  # STC assigned it
        ("binh", ["T-SNV"]),  # inspector over STC, the assigning unit
        ("hoa", ["T-TC"]),  # SNV-TC only: T-SNV is led by SNV itself, not her division
        ("an", ["T-SNV"]),  # the assignee only
    ],
)
def test_it_restricts_tasks_to_the_readers_scope(world, tasks, username, expected):
    scope = compute_scope(world.user(username))
    assert codes(task_queryset(scope)) == expected
    for code, task in ((t.code, t) for t in tasks.values()):
        assert can_read_task(scope, task) == (code in expected)


def test_it_shows_nothing_to_the_anonymous(world, tasks):
    from django.contrib.auth.models import AnonymousUser

    assert not task_queryset(compute_scope(AnonymousUser())).exists()


def test_it_lists_my_tasks_as_assignee_and_as_head(world, tasks):
    today = timezone.localdate()
    assert codes(my_tasks(world.user("an"))) == ["T-SNV"]
    assert codes(my_tasks(world.user("hoa"), today)) == ["T-TC"]  # head of SNV-TC, no assignee
    assert codes(my_tasks(world.user("lan"))) == []


def test_it_lists_a_units_subtree_and_what_i_assigned(world, tasks):
    scope = compute_scope(world.user("lan"))
    assert codes(unit_tasks(scope, world.snv.pk)) == ["T-SNV", "T-TC"]
    assert codes(unit_tasks(scope, world.snv_tc.pk)) == ["T-TC"]
    assert codes(unit_tasks(compute_scope(world.user("minh")), world.ward.pk)) == []
    assert codes(tasks_assigned_by(world.user("minh"))) == ["T-SNV"]
    assert codes(tasks_assigned_by(world.user("lan"))) == []


def test_it_lists_with_a_fixed_number_of_queries(world, tasks):
    scope = compute_scope(world.user("hung"))

    seen = []

    def run():
        with CaptureQueriesContext(connection) as ctx:
            for t in task_queryset(scope):
                seen.append((t.lead_unit.code, t.assignee, t.assigner_unit, t.document, t.status))
        return len(ctx)

    before = run()
    for i in range(5):
        TaskFactory(code=f"MORE-{i}", lead_unit=world.ward, assigner_unit=world.city)
    assert run() == before == 1


def test_it_loads_the_3_ro_page_in_one_go(world, tasks):
    scope = compute_scope(world.user("lan"))
    task = task_detail(scope, "T-SNV")
    assert task is not None and task.status == "in_progress"
    assert task_detail(compute_scope(world.user("minh")), "T-WARD") is None
