"""Assigning a task: who may, and every bad input refused with nothing written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.services import task_create
from thenchot.directives.testing import DocumentFactory, sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def test_it_lets_a_department_head_assign_a_task_to_another_department(world):
    doc = DocumentFactory(issued_on=timezone.localdate() - 30 * DAY)
    task = sample_task(world, document=doc, coordinating_units=[world.ward])
    assert task.assigned_by == world.user("minh")
    assert task.assigner_unit == world.stc
    assert task.code.startswith("NV-")
    assert list(task.coordinating_units.all()) == [world.ward]
    entry = AuditEntry.objects.get(model_label="directives.task", object_id=str(task.pk))
    assert entry.action == "create"
    assert entry.actor == world.user("minh")
    assert entry.after["coordinating_units"] == ["P-BADINH"]


def test_it_refuses_a_deadline_before_the_assigned_date(world):
    today = timezone.localdate()
    with pytest.raises(DomainError) as exc:
        sample_task(world, assigned_on=today - 5 * DAY, deadline=today - 6 * DAY)
    assert "deadline" in exc.value.field_errors
    assert not Task.objects.exists()
    assert not AuditEntry.objects.filter(model_label="directives.task").exists()


def test_it_accepts_a_deadline_on_the_assigned_date(world):
    today = timezone.localdate()
    task = sample_task(world, assigned_on=today, deadline=today)
    assert task.deadline == task.assigned_on


def test_it_refuses_an_assignee_outside_the_lead_units_subtree(world):
    with pytest.raises(DomainError) as exc:
        sample_task(world, assignee=world.staff["binh"])  # Bình works in STC, not SNV
    assert "assignee" in exc.value.field_errors
    assert not Task.objects.exists()


def test_it_refuses_an_assignee_who_joined_the_lead_unit_after_the_assigned_date(world):
    from thenchot.people.models import Assignment

    an = world.staff["an"]
    Assignment.objects.filter(staff=an).update(valid_from=timezone.localdate() - 5 * DAY)
    with pytest.raises(DomainError):
        sample_task(world)  # assigned 20 days ago
    assert not Task.objects.exists()


def test_it_names_every_problem_at_once(world):
    today = timezone.localdate()
    doc = DocumentFactory(issued_on=today)
    with pytest.raises(DomainError) as exc:
        sample_task(
            world,
            document=doc,
            deadline=today - 30 * DAY,
            assignee=world.staff["minh"],
            coordinating_units=[world.snv],
        )
    assert set(exc.value.field_errors) == {
        "deadline",
        "assignee",
        "assigned_on",
        "coordinating_units",
    }


def test_it_refuses_a_lead_unit_that_had_ended(world):
    """rules.md: org-history.successor."""
    from thenchot.org.testing import UnitFactory

    old = UnitFactory(
        code="Q-CU", name="Quận cũ", kind="district", valid_to=timezone.localdate() - 60 * DAY
    )
    with pytest.raises(DomainError) as exc:
        sample_task(world, lead_unit=old, assignee=None)
    assert "lead_unit" in exc.value.field_errors


@pytest.mark.parametrize("username", ["lan", "an", "binh", "hoa"])
def test_it_refuses_people_who_cannot_assign_for_the_unit(world, username):
    with pytest.raises(OutOfScope):
        sample_task(world, by=world.user(username))  # on behalf of STC
    assert not Task.objects.exists()


def test_it_refuses_an_anonymous_caller(world):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(OutOfScope):
        sample_task(world, by=AnonymousUser())


def test_it_lets_city_leadership_assign_from_the_city(world):
    task = sample_task(world, by=world.user("hung"), assigner_unit=world.city)
    assert task.assigner_unit == world.city


def test_it_refuses_a_code_already_used(world):
    sample_task(world, code="KL-01/NV-1")
    with pytest.raises(DomainError) as exc:
        sample_task(world, code="KL-01/NV-1")
    assert "code" in exc.value.field_errors
    assert Task.objects.count() == 1


def test_it_lets_a_division_manager_assign_inside_her_division(world):
    today = timezone.localdate()
    task = task_create(
        by=world.user("hoa"),
        title="Cập nhật hồ sơ công chức",
        lead_unit=world.snv_tc,
        assigner_unit=world.snv_tc,
        assigned_on=today,
        deadline=today + 5 * DAY,
        assignee=world.staff["an"],
    )
    assert task.assignee == world.staff["an"]
    assert task.search_text.startswith(task.code.lower())
    assert "cap nhat ho so cong chuc" in task.search_text
