"""The task lists' base (joins and status annotations) is built once per process and day and
never changed by the lists filtered from it: each reader's list is the one built afresh, on
every call (issue 18: the home page's task counts)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from thenchot.accounts.scoping import compute_scope
from thenchot.directives.models import Task
from thenchot.directives.selectors import (
    TASK_LIST_RELATED,
    _annotated_tasks,
    restrict_tasks,
    task_queryset,
)
from thenchot.directives.status import annotate_status
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db


def _rows(qs: Any) -> list[tuple[str, str, dt.date]]:
    return sorted(qs.values_list("code", "status", "effective_deadline"))


def _afresh(scope: Any, on: dt.date) -> Any:
    return annotate_status(
        restrict_tasks(scope, Task.objects.select_related(*TASK_LIST_RELATED)), on
    )


def test_each_list_is_the_one_built_afresh_and_the_base_stays(world: Any) -> None:
    sample_task(world, code="T-KEPT")  # assigned to An
    today = timezone.localdate()
    base = _annotated_tasks(today)
    sql = str(base.query)
    for on in (today, today + dt.timedelta(days=400)):  # another day: another status
        for name in ("an", "lan", "hoa", "an"):
            scope = compute_scope(world.user(name))
            assert _rows(task_queryset(scope, on)) == _rows(_afresh(scope, on))
    assert _annotated_tasks(today) is base and str(base.query) == sql
    an = compute_scope(world.user("an"))
    assert [r[:2] for r in _rows(task_queryset(an, today + dt.timedelta(days=400)))] == [
        ("T-KEPT", "overdue")
    ]
