"""Codes holding "/" on the pages: an official number such as "12/KL-UBND" serves as a document
or task code (imports use them), so the lists must link to such records, their pages must open,
the actions under them must still be reached, and links (page, reminder, notification) must be
built by `reverse()` so they lead to the record and not to a 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import resolve, reverse
from django.utils import timezone

from thenchot.audit.models import AuditEntry
from thenchot.directives.due import task_url
from thenchot.directives.models import DocumentAttachment, ProgressReport, TaskComment
from thenchot.directives.testing import DocumentFactory, TaskFactory, sample_task
from thenchot.notifications.models import Notification

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # uploads never land in the checkout


@pytest.fixture
def document(world):  # type: ignore[no-untyped-def]
    return DocumentFactory(
        code="12/KL-UBND", number="12/KL-UBND", issuer=world.stc, title="Kết luận số 12"
    )


def test_it_builds_page_links_that_keep_the_slash():
    assert (
        reverse("directives:document", args=["12/KL-UBND"]) == "/directives/documents/12/KL-UBND/"
    )
    assert reverse("directives:task", args=["12/KL-UBND/NV01"]) == (
        "/directives/tasks/12/KL-UBND/NV01/"
    )
    assert reverse("directives:task_progress", args=["12/KL-UBND"]) == (
        "/directives/tasks/12/KL-UBND/progress/"
    )
    # What a path must not hold is quoted, so the link still names the record.
    assert task_url("KL#3?x") == "/directives/tasks/KL%233%3Fx/"
    assert resolve("/directives/tasks/12/KL-UBND/comment/").kwargs == {"code": "12/KL-UBND"}


def test_it_lists_a_document_with_a_slash_code_and_links_to_its_page(client_for, document):
    response = client_for("an").get("/directives/documents/")
    assert response.status_code == 200
    assert b'href="/directives/documents/12/KL-UBND/"' in response.content


def test_it_opens_the_page_of_a_document_with_a_slash_code(client_for, world, document):
    TaskFactory(
        code="12/KL-UBND/NV01",
        document=document,
        lead_unit=world.snv,
        assigner_unit=world.stc,
        assigned_on=timezone.localdate() - 5 * DAY,
    )
    page = client_for("lan").get("/directives/documents/12/KL-UBND/")
    assert page.status_code == 200
    assert page.context["document"] == document
    assert b'href="/directives/tasks/12/KL-UBND/NV01/"' in page.content
    assert (
        b'action="/directives/documents/12/KL-UBND/attach/"'
        in client_for("minh").get("/directives/documents/12/KL-UBND/").content
    )


def test_it_tells_a_slash_code_from_its_first_part(client_for, world, document):
    DocumentFactory(code="12", title="Văn bản số 12")
    assert client_for("an").get("/directives/documents/12/").context["document"].code == "12"
    page = client_for("an").get("/directives/documents/12/KL-UBND/")
    assert page.context["document"].code == "12/KL-UBND"
    assert client_for("an").get("/directives/documents/99/KL-UBND/").status_code == 404


def test_it_attaches_a_file_to_a_document_with_a_slash_code(client_for, document):
    response = client_for("minh").post(
        "/directives/documents/12/KL-UBND/attach/",
        {"file": SimpleUploadedFile("kl.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 302
    assert response["Location"] == "/directives/documents/12/KL-UBND/"
    attachment = DocumentAttachment.objects.get()
    assert attachment.document == document
    download = client_for("an").get(f"/directives/documents/12/KL-UBND/files/{attachment.pk}/")
    assert download.status_code == 200


def test_it_refuses_an_attachment_on_a_slash_code_from_outside_the_issuer(client_for, document):
    response = client_for("lan").post(
        "/directives/documents/12/KL-UBND/attach/",
        {"file": SimpleUploadedFile("kl.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 403
    assert not DocumentAttachment.objects.exists()


def test_it_lists_a_task_with_a_slash_code_and_links_to_its_page(client_for, world):
    sample_task(world, code="12/KL-UBND/NV01")
    response = client_for("lan").get("/directives/unit/")
    assert response.status_code == 200
    assert "12/KL-UBND/NV01" in [t.code for t in response.context["page"]]
    assert b'href="/directives/tasks/12/KL-UBND/NV01/"' in response.content


def test_it_opens_the_task_page_of_a_slash_code_with_working_action_links(client_for, world):
    task = sample_task(world, code="12/KL-UBND")
    page = client_for("lan").get("/directives/tasks/12/KL-UBND/")
    assert page.status_code == 200
    assert page.context["task"] == task
    assert b'action="/directives/tasks/12/KL-UBND/progress/"' in page.content
    assert b'action="/directives/tasks/12/KL-UBND/comment/"' in page.content


def test_it_records_progress_on_a_task_with_a_slash_code(client_for, world):
    task = sample_task(world, code="12/KL-UBND")
    audited = AuditEntry.objects.count()
    response = client_for("lan").post(
        "/directives/tasks/12/KL-UBND/progress/",
        {
            "progress-percent": "40",
            "progress-reported_on": timezone.localdate().isoformat(),
            "progress-note": "Đã rà soát 4/10 phòng",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/directives/tasks/12/KL-UBND/"
    assert list(ProgressReport.objects.values_list("task_id", "percent")) == [(task.pk, 40)]
    assert AuditEntry.objects.count() > audited
    file_url = reverse("directives:progress_file", args=["12/KL-UBND", 1])
    assert file_url == "/directives/tasks/12/KL-UBND/progress/1/file/"


def test_it_hides_an_out_of_scope_task_with_a_slash_code_and_changes_nothing(client_for, world):
    sample_task(world, code="12/KL-UBND")
    hoa = client_for("hoa")  # manages SNV-TC; the task is led by SNV itself
    assert hoa.get("/directives/tasks/12/KL-UBND/").status_code == 404
    audited = AuditEntry.objects.count()
    response = hoa.post("/directives/tasks/12/KL-UBND/comment/", {"comment-text": "Khẩn trương"})
    assert response.status_code == 404
    assert not TaskComment.objects.exists()
    assert AuditEntry.objects.count() == audited


def test_it_links_notifications_and_reminders_to_the_task_page(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task = sample_task(world, code="12/KL-UBND/NV01")
    urls = set(Notification.objects.filter(object_id=task.pk).values_list("url", flat=True))
    assert urls == {"/directives/tasks/12/KL-UBND/NV01/"}
    assert task_url(task.code) == "/directives/tasks/12/KL-UBND/NV01/"
    target = resolve(task_url(task.code))
    assert (target.view_name, target.kwargs) == ("directives:task", {"code": task.code})
