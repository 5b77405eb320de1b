"""Satisfaction surveys: questionnaires of a unit's public service and the responses to them.

A survey belongs to the unit whose service is surveyed; its questions each measure one of the
five elements (`choices.Element`) on a 1–5 scale. A response keeps only what the form asks: the
day it was submitted and one score per answered question — "no answer" is the absence of a row,
so a response holds one `Answer` per answered question. The public form reaches a survey by its
`short_code` (a random token printed as a QR code at the counter), never by its record code.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thenchot.core.codes import AddressableCode
from thenchot.core.fields import parent_reference, reference, user_reference
from thenchot.core.models import VersionedModel, check, not_before, unique
from thenchot.surveys.choices import Element

SURVEY_CODE = AddressableCode("surveys:detail")


class Survey(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[SURVEY_CODE])
    title = models.CharField(_("title"), max_length=300)
    unit = reference("org.Unit", _("unit"), "surveys")
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"), null=True, blank=True)
    # The token of the public address (/s/<short_code>/) and its QR code; not a secret (it is
    # printed at the counter) but unguessable, so the record codes are not enumerable.
    short_code = models.CharField(_("short code"), max_length=16, unique=True, editable=False)
    created_by = user_reference(_("created by"))

    class Meta:
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        ordering = ["code"]
        constraints = [
            not_before(
                "closes_on",
                "opens_on",
                name="surv_survey_closes_after_opens",
                message=_("A survey cannot close before it opens."),
                later_optional=True,
            ),
        ]
        indexes = [models.Index(fields=["unit", "opens_on"], name="surv_survey_unit_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def open_on(self, on: dt.date) -> bool:
        return self.opens_on <= on and (self.closes_on is None or on <= self.closes_on)


class Question(models.Model):
    audit_parent = "survey"

    survey = parent_reference(Survey, _("survey"), "questions")
    position = models.PositiveSmallIntegerField(_("position"))
    code = models.CharField(_("code"), max_length=30)
    text = models.CharField(_("text"), max_length=500)
    # The question in English for the public form's English page (optional; the Vietnamese
    # text is shown when it is empty).
    text_en = models.CharField(_("text in English"), max_length=500, blank=True)
    element = models.CharField(_("element"), max_length=20, choices=Element.choices)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["survey_id", "position"]
        constraints = [
            unique(
                ["survey", "code"],
                name="surv_question_code_once",
                message=_("Two questions of a survey cannot share a code."),
            ),
            unique(
                ["survey", "position"],
                name="surv_question_position_once",
                message=_("Two questions of a survey cannot share a position."),
            ),
            check(
                Q(element__in=Element.values),
                name="surv_question_element_valid",
                message=_("Unknown element."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text}"

    @property
    def shown_text(self) -> str:
        if self.text_en and (get_language() or "vi").startswith("en"):
            return self.text_en
        return self.text


class Response(models.Model):
    code = models.CharField(_("code"), max_length=80, unique=True)
    survey = reference(Survey, _("survey"), "responses")
    submitted_on = models.DateField(_("submitted on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The SHA-256 of the one-time token of the public form that sent it (empty for imported or
    # entered responses): a second sending of the same form is refused by the database, whatever
    # the number of server processes. It identifies a form, not a person.
    form_token = models.CharField(_("form token"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("survey response")
        verbose_name_plural = _("survey responses")
        ordering = ["-submitted_on", "code"]
        constraints = [
            unique(
                ["form_token"],
                condition=~Q(form_token=""),
                name="surv_response_form_once",
                message=_("This form was already sent."),
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "submitted_on"], name="surv_response_survey_idx"),
            models.Index(fields=["submitted_on"], name="surv_response_day_idx"),
        ]

    def __str__(self) -> str:
        return self.code


class Answer(models.Model):
    audit_parent = "response"

    response = parent_reference(Response, _("response"), "answers")
    question = reference(Question, _("question"), "answers")
    score = models.PositiveSmallIntegerField(_("score"))

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["response_id", "question_id"]
        constraints = [
            unique(
                ["response", "question"],
                name="surv_answer_once",
                message=_("A question is answered once per response."),
            ),
            check(
                Q(score__gte=1, score__lte=5),
                name="surv_answer_score_range",
                message=_("An answer is a score from 1 to 5."),
            ),
        ]
        indexes = [models.Index(fields=["question", "score"], name="surv_answer_question_idx")]

    def __str__(self) -> str:
        return f"{self.response_id}:{self.question_id}={self.score}"


__all__ = ["Answer", "Question", "Response", "Survey"]
