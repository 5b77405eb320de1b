"""Sub-tasks: a manager of the lead unit delegates; progress rolls up by weight."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.services import progress_report, subtask_create, task_complete
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def parent(world):
    return sample_task(world, assignee=None)


def delegate(world, parent, **kw):
    fields = {
        "by": world.user("lan"),
        "parent": parent,
        "title": "Tổng hợp số liệu biên chế",
        "lead_unit": world.snv_tc,
        "deadline": timezone.localdate() + 5 * DAY,
    }
    fields.update(kw)
    return subtask_create(**fields)


def test_it_rolls_progress_up_by_weight(world, parent):
    a = delegate(world, parent, weight=3, assignee=world.staff["an"])
    b = delegate(world, parent, lead_unit=world.snv_cc, weight=1)
    assert a.assigner_unit == world.snv and a.parent == parent
    progress_report(by=world.user("an"), task=a, percent=50)
    assert Task.objects.get(pk=parent.pk).progress == 38  # (3×50 + 1×0) / 4 = 37.5
    task_complete(
        by=world.user("lan"),
        task=b,
        completed_on=timezone.localdate(),
        product="Bảng tổng hợp",
        expected_version=b.version,
    )
    assert Task.objects.get(pk=parent.pk).progress == 62  # (150 + 100) / 4 = 62.5 → 62 (even)


def test_it_refuses_a_sub_task_outside_the_lead_unit(world, parent):
    with pytest.raises(DomainError) as exc:
        delegate(world, parent, lead_unit=world.stc_ns)
    assert "lead_unit" in exc.value.field_errors
    assert not Task.objects.filter(parent=parent).exists()


def test_it_refuses_a_sub_task_due_after_its_parent(world, parent):
    with pytest.raises(DomainError) as exc:
        delegate(world, parent, deadline=parent.deadline + DAY)
    assert "deadline" in exc.value.field_errors


def test_it_refuses_delegation_by_someone_who_does_not_manage_the_lead_unit(world, parent):
    for username in ("an", "minh", "hoa"):
        with pytest.raises(OutOfScope):
            delegate(world, parent, by=world.user(username))
    assert not Task.objects.filter(parent=parent).exists()


def test_it_lets_the_division_head_delegate_further(world, parent):
    sub = delegate(world, parent)
    subsub = subtask_create(
        by=world.user("hoa"),
        parent=sub,
        title="Nhập số liệu",
        lead_unit=world.snv_tc,
        assignee=world.staff["an"],
        deadline=timezone.localdate() + 2 * DAY,
    )
    progress_report(by=world.user("an"), task=subsub, percent=80)
    assert Task.objects.get(pk=sub.pk).progress == 80
    assert Task.objects.get(pk=parent.pk).progress == 80
