from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Level(models.TextChoices):
    """The level of the agency that approved a procedure (the article's four groups)."""

    DEPARTMENT = "department", _("Department level")
    DISTRICT = "district", _("District level")
    COMMUNE = "commune", _("Commune level")
    INTER_LEVEL = "inter_level", _("Inter-level")


class DocumentKind(models.TextChoices):
    """ISO documents attached to a procedure: the forms to fill and the records it keeps."""

    FORM = "form", pgettext_lazy("procedure document", "Form")
    RECORD = "record", _("Record")


class CaseStatus(models.TextChoices):
    """A case's state on a date (computed, never stored: `processes.status`)."""

    IN_PROGRESS = "in_progress", _("In progress")
    AT_RISK = "at_risk", _("Due within one working day")
    OVERDUE = "overdue", _("Overdue")
    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")


class IntakeEventKind(models.TextChoices):
    """The case events a one-stop-shop system sends (`processes.intake`)."""

    RECEIVED = "received", _("Received")
    STEP_DONE = "step_done", _("Step done")
    RETURNED = "returned", _("Returned to the applicant")
    COMPLETED = "completed", _("Completed")
