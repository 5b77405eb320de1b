"""Which attachments are accepted: size, extension and content checked together."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.directives.services.base import _refuse

M = TypeVar("M", bound=models.Model)

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
# extension -> (content type, check of the first bytes / the archive)
_PDF = b"%PDF-"
_PNG = b"\x89PNG\r\n\x1a\n"
_JPG = b"\xff\xd8\xff"
_ZIP = b"PK\x03\x04"
ALLOWED_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


def validate_upload(file: UploadedFile) -> tuple[str, int, str]:
    """(name, size, content type) of an accepted attachment, or DomainError.

    Accepted: PDF, DOCX, XLSX, JPEG, PNG up to 20 MB, checked by extension *and* by content, so a
    renamed executable or an HTML page saved as .pdf is refused."""
    name = (file.name or "").rsplit("/", 1)[-1]
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    size = int(file.size or 0)
    if size > MAX_ATTACHMENT_BYTES:
        raise _refuse(
            _("The file is too large (%(size)s MB); the limit is 20 MB.")
            % {"size": f"{size / 1024 / 1024:.1f}"},
            "file",
        )
    if size == 0:
        raise _refuse(_("The file is empty."), "file")
    if ext not in ALLOWED_TYPES:
        raise _refuse(
            _("Files of type '%(ext)s' are not accepted; use PDF, DOCX, XLSX, JPG or PNG.")
            % {"ext": ext or "?"},
            "file",
        )
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    ok = {
        "pdf": head.startswith(_PDF),
        "png": head.startswith(_PNG),
        "jpg": head.startswith(_JPG),
        "jpeg": head.startswith(_JPG),
        "docx": head.startswith(_ZIP) and _zip_has(file, "word/document.xml"),
        "xlsx": head.startswith(_ZIP) and _zip_has(file, "xl/workbook.xml"),
    }[ext]
    if not ok:
        raise _refuse(
            _("The content of '%(name)s' is not a valid %(ext)s file.")
            % {"name": name, "ext": ext.upper()},
            "file",
        )
    return name, size, ALLOWED_TYPES[ext]


def store_upload(
    model: type[M],
    file: UploadedFile,
    *,
    by: Any,
    snap: Callable[[M], dict[str, Any]] | None = None,
    **fields: Any,
) -> M:
    """A new attachment row of `model` (with `fields`) holding `file`, once accepted
    (`validate_upload`): its name, size, content type and uploader stored, the file written,
    and the row audited (its `after` from `snap`, if given)."""
    name, size, content_type = validate_upload(file)
    row = model(
        name=name,
        size=size,
        content_type=content_type,
        uploaded_by=by if getattr(by, "pk", None) else None,
        **fields,
    )
    row.file.save(name, file, save=False)  # type: ignore[attr-defined]
    row.save()
    auditing.record(row, action=auditing.CREATE, after=snap(row) if snap else None)
    return row


def _zip_has(file: UploadedFile, member: str) -> bool:
    try:
        file.seek(0)
        data = io.BytesIO(file.read())
        with zipfile.ZipFile(data) as archive:
            return member in archive.namelist()
    except zipfile.BadZipFile:
        return False
    finally:
        file.seek(0)
