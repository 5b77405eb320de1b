from django.db import models
from django.utils.translation import gettext_lazy as _


class RotationKind(models.TextChoices):
    # Decree 59/2019: the three forms of periodic rotation; luân chuyển of leaders is apart.
    BETWEEN_DIVISIONS = (
        "between_divisions_same_specialty",
        _("Between divisions, same specialty"),
    )
    BETWEEN_FIELDS = "between_fields_within_division", _("Between fields within a division")
    BETWEEN_AGENCIES = "between_agencies", _("Between agencies")
    CADRE_ROTATION = "cadre_rotation", _("Cadre rotation of a leader (luân chuyển)")


PERIODIC_KINDS = (
    RotationKind.BETWEEN_DIVISIONS,
    RotationKind.BETWEEN_FIELDS,
    RotationKind.BETWEEN_AGENCIES,
)


class PostponementReason(models.TextChoices):
    # Decree 59/2019 (art. 38 per secondary sources): rotation is not carried out while ...
    DISCIPLINARY_REVIEW = "disciplinary_review", _("Under disciplinary review")
    INSPECTION = "inspection", _("Under examination, verification or inspection")
    INVESTIGATION = "investigation", _("Under investigation, prosecution or trial")
    SERIOUS_ILLNESS = "serious_illness", _("Treatment for a serious illness")
    LONG_STUDY = "long_study", _("Full-time study of 12 months or more")
    SECONDMENT = "secondment", _("Seconded")
    PREGNANCY = "pregnancy", _("Pregnant or on maternity leave")
    YOUNG_CHILD = "young_child", _("Raising a child under 36 months")
    OTHER = "other", _("Other reason recorded by the personnel unit")


# Reasons a person records by hand: the others come from records that already say so.
MANUAL_REASONS = (
    PostponementReason.INSPECTION,
    PostponementReason.INVESTIGATION,
    PostponementReason.SERIOUS_ILLNESS,
    PostponementReason.PREGNANCY,
    PostponementReason.OTHER,
)


class DueStatus(models.TextChoices):
    DUE = "due", _("Due")
    UPCOMING = "upcoming", _("Due soon")
    POSTPONED = "postponed", _("Postponed")
    EXEMPT = "exempt", _("Exempt (under 18 months to retirement)")
