"""Factories for surveys (tests, the bench). They write rows directly (no service, no audit):
use them to arrange a situation, and the services to exercise a behaviour."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping

import factory

from thenchot.core.testing import CodeKeyedFactory
from thenchot.org.testing import UnitFactory
from thenchot.surveys.choices import STANDARD_QUESTIONS
from thenchot.surveys.models import Answer, Question, Response, Survey


class SurveyFactory(CodeKeyedFactory[Survey]):
    class Meta:
        model = Survey

    code = factory.Sequence(lambda n: f"KS-{n:04d}")
    title = factory.Sequence(lambda n: f"Khảo sát mức độ hài lòng {n}")
    unit = factory.SubFactory(UnitFactory)
    opens_on = dt.date(2025, 1, 1)
    short_code = factory.LazyFunction(lambda: secrets.token_urlsafe(6))


def with_questions(
    survey: Survey, questions: tuple[tuple[str, str, str], ...] = STANDARD_QUESTIONS
) -> Survey:
    for position, (code, text, element) in enumerate(questions, start=1):
        Question.objects.create(
            survey=survey, position=position, code=code, text=text, element=element
        )
    return survey


_counter = iter(range(10**9))


def respond(
    survey: Survey, on: dt.date, answers: Mapping[str, int | None], code: str | None = None
) -> Response:
    """A response of `survey` submitted on `on`: question code -> score (None: no answer)."""
    response = Response.objects.create(
        code=code or f"{survey.code}-T{next(_counter):06d}", survey=survey, submitted_on=on
    )
    questions = {q.code: q for q in survey.questions.all()}
    Answer.objects.bulk_create(
        Answer(response=response, question=questions[k], score=v)
        for k, v in answers.items()
        if v is not None
    )
    return response
