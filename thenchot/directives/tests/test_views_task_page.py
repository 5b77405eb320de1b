"""The task page ("3 rõ"): process and progress, responsibility, and the checking, urging and
handling record (reminders and escalations included), with delegation and comments."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.directives.models import Task, TaskComment
from thenchot.directives.services import progress_report, task_comment
from thenchot.directives.testing import sample_task
from thenchot.notifications.models import Notification

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # uploads never land in the checkout


def test_it_shows_who_is_responsible(client_for, world):
    task = sample_task(world, coordinating_units=[world.ward])
    page = client_for("hung").get(f"/directives/tasks/{task.code}/")
    ctx = page.context
    assert [u.code for u in ctx["coordinating"]] == ["P-BADINH"]
    assert ctx["parties"].assignee == world.staff["an"]
    assert [s.full_name for s in ctx["parties"].assigner_heads] == ["Lê Quang Minh"]
    content = page.content.decode()
    assert "Phường Ba Đình" in content and "Nguyễn Văn An" in content
    assert "Sở Tài chính (STC)" in content


def test_it_shows_reminders_and_escalations_in_the_timeline(client_for, world):
    task = sample_task(world)
    Notification.objects.create(
        recipient=world.user("an"),
        kind="reminder_before",
        title=f"{task.code} — {task.title}",
        model_label="directives.task",
        object_id=task.pk,
        due_on=task.deadline,
        offset_days=-7,
    )
    Notification.objects.create(
        recipient=world.user("minh"),
        kind="escalation",
        title=f"{task.code} — {task.title}",
        model_label="directives.task",
        object_id=task.pk,
        due_on=task.deadline,
    )
    Notification.objects.create(  # another record's reminder is not this task's
        recipient=world.user("an"),
        kind="overdue",
        title="Khác",
        model_label="directives.task",
        object_id=task.pk + 1000,
        due_on=task.deadline,
    )
    timeline = client_for("lan").get(f"/directives/tasks/{task.code}/").context["timeline"]
    kinds = [row["kind"] for row in timeline]
    assert "reminder_before" in kinds and "escalation" in kinds and "overdue" not in kinds
    escalation = next(r for r in timeline if r["kind"] == "escalation")
    assert escalation["recipient"] == "Lê Quang Minh"


def test_it_shows_the_progress_history_newest_first(client_for, world):
    task = sample_task(world)
    today = timezone.localdate()
    progress_report(by=world.user("lan"), task=task, percent=20, reported_on=today - 5 * DAY)
    progress_report(by=world.user("an"), task=task, percent=55, note="Đã xong dự thảo")
    page = client_for("minh").get(f"/directives/tasks/{task.code}/")
    assert [r.percent for r in page.context["reports"]] == [55, 20]
    assert page.context["task"].progress == 55
    assert b'aria-valuenow="55"' in page.content


def test_it_adds_a_comment_from_any_reader(client_for, world):
    task = sample_task(world)
    response = client_for("binh").post(
        f"/directives/tasks/{task.code}/comment/", {"comment-text": "Đề nghị báo cáo trước 15/12"}
    )
    assert response.status_code == 302
    comment = TaskComment.objects.get()
    assert comment.author == world.user("binh")
    timeline = client_for("lan").get(f"/directives/tasks/{task.code}/").context["timeline"]
    assert any(r["kind"] == "comment" and r["actor"] == "Đỗ Thanh Bình" for r in timeline)


def test_it_refuses_an_empty_comment(client_for, world):
    task = sample_task(world)
    response = client_for("lan").post(
        f"/directives/tasks/{task.code}/comment/", {"comment-text": " "}
    )
    assert response.status_code == 400
    assert "text" in response.context["comment_form"].errors
    assert not TaskComment.objects.exists()


def test_it_lets_a_head_of_the_lead_unit_delegate_a_sub_task(client_for, world):
    task = sample_task(world)
    lan = client_for("lan")
    form = lan.get(f"/directives/tasks/{task.code}/").context["subtask_form"]
    choices = [label for _v, label in form.fields["lead_unit"].choices]
    assert "Phòng Tổ chức (SNV-TC)" in choices and "Sở Tài chính (STC)" not in choices
    response = lan.post(
        f"/directives/tasks/{task.code}/subtask/",
        {
            "sub-title": "Tổng hợp số liệu biên chế",
            "sub-lead_unit": world.snv_tc.pk,
            "sub-assignee": world.staff["an"].code,
            "sub-deadline": (task.deadline - DAY).isoformat(),
            "sub-weight": "1",
        },
    )
    assert response.status_code == 302
    sub = Task.objects.get(parent=task)
    assert sub.lead_unit == world.snv_tc and sub.assignee == world.staff["an"]
    page = client_for("minh").get(f"/directives/tasks/{task.code}/")
    assert [s.code for s in page.context["subtasks"]] == [sub.code]


def test_it_refuses_a_sub_task_due_after_its_parent(client_for, world):
    task = sample_task(world)
    response = client_for("lan").post(
        f"/directives/tasks/{task.code}/subtask/",
        {
            "sub-title": "Quá hạn cha",
            "sub-lead_unit": world.snv_tc.pk,
            "sub-deadline": (task.deadline + DAY).isoformat(),
            "sub-weight": "1",
        },
    )
    assert response.status_code == 400
    assert "deadline" in response.context["subtask_form"].errors
    assert not Task.objects.filter(parent=task).exists()


def test_it_lets_the_assigner_grade_a_completed_task(client_for, world):
    task = sample_task(world)
    lan = client_for("lan")
    lan.post(
        f"/directives/tasks/{task.code}/complete/",
        {
            "complete-completed_on": timezone.localdate().isoformat(),
            "complete-product": "Báo cáo",
            "complete-version": str(task.version),
        },
    )
    task.refresh_from_db()
    assert "assess_form" not in lan.get(f"/directives/tasks/{task.code}/").context
    response = client_for("minh").post(
        f"/directives/tasks/{task.code}/assess/",
        {"assess-quality": "exceeds", "assess-major_errors": "0", "assess-version": task.version},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.quality == "exceeds"
    assert (
        lan.post(
            f"/directives/tasks/{task.code}/assess/",
            {"assess-quality": "below", "assess-major_errors": "2", "assess-version": task.version},
        ).status_code
        == 403
    )
    task.refresh_from_db()
    assert task.quality == "exceeds"


def test_it_suggests_assignees_among_readable_staff_of_the_lead_unit(client_for, world):
    lan = client_for("lan").get("/directives/tasks/assignees/", {"lead_unit": "SNV-TC"})
    assert b'value="P005"' in lan.content and b'value="P004"' in lan.content
    assert b'value="P003"' not in lan.content
    minh = client_for("minh").get("/directives/tasks/assignees/", {"lead_unit": "SNV"})
    assert b"<option" not in minh.content  # SNV's staff are outside Minh's scope


def test_it_records_a_comment_once_and_shows_the_history_link(client_for, world):
    task = sample_task(world)
    task_comment(by=world.user("minh"), task=task, text="Nhắc tiến độ")
    page = client_for("lan").get(f"/directives/tasks/{task.code}/")
    assert f"/audit/directives.task/{task.pk}/".encode() in page.content


def test_it_stores_a_progress_attachment_sent_through_the_form(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    task = sample_task(world)
    response = client_for("an").post(
        f"/directives/tasks/{task.code}/progress/",
        {
            "progress-percent": "70",
            "progress-reported_on": timezone.localdate().isoformat(),
            "progress-note": "Kèm dự thảo",
            "progress-attachment": SimpleUploadedFile(
                "du-thao.pdf", b"%PDF-1.4\n", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    report = task.progress_reports.get()
    assert report.attachment and report.reported_by == world.user("an")
    page = client_for("minh").get(f"/directives/tasks/{task.code}/")
    assert f"/directives/tasks/{task.code}/progress/{report.pk}/file/".encode() in page.content
