"""The editable table of days off and worked days, and the working-day calendar built on it.

`calendar()` is what every app calls: the pure `core.calendar.WorkingCalendar` with the table's
rows as overrides, rebuilt only when the `calendar` counter moves (every write here bumps it),
so a request or a batch of 200,000 cases reads the table once.

Writes go through `holiday_save` / `holiday_delete` (pages, admin) or the `holidays` interchange
section (`core.calendar_interchange`); all of them audit, bump the counter and, once committed,
tell `core.registry.calendar_changed` which dates changed, so that an app with due dates counted
in working days (processes) recomputes the open records they touch, in background batches.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core.calendar import Override, WorkingCalendar
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.errors import OutOfScope
from thenchot.core.models import Holiday, bump, read_counter
from thenchot.core.registry import calendar_changed
from thenchot.core.services import full_clean

log = logging.getLogger(__name__)

COUNTER = "calendar"

_lock = threading.Lock()
_cache: tuple[int, WorkingCalendar] | None = None


def calendar() -> WorkingCalendar:
    """The working-day calendar with the table's overrides (one counter read per call; the
    table is read again only after a change)."""
    global _cache
    version = read_counter(COUNTER)
    cached = _cache
    if cached is not None and cached[0] == version:
        return cached[1]
    with _lock:
        cached = _cache
        if cached is None or cached[0] != version:
            rows = [
                Override(day, working, name)
                for day, working, name in Holiday.objects.values_list("date", "working", "name")
            ]
            cached = (version, WorkingCalendar(rows))
            _cache = cached
    return cached[1]


def changed(dates: Iterable[dt.date]) -> None:
    """The table changed on `dates`, inside the current transaction: the cached calendar is
    dropped now, and `calendar_changed` hears of the dates once the transaction commits (a
    rolled-back change recomputes nothing)."""
    days = frozenset(dates)
    if not days:
        return
    bump(COUNTER)
    transaction.on_commit(lambda: notify(days))


def refresh() -> None:
    """Drop the cached calendar after a change that moves no working day (a name)."""
    bump(COUNTER)


def notify(days: frozenset[dt.date]) -> None:
    """Call every `calendar_changed` receiver; one that fails is logged and the others run (the
    table is already committed: a receiver's failure must not hide it from the others)."""
    for name, receiver in calendar_changed.items():
        try:
            receiver(days)
        except Exception:
            log.exception("calendar_changed receiver %s failed", name)


def _require_admin(scope: Any) -> None:
    # The table is the city's: only a city-wide administrator (or the system) changes it.
    if scope is not None and not (scope.city_wide and getattr(scope, "can_write_org", False)):
        raise OutOfScope(_("Only a city-wide administrator can change the table of holidays."))


def holiday_save(
    *,
    scope: Any,
    day: dt.date,
    name: str,
    working: bool,
    expected_version: int | None = None,
    reason: str | None = None,
) -> Holiday:
    """Create the table's row for `day`, or change it (`expected_version`: the version read)."""
    _require_admin(scope)
    with transaction.atomic():
        holiday = Holiday.objects.select_for_update().filter(date=day).first()
        if holiday is None:
            holiday = Holiday(date=day, name=name.strip(), working=working)
            full_clean(holiday)
            holiday.save(force_insert=True)
            auditing.record(holiday, action=auditing.CREATE, reason=reason)
            changed([day])
            return holiday
        before = auditing.snapshot(holiday)
        was_working = holiday.working
        holiday.name = name.strip()
        holiday.working = working
        full_clean(holiday)
        save_versioned(
            holiday,
            expected_version=expected_version if expected_version is not None else holiday.version,
            fields=["name", "working"],
        )
        auditing.record(holiday, action=auditing.UPDATE, before=before, reason=reason)
        if was_working != working:
            changed([day])
        else:
            refresh()  # only the name changed: nothing moves, but the trace shows names
        return holiday


def holiday_delete(
    *, scope: Any, holiday: Holiday, expected_version: int, reason: str | None = None
) -> None:
    """Remove the table's row: its date goes back to the computed calendar."""
    _require_admin(scope)
    with transaction.atomic():
        before = auditing.snapshot(holiday)
        deleted, _rows = Holiday.objects.filter(pk=holiday.pk, version=expected_version).delete()
        if not deleted:
            raise ConcurrentUpdate()
        auditing.record(holiday, action=auditing.DELETE, before=before, reason=reason)
        changed([holiday.date])
