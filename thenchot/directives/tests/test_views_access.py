"""Who reaches which page: anonymous visitors go to the login page; a reader outside the task's
units gets a 404 (the page reveals nothing), an empty list, or a 403 on actions, and nothing
changes; the right people get the page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from thenchot.directives.models import ExtensionRequest, ProgressReport, Task, TaskComment
from thenchot.directives.services import document_attach, progress_report
from thenchot.directives.testing import DocumentFactory, TaskFactory, sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # uploads never land in the checkout


@pytest.fixture
def task(world):  # type: ignore[no-untyped-def]
    return sample_task(world)


def _get_pages(task):  # type: ignore[no-untyped-def]
    return [
        "/directives/",
        "/directives/unit/",
        "/directives/assigned/",
        "/directives/statistics/",
        "/directives/documents/",
        "/directives/documents/new/",
        "/directives/tasks/new/",
        "/directives/tasks/assignees/?lead_unit=SNV",
        f"/directives/tasks/{task.code}/",
        "/directives/?format=xlsx",
    ]


def test_it_sends_anonymous_visitors_to_login_from_every_page(world, task):
    client = Client()
    for url in _get_pages(task):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/login/?next=/directives/"), url


def test_it_sends_anonymous_posts_to_login_and_changes_nothing(world, task):
    client = Client()
    for action in ("progress", "extension", "complete", "comment", "subtask", "assess"):
        response = client.post(f"/directives/tasks/{task.code}/{action}/", {})
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")
    assert not ProgressReport.objects.exists() and not TaskComment.objects.exists()


def test_it_answers_404_for_a_task_outside_the_readers_units(client_for, world, task):
    # Hoa manages SNV-TC; the task is led by SNV itself, assigned by STC.
    hoa = client_for("hoa")
    assert hoa.get(f"/directives/tasks/{task.code}/").status_code == 404
    assert hoa.get("/directives/tasks/NO-SUCH/").status_code == 404
    response = hoa.post(
        f"/directives/tasks/{task.code}/comment/", {"comment-text": "Đề nghị khẩn trương"}
    )
    assert response.status_code == 404
    assert not TaskComment.objects.exists()


def test_it_lists_nothing_of_the_task_for_a_sibling(client_for, world, task):
    hoa = client_for("hoa")
    for url in ("/directives/", "/directives/unit/", "/directives/assigned/"):
        response = hoa.get(url)
        assert response.status_code == 200
        assert task.code not in [t.code for t in response.context["page"]], url


def test_it_shows_the_task_to_each_party(client_for, world, task):
    for persona in ("minh", "lan", "an", "hung", "binh"):
        response = client_for(persona).get(f"/directives/tasks/{task.code}/")
        assert response.status_code == 200, persona
        assert response.context["task"] == task


def test_it_shows_action_forms_only_to_those_allowed(client_for, world, task):
    lan = client_for("lan").get(f"/directives/tasks/{task.code}/").context
    for key in ("progress_form", "extension_form", "complete_form", "subtask_form"):
        assert key in lan
    assert "quality" not in lan["complete_form"].fields
    minh = client_for("minh").get(f"/directives/tasks/{task.code}/").context
    assert "progress_form" not in minh and "extension_form" not in minh
    assert "subtask_form" not in minh
    assert "quality" in minh["complete_form"].fields
    binh = client_for("binh").get(f"/directives/tasks/{task.code}/").context
    for key in ("progress_form", "extension_form", "complete_form", "subtask_form"):
        assert key not in binh
    assert "comment_form" in binh  # a reader may leave a checking note


def test_it_refuses_actions_to_a_reader_on_neither_side(client_for, world, task):
    binh = client_for("binh")  # inspector over STC: reads the task, acts on neither side
    today = timezone.localdate().isoformat()
    base = f"/directives/tasks/{task.code}"
    assert (
        binh.post(
            f"{base}/progress/", {"progress-percent": "50", "progress-reported_on": today}
        ).status_code
        == 403
    )
    assert (
        binh.post(
            f"{base}/extension/",
            {
                "extension-new_deadline": (task.deadline + 5 * DAY).isoformat(),
                "extension-reason": "x",
            },
        ).status_code
        == 403
    )
    assert (
        binh.post(
            f"{base}/complete/",
            {
                "complete-completed_on": today,
                "complete-product": "x",
                "complete-version": str(task.version),
            },
        ).status_code
        == 403
    )
    assert binh.post(f"{base}/subtask/", {}).status_code == 403
    task.refresh_from_db()
    assert task.progress == 0 and task.completed_on is None
    assert not ExtensionRequest.objects.exists() and not ProgressReport.objects.exists()


def test_it_lets_no_one_without_a_managed_unit_create(client_for, world):
    for persona in ("an", "binh"):
        assert client_for(persona).get("/directives/tasks/new/").status_code == 403
        assert client_for(persona).get("/directives/documents/new/").status_code == 403
    assert Task.objects.count() == 0


def test_it_serves_a_document_file_only_to_signed_in_users(client_for, world):
    doc = DocumentFactory(code="KL-01")
    attachment = document_attach(
        by=world.user("hung"),
        document=doc,
        file=SimpleUploadedFile("ket-luan.pdf", PDF, content_type="application/pdf"),
    )
    url = f"/directives/documents/{doc.code}/files/{attachment.pk}/"
    assert Client().get(url).status_code == 302
    response = client_for("an").get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    assert (
        client_for("an").get(f"/directives/documents/{doc.code}/files/999999/").status_code == 404
    )


def test_it_serves_a_progress_file_only_to_readers_of_the_task(client_for, world, task):
    report = progress_report(
        by=world.user("lan"),
        task=task,
        percent=30,
        attachment=SimpleUploadedFile("tien-do.pdf", PDF, content_type="application/pdf"),
    )
    url = f"/directives/tasks/{task.code}/progress/{report.pk}/file/"
    assert client_for("hoa").get(url).status_code == 404
    response = client_for("minh").get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    other = TaskFactory(lead_unit=world.snv)
    assert (
        client_for("minh")
        .get(f"/directives/tasks/{other.code}/progress/{report.pk}/file/")
        .status_code
        == 404
    )
