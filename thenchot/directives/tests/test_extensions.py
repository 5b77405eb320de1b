"""Extension requests and their decision: who may, which dates, and concurrent deciders."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.accounts.models import RoleGrant
from thenchot.accounts.testing import UserFactory
from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.selectors import task_queryset
from thenchot.directives.services import extension_decide, extension_request
from thenchot.directives.status import delay_count, extension_facts
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def task(world):
    return sample_task(world, assigned_on=today() - 40 * DAY, deadline=today() - 10 * DAY)


@pytest.fixture
def request_(world, task):
    return extension_request(
        by=world.user("lan"),
        task=task,
        new_deadline=today() + 20 * DAY,
        reason="Chờ số liệu của các quận, huyện",
        requested_on=today() - 5 * DAY,  # after the deadline had passed
    )


def status_today(world, task):
    from thenchot.accounts.scoping import compute_scope

    return task_queryset(compute_scope(world.user("hung")), today()).get(pk=task.pk)


def test_it_records_a_request_with_the_deadline_in_force(world, task, request_):
    assert request_.previous_deadline == task.deadline
    assert request_.status == "pending"
    assert status_today(world, task).status == "overdue"  # pending changes nothing
    assert AuditEntry.objects.filter(model_label="directives.extensionrequest").count() == 1


def test_it_moves_the_effective_deadline_when_the_assigner_approves(world, task, request_):
    extension_decide(
        request=request_,
        approve=True,
        comment="Đồng ý",
        by=world.user("minh"),
        expected_version=request_.version,
    )
    row = status_today(world, task)
    assert row.effective_deadline == today() + 20 * DAY
    assert row.status == "in_progress"
    entry = AuditEntry.objects.filter(model_label="directives.extensionrequest").latest("id")
    assert entry.action == "update" and "status" in entry.changed_fields


def test_it_refuses_an_extension_to_an_earlier_date(world, task):
    with pytest.raises(DomainError) as exc:
        extension_request(
            by=world.user("lan"), task=task, new_deadline=task.deadline - DAY, reason="x"
        )
    assert "new_deadline" in exc.value.field_errors
    with pytest.raises(DomainError):
        extension_request(by=world.user("lan"), task=task, new_deadline=task.deadline, reason="x")
    assert not ExtensionRequest.objects.exists()


def test_it_compares_with_the_extended_deadline_not_the_original(world, task, request_):
    extension_decide(
        request=request_, approve=True, comment="", by=world.user("minh"), expected_version=1
    )
    with pytest.raises(DomainError):
        extension_request(
            by=world.user("lan"), task=task, new_deadline=today() + 15 * DAY, reason="Thêm"
        )
    assert ExtensionRequest.objects.count() == 1


def test_it_allows_one_pending_request_at_a_time(world, task, request_):
    with pytest.raises(DomainError):
        extension_request(
            by=world.user("lan"), task=task, new_deadline=today() + 40 * DAY, reason="Thêm"
        )
    assert ExtensionRequest.objects.count() == 1


def test_it_keeps_the_delay_of_a_request_made_after_the_deadline(world, task, request_):
    """rules.md: task-status.late-extension, settled.7."""
    extension_decide(
        request=request_, approve=True, comment="", by=world.user("minh"), expected_version=1
    )
    task.refresh_from_db()
    assert request_.requested_on > request_.previous_deadline
    facts = extension_facts(task.extensions.all())
    assert delay_count(deadline=task.deadline, extensions=facts, completed_on=None, on=today()) == 1


@pytest.mark.parametrize("username", ["lan", "hung", "binh", "hoa", "an", "quan"])
def test_it_refuses_a_decision_by_someone_not_on_the_assigning_side(world, request_, username):
    with pytest.raises(OutOfScope):
        extension_decide(
            request=request_,
            approve=True,
            comment="",
            by=world.user(username),
            expected_version=request_.version,
        )
    fresh = ExtensionRequest.objects.get(pk=request_.pk)
    assert (fresh.status, fresh.version, fresh.decided_by) == ("pending", 1, None)
    assert not AuditEntry.objects.filter(
        model_label="directives.extensionrequest", action="update"
    ).exists()


def test_it_tells_the_second_of_two_deciders_that_the_record_changed(world, request_):
    deputy = UserFactory(username="tuan")
    RoleGrant.objects.create(user=deputy, role="unit_head", unit=world.stc)
    first = ExtensionRequest.objects.get(pk=request_.pk)
    second = ExtensionRequest.objects.get(pk=request_.pk)  # both opened version 1
    extension_decide(
        request=first, approve=True, comment="Đồng ý", by=world.user("minh"), expected_version=1
    )
    with pytest.raises(ConcurrentUpdate):
        extension_decide(
            request=second, approve=False, comment="Không", by=deputy, expected_version=1
        )
    fresh = ExtensionRequest.objects.get(pk=request_.pk)
    assert (fresh.status, fresh.decided_by, fresh.version) == ("approved", world.user("minh"), 2)


def test_it_refuses_deciding_twice(world, request_):
    extension_decide(
        request=request_, approve=True, comment="", by=world.user("minh"), expected_version=1
    )
    with pytest.raises(DomainError):
        extension_decide(
            request=request_, approve=False, comment="x", by=world.user("minh"), expected_version=2
        )
    assert ExtensionRequest.objects.get(pk=request_.pk).status == "approved"


def test_it_needs_a_comment_to_reject(world, request_):
    with pytest.raises(DomainError):
        extension_decide(
            request=request_, approve=False, comment=" ", by=world.user("minh"), expected_version=1
        )
    fresh = extension_decide(
        request=request_,
        approve=False,
        comment="Không có lý do khách quan",
        by=world.user("minh"),
        expected_version=1,
    )
    assert fresh.status == "rejected"
    assert ExtensionRequest.objects.get(pk=request_.pk).decision_comment


@pytest.mark.parametrize("username", ["minh", "binh", "hung"])
def test_it_refuses_requests_from_outside_the_lead_side(world, task, username):
    with pytest.raises(OutOfScope):
        extension_request(
            by=world.user(username), task=task, new_deadline=today() + 9 * DAY, reason="x"
        )
    assert not ExtensionRequest.objects.exists()


def test_it_needs_a_reason(world, task):
    with pytest.raises(DomainError) as exc:
        extension_request(by=world.user("lan"), task=task, new_deadline=today(), reason="")
    assert "reason" in exc.value.field_errors


def test_it_lets_city_leadership_decide_for_tasks_the_city_assigned(world):
    task = sample_task(world, by=world.user("hung"), assigner_unit=world.city)
    req = extension_request(
        by=world.user("lan"), task=task, new_deadline=today() + 30 * DAY, reason="Khối lượng lớn"
    )
    extension_decide(
        request=req, approve=True, comment="", by=world.user("hung"), expected_version=1
    )
    assert Task.objects.get(pk=task.pk).extensions.get().status == "approved"


def test_nobody_decides_an_extension_they_asked_for(world, task, request_):
    # The person on the assigning side who asked (a head who moved, a deputy): the level above
    # decides.
    ExtensionRequest.objects.filter(pk=request_.pk).update(requested_by=world.user("minh"))
    request_.refresh_from_db()
    with pytest.raises(OutOfScope):
        extension_decide(
            request=request_,
            approve=True,
            comment="",
            by=world.user("minh"),
            expected_version=request_.version,
        )
    request_.refresh_from_db()
    assert request_.status == "pending"


def test_nobody_decides_an_extension_of_a_task_assigned_to_them(world, task, request_):
    Task.objects.filter(pk=task.pk).update(assignee=world.staff["minh"])
    with pytest.raises(OutOfScope):
        extension_decide(
            request=request_,
            approve=False,
            comment="Không",
            by=world.user("minh"),
            expected_version=request_.version,
        )
    request_.refresh_from_db()
    assert request_.status == "pending"
