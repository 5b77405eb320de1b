"""Discipline cases (from detection to decision), their pauses, and decisions.

A case runs from the detection of a violation to a decision (or to its closing without one);
its legal deadline is computed, never stored (`rules.decision_deadline`). A decision may stand
without a case (history imported from files). Party and administrative decisions on the same
act share a `violation` code, so the act counts once for evaluation.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.codes import AddressableCode
from thenchot.core.fields import parent_reference, reference, user_reference
from thenchot.core.models import Pause, VersionedModel, check, not_before
from thenchot.discipline.choices import CaseStatus, DisciplineForm, PauseReason, Track

# A case's code opens its page (`core.codes`).
CASE_CODE = AddressableCode("discipline:case")


class DisciplineCase(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[CASE_CODE])
    staff = reference("people.Staff", _("staff member"), "discipline_cases")
    detected_on = models.DateField(_("detected on"))
    violation_on = models.DateField(_("violation committed on"), null=True, blank=True)
    violation = models.CharField(
        _("violation code"),
        max_length=60,
        blank=True,
        help_text=_("Links the Party and administrative decisions on the same act."),
    )
    summary = models.TextField(_("violation summary"))
    extended = models.BooleanField(_("deadline extended to 150 days"), default=False)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    opened_by = user_reference(_("opened by"))

    class Meta:
        verbose_name = _("discipline case")
        verbose_name_plural = _("discipline cases")
        ordering = ["-detected_on", "code"]
        constraints = [
            not_before(
                "closed_on",
                "detected_on",
                name="disc_case_closed_after_detected",
                message=_("A case cannot be closed before it was detected."),
                later_optional=True,
            ),
            check(
                Q(status=CaseStatus.OPEN, closed_on__isnull=True)
                | (~Q(status=CaseStatus.OPEN) & Q(closed_on__isnull=False)),
                name="disc_case_closed_iff_not_open",
                message=_("A closed case needs its closing date, an open one none."),
            ),
            check(
                Q(violation_on__isnull=True) | Q(violation_on__lte=F("detected_on")),
                name="disc_case_violation_before_detection",
                message=_("A violation cannot be detected before it happened."),
            ),
        ]
        indexes = [models.Index(fields=["status", "staff"], name="disc_case_status_idx")]

    def __str__(self) -> str:
        return f"{self.code} ({self.staff_id})"


class CasePause(Pause):
    """A period in which the person could not be considered for discipline (Decree 172/2025)."""

    case = parent_reference(DisciplineCase, _("case"), "pauses")
    reason = models.CharField(_("reason"), max_length=30, choices=PauseReason.choices)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["case_id", "date_from"]
        constraints = [
            not_before(
                "date_to",
                "date_from",
                name="disc_pause_valid_range",
                message=_("The end of a pause cannot be before its start."),
                later_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.reason} {self.date_from}..{self.date_to}"


class DisciplineDecision(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True)
    staff = reference("people.Staff", _("staff member"), "discipline_decisions")
    case = reference(DisciplineCase, _("case"), "decisions", optional=True)
    form = models.CharField(_("form"), max_length=30, choices=DisciplineForm.choices)
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.ADMINISTRATIVE
    )
    violation = models.CharField(
        _("violation code"),
        max_length=60,
        blank=True,
        help_text=_("Links the Party and administrative decisions on the same act."),
    )
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decided on"))
    effective_on = models.DateField(_("effective on"))

    class Meta:
        verbose_name = _("discipline decision")
        verbose_name_plural = _("discipline decisions")
        ordering = ["-effective_on", "code"]
        constraints = [
            not_before(
                "effective_on",
                "decided_on",
                name="disc_decision_effective_after_decided",
                message=_("A decision cannot take effect before the day it was decided."),
            ),
        ]
        indexes = [
            models.Index(fields=["effective_on"], name="disc_decision_effective_idx"),
            models.Index(fields=["staff", "effective_on"], name="disc_decision_staff_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.form} ({self.staff_id})"
