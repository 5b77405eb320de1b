"""The reminder run: ask every registered `DueSource` for what is due, create the inbox rows.

Set-based throughout: one call per source (the source promises a fixed number of queries), one
user lookup per slice of unknown user ids, one INSERT ... ON CONFLICT DO NOTHING per batch.
The unique constraint `notif_reminder_once` is what makes a second run, or a second worker
running at the same moment, create nothing twice.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model

from thenchot.core.due import DueItem
from thenchot.core.registry import due_sources
from thenchot.notifications.models import Notification
from thenchot.notifications.schedule import Policy, due_dates_for, reminders_for
from thenchot.notifications.selectors import policies, policy_for

BATCH = 2000
_USER_SLICE = 900  # stays under SQLite's bound-parameter limit


@dataclass(frozen=True)
class ReminderRun:
    on: dt.date
    sources: int
    items: int
    created: int


class _Users:
    """Active users' e-mail addresses, looked up once per slice of new ids."""

    def __init__(self) -> None:
        self.known: dict[int, str | None] = {}  # None: inactive or missing, gets nothing

    def load(self, ids: Iterable[int]) -> None:
        missing = sorted({i for i in ids if i not in self.known})
        User = get_user_model()
        for start in range(0, len(missing), _USER_SLICE):
            chunk = missing[start : start + _USER_SLICE]
            for pk in chunk:
                self.known[pk] = None
            rows = User.objects.filter(pk__in=chunk, is_active=True).values_list("pk", "email")
            for pk, email in rows:
                self.known[pk] = email or ""


def _insert(
    pending: list[tuple[DueItem, Policy]], *, on: dt.date, token: str, users: _Users
) -> None:
    wanted: dict[tuple[int, str, int, str, dt.date, int], Notification] = {}
    plans = []
    ids: set[int] = set()
    for item, policy in pending:
        plan = reminders_for(policy, on, item.due_on)
        if plan:
            plans.append((item, plan))
            ids.update(item.recipients)
            ids.update(item.escalate_to)
    users.load(ids)
    for item, plan in plans:
        for reminder in plan:
            targets = item.escalate_to if reminder.escalation else item.recipients
            for uid in targets:
                email = users.known.get(uid)
                if email is None:
                    continue
                key = (
                    uid,
                    item.model_label,
                    item.object_id,
                    reminder.kind,
                    item.due_on,
                    reminder.offset_days,
                )
                if key in wanted:
                    continue
                wanted[key] = Notification(
                    recipient_id=uid,
                    kind=reminder.kind,
                    title=item.title[:300],
                    url=item.url[:500],
                    model_label=item.model_label,
                    object_id=item.object_id,
                    due_on=item.due_on,
                    offset_days=reminder.offset_days,
                    batch=token,
                    email_wanted=bool(email),
                )
    if not wanted:
        return
    # Same order in every worker, so two concurrent inserts take row locks in the same order
    # (no deadlock between them on PostgreSQL; the later one simply skips the conflicts).
    rows = [wanted[k] for k in sorted(wanted, key=lambda k: (k[0], k[1], k[2], k[3], k[4], k[5]))]
    Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)


def run_reminders(*, on: dt.date, batch_size: int = BATCH) -> ReminderRun:
    """Create today's reminders and escalations for every registered source."""
    token = uuid.uuid4().hex
    stored = policies()
    users = _Users()
    n_sources = n_items = 0
    for key, source in due_sources.items():
        n_sources += 1
        policy = policy_for(getattr(source, "policy_key", key), stored=stored)
        items = source.items(on=on, due_dates=due_dates_for(policy, on), overdue=True)
        pending: list[tuple[DueItem, Policy]] = []
        for item in items:
            n_items += 1
            pending.append((item, policy))
            if len(pending) >= batch_size:
                _insert(pending, on=on, token=token, users=users)
                pending = []
        if pending:
            _insert(pending, on=on, token=token, users=users)
    created = Notification.objects.filter(batch=token).count()
    return ReminderRun(on=on, sources=n_sources, items=n_items, created=created)
