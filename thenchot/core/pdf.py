"""PDF output through WeasyPrint, which needs the Pango library a server may lack: it is
imported only when a PDF is made, and its absence is a clear message, not a server error."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


class PdfUnavailable(RuntimeError):
    """No PDF can be made here: WeasyPrint or the Pango library is missing."""


def html_document(html: str) -> Any:
    """WeasyPrint's `HTML` of `html` (`.render()` lays it out, `.write_pdf()` prints it)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:
        raise PdfUnavailable(
            _("PDF output needs WeasyPrint and the Pango library (see README): %(error)s")
            % {"error": exc}
        ) from exc
    return HTML(string=html)
