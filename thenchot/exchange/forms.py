"""The import page's upload form: size, extension and content type are checked before any
byte of the file is parsed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

# Browsers and operating systems label the same file differently; these are the plausible ones.
JSON_TYPES = {"application/json", "text/json", "text/plain", "application/octet-stream"}
XLSX_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/zip",
    "application/x-zip-compressed",
    "application/octet-stream",
}


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A thenchot/1 file: .json or .xlsx (see the template).")
    )
    dry_run = forms.BooleanField(
        label=_("Check only (write nothing)"), required=False, initial=False
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = settings.THENCHOT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is too large (%(size)s); the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        name = (upload.name or "").lower()
        content_type = (getattr(upload, "content_type", "") or "").split(";")[0].strip().lower()
        if name.endswith(".json"):
            allowed, magic_ok = JSON_TYPES, None
        elif name.endswith(".xlsx"):
            allowed, magic_ok = XLSX_TYPES, b"PK\x03\x04"
        else:
            raise forms.ValidationError(
                _("Only .json and .xlsx files can be imported."), code="wrong_type"
            )
        if content_type and content_type not in allowed:
            raise forms.ValidationError(
                _("The file's type (%(type)s) does not match its name; expected %(kind)s.")
                % {"type": content_type, "kind": name.rsplit(".", 1)[-1].upper()},
                code="wrong_type",
            )
        if magic_ok is not None:
            head = upload.read(4)
            upload.seek(0)
            if head != magic_ok:
                raise forms.ValidationError(
                    _("The file is not a readable XLSX workbook."), code="wrong_type"
                )
        return upload
