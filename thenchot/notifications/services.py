"""Writes: send a message to people's inboxes, mark read, edit reminder policies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation

from thenchot.core import auditing
from thenchot.core.errors import OutOfScope
from thenchot.notifications.choices import NotificationKind
from thenchot.notifications.models import Notification, ReminderPolicy


def _user_ids(recipients: Iterable[Any]) -> list[int]:
    ids: list[int] = []
    for r in recipients:
        if r is None:
            continue
        pk = r if isinstance(r, int) else getattr(r, "pk", None)
        if pk is not None and pk not in ids:
            ids.append(int(pk))
    return ids


# A text, or a callable giving it in the active language (evaluated once per language).
Text = str | Callable[[], Any]


def _text(value: Text) -> str:
    return str(value() if callable(value) else value)


def notify(
    *,
    recipients: Iterable[Any],
    title: Text,
    body: Text = "",
    url: str = "",
    kind: str = NotificationKind.INFO,
    model_label: str = "",
    object_id: int | None = None,
    due_on: dt.date | None = None,
    email: bool = True,
) -> list[Notification]:
    """Put a message in the inbox of each recipient (users or user ids; inactive ones are
    skipped) and, if `email`, queue it for e-mail (sent by the `notifications.send_emails` job).

    `title` and `body` are stored as text: pass a callable returning it to have it written in
    each recipient's language (`User.language`, else the site's), or a string already in it."""
    ids = _user_ids(recipients)
    if not ids:
        return []
    users = (
        get_user_model()
        .objects.filter(pk__in=ids, is_active=True)
        .values_list("pk", "email", "language")
    )
    texts: dict[str, tuple[str, str]] = {}

    def in_language(language: str) -> tuple[str, str]:
        if language not in texts:
            with translation.override(language or settings.LANGUAGE_CODE):
                texts[language] = (_text(title), _text(body))
        return texts[language]

    rows = [
        Notification(
            recipient_id=pk,
            kind=kind,
            title=in_language(language)[0][:300],
            body=in_language(language)[1],
            url=str(url)[:500],
            model_label=model_label,
            object_id=object_id,
            due_on=due_on,
            email_wanted=email and bool(address),
        )
        for pk, address, language in users
    ]
    for row in rows:
        row.full_clean(exclude=["recipient"], validate_unique=False, validate_constraints=False)
    # Reminder kinds are unique per recipient/record/day: a repeat is silently not stored.
    Notification.objects.bulk_create(rows, ignore_conflicts=kind != NotificationKind.INFO)
    return rows


def mark_read(*, user: Any, notification: Notification) -> Notification:
    if notification.recipient_id != getattr(user, "pk", None):
        raise OutOfScope()
    if notification.read_at is None:
        now = timezone.now()
        Notification.objects.filter(
            pk=notification.pk, recipient_id=user.pk, read_at__isnull=True
        ).update(read_at=now)
        notification.read_at = now
    return notification


def mark_all_read(*, user: Any) -> int:
    """Mark every unread notification of `user` read; returns how many were unread."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise OutOfScope()
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def policy_save(*, policy: ReminderPolicy) -> ReminderPolicy:
    """Create or change a reminder policy (Django admin), audited with before/after."""
    with transaction.atomic():
        before = None
        if policy.pk is not None:
            old = ReminderPolicy.objects.select_for_update().filter(pk=policy.pk).first()
            before = auditing.snapshot(old) if old is not None else None
        policy.full_clean()
        policy.save()
        auditing.record(
            policy, action=auditing.UPDATE if before is not None else auditing.CREATE, before=before
        )
    return policy


def policy_delete(*, policy: ReminderPolicy) -> None:
    """Delete a policy: its key falls back to the default (7, 3, 1 days; overdue weekly)."""
    with transaction.atomic():
        before = auditing.snapshot(policy)
        auditing.record(policy, action=auditing.DELETE, before=before)
        policy.delete()
