"""Periods read as words, not codes: "Tháng 12/2026" / "December 2026" (issue 11)."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from thenchot.core.periods import period_label


def test_it_shows_a_month_in_words_in_english():
    with translation.override("en"):
        assert period_label("2026-12") == "December 2026"
        assert period_label("2026-Q4") == "Quarter 4 2026"
        assert period_label("2026") == "Year 2026"


def test_it_leaves_what_is_not_a_period_code_as_it_is():
    assert period_label("2026-13") == "2026-13"
    assert period_label("") == ""
    assert period_label(None) == ""


def test_it_offers_the_label_as_a_template_filter():
    template = Template("{% load thenchot_ui %}{{ code|period_label }}")
    with translation.override("en"):
        assert template.render(Context({"code": "2026-03"})) == "March 2026"
