"""Scheduled jobs: the daily reminder run (hourly, idempotent) and e-mail delivery."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from thenchot.core.jobs import job
from thenchot.notifications.delivery import send_pending_emails
from thenchot.notifications.reminders import run_reminders


def _as_date(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return timezone.localdate()
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


@job("notifications.send_reminders", every_seconds=3600)
def send_reminders(on: dt.date | str | None = None) -> dict[str, int | str]:
    """Reminders and escalations due on `on` (default: today in Hanoi), then their e-mails.

    Runs hourly: the first run of the day creates the reminders, later runs create nothing
    (and pick up records whose due date changed during the day)."""
    run = run_reminders(on=_as_date(on))
    emailed = send_pending_emails()
    return {
        "on": run.on.isoformat(),
        "sources": run.sources,
        "items": run.items,
        "created": run.created,
        "emailed": emailed,
    }


@job("notifications.send_emails", every_seconds=60)
def send_emails() -> dict[str, int]:
    """E-mail what `notify` queued (and anything a failed run left behind)."""
    return {"emailed": send_pending_emails()}
