"""The `surveys` and `survey_responses` sections of the interchange format
(`shared/spec/interchange.md`).

`surveys`: `code`, `title`, `unit`, `opens_on`, `closes_on` and the nested list `questions`
(`code`, `text`, `element`; the project adds `text_en`, the English text of the public form) —
in XLSX the sheet `questions`, whose first column `survey` names the parent.

`survey_responses`: `code`, `survey`, `submitted_on` and `answers`, an object question code ->
1–5 or null ("no answer"). The export writes every question of the survey, in the survey's
order, null where there is no answer. In XLSX `answers` is one cell, `Q1=5;Q2=;Q3=4` (code `=`
score, empty for no answer, separated by `;`: question codes hold neither character).

The engine (`core.interchange`) knows no object field, so `answers` is read here from the raw
value (a JSON object, or the XLSX text) and written as `AnswersValue`, which JSON writes as the
object and the XLSX writer joins as the cell above.

Refused, each value named, nothing written: an answer outside 1–5, a question not of the
response's survey, a response submitted outside its survey's dates, a survey whose answered
questions would be removed or change element, a unit outside the importer's scope.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change, snapshot
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import check_units_writable, unit_catalogue, unit_ids
from thenchot.processes.interchange.processes import unit_filter
from thenchot.surveys import services
from thenchot.surveys.choices import ELEMENTS, SCORES
from thenchot.surveys.models import SURVEY_CODE, Answer, Question, Response, Survey
from thenchot.surveys.selectors import survey_read_q
from thenchot.surveys.services import QuestionSpec

MAX_ANSWERS = 50

QUESTION_FIELDS = (
    spec.text("code", gettext_lazy("Question code."), required=True, max_length=30),
    spec.text("text", gettext_lazy("Text of the question."), required=True, max_length=500),
    spec.enum("element", ELEMENTS, gettext_lazy("Element the question measures."), required=True),
    spec.text(
        "text_en",
        gettext_lazy("The question in English, for the public form (optional)."),
        max_length=500,
    ),
)
QUESTIONS = spec.nested(
    "questions",
    QUESTION_FIELDS,
    "survey",
    gettext_lazy("List of questions (code, text, element, text_en), in order."),
)
SURVEY_FIELDS = (
    spec.code(gettext_lazy("Survey code."), check=SURVEY_CODE.error),
    spec.text("title", gettext_lazy("Title of the survey."), required=True, max_length=300),
    spec.unit("unit", gettext_lazy("Code of the unit whose service is surveyed."), required=True),
    spec.date("opens_on", gettext_lazy("First day responses are taken."), required=True),
    spec.date("closes_on", gettext_lazy("Last day responses are taken.")),
    QUESTIONS,
)
RESPONSE_FIELDS = (
    spec.code(gettext_lazy("Unique response code."), max_length=80),
    spec.ref("survey", "surveys", gettext_lazy("Survey code."), required=True, max_length=60),
    spec.date("submitted_on", gettext_lazy("Date the response was sent."), required=True),
)
# Read by this module from the raw value (see the docstring); CODES makes the XLSX writer join
# the items of `AnswersValue` with ";".
ANSWERS = spec.refs(
    "answers",
    "",
    gettext_lazy(
        "Answers: question code = score 1 to 5, empty for no answer, separated by ; "
        "(Q1=5;Q2=;Q3=4)."
    ),
    required=True,
    max_length=4000,
)


# An import by a person writes only the records of the units they may write.
OTHER_UNITS = gettext_lazy("you cannot import surveys of unit '%(value)s'")


class AnswersValue(dict):  # type: ignore[type-arg]
    """question code -> score or None. JSON writes it as the object; iterated (the XLSX writer
    joining a CODES cell) it gives "code=score" items."""

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        return (f"{code}={'' if score is None else score}" for code, score in self.items())


def parse_answers(value: Any) -> tuple[dict[str, int | None], list[str]]:
    """(code -> score or None, error messages) from a JSON object or the XLSX text."""
    errors: list[str] = []
    pairs: list[tuple[Any, Any]] = []
    if value is None or (isinstance(value, str) and not value.strip()):
        return {}, errors
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, str):
        for part in value.split(";"):
            part = part.strip()
            if not part:
                continue
            code, sep, score = part.partition("=")
            if not sep:
                errors.append(
                    _("'%(value)s' is not an answer (question code = score)") % {"value": part}
                )
                continue
            score = score.strip()
            pairs.append(
                (
                    code.strip(),
                    int(score) if score.isdigit() and len(score) < 4 else (score or None),
                )
            )
    else:
        return {}, [_("'%(value)s' is not an object of answers") % {"value": engine.quote(value)}]
    if len(pairs) > MAX_ANSWERS:
        return {}, [_("more than %(n)s answers") % {"n": MAX_ANSWERS}]
    out: dict[str, int | None] = {}
    for code, score in pairs:
        if not isinstance(code, str) or not code:
            errors.append(_("'%(value)s' is not a question code") % {"value": engine.quote(code)})
            continue
        if score is not None and (
            isinstance(score, bool) or not isinstance(score, int) or score not in SCORES
        ):
            errors.append(
                _("'%(value)s' is not an answer to question %(question)s: 1 to 5, or null")
                % {"value": engine.quote(score), "question": code}
            )
            continue
        out[code] = score
    return out, errors


# -- surveys --------------------------------------------------------------------------------------
@dataclass
class SurveyPlan:
    row: Row
    existing: Survey | None
    values: dict[str, Any]
    questions: list[QuestionSpec] | None  # None: the stored ones stay
    changed: bool


@spec.section("surveys", 80, gettext_lazy("Satisfaction surveys"))
class SurveySection(Section):
    fields = SURVEY_FIELDS

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        rows = [r for r in rows if r.get("code") is not None]
        codes = [r.data["code"] for r in rows]
        stored = {s.code: s for s in Survey.objects.filter(code__in=codes).select_related("unit")}
        stored_questions: dict[int, list[QuestionSpec]] = defaultdict(list)
        for sid, code, text, element, text_en in (
            Question.objects.filter(survey__code__in=codes)
            .order_by("survey_id", "position")
            .values_list("survey_id", "code", "text", "element", "text_en")
        ):
            stored_questions[sid].append(QuestionSpec(code, text, element, text_en))
        answered: dict[int, set[str]] = defaultdict(set)
        for sid, qcode in (
            Answer.objects.filter(question__survey__code__in=codes)
            .values_list("question__survey_id", "question__code")
            .distinct()
            .order_by()
        ):
            answered[sid].add(qcode)
        plans: list[SurveyPlan] = []
        file_questions: dict[str, dict[str, str]] = {}
        file_dates: dict[str, tuple[Any, Any]] = {}
        for row in rows:
            found = stored.get(row.data["code"])
            current: dict[str, Any] = (
                {
                    "title": found.title,
                    "unit": found.unit.code,
                    "opens_on": found.opens_on,
                    "closes_on": found.closes_on,
                }
                if found
                else {"title": None, "unit": None, "opens_on": None, "closes_on": None}
            )
            values = {n: row.data[n] if row.has(n) else current[n] for n in current}
            items = engine.nested_rows(ctx, row, QUESTIONS)
            questions = (
                [
                    QuestionSpec(
                        item.get("code") or "",
                        item.get("text") or "",
                        item.get("element") or "",
                        item.get("text_en") or "",
                    )
                    for item in items
                ]
                if items is not None
                else None
            )
            now = (
                questions
                if questions is not None
                else stored_questions.get(found.pk, [])
                if found
                else []
            )
            if values["unit"] is not None and values["unit"] not in units:
                ctx.error(
                    row, "unit", _("unknown unit code '%(value)s'") % {"value": values["unit"]}
                )
            if (
                values["opens_on"]
                and values["closes_on"]
                and values["closes_on"] < values["opens_on"]
            ):
                ctx.error(
                    row,
                    "closes_on",
                    _("'%(value)s' is before the opening on %(date)s.")
                    % {
                        "value": engine.iso(values["closes_on"]),
                        "date": engine.iso(values["opens_on"]),
                    },
                )
            if items is not None and all(q.code and q.text and q.element for q in now):
                try:
                    services.check_questions(now)
                except DomainError as error:
                    ctx.error(row, "questions", str(error.message))
            elif items is None and found is None:
                ctx.error(row, "questions", _("A survey needs at least one question."))
            if found is not None and questions is not None:
                by_code = {q.code: q for q in questions}
                for qcode in sorted(answered.get(found.pk, ())):
                    kept = by_code.get(qcode)
                    old = next(q for q in stored_questions[found.pk] if q.code == qcode)
                    if kept is None:
                        ctx.error(
                            row,
                            "questions",
                            _("Question %(code)s has answers and cannot be removed.")
                            % {"code": qcode},
                        )
                    elif kept.element != old.element:
                        ctx.error(
                            row,
                            "questions",
                            _(
                                "Question %(code)s has answers: its element cannot change from %(old)s to %(new)s."
                            )
                            % {"code": qcode, "old": old.element, "new": kept.element},
                        )
            stored_unit = [found.unit.code] if found is not None else []
            codes = [values["unit"], *stored_unit]
            check_units_writable(ctx, row, "unit", codes, units, OTHER_UNITS)
            changed = (
                found is None
                or values != current
                or (questions is not None and questions != stored_questions.get(found.pk, []))
            )
            plans.append(SurveyPlan(row, found, values, questions, changed))
            file_questions[row.data["code"]] = {q.code: q.element for q in now}
            file_dates[row.data["code"]] = (values["opens_on"], values["closes_on"])
        ctx.shared["surveys.questions"] = file_questions
        ctx.shared["surveys.dates"] = file_dates
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, engine.Counts())
        ids = unit_ids(ctx)
        for plan in spec.changed_only(ctx.plans.get(self.key, []), counts):
            v = plan.values
            survey = plan.existing
            before = snapshot(survey) if survey is not None else None
            if survey is None:
                survey = Survey(code=plan.row.data["code"], short_code=services.new_short_code())
            survey.title = v["title"]
            survey.unit_id = ids[v["unit"]]
            survey.opens_on = v["opens_on"]
            survey.closes_on = v["closes_on"]
            if before is not None:
                survey.version += 1
            survey.save()
            changes = (
                services._write_questions(survey, plan.questions)
                if plan.questions is not None
                else []
            )
            yield spec.counted_change(counts, survey, before, snapshot(survey))
            yield from changes

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = spec.readable(Survey.objects.select_related("unit"), request, survey_read_q)
        if qs is None:
            return []
        qs = spec.in_force(unit_filter(qs, request, "unit_id"), request, "opens_on", "closes_on")
        surveys = list(qs.order_by("code"))
        questions: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for sid, code, text, element, text_en in engine.in_batches(
            [s.pk for s in surveys],
            lambda batch: (
                Question.objects.filter(survey_id__in=batch)
                .order_by("survey_id", "position")
                .values_list("survey_id", "code", "text", "element", "text_en")
            ),
        ):
            questions[sid].append(
                {"code": code, "text": text, "element": element, "text_en": text_en or None}
            )
        return [
            {
                "code": s.code,
                "title": s.title,
                "unit": s.unit.code,
                "opens_on": engine.iso(s.opens_on),
                "closes_on": engine.iso(s.closes_on),
                "questions": questions.get(s.pk, []),
            }
            for s in surveys
        ]


# -- responses ------------------------------------------------------------------------------------
@dataclass
class ResponsePlan:
    row: Row
    existing: Response | None
    survey: str
    submitted_on: dt.date
    answers: dict[str, int | None]
    changed: bool


@spec.section("survey_responses", 81, gettext_lazy("Survey responses"))
class ResponseSection(Section):
    fields = RESPONSE_FIELDS

    # `answers` is a column and a known field, parsed by `plan` (see the module's docstring).
    def field_names(self) -> list[str]:
        return [*super().field_names(), ANSWERS.name]

    def flat_fields(self) -> list[engine.Field]:
        return [*super().flat_fields(), ANSWERS]

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        file_questions: dict[str, dict[str, str]] = ctx.shared.get("surveys.questions", {})
        file_dates = ctx.shared.get("surveys.dates", {})
        rows = [r for r in rows if r.get("code") is not None]
        survey_codes = sorted(
            {r.data["survey"] for r in rows if r.get("survey")} - set(file_questions)
        )
        db_questions: dict[str, dict[str, str]] = defaultdict(dict)
        for scode, qcode, element in Question.objects.filter(
            survey__code__in=survey_codes
        ).values_list("survey__code", "code", "element"):
            db_questions[scode][qcode] = element
        db_surveys = {
            code: (opens, closes, unit)
            for code, opens, closes, unit in Survey.objects.filter(
                code__in=survey_codes
            ).values_list("code", "opens_on", "closes_on", "unit_id")
        }
        stored = {
            r.code: r
            for r in Response.objects.filter(
                code__in=[r.data["code"] for r in rows]
            ).select_related("survey")
        }
        stored_answers: dict[int, dict[str, int]] = defaultdict(dict)
        for rid, qcode, score in Answer.objects.filter(
            response__in=list(stored.values())
        ).values_list("response_id", "question__code", "score"):
            stored_answers[rid][qcode] = score
        plans: list[ResponsePlan] = []
        for row in rows:
            raw = row.get(ANSWERS.name)
            if not row.has(ANSWERS.name):
                ctx.error(row, ANSWERS.name, _("required field is missing"))
                continue
            answers, problems = parse_answers(raw)
            for message in problems:
                ctx.error(row, ANSWERS.name, message)
            survey = row.get("survey")
            submitted = row.get("submitted_on")
            if survey is None or submitted is None:
                continue
            if survey in file_questions:
                questions = file_questions[survey]
                opens, closes = file_dates[survey]
                unit_id = None
            elif survey in db_surveys:
                questions = db_questions.get(survey, {})
                opens, closes, unit_id = db_surveys[survey]
            else:
                ctx.error(row, "survey", _("unknown survey code '%(value)s'") % {"value": survey})
                continue
            for qcode in answers:
                if qcode not in questions:
                    ctx.error(
                        row,
                        ANSWERS.name,
                        _("'%(value)s' is not a question of survey %(survey)s.")
                        % {"value": qcode, "survey": survey},
                    )
            if opens is not None and submitted < opens:
                ctx.error(
                    row,
                    "submitted_on",
                    _("'%(value)s' is before survey %(survey)s opens (%(date)s).")
                    % {"value": engine.iso(submitted), "survey": survey, "date": engine.iso(opens)},
                )
            if closes is not None and submitted > closes:
                ctx.error(
                    row,
                    "submitted_on",
                    _("'%(value)s' is after survey %(survey)s closed (%(date)s).")
                    % {
                        "value": engine.iso(submitted),
                        "survey": survey,
                        "date": engine.iso(closes),
                    },
                )
            scope = ctx.scope
            if (
                scope is not None
                and not scope.city_wide
                and unit_id is not None
                and (unit_id not in scope.write_units)
            ):
                ctx.error(
                    row,
                    "survey",
                    _("you cannot import responses to survey '%(value)s'") % {"value": survey},
                )
            found = stored.get(row.data["code"])
            given: dict[str, int | None] = {k: v for k, v in answers.items() if v is not None}
            changed = found is None or (
                found.survey.code != survey
                or found.submitted_on != submitted
                or stored_answers.get(found.pk, {}) != given
            )
            plans.append(ResponsePlan(row, found, survey, submitted, given, changed))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, engine.Counts())
        plans = [p for p in ctx.plans.get(self.key, []) if p.changed]
        counts.unchanged += len(ctx.plans.get(self.key, [])) - len(plans)
        if not plans:
            return
        codes = sorted({p.survey for p in plans})
        survey_ids = dict(Survey.objects.filter(code__in=codes).values_list("code", "id"))
        question_ids = {
            (sid, qcode): qid
            for qid, sid, qcode in Question.objects.filter(
                survey_id__in=survey_ids.values()
            ).values_list("id", "survey_id", "code")
        }
        creates = [p for p in plans if p.existing is None]
        new = Response.objects.bulk_create(
            [
                Response(
                    code=p.row.data["code"],
                    survey_id=survey_ids[p.survey],
                    submitted_on=p.submitted_on,
                )
                for p in creates
            ],
            batch_size=2000,
        )
        if any(r.pk is None for r in new):  # a backend that does not return ids
            by_code = dict(
                Response.objects.filter(code__in=[r.code for r in new]).values_list("code", "id")
            )
            for r in new:
                r.pk = r.id = by_code[r.code]
        updates = [p for p in plans if p.existing is not None]
        before: dict[int, dict[str, Any]] = {}
        for p in updates:
            response = p.existing
            assert response is not None
            before[response.pk] = snapshot(response)
            response.survey_id = survey_ids[p.survey]
            response.submitted_on = p.submitted_on
            response.save(update_fields=["survey", "submitted_on"])
        Answer.objects.filter(
            response_id__in=[p.existing.pk for p in updates if p.existing]
        ).delete()
        pairs = list(zip(creates, new, strict=True)) + [(p, p.existing) for p in updates]
        Answer.objects.bulk_create(
            [
                Answer(
                    response_id=response.pk,
                    question_id=question_ids[(response.survey_id, qcode)],
                    score=score,
                )
                for plan, response in pairs
                for qcode, score in plan.answers.items()
            ],
            batch_size=5000,
        )
        for plan, response in pairs:
            after = snapshot(response)
            after.pop("form_token", None)
            after["answers"] = dict(plan.answers)
            old = None if plan.existing is None else before[response.pk]
            yield spec.counted_change(counts, response, old, after)

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = spec.readable(
            Response.objects.all(), request, lambda scope: survey_read_q(scope, "survey__unit_id")
        )
        if qs is None:
            return []
        qs = unit_filter(qs, request, "survey__unit_id")
        qs = spec.in_range(qs, request, "submitted_on")
        responses = list(qs.order_by("code").values_list("id", "code", "survey_id", "submitted_on"))
        survey_ids = sorted({r[2] for r in responses})
        questions: dict[int, list[tuple[int, str]]] = defaultdict(list)
        survey_codes: dict[int, str] = dict(
            Survey.objects.filter(pk__in=survey_ids).values_list("id", "code")
        )
        for qid, sid, qcode in (
            Question.objects.filter(survey_id__in=survey_ids)
            .order_by("survey_id", "position")
            .values_list("id", "survey_id", "code")
        ):
            questions[sid].append((qid, qcode))
        scores: dict[int, dict[int, int]] = defaultdict(dict)
        for rid, qid, score in engine.in_batches(
            [r[0] for r in responses],
            lambda batch: Answer.objects.filter(response_id__in=batch).values_list(
                "response_id", "question_id", "score"
            ),
        ):
            scores[rid][qid] = score
        return [
            {
                "code": code,
                "survey": survey_codes[sid],
                "submitted_on": engine.iso(day),
                "answers": AnswersValue(
                    (qcode, scores[rid].get(qid)) for qid, qcode in questions[sid]
                ),
            }
            for rid, code, sid, day in responses
        ]


survey_section = SurveySection()
response_section = ResponseSection()
spec.register(survey_section, response_section)
