from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REMINDER_BEFORE = "reminder_before", _("Reminder before the due date")
    DUE_TODAY = "due_today", _("Due today")
    OVERDUE = "overdue", _("Overdue")
    ESCALATION = "escalation", _("Escalation")
    INFO = "info", _("Information")


#: Kinds created by the reminder job; at most one of each per recipient, record, due date and day.
REMINDER_KINDS = frozenset(
    {
        NotificationKind.REMINDER_BEFORE,
        NotificationKind.DUE_TODAY,
        NotificationKind.OVERDUE,
        NotificationKind.ESCALATION,
    }
)
