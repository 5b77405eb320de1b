"""Writes of surveys and responses. A survey's writes re-check the writer's scope inside their
transaction, validate, write with optimistic concurrency and are audited; a response comes from
the public form (no account) or an import and is audited with no actor.

Answers: a score from 1 to 5 per question, or no answer (no row). A response is refused — the
value named, nothing written — when its survey is not open on its day, when an answer is outside
1–5, or when it answers a question that is not one of its survey's.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing
from thenchot.core.auditing import Change
from thenchot.core.concurrency import save_versioned
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.services import full_clean, refuse
from thenchot.core.services import today as _today
from thenchot.org.models import Unit
from thenchot.surveys.choices import ELEMENTS, SCORES
from thenchot.surveys.models import Answer, Question, Response, Survey
from thenchot.surveys.selectors import can_manage

SURVEY_FIELDS = ["title", "unit", "opens_on", "closes_on"]
MAX_QUESTIONS = 50
# What a question code may not hold: the XLSX layout of answers ("Q1=5;Q2=") splits on them.
CODE_FORBIDDEN = (";", "=", " ")


def today() -> dt.date:
    return _today()


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


@dataclass(frozen=True)
class QuestionSpec:
    code: str
    text: str
    element: str
    text_en: str = ""


# -- checks ---------------------------------------------------------------------------------------
def check_questions(questions: Sequence[QuestionSpec]) -> None:
    """At least one question, at most MAX_QUESTIONS; codes unique and plain; known elements."""
    if not questions:
        raise refuse(_("A survey needs at least one question."), "questions")
    if len(questions) > MAX_QUESTIONS:
        raise refuse(_("A survey has at most %(n)s questions.") % {"n": MAX_QUESTIONS}, "questions")
    seen: set[str] = set()
    for number, q in enumerate(questions, start=1):
        code = q.code.strip()
        if not code or len(code) > 30 or any(c in code for c in CODE_FORBIDDEN):
            raise refuse(
                _(
                    "Question %(n)s: '%(value)s' is not a valid code (1 to 30 characters, "
                    "without spaces, ';' or '=')."
                )
                % {"n": number, "value": q.code},
                "questions",
            )
        if code in seen:
            raise refuse(
                _("Question %(n)s: the code '%(value)s' is used twice.")
                % {"n": number, "value": code},
                "questions",
            )
        seen.add(code)
        if q.element not in ELEMENTS:
            raise refuse(
                _("Question %(n)s: '%(value)s' is not an element (%(elements)s).")
                % {"n": number, "value": q.element, "elements": ", ".join(ELEMENTS)},
                "questions",
            )
        if not q.text.strip() or len(q.text.strip()) > 500 or len(q.text_en.strip()) > 500:
            raise refuse(
                _("Question %(n)s (%(code)s) needs a text of at most 500 characters.")
                % {"n": number, "code": code},
                "questions",
            )


def _require_manage(scope: Scope, unit_id: int) -> None:
    if not can_manage(scope, unit_id):
        raise OutOfScope(_("You cannot manage the surveys of this unit."))


def new_short_code() -> str:
    """The token of a survey's public address: 8 URL-safe characters (48 random bits)."""
    while True:
        token = secrets.token_urlsafe(6)
        if not Survey.objects.filter(short_code=token).exists():
            return token


# -- surveys --------------------------------------------------------------------------------------
@transaction.atomic
def survey_create(
    *,
    scope: Scope,
    by: Any,
    code: str,
    title: str,
    unit: Unit,
    opens_on: dt.date,
    closes_on: dt.date | None,
    questions: Sequence[QuestionSpec],
) -> Survey:
    with acting(actor=by):
        _require_manage(scope, unit.pk)
        check_questions(questions)
        code = code.strip()
        if Survey.objects.filter(code=code).exists():
            raise refuse(
                _("A survey with code '%(code)s' already exists.") % {"code": code}, "code"
            )
        survey = Survey(
            code=code,
            title=title.strip(),
            unit=unit,
            opens_on=opens_on,
            closes_on=closes_on,
            short_code=new_short_code(),
            created_by=by if getattr(by, "pk", None) else None,
        )
        full_clean(survey)
        survey.save()
        changes = list(_write_questions(survey, questions))
        auditing.record(survey, action=auditing.CREATE)
        auditing.record_many(changes)
        return survey


