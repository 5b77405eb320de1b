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

from thenchot.core.models import VersionedModel, user_reference
from thenchot.reform.choices import Method, PointsSource, RoundStatus, Source

POINTS = {"max_digits": 7, "decimal_places": 2}


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

    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="contents"
    )
    name = models.CharField(_("content"), max_length=300)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("content")
        verbose_name_plural = _("contents")
        ordering = ["framework_id", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "name"],
                name="reform_content_name",
                violation_error_message=_("The framework already has this content."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class Criterion(VersionedModel):
    framework = models.ForeignKey(
        Framework, verbose_name=_("framework"), on_delete=models.CASCADE, related_name="criteria"
    )
    content = models.ForeignKey(
        Content, verbose_name=_("content"), on_delete=models.PROTECT, related_name="criteria"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=500)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=2)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    source = models.CharField(_("source"), max_length=40, choices=Source.choices, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["framework_id", "position", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["framework", "code"],
                name="reform_criterion_code",
                violation_error_message=_("The framework already has a criterion with this code."),
            ),
            models.CheckConstraint(
                condition=~Q(max_points=0),
                name="reform_criterion_max_nonzero",
                violation_error_message=_("The maximum points cannot be 0."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def is_penalty(self) -> bool:
        return self.max_points < 0

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
    secretariat_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("council secretariat"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="reform_scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="scores"
    )
    self_points = models.DecimalField(
        _("self-score"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    appraised_points = models.DecimalField(
        _("appraised points"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    council_points = models.DecimalField(
        _("council points"), null=True, blank=True, max_digits=7, decimal_places=2
    )
    evidence = models.TextField(_("evidence"), blank=True)
    explanation = models.TextField(_("explanation"), blank=True)
    appraiser_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("appraiser unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    appraiser_comment = models.TextField(_("appraiser's comment"), blank=True)

    class Meta:
        verbose_name = _("reform score")
        verbose_name_plural = _("reform scores")
        ordering = ["unit_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "criterion"],
                name="reform_score_unit_criterion",
                violation_error_message=_("The unit already has a score for this criterion."),
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


class EvidenceFile(models.Model):
    audit_parent = "score"

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="reform/%Y/")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("content type"), max_length=100)
    uploaded_by = user_reference(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["score_id", "name"]

    def __str__(self) -> str:
        return self.name


class AppraiserAssignment(models.Model):
    """Cross-evaluation: `appraiser_unit` appraises `assessed_unit` in the round."""

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    appraiser_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("appraiser unit"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_unit = models.ForeignKey(
        "org.Unit", verbose_name=_("assessed unit"), on_delete=models.PROTECT, related_name="+"
    )
    proposed = models.BooleanField(_("proposed automatically"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("appraiser assignment")
        verbose_name_plural = _("appraiser assignments")
        ordering = ["round_id", "assessed_unit_id", "appraiser_unit_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "appraiser_unit", "assessed_unit"],
                name="reform_assignment_once",
                violation_error_message=_("This unit already appraises that unit."),
            ),
            models.CheckConstraint(
                condition=~Q(appraiser_unit=models.F("assessed_unit")),
                name="reform_assignment_not_self",
                violation_error_message=_("A unit cannot appraise itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appraiser_unit_id}→{self.assessed_unit_id}"


class CouncilDecision(models.Model):
    """The appraisal council's final word on one score (recorded, never edited)."""

    score = models.ForeignKey(
        Score, verbose_name=_("score"), on_delete=models.CASCADE, related_name="decisions"
    )
    points = models.DecimalField(_("council points"), max_digits=7, decimal_places=2)
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

    round = models.ForeignKey(
        AssessmentRound,
        verbose_name=_("assessment round"),
        on_delete=models.CASCADE,
        related_name="results",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT, related_name="+"
    )
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=2)
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
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "criterion"], name="reform_published_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.criterion_id}: {self.points}"


ZERO = Decimal("0")
