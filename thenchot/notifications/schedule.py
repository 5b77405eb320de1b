"""When a record with a due date is reminded about: pure functions over a `Policy`.

The job asks a `DueSource` only for the due dates returned by `due_dates_for` (plus everything
overdue), then `reminders_for` decides, item by item and without queries, what it gets today.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from thenchot.notifications.choices import NotificationKind

DEFAULT_DAYS_BEFORE: tuple[int, ...] = (7, 3, 1)
MAX_DAYS_BEFORE = 365
ESCALATION_CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class Policy:
    key: str
    days_before: tuple[int, ...] = DEFAULT_DAYS_BEFORE
    on_due_day: bool = True
    # An overdue reminder on the first day after the due date, then every N days (0: only once).
    overdue_every_days: int = 7
    # Escalate to `DueItem.escalate_to` once the item is this many days overdue (None: never).
    escalate_after_days: int | None = 3


@dataclass(frozen=True)
class Reminder:
    kind: str
    #: days from the due date to the day this reminder is for (-7 … 0 … +8); 0 for an escalation,
    #: which is sent once per due date whatever day it goes out.
    offset_days: int
    escalation: bool = False


def due_dates_for(policy: Policy, on: dt.date) -> set[dt.date]:
    """Due dates (not yet passed) that get a reminder on `on`."""
    dates = {on + dt.timedelta(days=d) for d in policy.days_before if d > 0}
    if policy.on_due_day:
        dates.add(on)
    return dates


def days_overdue(on: dt.date, due_on: dt.date) -> int:
    return (on - due_on).days


def escalates(policy: Policy, late: int) -> bool:
    """Escalate from `escalate_after_days` overdue, catching up for a week of missed runs.

    Not forever: on the day the system (or a new source) starts, items that have been overdue
    for months would otherwise flood the assigners with escalations at once; those keep
    getting the weekly overdue reminders instead."""
    first = policy.escalate_after_days
    return first is not None and first <= late < first + ESCALATION_CATCH_UP_DAYS


def reminders_for(policy: Policy, on: dt.date, due_on: dt.date) -> list[Reminder]:
    """What an open item due on `due_on` gets on day `on` under `policy`.

    Escalation catches up (see `escalates`), so a day the job did not run cannot lose it; the
    unique constraint on notifications makes the repeats harmless. Reminders are for one day.
    """
    late = days_overdue(on, due_on)
    out: list[Reminder] = []
    if late < 0:
        if -late in policy.days_before:
            out.append(Reminder(NotificationKind.REMINDER_BEFORE, late))
        return out
    if late == 0:
        if policy.on_due_day:
            out.append(Reminder(NotificationKind.DUE_TODAY, 0))
        return out
    every = policy.overdue_every_days
    if late == 1 or (every > 0 and (late - 1) % every == 0):
        out.append(Reminder(NotificationKind.OVERDUE, late))
    if escalates(policy, late):
        out.append(Reminder(NotificationKind.ESCALATION, 0, escalation=True))
    return out


def parse_days_before(value: object) -> tuple[int, ...]:
    """Normalise a days-before list ("7, 3, 1" or [7, 3, 1]); ValueError with a reason."""
    if isinstance(value, str):
        parts: list[object] = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
    elif isinstance(value, (list, tuple)):
        parts = list(value)
    else:
        raise ValueError(_("Enter whole numbers of days separated by commas, e.g. 7, 3, 1."))
    days: set[int] = set()
    for part in parts:
        if isinstance(part, bool):
            raise ValueError(_("Enter whole numbers of days separated by commas, e.g. 7, 3, 1."))
        try:
            day = int(part)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            raise ValueError(
                _("“%(value)s” is not a whole number of days.") % {"value": part}
            ) from None
        if isinstance(part, float) and part != day:
            raise ValueError(_("“%(value)s” is not a whole number of days.") % {"value": part})
        if not 1 <= day <= MAX_DAYS_BEFORE:
            raise ValueError(
                _("%(day)s is not between 1 and %(max)s days.")
                % {"day": day, "max": MAX_DAYS_BEFORE}
            )
        days.add(day)
    return tuple(sorted(days, reverse=True))
