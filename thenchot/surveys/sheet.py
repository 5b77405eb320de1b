"""The QR code of a survey's short link (segno) and the A5 sheet printed for the counter (PDF).

WeasyPrint needs the Pango library, which a server may lack: it is imported only when a sheet
is made, and its absence is a clear message, not a server error.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string

from thenchot.core.pdf import PdfUnavailable, html_document
from thenchot.surveys.models import Survey

__all__ = ["PdfUnavailable", "qr_svg", "render_sheet"]


def qr_svg(url: str, *, scale: int = 6) -> str:
    """The QR code of `url` as inline SVG (error correction M: a smudged print still reads)."""
    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=scale, xmldecl=False, svgns=True, omitsize=False, border=2
    )
    return buffer.getvalue().decode()


def render_sheet(survey: Survey, url: str) -> bytes:
    html = render_to_string(
        "surveys/sheet.html", {"survey": survey, "url": url, "qr": qr_svg(url, scale=10)}
    )
    return bytes(html_document(html).write_pdf())