def _write_questions(survey: Survey, questions: Sequence[QuestionSpec]) -> list[Change]:
    """Make the survey's questions those given, keyed by code. A question that has answers
    keeps its element and cannot be removed: its answers would change meaning or be lost."""
    existing = {q.code: q for q in survey.questions.all()}
    answered = set(
        Answer.objects.filter(question__survey=survey)
        .values_list("question__code", flat=True)
        .distinct()
    )
    wanted = {q.code.strip() for q in questions}
    changes: list[Change] = []
    for code, question in existing.items():
        if code not in wanted:
            if code in answered:
                raise refuse(
                    _("Question %(code)s has answers and cannot be removed.") % {"code": code},
                    "questions",
                )
            changes.append(Change(question, auditing.DELETE, auditing.snapshot(question), None))
            question.delete()
    # Move the kept questions out of the way so the new order never collides mid-way.
    for offset, question in enumerate(q for c, q in existing.items() if c in wanted):
        Question.objects.filter(pk=question.pk).update(position=1000 + offset)
    for position, spec in enumerate(questions, start=1):
        code = spec.code.strip()
        found = existing.get(code)
        if found is None:
            question = Question.objects.create(
                survey=survey,
                position=position,
                code=code,
                text=spec.text.strip(),
                text_en=spec.text_en.strip(),
                element=spec.element,
            )
            changes.append(Change(question, auditing.CREATE, None, auditing.snapshot(question)))
            continue
        question = found
        before = auditing.snapshot(question)
        if spec.element != question.element and code in answered:
            raise refuse(
                _(
                    "Question %(code)s has answers: its element cannot change from %(old)s to %(new)s."
                )
                % {"code": code, "old": question.element, "new": spec.element},
                "questions",
            )
        question.position = position
        question.text = spec.text.strip()
        question.text_en = spec.text_en.strip()
        question.element = spec.element
        question.save()
        changes.append(Change(question, auditing.UPDATE, before, auditing.snapshot(question)))
    return changes


@transaction.atomic
def survey_update(
    *,
    scope: Scope,
    by: Any,
    survey: Survey,
    expected_version: int,
    title: str,
    unit: Unit,
    opens_on: dt.date,
    closes_on: dt.date | None,
    questions: Sequence[QuestionSpec] | None = None,
) -> Survey:
    """Correct a survey. Its unit changes only while it has no response (the answers are the
    unit's), and never to a unit outside the writer's scope."""
    with acting(actor=by):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _require_manage(scope, survey.unit_id)
        if unit.pk != survey.unit_id:
            _require_manage(scope, unit.pk)
            if survey.responses.exists():
                raise refuse(
                    _("Survey %(code)s has responses: its unit cannot change.")
                    % {"code": survey.code},
                    "unit",
                )
        before = auditing.snapshot(survey)
        survey.title = title.strip()
        survey.unit = unit
        survey.opens_on = opens_on
        survey.closes_on = closes_on
        full_clean(survey)
        first = survey.responses.order_by("submitted_on").values_list("submitted_on", flat=True)
        earliest = first.first()
        latest = (
            survey.responses.order_by("-submitted_on")
            .values_list("submitted_on", flat=True)
            .first()
        )
        if earliest is not None and earliest < opens_on:
            raise refuse(
                _("A response was submitted on %(date)s: the survey must open by then.")
                % {"date": _d(earliest)},
                "opens_on",
            )
        if latest is not None and closes_on is not None and latest > closes_on:
            raise refuse(
                _("A response was submitted on %(date)s: the survey cannot close before it.")
                % {"date": _d(latest)},
                "closes_on",
            )
        save_versioned(survey, expected_version=expected_version, fields=SURVEY_FIELDS)
        changes: list[Change] = []
        if questions is not None:
            check_questions(questions)
            changes = _write_questions(survey, questions)
        auditing.record(
            survey, action=auditing.UPDATE, before=before, after=auditing.snapshot(survey)
        )
        auditing.record_many(changes)
        return survey


