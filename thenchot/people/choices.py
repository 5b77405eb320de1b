from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffCategory(models.TextChoices):
    CADRE = "cadre", _("Cadre (cán bộ)")
    CIVIL_SERVANT = "civil_servant", _("Civil servant (công chức)")
    PUBLIC_EMPLOYEE = "public_employee", _("Public employee (viên chức)")
    CONTRACT_WORKER = "contract_worker", _("Contract worker (người lao động)")


class HeadRole(models.TextChoices):
    HEAD = "head", _("Head")
    DEPUTY = "deputy", _("Deputy head")


class LeaveKind(models.TextChoices):
    MATERNITY = "maternity", _("Maternity leave")
    SICK = "sick", _("Sick leave / serious illness")
    STUDY = "study", _("Full-time study")
    SECONDMENT = "secondment", _("Secondment")
    UNPAID = "unpaid", _("Unpaid leave")
    OTHER = "other", _("Other")


class AssignmentReason(models.TextChoices):
    """Why an assignment began (the interchange's `assignments.reason`)."""

    APPOINTMENT = "appointment", _("Appointment")
    ROTATION = "rotation", _("Rotation")
    TRANSFER = "transfer", _("Transfer")
    REORGANISATION = "reorganisation", _("Reorganisation")
    SECONDMENT = "secondment", _("Secondment")
    OTHER = "other", _("Other")
