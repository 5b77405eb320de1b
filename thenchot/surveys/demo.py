"""Demo surveys and a year of answers on top of the demo organisation.

Every commune and ward of the current organisation, and two departments (STC, SNV), get a
survey with one question per element, open since a year before `today`; each gets a year of
responses on random days (deterministic for a seed), with a unit-specific level of satisfaction
so that the units differ, and about one answer in twelve left as "no answer". Written in bulk
and audited in bulk (reason "demo data"); a second run adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable

from django.db import models

from thenchot.core import auditing
from thenchot.org.demo import demo_city
from thenchot.org.tree import tree
from thenchot.surveys.choices import STANDARD_QUESTIONS
from thenchot.surveys.models import Answer, Question, Response, Survey

REASON = "demo data"
PREFIX = "KS-"
DEPARTMENTS = ("STC", "SNV")
# About 6,000 answers whatever the size of the demo organisation.
TARGET_RESPONSES = 1500
MIN_RESPONSES = 20
NO_ANSWER_SHARE = 1 / 12
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
ENGLISH = {
    "Q1": "Was the service easy to reach?",
    "Q2": "Was the procedure simple and public?",
    "Q3": "Was the civil servant courteous and helpful?",
    "Q4": "Was the result on time and as required?",
    "Q5": "Was your feedback received and handled?",
}


def load_demo_surveys(*, seed: int, today: dt.date) -> None:
    """Write the demo surveys and responses (inside the loader's transaction and context)."""
    if Survey.objects.filter(code__startswith=PREFIX).exists():
        return
    snap = tree()
    city = demo_city(snap)
    rng = random.Random(seed + 14)
    communes = sorted(
        (
            uid
            for uid in snap.subtree_on(city, today)
            if snap.units[uid].kind in {"commune", "ward"} and snap.units[uid].valid_on(today)
        ),
        key=lambda uid: snap.units[uid].code,
    )
    departments = [snap.by_code[c] for c in DEPARTMENTS if c in snap.by_code]
    unit_ids = [*departments, *communes]
    if not unit_ids:
        return
    opens = today - dt.timedelta(days=365)
    surveys: list[Survey] = []
    for uid in unit_ids:
        info = snap.units[uid]
        surveys.append(
            Survey(
                code=f"{PREFIX}{info.code}-{opens.year}",
                title=f"Khảo sát sự hài lòng — {info.name}",
                unit_id=uid,
                opens_on=opens,
                closes_on=None,
                short_code="".join(rng.choice(ALPHABET) for _ in range(8)),
            )
        )
    Survey.objects.bulk_create(surveys, batch_size=2000)
    questions: list[Question] = []
    for survey in surveys:
        for position, (code, text, element) in enumerate(STANDARD_QUESTIONS, start=1):
            questions.append(
                Question(
                    survey_id=survey.pk,
                    position=position,
                    code=code,
                    text=text,
                    text_en=ENGLISH.get(code, ""),
                    element=element,
                )
            )
    Question.objects.bulk_create(questions, batch_size=2000)
    by_survey: dict[int, list[Question]] = {}
    for q in questions:
        by_survey.setdefault(q.survey_id, []).append(q)
    per_survey = max(MIN_RESPONSES, TARGET_RESPONSES // len(surveys))
    responses: list[Response] = []
    pending: list[tuple[Response, dict[Question, int]]] = []
    for survey in surveys:
        # A unit's level: the chance that an answer is 4 or 5 (between 55 % and 95 %).
        level = 0.55 + 0.4 * rng.random()
        days = sorted(opens + dt.timedelta(days=rng.randrange(366)) for _ in range(per_survey))
        for n, day in enumerate(days, start=1):
            response = Response(
                code=f"{survey.code}-{n:04d}", survey_id=survey.pk, submitted_on=day
            )
            scores: dict[Question, int] = {}
            for q in by_survey[survey.pk]:
                if rng.random() < NO_ANSWER_SHARE:
                    continue
                scores[q] = rng.choice((4, 5)) if rng.random() < level else rng.choice((1, 2, 3))
            responses.append(response)
            pending.append((response, scores))
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(
        [
            Answer(response_id=response.pk, question_id=q.pk, score=score)
            for response, scores in pending
            for q, score in scores.items()
        ],
        batch_size=5000,
    )
    auditing.record_many(_created([*surveys, *questions]), reason=REASON)
    auditing.record_many(_responses(pending), reason=REASON)


def _created(objs: Iterable[models.Model]) -> Iterable[auditing.Change]:
    for obj in objs:
        yield auditing.Change(obj, auditing.CREATE, None, auditing.snapshot(obj))


def _responses(pending: list[tuple[Response, dict[Question, int]]]) -> Iterable[auditing.Change]:
    for response, scores in pending:
        after = auditing.snapshot(response)
        after.pop("form_token", None)
        after["answers"] = {q.code: s for q, s in scores.items()}
        yield auditing.Change(response, auditing.CREATE, None, after)