# -- responses ------------------------------------------------------------------------------------
def clean_answers(survey: Survey, answers: Mapping[str, Any]) -> dict[Question, int]:
    """question -> score for the answered questions; every bad key or value refused at once,
    each named. Accepts ints and digit strings; None or "" is "no answer"."""
    questions = {q.code: q for q in survey.questions.all()}
    errors: dict[str, list[str]] = {}
    out: dict[Question, int] = {}
    for key, value in answers.items():
        question = questions.get(str(key))
        if question is None:
            errors.setdefault(str(key)[:40], []).append(
                _("'%(value)s' is not a question of survey %(survey)s.")
                % {"value": str(key)[:40], "survey": survey.code}
            )
            continue
        if value is None or value == "":
            continue
        score: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            score = value
        elif isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 3:
            score = int(value.strip())
        if score not in SCORES:
            errors.setdefault(question.code, []).append(
                _(
                    "'%(value)s' is not an answer to question %(question)s: answer 1 to 5, or leave it blank."
                )
                % {"value": str(value)[:40], "question": question.code}
            )
            continue
        assert score is not None
        out[question] = score
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, field_errors=errors)
    return out


def check_open(survey: Survey, on: dt.date) -> None:
    if on < survey.opens_on:
        raise DomainError(
            _("Survey %(code)s opens on %(date)s: it does not take responses on %(on)s yet.")
            % {"code": survey.code, "date": _d(survey.opens_on), "on": _d(on)}
        )
    if survey.closes_on is not None and on > survey.closes_on:
        raise DomainError(
            _("Survey %(code)s closed on %(date)s: it no longer takes responses (%(on)s).")
            % {"code": survey.code, "date": _d(survey.closes_on), "on": _d(on)}
        )


class DuplicateResponse(DomainError):
    default_message = _lazy("This form was already sent: the answers were recorded once.")
    code = "duplicate"
    status = 409


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    answers: Mapping[str, Any],
    on: dt.date | None = None,
    require_answer: bool = True,
    form_token: str = "",
) -> Response:
    """A response to `survey`, submitted on `on` (today): answers are question code -> 1–5, or
    None / "" for no answer. `form_token` (the hash of the public form's one-time token) makes
    a second sending of the same form a `DuplicateResponse`. Audited with no actor."""
    on = on or today()
    check_open(survey, on)
    scores = clean_answers(survey, answers)
    if require_answer and not scores:
        raise DomainError(_("Answer at least one question."))
    if form_token and Response.objects.filter(form_token=form_token).exists():
        raise DuplicateResponse()
    for _attempt in range(5):
        code = f"{survey.code}-{secrets.token_hex(5).upper()}"
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    code=code, survey=survey, submitted_on=on, form_token=form_token
                )
        except IntegrityError:
            # The same form sent twice at once (the unique token), or a code drawn twice.
            if form_token and Response.objects.filter(form_token=form_token).exists():
                raise DuplicateResponse() from None
            continue
        break
    else:  # pragma: no cover
        raise DomainError(_("The response could not be saved; please send it again."))
    Answer.objects.bulk_create(
        [Answer(response=response, question=q, score=s) for q, s in scores.items()]
    )
    after = auditing.snapshot(response)
    after.pop("form_token", None)
    after["answers"] = {q.code: s for q, s in scores.items()}
    auditing.record(response, action=auditing.CREATE, after=after)
    return response
