"""Commendations: a decision that honours one staff member or one unit (a collective).

A commendation is for a person *or* a unit, never both and never neither: the service refuses
it with the values named, and a named check constraint holds every row. An agency recognised
for outstanding results may be given the higher quota of excellent results through a quota
override of the evaluation app (`services.commendation_grant_quota`, rules.md "Settled points"
14); the override carries the commendation's decision number and date, which link the two
(`selectors.overrides_of`, `selectors.commendation_of_override`).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thenchot.commendations.choices import CommendationKind
from thenchot.core.codes import AddressableCode
from thenchot.core.fields import reference
from thenchot.core.models import VersionedModel, check

# A commendation's code opens its page (`core.codes`): official numbers may hold "/".
COMMENDATION_CODE = AddressableCode("commendations:detail")


class Commendation(VersionedModel):
    code = models.CharField(_("code"), max_length=60, unique=True, validators=[COMMENDATION_CODE])
    staff = reference("people.Staff", _("staff member"), "commendations", optional=True)
    unit = reference("org.Unit", _("unit"), "commendations", optional=True)
    kind = models.CharField(
        _("form of commendation"), max_length=30, choices=CommendationKind.choices
    )
    decision_number = models.CharField(_("decision number"), max_length=120, blank=True)
    decided_on = models.DateField(_("decided on"))
    issued_by = models.CharField(
        _("issued by"),
        max_length=200,
        blank=True,
        help_text=_("The authority that signed the decision, for example the City chairman."),
    )
    reason = models.TextField(_("reason"), blank=True)
    innovation = models.BooleanField(
        _("dares to think, dares to act"),
        default=False,
        db_default=False,
        help_text=_("Ticked for an innovation: someone who dared to think and dared to act."),
    )

    class Meta:
        verbose_name = _("commendation")
        verbose_name_plural = _("commendations")
        ordering = ["-decided_on", "code"]
        constraints = [
            check(
                Q(staff__isnull=False, unit__isnull=True)
                | Q(staff__isnull=True, unit__isnull=False),
                name="comm_commendation_staff_xor_unit",
                message=_(
                    "A commendation is for one staff member or for one unit, not both and not "
                    "neither."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["decided_on"], name="comm_decided_idx"),
            models.Index(fields=["unit", "decision_number"], name="comm_unit_decision_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.kind} {self.decided_on}"

    @property
    def subject_code(self) -> str:
        if self.staff is not None:
            return str(self.staff.code)
        return str(self.unit.code) if self.unit is not None else ""

    @property
    def subject_name(self) -> str:
        if self.staff is not None:
            return str(self.staff.full_name)
        return str(self.unit.name) if self.unit is not None else ""
