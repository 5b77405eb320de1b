"""Public-service inspections (kiểm tra công vụ) and the follow-up of their recommendations.

An inspection is conducted by one unit on a target unit (plus optional other targets), planned
in the conducting unit's annual plan, unannounced (surprise) or ordered by a higher level
(verification, linked to the ordering document). Its findings lead to a conclusion and to
recommendations, each with a responsible unit and a due date; the responsible unit reports its
remediation, and the inspectors accept it (the recommendation is done) or return it.

A recommendation's status is never stored: it is computed on a date (`inspections.status`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.codes import AddressableCode
from thenchot.core.fields import parent_reference, reference, user_reference
from thenchot.core.models import (
    VersionedModel,
    check,
    not_before,
    one_pending,
    unique,
    year_range,
)
from thenchot.inspections.choices import (
    ChecklistResult,
    InspectionKind,
    ReportStatus,
    Severity,
    Topic,
)

# Codes open their records' pages and API entries (`core.codes`).
PLAN_CODE = AddressableCode("inspections:plan")
INSPECTION_CODE = AddressableCode("inspections:detail", "inspection-detail")


class InspectionPlan(VersionedModel):
    """The annual inspection plan of one conducting unit."""

    code = models.CharField(_("code"), max_length=60, unique=True, validators=[PLAN_CODE])
    conducted_by = reference("org.Unit", _("conducting unit"), "inspection_plans")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    # Published internally (to the conducting unit's subtree); a draft is seen by its authors.
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("inspection plan")
        verbose_name_plural = _("inspection plans")
        ordering = ["-year", "code"]
        constraints = [
            unique(
                ["conducted_by", "year"],
                name="insp_plan_one_per_unit_year",
                message=_("This unit already has an inspection plan for the year."),
            ),
            year_range(name="insp_plan_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.year})"


class PlanItem(models.Model):
    """One planned inspection: a target unit, a month, the topics."""

    plan = parent_reference(InspectionPlan, _("plan"), "items")
    target_unit = reference("org.Unit", _("target unit"))
    planned_month = models.PositiveSmallIntegerField(_("planned month"))
    topics = models.JSONField(_("topics"), default=list, blank=True)

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "planned_month", "id"]
        constraints = [
            check(
                Q(planned_month__gte=1, planned_month__lte=12),
                name="insp_planitem_month_1_12",
                message=_("The planned month must be between 1 and 12."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.target_unit_id} in month {self.planned_month}"


class ChecklistItem(VersionedModel):
    """A configurable check under one topic (the inspectors tick it per inspection)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    text = models.CharField(_("text"), max_length=500)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("checklist item")
        verbose_name_plural = _("checklist items")
        ordering = ["topic", "position", "code"]

    def __str__(self) -> str:
        return f"{self.code} — {self.text}"


