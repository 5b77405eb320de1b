"""The working-day calendar: pure Python, no Django, every app's one way to count working days.

A day is a working day unless it is a weekend day or a public holiday, and the year's table of
decisions (the `holidays` interchange section: "nghỉ bù" days off, "làm bù" working Saturdays)
overrides both (rules.md "Working days").

- Public holidays are those of Labour Code 2019 art. 112(1): Tết Dương lịch (1/1), Tết Nguyên
  đán (5 days), Giỗ Tổ Hùng Vương (10/3 lunar), 30/4, 1/5, and 2/9 with the day before or after.
  The lunar dates come from the `holidays` package's Vietnam calendar, not from a conversion of
  our own.
- A holiday on a weekly day off gives a compensatory day off on the next working day
  (art. 112(3)): the package's "observed" days.
- The government's yearly swaps (a weekday off against a Saturday worked) that the package
  knows are taken too; the table is where an agency records the rest, and it wins.

Counting (rules.md working-days.count): a case received on D with a limit of N working days is
due at the end of the N-th working day after D; D itself is not counted.

Every year is computed once into a sorted list of its working days (ordinals), so adding and
counting are a binary search and a little arithmetic: a few microseconds a call.
"""

from __future__ import annotations

import datetime as dt
import threading
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "DayInfo",
    "Override",
    "WorkingCalendar",
    "YearSource",
    "add_working_days",
    "due_dates",
    "is_working_day",
    "vietnam_year",
    "working_days_between",
]

SATURDAY, SUNDAY = 5, 6
WEEKEND: frozenset[int] = frozenset({SATURDAY, SUNDAY})
# Years the calendar answers for: the package knows Vietnam's rules from 1995 (observed days,
# art. 115 of the 1994 code); beyond 2200 a date is a typo, not a deadline.
FIRST_YEAR, LAST_YEAR = 1995, 2200

# Why a day is what it is, for the trace the pages show.
WEEKDAY = "weekday"
WEEKEND_DAY = "weekend"
HOLIDAY = "holiday"
SWAPPED_WORKDAY = "swapped_workday"  # a weekend day the government made a working day
TABLE = "table"


@dataclass(frozen=True)
class Override:
    """One row of the editable table: a date that is a working day or a day off, whatever the
    computed calendar says."""

    day: dt.date
    working: bool
    name: str = ""


@dataclass(frozen=True)
class YearFacts:
    """What a year's public calendar says apart from weekends: its holidays (with their names,
    compensatory days included) and the weekend days made working days by a swap."""

    holidays: Mapping[dt.date, str]
    weekend_workdays: frozenset[dt.date] = frozenset()


YearSource = Callable[[int], YearFacts]


@dataclass(frozen=True)
class DayInfo:
    """A day, whether it is worked, and the rule that decided it (`reason`: weekday, weekend,
    holiday, swapped_workday or table) with the holiday's or the table's name."""

    day: dt.date
    working: bool
    reason: str
    name: str = ""


def vietnam_year(year: int) -> YearFacts:
    """Vietnam's public holidays of `year` from the `holidays` package, named in Vietnamese:
    Labour Code 2019 art. 112(1) days, lunar Tết and Hùng Kings' day, the compensatory days off
    of art. 112(3) ("nghỉ bù", the package's observed days) and the swaps it knows."""
    import holidays  # imported here: building the package's tables is only needed once a year

    calendar = holidays.country_holidays("VN", years=year, language="vi", observed=True)
    days = {day: str(name) for day, name in calendar.items() if day.year == year}
    workdays = frozenset(day for day in calendar.weekend_workdays if day.year == year)
    return YearFacts(holidays=days, weekend_workdays=workdays)


class _Year:
    """One year, precomputed: its working days as sorted ordinals."""

    __slots__ = ("year", "working", "first", "last")

    def __init__(self, year: int, working: list[int]) -> None:
        self.year = year
        self.working = working
        self.first = dt.date(year, 1, 1).toordinal()
        self.last = dt.date(year, 12, 31).toordinal()

    def rank(self, ordinal: int) -> int:
        """How many working days of the year fall on or before the day."""
        return bisect_right(self.working, ordinal)


