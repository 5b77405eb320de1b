"""Completing a task: the product, the quality mark from the assigning side, never twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.services import task_assess, task_complete
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def complete(world, task, username="lan", **kw):
    fields = {
        "by": world.user(username),
        "task": task,
        "completed_on": timezone.localdate(),
        "product": "Báo cáo số 45/BC-SNV",
        "expected_version": task.version,
    }
    fields.update(kw)
    return task_complete(**fields)


def test_it_records_the_completion_by_the_lead_unit(world):
    task = sample_task(world)
    done = complete(world, task)
    row = Task.objects.get(pk=task.pk)
    assert (row.completed_on, row.progress, row.version) == (timezone.localdate(), 100, 2)
    assert row.completion_recorded_by == world.user("lan")
    assert done.quality is None
    assert AuditEntry.objects.filter(
        model_label="directives.task", object_id=str(task.pk), action="update"
    ).exists()


def test_it_lets_the_assigning_side_complete_and_grade(world):
    task = sample_task(world)
    complete(world, task, username="minh", quality="exceeds", major_errors=0)
    row = Task.objects.get(pk=task.pk)
    assert (row.quality, row.major_errors) == ("exceeds", 0)


def test_it_refuses_a_quality_mark_from_the_lead_side(world):
    task = sample_task(world)
    with pytest.raises(OutOfScope):
        complete(world, task, quality="exceeds")
    assert Task.objects.get(pk=task.pk).completed_on is None


def test_it_refuses_completing_twice(world):
    task = sample_task(world)
    complete(world, task)
    task.refresh_from_db()
    with pytest.raises(DomainError):
        complete(world, task, completed_on=timezone.localdate() - DAY, product="Khác")
    row = Task.objects.get(pk=task.pk)
    assert (row.completed_on, row.product, row.version) == (
        timezone.localdate(),
        "Báo cáo số 45/BC-SNV",
        2,
    )


def test_it_tells_a_stale_writer_the_record_changed(world):
    task = sample_task(world)
    stale = Task.objects.get(pk=task.pk)
    complete(world, task)
    with pytest.raises(ConcurrentUpdate):
        complete(world, stale, username="minh")
    assert Task.objects.get(pk=task.pk).completion_recorded_by == world.user("lan")


@pytest.mark.parametrize("username", ["binh", "hoa", "hung"])
def test_it_refuses_completion_by_outsiders(world, username):
    task = sample_task(world)
    with pytest.raises(OutOfScope):
        complete(world, task, username=username)
    assert Task.objects.get(pk=task.pk).completed_on is None


def test_it_refuses_dates_before_assignment_or_in_the_future(world):
    task = sample_task(world)
    for bad in (task.assigned_on - DAY, timezone.localdate() + DAY):
        with pytest.raises(DomainError):
            complete(world, task, completed_on=bad)
    assert Task.objects.get(pk=task.pk).version == 1


def test_it_needs_a_product(world):
    task = sample_task(world)
    with pytest.raises(DomainError) as exc:
        complete(world, task, product="  ")
    assert "product" in exc.value.field_errors


def test_it_lets_the_assigning_side_grade_later(world):
    task = sample_task(world)
    done = complete(world, task)
    with pytest.raises(OutOfScope):
        task_assess(
            by=world.user("lan"), task=done, quality="meets", major_errors=0, expected_version=2
        )
    task_assess(
        by=world.user("minh"), task=done, quality="below", major_errors=2, expected_version=2
    )
    row = Task.objects.get(pk=task.pk)
    assert (row.quality, row.major_errors) == ("below", 2)


def test_it_refuses_grading_an_open_task(world):
    task = sample_task(world)
    with pytest.raises(DomainError):
        task_assess(
            by=world.user("minh"), task=task, quality="meets", major_errors=0, expected_version=1
        )
