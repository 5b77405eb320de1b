"""Who is due for periodic rotation, as a pure function (no Django; mypy --strict clean).

Anti-Corruption Law 2018 art. 25 and Decree 59/2019: a non-leader in a listed position rotates
when the position's period (24–60 months) is reached. Exempt: less than 18 months to
retirement. Postponed while a legal reason holds (disciplinary review; inspection,
investigation or prosecution; serious illness; full-time study of 12 months or more;
secondment; pregnancy or a child under 36 months — for a man, as sole carer). Leaders move
under cadre rotation instead and are never in this list.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

EXEMPT_MONTHS = 18
CHILD_MONTHS = 36
LONG_STUDY_MONTHS = 12

DUE = "due"
UPCOMING = "upcoming"
POSTPONED = "postponed"
EXEMPT = "exempt"


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class Blocker:
    """A reason that postpones rotation, with its dates (end None: still holds)."""

    reason: str
    start: dt.date
    end: dt.date | None
    source: str = ""  # where it comes from: "case KL-2025-0001", "leave NP-12", ...

    def active_on(self, on: dt.date) -> bool:
        return self.start <= on and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Entry:
    status: str  # due, upcoming, postponed, exempt
    due_on: dt.date
    months_in_position: int
    blockers: tuple[Blocker, ...] = ()
    exempt_since: dt.date | None = None  # 18 months before retirement


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from `start` to `end` (0 when end is before start)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def evaluate(
    *,
    in_position_since: dt.date,
    period_months: int,
    retirement_on: dt.date | None,
    blockers: Sequence[Blocker],
    on: dt.date,
    within_months: int = 0,
) -> Entry | None:
    """The person's line in the due list on `on`, or None when not due within `within_months`.

    Exemption wins over postponement (it is the only full exemption); a postponement is shown
    with every reason holding on `on`.
    """
    due_on = add_months(in_position_since, period_months)
    horizon = add_months(on, within_months)
    if due_on > horizon:
        return None
    months = months_between(in_position_since, on)
    if retirement_on is not None:
        exempt_since = add_months(retirement_on, -EXEMPT_MONTHS)
        # "Less than 18 months left" on the day the move would happen (today when overdue).
        if max(due_on, on) > exempt_since:
            return Entry(EXEMPT, due_on, months, exempt_since=exempt_since)
    holding = tuple(b for b in blockers if b.active_on(on))
    if holding:
        return Entry(POSTPONED, due_on, months, blockers=holding)
    return Entry(DUE if due_on <= on else UPCOMING, due_on, months)


# -- blockers from records ------------------------------------------------------------------------
def study_is_long(start: dt.date, end: dt.date) -> bool:
    return end >= add_months(start, LONG_STUDY_MONTHS) - dt.timedelta(days=1)


def child_blocker(
    *, born_on: dt.date, sole_carer: bool, mother: bool, source: str = ""
) -> Blocker | None:
    """A child under 36 months postpones a mother's rotation, or a father's as sole carer."""
    if not (mother or sole_carer):
        return None
    end = add_months(born_on, CHILD_MONTHS) - dt.timedelta(days=1)
    return Blocker("young_child", born_on, end, source)
