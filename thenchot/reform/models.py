"""The administrative-reform index (chỉ số cải cách hành chính, QĐ 5666/QĐ-UBND for 2025 on):
a framework per year (contents → criteria → optional sub-criteria, each with its maximum and
its method), the assessment round of the year (self-scoring with evidence, cross-appraisal,
the appraisal council, publication), the scores per unit and criterion, and the figures frozen
at publication (computed criteria with the counts behind their rates).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.fields import parent_reference, points_field, reference, user_reference
from thenchot.core.models import StoredFile, VersionedModel, check, not_same, unique
from thenchot.reform.choices import Method, PointsSource, RoundStatus, Source

# The criteria's points (a penalty is negative) are written with up to seven digits.
DIGITS = 7


class Framework(VersionedModel):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=300, blank=True)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("reform index framework")
        verbose_name_plural = _("reform index frameworks")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"


class Content(models.Model):
    """One of the framework's contents (lĩnh vực): a heading of criteria."""

    audit_parent = "framework"

    framework = parent_reference(Framework, _("framework"), "contents")
    name = models.CharField(_("content"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("content")
        verbose_name_plural = _("contents")
        ordering = ["framework_id", "position", "name"]
        constraints = [
            unique(
                ["framework", "name"],
                name="reform_content_name",
                message=_("The framework already has this content."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(VersionedModel):
    framework = parent_reference(Framework, _("framework"), "criteria")
    content = reference(Content, _("content"), "criteria")
    parent = reference("self", _("parent criterion"), "children", optional=True)
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    max_points = points_field(_("maximum points"), max_digits=DIGITS)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    source = models.CharField(_("source"), max_length=40, choices=Source.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework_id", "position", "code"]
        constraints = [
            unique(
                ["framework", "code"],
                name="reform_criterion_code",
                message=_("The framework already has a criterion with this code."),
            ),
            check(
                ~Q(max_points=0),
                name="reform_criterion_max_nonzero",
                message=_("The maximum points cannot be 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_penalty(self) -> bool:
        return bool(self.max_points < 0)

    @property
    def is_scored(self) -> bool:
        """Scored by people (self-score, appraisal, council), not derived from records."""
        return self.method in (Method.SELF, Method.APPRAISED)


class AssessmentRound(VersionedModel):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    # The day the organisation is taken on: who is whose parent or child, for the
    # cross-appraisal constraints.
    tree_date = models.DateField(_("organisation as of"))
    self_scoring_deadline = models.DateField(_("self-scoring deadline"), null=True, blank=True)
    appraisal_deadline = models.DateField(_("appraisal deadline"), null=True, blank=True)
    council_deadline = models.DateField(_("council deadline"), null=True, blank=True)
    publication_deadline = models.DateField(_("publication deadline"), null=True, blank=True)
    # The secretariat of the appraisal council (the Department of Home Affairs): its managers
    # decide for the council beside the city-wide roles.
    secretariat_unit = reference("org.Unit", _("council secretariat"), optional=True)
    appraisers_per_unit = models.PositiveSmallIntegerField(_("appraisers per unit"), default=1)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_as_of = models.DateField(_("figures as of"), null=True, blank=True)
    published_by = user_reference(_("published by"))

    class Meta:
        verbose_name = _("assessment round")
        verbose_name_plural = _("assessment rounds")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"

    @property
    def is_published(self) -> bool:
        return self.status == RoundStatus.PUBLISHED


class Score(VersionedModel):
    unit = reference("org.Unit", _("unit"), "reform_scores")
    criterion = reference(Criterion, _("criterion"), "scores")
    self_points = points_field(_("self-score"), max_digits=DIGITS, optional=True)
    appraised_points = points_field(_("appraised points"), max_digits=DIGITS, optional=True)
    council_points = points_field(_("council points"), max_digits=DIGITS, optional=True)
    evidence = models.TextField(_("evidence"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    appraiser_unit = reference("org.Unit", _("appraiser unit"), optional=True)
    appraiser_comment = models.TextField(_("appraiser's comment"), blank=True)

    class Meta:
        verbose_name = _("reform score")
        verbose_name_plural = _("reform scores")
        ordering = ["unit_id", "criterion_id"]
        constraints = [
            unique(
                ["unit", "criterion"],
                name="reform_score_unit_criterion",
                message=_("The unit already has a score for this criterion."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.criterion_id}"

    @property
    def disagreement(self) -> bool:
        return (
            self.appraised_points is not None
            and self.self_points is not None
            and self.appraised_points != self.self_points
        )


class EvidenceFile(StoredFile):
    audit_parent = "score"

    score = parent_reference(Score, _("score"), "files")
    file = models.FileField(_("file"), upload_to="reform/%Y/")

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["score_id", "name"]


class AppraiserAssignment(models.Model):
    """Cross-evaluation: `appraiser_unit` appraises `assessed_unit` in the round."""

    round = parent_reference(AssessmentRound, _("assessment round"), "assignments")
    appraiser_unit = reference("org.Unit", _("appraiser unit"))
    assessed_unit = reference("org.Unit", _("assessed unit"))
    proposed = models.BooleanField(_("proposed automatically"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appraiser assignment")
        verbose_name_plural = _("appraiser assignments")
        ordering = ["round_id", "assessed_unit_id", "appraiser_unit_id"]
        constraints = [
            unique(
                ["round", "appraiser_unit", "assessed_unit"],
                name="reform_assignment_once",
                message=_("This unit already appraises that unit."),
            ),
            not_same(
                "appraiser_unit",
                "assessed_unit",
                name="reform_assignment_not_self",
                message=_("A unit cannot appraise itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraiser_unit_id}→{self.assessed_unit_id}"


class CouncilDecision(models.Model):
    """The appraisal council's final word on one score (recorded, never edited)."""

    score = parent_reference(Score, _("score"), "decisions")
    points = points_field(_("council points"), max_digits=DIGITS)
    reason = models.TextField(_("reason"))
    decided_by = user_reference(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        verbose_name = _("council decision")
        verbose_name_plural = _("council decisions")
        ordering = ["score_id", "decided_at"]

    def __str__(self) -> str:
        return f"{self.score_id}: {self.points}"


class PublishedResult(models.Model):
    """A criterion's points for a unit as published: computed and survey criteria frozen with
    the inputs behind them (`numerator`/`denominator` of a rate, the survey's answers)."""

    round = parent_reference(AssessmentRound, _("assessment round"), "results")
    unit = reference("org.Unit", _("unit"))
    criterion = reference(Criterion, _("criterion"))
    points = points_field(_("points"), max_digits=DIGITS)
    source = models.CharField(_("source"), max_length=20, choices=PointsSource.choices)
    rate = models.DecimalField(
        _("rate (%)"), max_digits=12, decimal_places=6, null=True, blank=True
    )
    numerator = models.PositiveIntegerField(_("counted"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("out of"), null=True, blank=True)

    class Meta:
        verbose_name = _("published result")
        verbose_name_plural = _("published results")
        ordering = ["round_id", "unit_id", "criterion_id"]
        constraints = [unique(["round", "unit", "criterion"], name="reform_published_once")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.criterion_id}: {self.points}"


ZERO = Decimal("0")
