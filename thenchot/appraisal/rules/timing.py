"""When a year's rating is due (rules.md, `decree-335-2025` and `decree-90-2020` "Timing").

Both decrees: before 15 December of the year; Decree 335 lets agencies with special functions
rate before 15 January of the next year; Decree 90 lets education and similar units' heads set
the date (`year_deadline(..., set_by_head=date)`). A rating closed after its deadline stands (a
late rating is still the rating) but is reported late (`days_late`).
"""

from __future__ import annotations

import datetime as dt

from .base import RuleInputError

DUE_MONTH, DUE_DAY = 12, 15  # "before 15 December"
SPECIAL_MONTH, SPECIAL_DAY = 1, 15  # "before 15 January of the next year"


def year_deadline(
    year: int, *, special_functions: bool = False, set_by_head: dt.date | None = None
) -> dt.date:
    """The last day a year's rating is due: 15 December of `year`, 15 January of the next year
    for an agency with special functions, or the date the head set (within the year or up to
    the special-function deadline)."""
    latest = dt.date(year + 1, SPECIAL_MONTH, SPECIAL_DAY)
    if set_by_head is not None:
        if not dt.date(year, 1, 1) <= set_by_head <= latest:
            raise RuleInputError(
                f"deadline {set_by_head.isoformat()} lies outside {year}-01-01..{latest.isoformat()}"
            )
        return set_by_head
    if special_functions:
        return latest
    return dt.date(year, DUE_MONTH, DUE_DAY)


def days_late(deadline: dt.date, done_on: dt.date) -> int:
    """Days past the deadline (0 when on time)."""
    return max(0, (done_on - deadline).days)
