"""PDF output without WeasyPrint (or its Pango library) is a clear refusal, not a server error."""

from __future__ import annotations

import sys

import pytest

from thenchot.core.pdf import PdfUnavailable, html_document


def test_it_says_what_is_missing_when_weasyprint_cannot_be_imported(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # `import weasyprint` -> ImportError
    with pytest.raises(PdfUnavailable, match="WeasyPrint and the Pango library"):
        html_document("<p>x</p>")


def test_the_reports_and_the_survey_sheet_raise_the_same_error():
    from thenchot.reports.rendering import PdfUnavailable as from_reports
    from thenchot.surveys.sheet import PdfUnavailable as from_surveys

    assert from_reports is PdfUnavailable and from_surveys is PdfUnavailable
