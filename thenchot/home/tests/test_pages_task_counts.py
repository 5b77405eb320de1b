"""Issue 18: the home page's two task counts (overdue; in progress and due within a week) read
by `my_task_counts` — plain columns and the pure status rule — are the counts of the list's
status expression over `my_tasks`, whatever the completion, the extensions in force and the
way the task is the person's (by name, or through the unit they head)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from thenchot.directives.choices import TaskStatus
from thenchot.directives.selectors import my_task_counts, my_tasks
from thenchot.directives.testing import ExtensionFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _by_expression(user, on: dt.date, soon: dt.date) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    counts = my_tasks(user, on).aggregate(
        overdue=Count("pk", filter=Q(status=TaskStatus.OVERDUE)),
        soon=Count("pk", filter=Q(status=TaskStatus.IN_PROGRESS, effective_deadline__lte=soon)),
    )
    return counts["overdue"], counts["soon"]


def test_it_counts_what_the_status_expression_counts(world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    an = world.staff["an"]
    mine = {"lead_unit": world.snv_tc, "assignee": an, "assigned_on": today - 40 * DAY}
    TaskFactory.create(code="T-LATE", deadline=today - 2 * DAY, **mine)
    TaskFactory.create(code="T-SOON", deadline=today + 3 * DAY, **mine)
    TaskFactory.create(code="T-TODAY", deadline=today, **mine)
    TaskFactory.create(code="T-EDGE", deadline=today + 7 * DAY, **mine)
    TaskFactory.create(code="T-LATER", deadline=today + 30 * DAY, **mine)
    TaskFactory.create(
        code="T-DONE", deadline=today - 2 * DAY, completed_on=today - 5 * DAY, **mine
    )
    TaskFactory.create(code="T-DONE-LATE", deadline=today - 9 * DAY, completed_on=today, **mine)
    # Completed after today: not yet a completion today (overdue).
    TaskFactory.create(code="T-FUTURE", deadline=today - 3 * DAY, completed_on=today + DAY, **mine)
    moved = TaskFactory.create(code="T-MOVED", deadline=today - 4 * DAY, **mine)
    ExtensionFactory.create(
        task=moved, status="approved", requested_on=today - 6 * DAY, decided_on=today - 5 * DAY,
        previous_deadline=today - 4 * DAY, new_deadline=today + 2 * DAY, requested_by=world.user("an"),
    )  # fmt: skip
    later = TaskFactory.create(code="T-NOT-YET", deadline=today - DAY, **mine)
    ExtensionFactory.create(
        task=later, status="approved", requested_on=today - 2 * DAY, decided_on=today + DAY,
        previous_deadline=today - DAY, new_deadline=today + 20 * DAY, requested_by=world.user("an"),
    )  # fmt: skip
    pending = TaskFactory.create(code="T-PENDING", deadline=today + 5 * DAY, **mine)
    ExtensionFactory.create(
        task=pending, requested_on=today, new_deadline=today + 40 * DAY, requested_by=world.user("an")
    )  # fmt: skip
    twice = TaskFactory.create(code="T-TWICE", deadline=today - 10 * DAY, **mine)
    for decided, new in [(today - 9 * DAY, today - DAY), (today - 3 * DAY, today + 6 * DAY)]:
        ExtensionFactory.create(
            task=twice, status="approved", requested_on=decided, decided_on=decided,
            previous_deadline=today - 10 * DAY, new_deadline=new, requested_by=world.user("an"),
        )  # fmt: skip
    TaskFactory.create(
        code="T-OTHER", lead_unit=world.snv_tc, assignee=world.staff["binh"],
        assigned_on=today - 40 * DAY, deadline=today - 2 * DAY,
    )  # fmt: skip
    # Led by a unit without a named assignee: its head's.
    TaskFactory.create(
        code="T-UNIT", lead_unit=world.snv_tc, assigned_on=today - 40 * DAY, deadline=today - DAY
    )
    for name in ["an", "binh", "hoa", "lan", "hung"]:
        user = world.user(name)
        for on in [today, today - 6 * DAY, today + 8 * DAY]:
            soon = on + 7 * DAY
            counts = my_task_counts(user, on, soon=soon)
            assert (counts.overdue, counts.due_soon) == _by_expression(user, on, soon), (name, on)
    counts = my_task_counts(world.user("an"), today, soon=today + 7 * DAY)
    assert counts.overdue >= 3 and counts.due_soon >= 3