class WorkingCalendar:
    """Weekends, the public holidays of every year, and the table's overrides, which win.

    `overrides` maps a date to True (a working day, e.g. a "làm bù" Saturday) or False (a day
    off); `names` optionally names them. `source` gives a year's holidays (Vietnam's by default;
    tests pass their own). Immutable once built: a changed table is a new calendar.
    """

    def __init__(
        self,
        overrides: Mapping[dt.date, bool] | Iterable[Override] = (),
        *,
        source: YearSource = vietnam_year,
        weekend: Iterable[int] = WEEKEND,
    ) -> None:
        if isinstance(overrides, Mapping):
            rows = [Override(day, bool(working)) for day, working in overrides.items()]
        else:
            rows = list(overrides)
        self._overrides: dict[dt.date, Override] = {row.day: row for row in rows}
        self._source = source
        self._weekend = frozenset(weekend)
        self._years: dict[int, _Year] = {}
        self._facts: dict[int, YearFacts] = {}
        self._lock = threading.Lock()

    # -- one day --------------------------------------------------------------------------------
    @property
    def overrides(self) -> Mapping[dt.date, Override]:
        return dict(self._overrides)

    def explain(self, day: dt.date) -> DayInfo:
        """Whether `day` is worked and why (the table first, then holidays, then the week)."""
        row = self._overrides.get(day)
        if row is not None:
            return DayInfo(day, row.working, TABLE, row.name)
        facts = self._year_facts(_check_year(day.year))
        if day.weekday() in self._weekend:
            if day in facts.weekend_workdays:
                return DayInfo(day, True, SWAPPED_WORKDAY)
            return DayInfo(day, False, WEEKEND_DAY, facts.holidays.get(day, ""))
        name = facts.holidays.get(day)
        if name is not None:
            return DayInfo(day, False, HOLIDAY, name)
        return DayInfo(day, True, WEEKDAY)

    def is_working_day(self, day: dt.date) -> bool:
        return self._is_worked_in(self._year(day.year), day)

    def days_off(self, year: int) -> list[DayInfo]:
        """The year's days off that are not ordinary weekends, and its worked weekend days: what
        a page lists as "the year's calendar"."""
        self._year(year)
        start = dt.date(year, 1, 1)
        out: list[DayInfo] = []
        for offset in range((dt.date(year, 12, 31) - start).days + 1):
            info = self.explain(start + dt.timedelta(days=offset))
            if info.reason != WEEKDAY and not (info.reason == WEEKEND_DAY and not info.name):
                out.append(info)
        return out

    # -- adding and counting --------------------------------------------------------------------
    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The N-th working day after `start` (`start` itself not counted, worked or not); for a
        negative N the N-th working day before it; `start` itself for 0.

        rules.md working-days.count: a case received on D with N working days is due at the end
        of `add_working_days(D, N)`."""
        if n == 0:
            return start
        year = self._year(start.year)
        # The position of the day to reach among the year's working days, 1-based; a negative
        # or too large position walks into the years before or after.
        position = year.rank(start.toordinal()) + n
        if n < 0 and not self._is_worked_in(year, start):
            position += 1  # `start` holds no position of its own: the one before it is the rank
        while position > len(year.working):
            position -= len(year.working)
            year = self._year(year.year + 1)
        while position <= 0:
            year = self._year(year.year - 1)
            position += len(year.working)
        return dt.date.fromordinal(year.working[position - 1])

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """The working days after `start` up to and including `end`: how late a case finished on
        `end` was when its due date is `start`. When `end` comes first, minus the working days
        from `end` up to the day before `start`. Either way the inverse of `add_working_days`."""
        if end < start:
            day = dt.timedelta(days=1)
            return -self.working_days_between(end - day, start - day)
        first = self._year(start.year)
        last = self._year(end.year)
        if first is last:
            return last.rank(end.toordinal()) - first.rank(start.toordinal())
        total = len(first.working) - first.rank(start.toordinal())
        for year in range(start.year + 1, end.year):
            total += len(self._year(year).working)
        return total + last.rank(end.toordinal())

    def due_dates(self, received: dt.date, steps_days: Sequence[int]) -> list[dt.date]:
        """Each step's due date when every step counts from the previous step's due date (the
        first from the day received): the case's due date is the last. A step of zero or fewer
        days is refused, naming the step and the value."""
        out: list[dt.date] = []
        day = received
        for index, days in enumerate(steps_days, start=1):
            if days <= 0:
                raise ValueError(
                    f"step {index}: a limit must be at least 1 working day, got {days}"
                )
            day = self.add_working_days(day, days)
            out.append(day)
        return out

    # -- years ----------------------------------------------------------------------------------
    def _is_worked_in(self, year: _Year, day: dt.date) -> bool:
        index = bisect_right(year.working, day.toordinal())
        return index > 0 and year.working[index - 1] == day.toordinal()

    def _year_facts(self, year: int) -> YearFacts:
        facts = self._facts.get(year)
        if facts is None:
            facts = self._source(year)
            self._facts[year] = facts
        return facts

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is not None:
            return found
        _check_year(year)
        with self._lock:  # one thread builds a year; the others wait and reuse it
            found = self._years.get(year)
            if found is None:
                found = self._build(year)
                self._years[year] = found
        return found

    def _build(self, year: int) -> _Year:
        facts = self._year_facts(year)
        first = dt.date(year, 1, 1).toordinal()
        last = dt.date(year, 12, 31).toordinal()
        working: list[int] = []
        for ordinal in range(first, last + 1):
            day = dt.date.fromordinal(ordinal)
            row = self._overrides.get(day)
            if row is not None:
                worked = row.working
            elif day.weekday() in self._weekend:
                worked = day in facts.weekend_workdays
            else:
                worked = day not in facts.holidays
            if worked:
                working.append(ordinal)
        if not working:  # a year with no working day would make adding loop forever
            raise ValueError(f"the calendar of {year} has no working day")
        return _Year(year, working)


def _check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"the working-day calendar covers {FIRST_YEAR}–{LAST_YEAR}, not {year}")
    return year


# -- the calendar without a table, for callers that have no overrides at hand -------------------
_plain: WorkingCalendar | None = None


def plain_calendar() -> WorkingCalendar:
    """Weekends and public holidays only (no table): the Django side gives the table's
    calendar (`core.calendar_table.calendar()`)."""
    global _plain
    if _plain is None:
        _plain = WorkingCalendar()
    return _plain


def is_working_day(day: dt.date, *, calendar: WorkingCalendar | None = None) -> bool:
    return (calendar or plain_calendar()).is_working_day(day)


def add_working_days(start: dt.date, n: int, *, calendar: WorkingCalendar | None = None) -> dt.date:
    return (calendar or plain_calendar()).add_working_days(start, n)


def working_days_between(
    start: dt.date, end: dt.date, *, calendar: WorkingCalendar | None = None
) -> int:
    return (calendar or plain_calendar()).working_days_between(start, end)


def due_dates(
    received: dt.date, steps_days: Sequence[int], *, calendar: WorkingCalendar | None = None
) -> list[dt.date]:
    return (calendar or plain_calendar()).due_dates(received, steps_days)
