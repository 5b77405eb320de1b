"""Source documents: the filtered list, recording one, attaching a checked file, the detail
with its tasks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thenchot.directives.models import DocumentAttachment, SourceDocument
from thenchot.directives.testing import DocumentFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
PDF = b"%PDF-1.4\n% test\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path  # uploads never land in the checkout


def _codes(response):  # type: ignore[no-untyped-def]
    return [d.code for d in response.context["page"].object_list]


@pytest.fixture
def docs(world):  # type: ignore[no-untyped-def]
    return [
        DocumentFactory(
            code="KL-1",
            kind="conclusion",
            number="1/KL-UBND",
            issued_on=dt.date(2026, 1, 10),
            title="Kết luận về công tác cán bộ",
        ),
        DocumentFactory(
            code="CT-2",
            kind="directive",
            number="2/CT-STC",
            issued_on=dt.date(2026, 3, 5),
            issuer=world.stc,
            title="Chỉ thị tăng cường kỷ luật tài chính",
        ),
    ]


def test_it_lists_documents_to_every_signed_in_user(client_for, world, docs):
    assert sorted(_codes(client_for("an").get("/directives/documents/"))) == ["CT-2", "KL-1"]


def test_it_filters_documents(client_for, world, docs):
    client = client_for("lan")
    assert _codes(client.get("/directives/documents/", {"kind": "directive"})) == ["CT-2"]
    assert _codes(client.get("/directives/documents/", {"issuer": "STC"})) == ["CT-2"]
    assert sorted(_codes(client.get("/directives/documents/", {"issuer": "HN"}))) == [
        "CT-2",
        "KL-1",
    ]  # the city's subtree
    between = client.get(
        "/directives/documents/", {"issued_from": "2026-01-01", "issued_to": "2026-01-31"}
    )
    assert _codes(between) == ["KL-1"]
    assert _codes(client.get("/directives/documents/", {"q": "ky luat tai chinh"})) == ["CT-2"]
    assert _codes(client.get("/directives/documents/", {"q": "1/KL"})) == ["KL-1"]
    unknown = client.get("/directives/documents/", {"issuer": "NOPE"})
    assert unknown.status_code == 400 and _codes(unknown) == []


def test_it_records_a_document_issued_by_a_unit_minh_manages(client_for, world):
    response = client_for("minh").post(
        "/directives/documents/new/",
        {
            "code": "TB-9",
            "kind": "notice",
            "number": "9/TB-STC",
            "issued_on": "2026-02-01",
            "issuer": "STC",
            "signer": "Lê Quang Minh",
            "title": "Thông báo kết luận giao ban",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/directives/documents/TB-9/"
    assert SourceDocument.objects.get(code="TB-9").issuer == world.stc


def test_it_refuses_a_document_of_a_unit_minh_does_not_manage(client_for, world):
    response = client_for("minh").post(
        "/directives/documents/new/",
        {
            "code": "TB-10",
            "kind": "notice",
            "issued_on": "2026-02-01",
            "issuer": "SNV",
            "title": "Thông báo",
        },
    )
    assert response.status_code == 400
    assert "issuer" in response.context["form"].errors
    assert not SourceDocument.objects.filter(code="TB-10").exists()


def test_it_attaches_a_checked_file_and_refuses_a_disguised_one(client_for, world, docs):
    doc = docs[1]  # issued by STC
    minh = client_for("minh")
    ok = minh.post(
        f"/directives/documents/{doc.code}/attach/",
        {"file": SimpleUploadedFile("chi-thi.pdf", PDF, content_type="application/pdf")},
    )
    assert ok.status_code == 302
    fake = minh.post(
        f"/directives/documents/{doc.code}/attach/",
        {"file": SimpleUploadedFile("virus.pdf", b"MZ\x90\x00", content_type="application/pdf")},
    )
    assert fake.status_code == 400
    assert "file" in fake.context["attach_form"].errors
    assert list(DocumentAttachment.objects.values_list("name", flat=True)) == ["chi-thi.pdf"]
    page = client_for("an").get(f"/directives/documents/{doc.code}/")
    assert page.context["attach_form"] is None  # An reads, does not attach
    assert [a.name for a in page.context["attachments"]] == ["chi-thi.pdf"]


def test_it_refuses_an_attachment_from_outside_the_issuer(client_for, world, docs):
    response = client_for("lan").post(
        f"/directives/documents/{docs[1].code}/attach/",
        {"file": SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 403
    assert not DocumentAttachment.objects.exists()


def test_it_shows_only_the_readers_tasks_on_the_document_page(client_for, world, docs):
    today = timezone.localdate()
    for code, unit in (("D-SNV", world.snv), ("D-STC", world.stc)):
        TaskFactory(
            code=code,
            document=docs[0],
            lead_unit=unit,
            assigner_unit=world.city,
            assigned_on=today - 5 * DAY,
        )
    lan = client_for("lan").get(f"/directives/documents/{docs[0].code}/")
    assert [t.code for t in lan.context["tasks"]] == ["D-SNV"]
    hung = client_for("hung").get(f"/directives/documents/{docs[0].code}/")
    assert sorted(t.code for t in hung.context["tasks"]) == ["D-SNV", "D-STC"]
    assert client_for("lan").get("/directives/documents/NOPE/").status_code == 404
