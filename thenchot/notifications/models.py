"""The inbox and the reminder policies.

Reminder notifications store the record's title and the day arithmetic, not a rendered
sentence: the headline is rendered when shown, in the reader's language (`headline`).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from thenchot.core.fields import parent_reference
from thenchot.core.models import check, unique
from thenchot.notifications.choices import NotificationKind
from thenchot.notifications.schedule import DEFAULT_DAYS_BEFORE, Policy, parse_days_before


def default_days_before() -> list[int]:
    return list(DEFAULT_DAYS_BEFORE)


class ReminderPolicy(models.Model):
    """When the records registered under `key` are reminded about and escalated."""

    key = models.CharField(
        _("key"),
        max_length=100,
        unique=True,
        help_text=_("The due-date source this policy applies to, e.g. directives.task."),
    )
    days_before = models.JSONField(
        _("days before the due date"),
        default=default_days_before,
        help_text=_("A reminder this many days before the due date, e.g. 7, 3, 1."),
    )
    on_due_day = models.BooleanField(_("remind on the due day"), default=True)
    overdue_every_days = models.PositiveSmallIntegerField(
        _("overdue reminder every (days)"),
        default=7,
        help_text=_(
            "An overdue reminder on the first day after the due date, then every this many "
            "days; 0 sends only the first one."
        ),
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("escalate after (days overdue)"),
        null=True,
        blank=True,
        default=3,
        help_text=_(
            "Tell the assigner's side once the record is this many days overdue; empty: never."
        ),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("reminder policy")
        verbose_name_plural = _("reminder policies")
        ordering = ["key"]
        constraints = [
            check(
                Q(escalate_after_days__isnull=True) | Q(escalate_after_days__gte=1),
                name="notif_policy_escalate_positive",
                message=_("Escalation starts at 1 day overdue at the earliest."),
            ),
        ]

    def __str__(self) -> str:
        return self.key

    def clean(self) -> None:
        super().clean()
        try:
            self.days_before = list(parse_days_before(self.days_before))
        except ValueError as exc:
            raise ValidationError({"days_before": str(exc)}) from None

    def as_policy(self) -> Policy:
        return Policy(
            key=self.key,
            days_before=parse_days_before(self.days_before),
            on_due_day=self.on_due_day,
            overdue_every_days=self.overdue_every_days,
            escalate_after_days=self.escalate_after_days,
        )


class Notification(models.Model):
    """One message in one user's inbox, e-mailed at most once."""

    recipient = parent_reference(settings.AUTH_USER_MODEL, _("recipient"), "notifications")
    kind = models.CharField(
        _("kind"), max_length=20, choices=NotificationKind.choices, default=NotificationKind.INFO
    )
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    model_label = models.CharField(_("record type"), max_length=100, blank=True, default="")
    object_id = models.PositiveBigIntegerField(_("record id"), null=True, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    offset_days = models.SmallIntegerField(
        _("day of the reminder"),
        default=0,
        help_text=_(
            "Days from the due date to the day this reminder is for (-7 … 0 … +8); "
            "0 for an escalation, which is sent once per due date."
        ),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Which reminder run created the row; conflicting re-inserts keep the first run's value,
    # so counting a run's rows counts only what it really added.
    batch = models.CharField(_("batch"), max_length=32, blank=True, default="")
    email_wanted = models.BooleanField(_("to be e-mailed"), default=False)
    email_claim = models.UUIDField(_("e-mail claim"), null=True, blank=True)
    email_claimed_at = models.DateTimeField(_("e-mail claimed at"), null=True, blank=True)
    email_attempts = models.PositiveSmallIntegerField(_("e-mail attempts"), default=0)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            # The guarantee that a reminder is never created twice, whatever the number of runs
            # or workers: the job inserts with ON CONFLICT DO NOTHING against this index.
            unique(
                ["recipient", "model_label", "object_id", "kind", "due_on", "offset_days"],
                condition=~Q(kind=NotificationKind.INFO),
                name="notif_reminder_once",
                message=_("This reminder has already been sent."),
            ),
            check(
                Q(kind=NotificationKind.INFO)
                | (Q(due_on__isnull=False) & Q(object_id__isnull=False) & ~Q(model_label="")),
                name="notif_reminder_has_record",
                message=_("A reminder needs a record and a due date."),
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notif_inbox_idx"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notif_unread_idx"
            ),
            models.Index(
                fields=["id"],
                condition=Q(email_wanted=True, emailed_at__isnull=True),
                name="notif_email_pending_idx",
            ),
            models.Index(fields=["batch"], condition=~Q(batch=""), name="notif_batch_idx"),
            models.Index(fields=["model_label", "object_id"], name="notif_record_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.recipient_id}: {self.title}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def headline(self) -> str:
        """The one-line text, in the active language."""
        kind = self.kind
        days = abs(self.offset_days)
        params: dict[str, Any] = {"title": self.title, "days": days}
        if kind == NotificationKind.REMINDER_BEFORE:
            return (
                ngettext("Due in %(days)d day: %(title)s", "Due in %(days)d days: %(title)s", days)
                % params
            )
        if kind == NotificationKind.DUE_TODAY:
            return str(_("Due today: %(title)s")) % params
        if kind == NotificationKind.OVERDUE:
            return (
                ngettext(
                    "Overdue by %(days)d day: %(title)s",
                    "Overdue by %(days)d days: %(title)s",
                    days,
                )
                % params
            )
        if kind == NotificationKind.ESCALATION:
            return str(_("Escalated, not done by the deadline: %(title)s")) % params
        return self.title

    @property
    def text(self) -> str:
        """The body, in the active language (reminders: the due date, dd/mm/yyyy)."""
        if self.kind == NotificationKind.INFO or self.due_on is None:
            return self.body
        due = date_format(self.due_on, "d/m/Y")
        if self.kind == NotificationKind.ESCALATION:
            line = str(
                _(
                    "It was due on %(due)s and is still not done. You assigned it or "
                    "oversee it; please follow it up."
                )
            ) % {"due": due}
        else:
            line = str(_("Due date: %(due)s.")) % {"due": due}
        return f"{line}\n{self.body}" if self.body else line
