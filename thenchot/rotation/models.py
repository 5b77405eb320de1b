"""Periodic job rotation (Anti-Corruption Law 2018 art. 24–25, Decree 59/2019).

Who is due is computed, never stored (`rotation.selectors.due_list`) from the job positions
subject to rotation, `Staff.in_position_since`, retirement dates and the records that already
postpone a move (open discipline cases, leaves, children). `Postponement` holds the rare
reasons recorded nowhere else (an inspection or prosecution of the person, a pregnancy before
any leave). Plans list who is to move; executed rotations move the person's assignment.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from thenchot.core.fields import parent_reference, reference
from thenchot.core.models import Pause, VersionedModel, check, not_before, unique, year_range
from thenchot.rotation.choices import PostponementReason, RotationKind

DEFAULT_NOTICE_DAYS = 30  # rules.md *default*: 30 days' notice to the person


class Postponement(Pause, VersionedModel):
    staff = reference("people.Staff", _("staff member"), "rotation_postponements")
    reason = models.CharField(_("reason"), max_length=30, choices=PostponementReason.choices)

    class Meta:
        verbose_name = _("rotation postponement")
        verbose_name_plural = _("rotation postponements")
        ordering = ["staff_id", "-date_from"]
        constraints = [
            not_before(
                "date_to",
                "date_from",
                name="rot_postponement_valid_range",
                message=_("The end of a postponement cannot be before its start."),
                later_optional=True,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}: {self.reason} {self.date_from}..{self.date_to}"


class RotationPlan(VersionedModel):
    """An agency's annual rotation plan, published inside the agency."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    agency = reference("org.Unit", _("agency"))
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=300, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    notice_days = models.PositiveSmallIntegerField(
        _("notice to the person (days)"),
        default=DEFAULT_NOTICE_DAYS,
        help_text=_("Default 30 days (the legal period is not confirmed)."),
    )

    class Meta:
        verbose_name = _("rotation plan")
        verbose_name_plural = _("rotation plans")
        ordering = ["-year", "code"]
        constraints = [
            unique(
                ["agency", "year"],
                name="rot_plan_one_per_agency_year",
                message=_("This agency already has a rotation plan for the year."),
            ),
            year_range(name="rot_plan_year_range"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.year})"

    @property
    def is_published(self) -> bool:
        return self.published_on is not None


class Rotation(VersionedModel):
    """An executed move (or, imported, a past one) of `staff` from `from_unit` to `to_unit`."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    staff = reference("people.Staff", _("staff member"), "rotations")
    kind = models.CharField(_("kind"), max_length=40, choices=RotationKind.choices)
    from_unit = reference("org.Unit", _("from unit"))
    to_unit = reference("org.Unit", _("to unit"))
    effective_on = models.DateField(_("effective on"))
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("rotation")
        verbose_name_plural = _("rotations")
        ordering = ["-effective_on", "code"]
        constraints = [
            check(
                Q(kind=RotationKind.BETWEEN_FIELDS, from_unit=F("to_unit"))
                | (~Q(kind=RotationKind.BETWEEN_FIELDS) & ~Q(from_unit=F("to_unit"))),
                name="rot_rotation_target_differs",
                message=_(
                    "A move between divisions or agencies must go to another unit; a move "
                    "between fields stays in the same division."
                ),
            ),
        ]
        indexes = [models.Index(fields=["effective_on"], name="rot_rotation_effective_idx")]

    def __str__(self) -> str:
        return f"{self.code}: {self.staff_id} {self.kind} {self.effective_on}"


class PlanItem(models.Model):
    plan = parent_reference(RotationPlan, _("plan"), "items")
    staff = reference("people.Staff", _("staff member"))
    kind = models.CharField(_("planned kind"), max_length=40, choices=RotationKind.choices)
    target_unit = reference("org.Unit", _("target unit"))
    planned_on = models.DateField(_("planned date"))
    rotation = models.OneToOneField(
        Rotation,
        verbose_name=_("executed rotation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_item",
    )

    class Meta:
        verbose_name = _("plan item")
        verbose_name_plural = _("plan items")
        ordering = ["plan_id", "planned_on", "id"]
        constraints = [
            unique(
                ["plan", "staff"],
                name="rot_planitem_once_per_plan",
                message=_("This person is already in the plan."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.staff_id} → {self.target_unit_id}"
