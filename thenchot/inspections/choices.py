from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    PLANNED = "planned", _("Planned")
    # Unannounced: the target unit must not learn of it before it starts.
    SURPRISE = "surprise", _("Surprise")
    # Ordered by a higher level; linked to the order (`ordered_by`).
    VERIFICATION = "verification", _("Verification")


class Topic(models.TextChoices):
    DISCIPLINE = "discipline", _("Administrative discipline")
    WORK_RESULTS = "work_results", _("Counting work results")
    ADMINISTRATIVE_PROCEDURES = "administrative_procedures", _("Administrative procedures")
    COMPLAINTS_DENUNCIATIONS = "complaints_denunciations", _("Complaints and denunciations")
    PETITIONS = "petitions", _("Citizens' petitions")


class Severity(models.TextChoices):
    MINOR = "minor", _("Minor")
    MODERATE = "moderate", _("Moderate")
    SERIOUS = "serious", _("Serious")


class ChecklistResult(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


class ReportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class RecommendationStatus(models.TextChoices):
    """A recommendation's status on a date D (derived, never stored)."""

    DONE = "done", _("Done")
    AWAITING_REVIEW = "awaiting_review", _("Remediation awaiting review")
    OVERDUE = "overdue", _("Overdue")
    OPEN = "open", _("Open")
