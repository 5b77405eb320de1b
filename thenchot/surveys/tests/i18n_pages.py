"""The survey pages in the language test (tests/i18n/plugins.py): a survey of SNV made by the
personnel officer, with two responses sent through the public form's service."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from thenchot.accounts.scoping import compute_scope
from thenchot.surveys import services
from thenchot.surveys.choices import STANDARD_QUESTIONS


def build(pw: Any) -> None:
    w = pw.people
    lan = w.user("lan")
    today = timezone.localdate()
    survey = services.survey_create(
        scope=compute_scope(lan),
        by=lan,
        code="KS-SNV-I18N",
        title="Khảo sát hài lòng Sở Nội vụ",
        unit=w.snv,
        opens_on=today - dt.timedelta(days=30),
        closes_on=None,
        questions=[
            services.QuestionSpec(code=c, text=t, element=e) for c, t, e in STANDARD_QUESTIONS
        ],
    )
    services.response_submit(survey=survey, answers={"Q1": 5, "Q2": 2, "Q3": None}, on=today)
    services.response_submit(survey=survey, answers={"Q1": "4", "Q5": 1}, on=today)
    pw.extra["survey"] = survey


ARGS = {
    "surveys:detail": lambda pw: {"code": pw.extra["survey"].code},
    "surveys:edit": lambda pw: {"code": pw.extra["survey"].code},
    "surveys:public": lambda pw: {"short_code": pw.extra["survey"].short_code},
    "surveys:public_thanks": lambda pw: {"short_code": pw.extra["survey"].short_code},
}
QUERY = {
    "surveys:unit_index": lambda pw: {"unit": pw.people.snv.code},
}
EXCLUDED_ROUTES = {
    "surveys:sheet": "a PDF file",
    "surveys:export": "an XLSX file",
}
PREFERRED = {
    "surveys:new": "lan",
    "surveys:edit": "lan",
    "surveys:detail": "lan",
    "surveys:unit_index": "lan",
}
ANONYMOUS = {"surveys:public", "surveys:public_thanks"}
