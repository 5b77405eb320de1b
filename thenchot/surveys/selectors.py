"""Reads of surveys and their responses, every one scoped by the reader's role and subtree.

Who reads: the surveys (and responses) of the units a scope reads — city-wide roles all of them.
Who manages a unit's surveys: an administrator, or a personnel officer or unit head whose
subtree holds the unit (the unit not ended). The public form reads one survey by its short code
and nothing else.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.core.epochs import epoch_expression
from thenchot.core.registry import RecordAccess
from thenchot.core.text import fold
from thenchot.org.selectors import may_write_unit
from thenchot.org.tree import tree
from thenchot.processes.report import cases_block
from thenchot.surveys.choices import ELEMENTS, SATISFIED_FROM, SCORES
from thenchot.surveys.index import (
    Containers,
    Satisfaction,
    breakpoints,
    element_share,
    satisfaction_for_units,
)
from thenchot.surveys.models import Answer, Question, Response, Survey

MANAGER_ROLES = (Role.ADMIN, Role.PERSONNEL, Role.UNIT_HEAD)


# -- scope ----------------------------------------------------------------------------------------
def survey_read_q(scope: Scope, path: str = "unit_id") -> Q:
    if scope.is_anonymous:
        return Q(pk__in=[])
    return scope.unit_filter(path)


def surveys_queryset(scope: Scope) -> QuerySet[Survey]:
    return Survey.objects.filter(survey_read_q(scope)).select_related("unit")


def responses_queryset(scope: Scope) -> QuerySet[Response]:
    return Response.objects.filter(survey_read_q(scope, "survey__unit_id")).select_related("survey")


def can_manage(scope: Scope, unit_id: int) -> bool:
    """May this scope create and edit the surveys of the unit?"""
    return may_write_unit(
        scope, unit_id, anywhere=(Role.ADMIN,), in_subtree=(Role.PERSONNEL, Role.UNIT_HEAD)
    )


def can_manage_any(scope: Scope) -> bool:
    return not scope.is_anonymous and scope.has_role(*MANAGER_ROLES)


def filter_surveys(
    qs: QuerySet[Survey], *, q: str = "", unit_id: int | None = None, open_on: dt.date | None = None
) -> QuerySet[Survey]:
    if q.strip():
        folded = fold(q.strip())
        qs = qs.filter(
            Q(code__icontains=q.strip())
            | Q(title__icontains=q.strip())
            | Q(unit__search_text__contains=folded)
        )
    if unit_id is not None:
        qs = qs.filter(unit_id__in=sorted(tree().subtree_on(unit_id, open_on or dt.date.today())))
    if open_on is not None:
        qs = qs.filter(opens_on__lte=open_on).filter(
            Q(closes_on__isnull=True) | Q(closes_on__gte=open_on)
        )
    return qs


def public_survey(short_code: str) -> Survey | None:
    """The survey the public form answers, by the token of its short link."""
    if not short_code or len(short_code) > 16:
        return None
    return Survey.objects.filter(short_code=short_code).select_related("unit").first()


def questions_of(survey: Survey) -> list[Question]:
    return list(survey.questions.order_by("position"))


# -- the answers behind a figure ----------------------------------------------------------------
@dataclass
class QuestionCounts:
    question: Question
    by_score: dict[int, int] = field(default_factory=lambda: dict.fromkeys(SCORES, 0))
    no_answer: int = 0

    @property
    def answered(self) -> int:
        return sum(self.by_score.values())

    @property
    def satisfied(self) -> int:
        return sum(n for score, n in self.by_score.items() if score >= SATISFIED_FROM)

    @property
    def share(self) -> Decimal | None:
        return element_share(self.satisfied, self.answered) if self.answered else None

    @property
    def scores(self) -> list[int]:
        return [self.by_score[s] for s in SCORES]


@dataclass
class ElementCounts:
    element: str
    satisfied: int = 0
    answered: int = 0

    @property
    def share(self) -> Decimal | None:
        return element_share(self.satisfied, self.answered) if self.answered else None


def survey_counts(
    survey: Survey, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> tuple[int, list[QuestionCounts]]:
    """One survey's responses and, per question, the answers per score and the "no answer"s."""
    responses = Response.objects.filter(survey=survey)
    answers = Answer.objects.filter(response__survey=survey)
    if date_from is not None:
        responses = responses.filter(submitted_on__gte=date_from)
        answers = answers.filter(response__submitted_on__gte=date_from)
    if date_to is not None:
        responses = responses.filter(submitted_on__lte=date_to)
        answers = answers.filter(response__submitted_on__lte=date_to)
    total = responses.count()
    rows = {q.pk: QuestionCounts(q) for q in questions_of(survey)}
    for question_id, score, n in (
        answers.values_list("question_id", "score").annotate(n=Count("id")).order_by()
    ):
        rows[question_id].by_score[score] = n
    for row in rows.values():
        row.no_answer = total - row.answered
    return total, list(rows.values())


