"""Source documents and their attachments (size and type checked by extension and content)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import DocumentAttachment, SourceDocument
from thenchot.directives.services import (
    MAX_ATTACHMENT_BYTES,
    document_attach,
    document_create,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def doc(world):
    return document_create(
        by=world.user("hung"),
        code="KL-12/2025",
        kind="conclusion",
        number="12/KL-UBND",
        issued_on=dt.date(2025, 2, 10),
        issuer=world.city,
        title="Kết luận của Chủ tịch UBND Thành phố tại cuộc họp giao ban tháng 2",
        signer="Chủ tịch UBND Thành phố",
    )


def office_file(name: str, member: str) -> SimpleUploadedFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, "<x/>")
    return SimpleUploadedFile(name, buf.getvalue())


def test_it_records_a_city_conclusion(doc):
    assert SourceDocument.objects.get(code="KL-12/2025").issuer.code == "HN"


def test_it_refuses_a_document_for_a_unit_the_user_does_not_manage(world):
    with pytest.raises(OutOfScope):
        document_create(
            by=world.user("lan"),
            code="CT-1",
            kind="directive",
            issued_on=dt.date(2025, 1, 1),
            issuer=world.stc,
            title="Chỉ thị",
        )
    assert not SourceDocument.objects.exists()


def test_it_refuses_a_duplicate_code(world, doc):
    with pytest.raises(DomainError):
        document_create(
            by=world.user("hung"),
            code=doc.code,
            kind="notice",
            issued_on=dt.date(2025, 1, 1),
            issuer=world.city,
            title="Thông báo",
        )
    assert SourceDocument.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ket-luan.pdf", b"%PDF-1.4\n1 0 obj"),
        ("anh.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20),
        ("anh.JPG", b"\xff\xd8\xff\xe0" + b"0" * 20),
    ],
)
def test_it_stores_accepted_files(world, doc, media, name, content):
    att = document_attach(
        by=world.user("hung"), document=doc, file=SimpleUploadedFile(name, content)
    )
    assert att.size == len(content)
    assert (media / att.file.name).read_bytes() == content


def test_it_accepts_real_office_files(world, doc, media):
    document_attach(
        by=world.user("hung"), document=doc, file=office_file("a.docx", "word/document.xml")
    )
    document_attach(
        by=world.user("hung"), document=doc, file=office_file("b.xlsx", "xl/workbook.xml")
    )
    assert sorted(doc.attachments.values_list("content_type", flat=True))[0].startswith(
        "application/vnd.openxmlformats"
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("trang.pdf", b"<html><script>"),
        ("doi-ten.docx", b"%PDF-1.4 renamed"),
        ("zip.xlsx", b"PK\x03\x04 not really a zip"),
        ("khong-duoi", b"%PDF-1.4"),
        ("rong.pdf", b""),
    ],
)
def test_it_refuses_wrong_types(world, doc, media, name, content):
    with pytest.raises(DomainError) as exc:
        document_attach(by=world.user("hung"), document=doc, file=SimpleUploadedFile(name, content))
    assert "file" in exc.value.field_errors
    assert not DocumentAttachment.objects.exists()


def test_it_refuses_a_docx_that_is_an_xlsx(world, doc, media):
    with pytest.raises(DomainError):
        document_attach(
            by=world.user("hung"), document=doc, file=office_file("a.docx", "xl/workbook.xml")
        )


def test_it_refuses_files_over_20_mb(world, doc, media):
    big = SimpleUploadedFile("lon.pdf", b"%PDF-" + b"0" * (MAX_ATTACHMENT_BYTES - 4))
    with pytest.raises(DomainError) as exc:
        document_attach(by=world.user("hung"), document=doc, file=big)
    assert "20" in str(exc.value.message)
    assert not DocumentAttachment.objects.exists()


def test_it_refuses_attachments_from_outsiders(world, doc, media):
    with pytest.raises(OutOfScope):
        document_attach(
            by=world.user("minh"), document=doc, file=SimpleUploadedFile("a.pdf", b"%PDF-1")
        )
