from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    CONCLUSION = "conclusion", _("Conclusion")
    DIRECTIVE = "directive", _("Directive")
    NOTICE = "notice", _("Notice")
    PLAN = "plan", _("Plan")
    DECISION = "decision", _("Decision")
    OTHER = "other", _("Other")


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Quality(models.TextChoices):
    EXCEEDS = "exceeds", _("Exceeds requirements")
    MEETS = "meets", _("Meets requirements")
    BELOW = "below", _("Below requirements")


class TaskStatus(models.TextChoices):
    """A task's status on a date D (rules.md, "Tasks: status on a date D")."""

    COMPLETED_ON_TIME = "completed_on_time", _("Completed on time")
    COMPLETED_LATE = "completed_late", _("Completed late")
    OVERDUE = "overdue", _("Overdue")
    IN_PROGRESS = "in_progress", _("In progress")


class ExtensionStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