def unit_counts(
    *, unit: Any, date_from: dt.date, date_to: dt.date
) -> tuple[list[ElementCounts], list[QuestionCounts]]:
    """The answers behind a unit's figure: per element (pooled) and per question, over the
    responses of its subtree (the tree of each response's day) within the range."""
    snap = tree()
    containers = Containers(snap)
    points = breakpoints(snap, date_from, date_to)
    rows = (
        Answer.objects.filter(response__submitted_on__range=(date_from, date_to))
        .annotate(epoch=epoch_expression("response__submitted_on", points))
        .values_list("response__survey__unit_id", "epoch", "question_id", "score")
        .annotate(n=Count("id"))
        .order_by()
    )
    per_question: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(SCORES, 0))
    for unit_id, epoch, question_id, score, n in rows:
        day = points[epoch - 1] if epoch else date_from
        if unit.pk in containers(unit_id, day):
            per_question[question_id][score] += n
    questions = {
        q.pk: q for q in Question.objects.filter(pk__in=list(per_question)).select_related("survey")
    }
    out: list[QuestionCounts] = []
    elements = {e: ElementCounts(e) for e in ELEMENTS}
    for question_id in sorted(
        per_question, key=lambda pk: (questions[pk].survey.code, questions[pk].position)
    ):
        row = QuestionCounts(questions[question_id], by_score=per_question[question_id])
        out.append(row)
        pooled = elements[row.question.element]
        pooled.satisfied += row.satisfied
        pooled.answered += row.answered
    return list(elements.values()), out


def month_starts(date_to: dt.date, months: int = 12) -> list[dt.date]:
    """The first days of the `months` months ending with `date_to`'s month, oldest first."""
    year, month = date_to.year, date_to.month
    out = []
    for _ in range(months):
        out.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def month_end(start: dt.date) -> dt.date:
    nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def monthly_trend(
    *, unit: Any, date_to: dt.date, months: int = 12
) -> list[tuple[dt.date, Satisfaction]]:
    """The unit's figure month by month (the last `months` months up to `date_to`)."""
    return [
        (
            start,
            satisfaction_for_units(units=[unit], date_from=start, date_to=month_end(start))[
                unit.pk
            ],
        )
        for start in month_starts(date_to, months)
    ]


# -- sample size ----------------------------------------------------------------------------------
def sample_size(population: int, margin: Decimal) -> int:
    """Slovin's formula n = N / (1 + N·e²), rounded up: the responses needed from `population`
    citizens served (the unit's cases received) for a margin of error `margin` (0.05 = 5 %)."""
    if population <= 0:
        return 0
    n = Decimal(population) / (1 + Decimal(population) * margin * margin)
    return math.ceil(n)


def cases_received(*, unit: Any, date_from: dt.date, date_to: dt.date) -> int:
    """Cases received by the unit's subtree within the range (the `cases` figure of the report)."""
    block: Mapping[str, int] = cases_block(
        unit=unit, date_from=date_from, date_to=date_to, as_of=date_to
    )
    return int(block["received"])


def unit_figures(
    units: Sequence[Any], date_from: dt.date, date_to: dt.date
) -> dict[int, Satisfaction]:
    return satisfaction_for_units(units=units, date_from=date_from, date_to=date_to)


RECORD_ACCESS: Mapping[str, RecordAccess] = {
    "surveys.survey": lambda scope, obj: scope.can_read_unit(obj.unit_id),
    "surveys.question": lambda scope, obj: scope.can_read_unit(obj.survey.unit_id),
    "surveys.response": lambda scope, obj: scope.can_read_unit(obj.survey.unit_id),
    "surveys.answer": lambda scope, obj: scope.can_read_unit(obj.response.survey.unit_id),
}


def response_rows(survey: Survey) -> list[dict[str, Any]]:
    """Every response of the survey with its scores by question id (the XLSX export)."""
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for response_id, question_id, score in Answer.objects.filter(
        response__survey=survey
    ).values_list("response_id", "question_id", "score"):
        scores[response_id][question_id] = score
    return [
        {"code": code, "submitted_on": day, "scores": scores.get(pk, {})}
        for pk, code, day in survey.responses.order_by("submitted_on", "code").values_list(
            "pk", "code", "submitted_on"
        )
    ]
