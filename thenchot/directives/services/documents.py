"""Source documents: recording one and storing its files."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.core import writes
from thenchot.core.auditing import Change
from thenchot.core.context import acting
from thenchot.core.errors import OutOfScope
from thenchot.core.interchange import Counts, chunked, upsert_flat
from thenchot.core.sequences import next_code
from thenchot.directives.models import DocumentAttachment, SourceDocument
from thenchot.directives.services.base import _authority, _full_clean, _refuse, _snap
from thenchot.directives.services.uploads import store_upload
from thenchot.org.models import Unit


@transaction.atomic
def document_create(
    *,
    by: Any,
    code: str = "",
    kind: str,
    issued_on: dt.date,
    issuer: Unit,
    title: str,
    number: str = "",
    signer: str = "",
) -> SourceDocument:
    """Record a source document. Who: anyone who may assign tasks from `issuer`."""
    with acting(actor=by):
        auth = _authority(by)
        if not auth.can_assign_from(issuer.pk):
            raise OutOfScope(_("You cannot record documents issued by this unit."))
        code = code.strip() or next_code(SourceDocument, f"VB-{issued_on.year}-")
        if SourceDocument.objects.filter(code=code).exists():
            raise _refuse(
                _("A document with code '%(code)s' already exists.") % {"code": code}, "code"
            )
        doc = SourceDocument(
            code=code,
            kind=kind,
            number=number,
            issued_on=issued_on,
            issuer=issuer,
            signer=signer,
            title=title,
        )
        _full_clean(doc)
        writes.create(doc)
        return doc


@transaction.atomic
def document_attach(*, by: Any, document: SourceDocument, file: UploadedFile) -> DocumentAttachment:
    """Store a file on a document (size and type checked: `validate_upload`)."""
    with acting(actor=by):
        auth = _authority(by)
        if not auth.can_assign_from(document.issuer_id):
            raise OutOfScope(_("You cannot change documents issued by this unit."))
        return store_upload(DocumentAttachment, file, by=by, snap=_snap, document=document)


def documents_record(
    *, records: Sequence[tuple[str, int | None, dict[str, Any]]], counts: Counts
) -> Iterator[Change]:
    """Documents recorded in batches, as history (the interchange import): `records` are
    (code, stored id or None, column values); the audit Changes are yielded for the caller's
    batch, with the same before/after values `document_create` records."""
    for batch in chunked(records, 2000):
        stored = SourceDocument.objects.in_bulk([pk for _c, pk, _v in batch if pk is not None])
        yield from upsert_flat(
            SourceDocument,
            (
                (stored[pk] if pk is not None else None, {"code": code}, values)
                for code, pk, values in batch
            ),
            counts=counts,
        )