class Inspection(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[INSPECTION_CODE])
    kind = models.CharField(_("kind"), max_length=20, choices=InspectionKind.choices)
    title = models.CharField(_("title"), max_length=300, blank=True)
    # For verifications: the higher level's order. Null is allowed for history (imports).
    ordered_by = reference(
        "directives.SourceDocument", _("ordered by"), "ordered_inspections", optional=True
    )
    plan_item = reference(
        PlanItem, _("plan item"), "inspections", on_delete=models.SET_NULL, optional=True
    )
    conducted_by = reference("org.Unit", _("conducting unit"), "conducted_inspections")
    target_unit = reference("org.Unit", _("target unit"), "inspections")
    other_targets = models.ManyToManyField(
        "org.Unit", verbose_name=_("other target units"), blank=True, related_name="+"
    )
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    # The conclusion document (kết luận kiểm tra).
    conclusion_number = models.CharField(_("conclusion number"), max_length=60, blank=True)
    conclusion_on = models.DateField(_("conclusion date"), null=True, blank=True)
    conclusion_text = models.TextField(_("conclusion"), blank=True)
    conclusion_file = models.FileField(
        _("conclusion file"), upload_to="inspections/%Y/%m/", null=True, blank=True
    )
    created_by = user_reference(_("created by"))

    class Meta:
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        ordering = ["-started_on", "code"]
        constraints = [
            not_before(
                "ended_on",
                "started_on",
                name="insp_inspection_end_after_start",
                message=_("An inspection cannot end before it starts."),
                later_optional=True,
            ),
            not_before(
                "conclusion_on",
                "started_on",
                name="insp_inspection_conclusion_after_start",
                message=_("The conclusion cannot be dated before the start."),
                later_optional=True,
            ),
        ]
        indexes = [
            models.Index(fields=["started_on"], name="insp_started_idx"),
            models.Index(fields=["conducted_by", "started_on"], name="insp_conductor_idx"),
            models.Index(fields=["target_unit", "started_on"], name="insp_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}" if self.title else self.code

    @property
    def is_concluded(self) -> bool:
        return self.conclusion_on is not None


class TeamMember(models.Model):
    inspection = parent_reference(Inspection, _("inspection"), "team")
    staff = reference("people.Staff", _("staff member"), "inspection_teams")
    is_lead = models.BooleanField(_("team lead"), default=False)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["inspection_id", "-is_lead", "id"]
        constraints = [
            unique(
                ["inspection", "staff"],
                name="insp_team_member_once",
                message=_("This person is already on the team."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.staff_id}{' (lead)' if self.is_lead else ''}"


class ChecklistAnswer(models.Model):
    """The result of one checklist item in one inspection."""

    inspection = parent_reference(Inspection, _("inspection"), "checklist")
    item = reference(ChecklistItem, _("checklist item"))
    result = models.CharField(_("result"), max_length=20, choices=ChecklistResult.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("checklist answer")
        verbose_name_plural = _("checklist answers")
        ordering = ["inspection_id", "item_id"]
        constraints = [
            unique(
                ["inspection", "item"],
                name="insp_checklist_once",
                message=_("This item already has a result in this inspection."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id}: {self.item_id} = {self.result}"


class Finding(models.Model):
    inspection = parent_reference(Inspection, _("inspection"), "findings")
    position = models.PositiveIntegerField(_("position"), default=0)
    text = models.TextField(_("text"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, blank=True)
    evidence = models.FileField(
        _("evidence"), upload_to="inspections/findings/%Y/%m/", null=True, blank=True
    )

    class Meta:
        verbose_name = _("finding")
        verbose_name_plural = _("findings")
        ordering = ["inspection_id", "position", "id"]

    def __str__(self) -> str:
        return f"{self.inspection_id}#{self.position}: {self.text[:40]}"


class Recommendation(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True)
    inspection = parent_reference(Inspection, _("inspection"), "recommendations")
    text = models.TextField(_("text"))
    responsible_unit = reference("org.Unit", _("responsible unit"), "inspection_recommendations")
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["due_on", "code"]
        indexes = [
            models.Index(fields=["inspection"], name="insp_rec_inspection_idx"),
            models.Index(fields=["responsible_unit", "due_on"], name="insp_rec_unit_due_idx"),
            models.Index(fields=["done_on", "due_on"], name="insp_rec_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.text[:60]}"


class RemediationReport(VersionedModel):
    """The responsible unit's report that a recommendation was remedied, with evidence."""

    recommendation = parent_reference(Recommendation, _("recommendation"), "reports")
    reported_on = models.DateField(_("remedied on"))
    text = models.TextField(_("what was done"))
    evidence = models.FileField(
        _("evidence"), upload_to="inspections/remediation/%Y/%m/", null=True, blank=True
    )
    reported_by = user_reference(_("reported by"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.PENDING
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = user_reference(_("decided by"))
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        verbose_name = _("remediation report")
        verbose_name_plural = _("remediation reports")
        ordering = ["recommendation_id", "reported_on", "id"]
        constraints = [
            one_pending(
                "recommendation",
                name="insp_report_one_pending",
                message=_(
                    "A remediation report for this recommendation is already awaiting review."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recommendation_id}: {self.reported_on} ({self.status})"


__all__ = [
    "ChecklistAnswer",
    "ChecklistItem",
    "Finding",
    "Inspection",
    "InspectionPlan",
    "PlanItem",
    "Recommendation",
    "RemediationReport",
    "TeamMember",
]
