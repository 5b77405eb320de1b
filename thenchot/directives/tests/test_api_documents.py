"""`/api/v1/documents/`: reading, recording and attaching files."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from thenchot.directives.models import SourceDocument

pytestmark = pytest.mark.django_db
DOCS = "/api/v1/documents/"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def payload(**kw):
    data = {
        "code": "KL-1-2025",
        "kind": "conclusion",
        "number": "1/KL-UBND",
        "issued_on": "2025-01-06",
        "issuer": "HN",
        "title": "Kết luận của Chủ tịch UBND Thành phố",
    }
    data.update(kw)
    return data


def test_it_lets_city_leadership_record_a_conclusion_and_everyone_read_it(api_for):
    created = api_for("hung").post(DOCS, payload(), format="json")
    assert created.status_code == 201, created.content
    listed = api_for("an").get(DOCS).json()["results"]
    assert [d["code"] for d in listed] == ["KL-1-2025"]
    assert APIClient().get(DOCS).status_code == 401


def test_it_refuses_a_document_for_another_unit_with_403(api_for):
    response = api_for("lan").post(DOCS, payload(issuer="STC"), format="json")
    assert response.status_code == 403
    assert not SourceDocument.objects.exists()


def test_it_refuses_an_unknown_issuer_with_400(api_for):
    response = api_for("hung").post(DOCS, payload(issuer="NOPE"), format="json")
    assert response.status_code == 400
    assert "NOPE" in response.json()["error"]["fields"]["issuer"][0]


def test_it_uploads_a_checked_attachment(api_for, media):
    api_for("hung").post(DOCS, payload(), format="json")
    url = f"{DOCS}KL-1-2025/attachments/"
    ok = api_for("hung").post(
        url, {"file": SimpleUploadedFile("kl.pdf", b"%PDF-1.5 ...")}, format="multipart"
    )
    assert ok.status_code == 201, ok.content
    bad = api_for("hung").post(
        url, {"file": SimpleUploadedFile("kl.pdf", b"GIF89a")}, format="multipart"
    )
    assert bad.status_code == 400
    assert "file" in bad.json()["error"]["fields"]
    assert [a["name"] for a in api_for("an").get(url).json()] == ["kl.pdf"]
