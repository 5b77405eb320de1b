"""The one place this app reads the working-day calendar (`core.calendar`, rules.md "Working
days"): every due date, holding time and at-risk threshold of a case is computed through here, so
the rule "due at the end of the N-th working day after D, D not counted" lives in core alone.
"""

from __future__ import annotations

import datetime as dt

from thenchot.core import calendar_table
from thenchot.core.calendar import WorkingCalendar


def calendar() -> WorkingCalendar:
    """The working calendar with the editable holiday table applied."""
    return calendar_table.calendar()


def due_after(start: dt.date, days: int, cal: WorkingCalendar | None = None) -> dt.date:
    """The end of the `days`-th working day after `start` (`start` itself not counted)."""
    return (cal or calendar()).add_working_days(start, days)


def held_days(start: dt.date, end: dt.date, cal: WorkingCalendar | None = None) -> int:
    """Working days a step was held: those after `start`, up to and including `end`."""
    return (cal or calendar()).working_days_between(start, end)


def risk_threshold(on: dt.date, cal: WorkingCalendar | None = None) -> dt.date:
    """An open item due between `on` and this day is at risk on `on`: due within one working
    day."""
    return due_after(on, 1, cal)
