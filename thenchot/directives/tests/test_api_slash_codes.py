"""Codes holding "/" in API detail URLs: official numbers such as "12/KL-UBND" serve as document
and task codes in imports, so `/api/v1/documents/12/KL-UBND/` must find that document, and the
actions under a detail URL (`.../attachments/`, `.../comments/`) must still be reached."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from thenchot.directives.models import DocumentAttachment, TaskComment
from thenchot.directives.testing import DocumentFactory, TaskFactory, sample_task

pytestmark = pytest.mark.django_db
DOCS = "/api/v1/documents/"
TASKS = "/api/v1/tasks/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def payload(code: str) -> dict[str, str]:
    return {
        "code": code,
        "kind": "conclusion",
        "number": code,
        "issued_on": "2025-01-06",
        "issuer": "HN",
        "title": "Kết luận của Chủ tịch UBND Thành phố",
    }


def test_it_reads_a_document_whose_code_holds_a_slash(world, api_for):
    created = api_for("hung").post(DOCS, payload("12/KL-UBND"), format="json")
    assert created.status_code == 201, created.content
    url = reverse("document-detail", kwargs={"code": "12/KL-UBND"})
    assert url == f"{DOCS}12/KL-UBND/"
    response = api_for("an").get(url)
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "12/KL-UBND"


def test_it_tells_a_code_from_the_same_code_with_a_suffix(world, api_for):
    DocumentFactory(code="12", title="Văn bản số 12")
    DocumentFactory(code="12/KL-UBND", title="Kết luận số 12")
    api = api_for("an")
    assert api.get(f"{DOCS}12/").json()["title"] == "Văn bản số 12"
    assert api.get(f"{DOCS}12/KL-UBND/").json()["title"] == "Kết luận số 12"


def test_it_reads_a_code_with_a_percent_encoded_hash(world, api_for):
    DocumentFactory(code="KL#3", title="Kết luận số 3")
    response = api_for("an").get(f"{DOCS}KL%233/")
    assert response.status_code == 200, response.content
    assert response.json()["code"] == "KL#3"


def test_it_answers_404_for_an_unknown_code_with_a_slash(world, api_for):
    DocumentFactory(code="12/KL-UBND")
    response = api_for("an").get(f"{DOCS}99/KL-UBND/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_it_reaches_the_attachments_of_a_document_whose_code_holds_slashes(world, api_for, media):
    api_for("hung").post(DOCS, payload("12/KL-UBND/2025"), format="json")
    url = f"{DOCS}12/KL-UBND/2025/attachments/"
    uploaded = api_for("hung").post(
        url, {"file": SimpleUploadedFile("kl.pdf", b"%PDF-1.5 ...")}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.content
    assert DocumentAttachment.objects.get().document.code == "12/KL-UBND/2025"
    assert [a["name"] for a in api_for("an").get(url).json()] == ["kl.pdf"]
    # The detail URL is still the document, not an action.
    assert api_for("an").get(f"{DOCS}12/KL-UBND/2025/").json()["code"] == "12/KL-UBND/2025"


def test_it_refuses_an_attachment_from_outside_the_issuer_on_a_slash_code(world, api_for, media):
    api_for("hung").post(DOCS, payload("12/KL-UBND"), format="json")
    refused = api_for("an").post(
        f"{DOCS}12/KL-UBND/attachments/",
        {"file": SimpleUploadedFile("kl.pdf", b"%PDF-1.5 ...")},
        format="multipart",
    )
    assert refused.status_code == 403
    assert not DocumentAttachment.objects.exists()


def test_it_reads_a_task_and_its_comments_by_a_code_with_slashes(world, api_for):
    task = sample_task(world, code="12/KL-UBND/NV01")
    api = api_for("lan")
    detail = api.get(f"{TASKS}12/KL-UBND/NV01/")
    assert detail.status_code == 200, detail.content
    assert detail.json()["code"] == "12/KL-UBND/NV01"
    posted = api.post(f"{TASKS}12/KL-UBND/NV01/comments/", {"text": "Đã nhận"}, format="json")
    assert posted.status_code == 201, posted.content
    assert list(TaskComment.objects.values_list("task_id", "text")) == [(task.pk, "Đã nhận")]
    assert [c["text"] for c in api.get(f"{TASKS}12/KL-UBND/NV01/comments/").json()] == ["Đã nhận"]


def test_it_hides_an_out_of_scope_task_with_slashes_with_404(world, api_for):
    TaskFactory(code="5/TB-UBND/1", lead_unit=world.ward, assigner_unit=world.city)
    assert api_for("minh").get(f"{TASKS}5/TB-UBND/1/").status_code == 404
    refused = api_for("lan").post(f"{TASKS}5/TB-UBND/1/comments/", {"text": "x"}, format="json")
    assert refused.status_code == 404
    assert not TaskComment.objects.exists()
