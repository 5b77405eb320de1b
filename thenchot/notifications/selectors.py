"""Reads: a user's inbox, unread counts, what was sent about a record, reminder policies."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet

from thenchot.notifications.choices import REMINDER_KINDS
from thenchot.notifications.models import Notification, ReminderPolicy
from thenchot.notifications.schedule import Policy


def inbox(*, user: Any, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first. Nobody reads another user's inbox."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(recipient_id=user.pk)
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    return qs.order_by("-created_at", "-id")


def unread_count(*, user: Any) -> int:
    if user is None or not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def for_record(*, model_label: str, object_id: int) -> QuerySet[Notification]:
    """Reminders, escalations and messages sent about one record, oldest first (the
    "checking and urging done" part of a record's page). The caller checks the reader may see
    the record itself."""
    return (
        Notification.objects.filter(model_label=model_label, object_id=object_id)
        .select_related("recipient")
        .order_by("created_at", "id")
    )


def reminder_counts(*, model_label: str, object_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """{object_id: {kind: number of notifications}} for reminder kinds, in one query."""
    ids = list(object_ids)
    out: dict[int, dict[str, int]] = {}
    if not ids:
        return out
    rows = (
        Notification.objects.filter(
            model_label=model_label, object_id__in=ids, kind__in=list(REMINDER_KINDS)
        )
        .values("object_id", "kind")
        .annotate(n=Count("id"))
    )
    for row in rows:
        object_id = row["object_id"]
        if object_id is not None:  # always: filtered on `object_id__in`
            out.setdefault(object_id, {})[row["kind"]] = row["n"]
    return out


def policies() -> dict[str, Policy]:
    """Every stored policy by key; keys without a row use `policy_for`'s default."""
    return {row.key: row.as_policy() for row in ReminderPolicy.objects.all()}


def policy_for(key: str, *, stored: dict[str, Policy] | None = None) -> Policy:
    stored = policies() if stored is None else stored
    return stored.get(key) or Policy(key=key)
