"""Bad input through the forms: each gets a clear error next to its field (or a refusal) and
changes nothing; the second of two concurrent deciders is told the record changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.utils import timezone, translation

from thenchot.audit.models import AuditEntry
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.services import extension_request
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _create_data(world, **overrides):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    data = {
        "title": "Báo cáo tình hình tinh giản biên chế",
        "assigner_unit": world.stc.pk,
        "lead_unit": "SNV",
        "assigned_on": today.isoformat(),
        "deadline": (today + 30 * DAY).isoformat(),
        "priority": "normal",
        "weight": "1",
    }
    data.update(overrides)
    return data


def test_it_refuses_a_deadline_before_the_assigned_date_next_to_the_field(client_for, world):
    today = timezone.localdate()
    data = _create_data(world, deadline=(today - DAY).isoformat())
    response = client_for("minh", lang="en").post("/directives/tasks/new/", data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["deadline"] == ["The deadline cannot be before the assigned date."]
    assert b'id="id_deadline-errors"' in response.content
    assert Task.objects.count() == 0
    assert AuditEntry.objects.count() == 0


def test_it_refuses_an_assignee_outside_the_lead_unit(client_for, world):
    data = _create_data(world, assignee=world.staff["minh"].code)
    response = client_for("minh").post("/directives/tasks/new/", data)
    assert response.status_code == 400
    assert "assignee" in response.context["form"].errors
    assert Task.objects.count() == 0


def test_it_refuses_unknown_unit_codes_in_the_form(client_for, world):
    data = _create_data(world, lead_unit="NO-SUCH", coordinating_units="STC-NS X-1")
    response = client_for("minh").post("/directives/tasks/new/", data)
    errors = response.context["form"].errors
    assert response.status_code == 400
    assert "lead_unit" in errors and "coordinating_units" in errors
    assert Task.objects.count() == 0


def test_it_does_not_let_minh_assign_on_behalf_of_snv(client_for, world):
    data = _create_data(world, assigner_unit=world.snv.pk, lead_unit="STC-NS")
    response = client_for("minh").post("/directives/tasks/new/", data)
    assert response.status_code == 400
    assert "assigner_unit" in response.context["form"].errors  # not one of his choices
    assert Task.objects.count() == 0


def test_it_refuses_an_extension_to_an_earlier_date(client_for, world):
    task = sample_task(world)
    response = client_for("lan", lang="en").post(
        f"/directives/tasks/{task.code}/extension/",
        {
            "extension-new_deadline": (task.deadline - DAY).isoformat(),
            "extension-reason": "Cần thêm thời gian",
        },
    )
    assert response.status_code == 400
    errors = response.context["extension_form"].errors["new_deadline"]
    assert errors[0].startswith("The new deadline must be later than the deadline in force")
    assert b'id="id_extension-new_deadline-errors"' in response.content
    assert not ExtensionRequest.objects.exists()


def test_it_refuses_an_approval_by_someone_who_is_not_the_assigner(client_for, world):
    task = sample_task(world)
    request = extension_request(
        by=world.user("lan"), task=task, new_deadline=task.deadline + 7 * DAY, reason="Lý do"
    )
    url = f"/directives/tasks/{task.code}/extensions/{request.pk}/decide/"
    data = {"decide-decision": "approve", "decide-comment": "", "decide-version": "1"}
    # Lan is on the lead side: she sees the task but may not decide her own request.
    page = client_for("lan").get(f"/directives/tasks/{task.code}/")
    assert "decide_form" not in page.context
    assert client_for("lan").post(url, data).status_code == 403
    # Hoa cannot even see the task: the same answer as for a missing one.
    assert client_for("hoa").post(url, data).status_code == 404
    request.refresh_from_db()
    assert request.status == "pending" and request.version == 1


def test_it_tells_the_second_of_two_deciders_that_the_record_changed(client_for, world):
    task = sample_task(world)
    request = extension_request(
        by=world.user("lan"), task=task, new_deadline=task.deadline + 7 * DAY, reason="Lý do"
    )
    url = f"/directives/tasks/{task.code}/extensions/{request.pk}/decide/"
    first, second = client_for("minh"), client_for("minh")
    assert (
        first.post(
            url, {"decide-decision": "approve", "decide-comment": "", "decide-version": "1"}
        ).status_code
        == 302
    )
    response = second.post(
        url, {"decide-decision": "reject", "decide-comment": "Không đồng ý", "decide-version": "1"}
    )
    assert response.status_code == 302
    with translation.override("vi"):
        expected = str(ConcurrentUpdate().message)
    assert [str(m) for m in get_messages(response.wsgi_request)] == [expected]
    request.refresh_from_db()
    assert request.status == "approved" and request.decision_comment == ""


def test_it_refuses_a_rejection_without_a_comment(client_for, world):
    task = sample_task(world)
    request = extension_request(
        by=world.user("lan"), task=task, new_deadline=task.deadline + 7 * DAY, reason="Lý do"
    )
    response = client_for("minh").post(
        f"/directives/tasks/{task.code}/extensions/{request.pk}/decide/",
        {"decide-decision": "reject", "decide-comment": "", "decide-version": "1"},
    )
    assert response.status_code == 400
    assert "comment" in response.context["decide_form"].errors
    request.refresh_from_db()
    assert request.status == "pending"


def test_it_refuses_completing_a_task_twice(client_for, world):
    task = sample_task(world)
    today = timezone.localdate()
    url = f"/directives/tasks/{task.code}/complete/"
    minh = client_for("minh", lang="en")
    data = {
        "complete-completed_on": today.isoformat(),
        "complete-product": "Báo cáo số 12/BC-SNV",
        "complete-quality": "meets",
        "complete-major_errors": "0",
        "complete-version": str(task.version),
    }
    assert minh.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.completed_on == today and task.quality == "meets"
    page = minh.get(f"/directives/tasks/{task.code}/")
    assert "complete_form" not in page.context and "assess_form" in page.context

    again = dict(data, **{"complete-version": str(task.version), "complete-product": "Lần 2"})
    response = minh.post(url, again)
    assert response.status_code == 400
    assert response.context["complete_form"].non_field_errors() == [
        "This task is already completed."
    ]
    task.refresh_from_db()
    assert task.product == "Báo cáo số 12/BC-SNV"


def test_it_keeps_quality_marks_for_the_assigning_side(client_for, world):
    task = sample_task(world)
    lan = client_for("lan")
    page = lan.get(f"/directives/tasks/{task.code}/")
    assert "quality" not in page.context["complete_form"].fields
    response = lan.post(
        f"/directives/tasks/{task.code}/complete/",
        {
            "complete-completed_on": timezone.localdate().isoformat(),
            "complete-product": "Báo cáo",
            "complete-quality": "exceeds",
            "complete-version": str(task.version),
        },
    )
    assert response.status_code == 302  # completed; the quality field was not hers to send
    task.refresh_from_db()
    assert task.completed_on is not None and task.quality is None


def test_it_refuses_a_progress_report_above_100_percent(client_for, world):
    task = sample_task(world)
    response = client_for("lan").post(
        f"/directives/tasks/{task.code}/progress/",
        {"progress-percent": "120", "progress-reported_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 400
    assert "percent" in response.context["progress_form"].errors
    assert not task.progress_reports.exists()
