"""The pure working-day calendar (core.calendar), against the government's published calendars
and by properties: weekends, Labour Code 2019 art. 112 holidays with the lunar ones, observed
days off, the table's overrides, and adding and counting working days."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.core.calendar import (
    HOLIDAY,
    TABLE,
    WEEKDAY,
    Override,
    WorkingCalendar,
    YearFacts,
    add_working_days,
    due_dates,
    working_days_between,
)

D = dt.date
CAL = WorkingCalendar()


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# (first, last) day off of a holiday run, as the government announced it for the public sector;
# the working days on each side are checked too.
OFFICIAL_RUNS = [
    # Tết Bính Ngọ 2026: off Saturday 14/2 to Sunday 22/2 (29 Tết to mùng 4 + weekends).
    (D(2026, 2, 14), D(2026, 2, 22)),
    # Tết Quý Mão 2023: off Friday 20/1 to Thursday 26/1.
    (D(2023, 1, 20), D(2023, 1, 26)),
    # Hùng Kings' day 2023 on Saturday 29/4, 30/4 on Sunday: 29/4 to 3/5, two days off in lieu.
    (D(2023, 4, 29), D(2023, 5, 3)),
    # Hùng Kings' day 2026 on Sunday 26/4: the Monday after is the compensatory day off.
    (D(2026, 4, 25), D(2026, 4, 27)),
    # 30/4–1/5/2026 on Thursday and Friday: off to Sunday 3/5.
    (D(2026, 4, 30), D(2026, 5, 3)),
    # National Day 2025: 2/9 (Tuesday) with the adjacent Monday 1/9.
    (D(2025, 8, 30), D(2025, 9, 2)),
    # 1/1/2023 on a Sunday: Monday 2/1 off in lieu.
    (D(2022, 12, 31), D(2023, 1, 2)),
]


@pytest.mark.parametrize(("first", "last"), OFFICIAL_RUNS)
def test_it_follows_the_official_holiday_calendars(first: dt.date, last: dt.date) -> None:
    """Tết and Hùng Kings' day on their lunar dates, art. 112 days and their observed days off
    (rules.md: working-days.skip, working-days.table, working-days.observed)."""
    assert [d for d in _days(first, last) if CAL.is_working_day(d)] == []
    assert CAL.is_working_day(first - dt.timedelta(days=1))
    assert CAL.is_working_day(last + dt.timedelta(days=1))


def test_it_names_the_day_and_the_rule() -> None:
    """The trace a page shows (rules.md: working-days.table)."""
    tet = CAL.explain(D(2026, 2, 17))
    assert (tet.working, tet.reason, tet.name) == (False, HOLIDAY, "Tết Nguyên Đán")
    observed = CAL.explain(D(2026, 4, 27))
    assert observed.reason == HOLIDAY and "nghỉ bù" in observed.name
    assert CAL.explain(D(2026, 2, 24)).reason == WEEKDAY


def test_it_skips_weekends() -> None:
    """(rules.md: working-days.skip)"""
    assert not CAL.is_working_day(D(2026, 3, 7))  # Saturday
    assert not CAL.is_working_day(D(2026, 3, 8))  # Sunday
    assert add_working_days(D(2026, 3, 6), 1) == D(2026, 3, 9)


def test_it_honours_a_compensatory_working_saturday_from_the_table() -> None:
    """A "làm bù" Saturday is worked and a "nghỉ bù" weekday is not: the table wins over the
    computed days, both ways (rules.md: working-days.table, working-days.observed)."""
    table = WorkingCalendar(
        [
            Override(D(2026, 3, 14), True, "Làm bù"),  # a Saturday
            Override(D(2026, 3, 16), False, "Nghỉ bù"),  # a Monday
            Override(D(2026, 2, 20), True, "Làm việc (mùng 4)"),  # a computed holiday
        ]
    )
    assert table.is_working_day(D(2026, 3, 14))
    assert table.explain(D(2026, 3, 14)).reason == TABLE
    assert not table.is_working_day(D(2026, 3, 16))
    assert table.is_working_day(D(2026, 2, 20))
    # Friday 13/3 + 1 working day is the Saturday; + 2 skips Sunday and the Monday off.
    assert table.add_working_days(D(2026, 3, 13), 1) == D(2026, 3, 14)
    assert table.add_working_days(D(2026, 3, 13), 2) == D(2026, 3, 17)
    assert CAL.add_working_days(D(2026, 3, 13), 2) == D(2026, 3, 17)  # Mon 16, Tue 17


def test_it_takes_the_governments_swaps_that_the_package_knows() -> None:
    """2025: Saturday 26/4 worked for Friday 2/5 off (rules.md: working-days.table)."""
    assert CAL.is_working_day(D(2025, 4, 26))
    assert not CAL.is_working_day(D(2025, 5, 2))


# (received, limit in working days, due): D not counted, the N-th working day after it.
DUE = [
    (D(2026, 2, 12), 1, D(2026, 2, 13)),  # Thursday → Friday before Tết
    (D(2026, 2, 12), 2, D(2026, 2, 23)),  # over the nine days of Tết 2026
    (D(2026, 2, 14), 1, D(2026, 2, 23)),  # received on a day off: the first working day after
    (D(2026, 4, 24), 1, D(2026, 4, 28)),  # over Hùng Kings' Sunday and its Monday in lieu
    (D(2026, 3, 2), 5, D(2026, 3, 9)),  # a plain week
    (D(2025, 12, 31), 1, D(2026, 1, 2)),  # over New Year, into the next year
    (D(2026, 3, 2), 0, D(2026, 3, 2)),
]


@pytest.mark.parametrize(("received", "days", "due"), DUE)
def test_it_counts_n_working_days_after_the_day_received(
    received: dt.date, days: int, due: dt.date
) -> None:
    """(rules.md: working-days.count)"""
    assert add_working_days(received, days) == due
    assert working_days_between(received, due) == days


def test_it_chains_step_due_dates_from_the_previous_due_date() -> None:
    """Each step counts from the previous step's due date (rules.md: working-days.count)."""
    assert due_dates(D(2026, 2, 10), [3, 2, 5]) == [D(2026, 2, 13), D(2026, 2, 24), D(2026, 3, 3)]


@pytest.mark.parametrize("days", [0, -2])
def test_it_refuses_a_step_of_no_days(days: int) -> None:
    """(rules.md: working-days.count)"""
    with pytest.raises(ValueError, match=f"step 2: .* got {days}"):
        due_dates(D(2026, 2, 10), [3, days])


def test_it_refuses_a_year_outside_the_calendar() -> None:
    with pytest.raises(ValueError, match="not 1990"):
        CAL.is_working_day(D(1990, 1, 2))


def test_it_reads_a_year_from_the_source_once() -> None:
    calls: list[int] = []

    def source(year: int) -> YearFacts:
        calls.append(year)
        return YearFacts(holidays={D(year, 1, 1): "Tết Dương lịch"})

    cal = WorkingCalendar(source=source)
    for _ in range(3):
        cal.add_working_days(D(2026, 12, 30), 3)
    assert calls == [2026, 2027]


days_2020s = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))
TABLE_CAL = WorkingCalendar(
    {D(2026, 3, 14): True, D(2027, 1, 4): False, D(2026, 2, 20): True, D(2028, 6, 3): True}
)


@given(
    start=days_2020s,
    n=st.integers(min_value=1, max_value=800),
    cal=st.sampled_from([CAL, TABLE_CAL]),
)
def test_it_lands_adding_on_a_working_day(start: dt.date, n: int, cal: WorkingCalendar) -> None:
    """(rules.md: working-days.count, working-days.skip)"""
    due = cal.add_working_days(start, n)
    assert due > start and cal.is_working_day(due)


@given(
    start=days_2020s,
    n=st.integers(min_value=-800, max_value=800),
    cal=st.sampled_from([CAL, TABLE_CAL]),
)
def test_it_makes_counting_the_inverse_of_adding(
    start: dt.date, n: int, cal: WorkingCalendar
) -> None:
    """(rules.md: working-days.count)"""
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(a=days_2020s, b=days_2020s)
def test_it_counts_the_working_days_one_by_one(a: dt.date, b: dt.date) -> None:
    """Counting agrees with walking the days (rules.md: working-days.count)."""
    first, last = min(a, b), max(a, b)
    if (last - first).days > 400:
        last = first + dt.timedelta(days=400)
    days = _days(first, last)
    walked = sum(TABLE_CAL.is_working_day(d) for d in days[1:])
    assert TABLE_CAL.working_days_between(first, last) == walked
    back = sum(TABLE_CAL.is_working_day(d) for d in days[:-1])
    assert TABLE_CAL.working_days_between(last, first) == -back


@given(start=days_2020s, n=st.integers(min_value=0, max_value=600), k=st.integers(1, 50))
def test_it_is_monotone_in_the_number_of_days(start: dt.date, n: int, k: int) -> None:
    """More working days never give an earlier date (rules.md: working-days.count)."""
    assert TABLE_CAL.add_working_days(start, n) < TABLE_CAL.add_working_days(start, n + k)


@given(start=days_2020s, steps=st.lists(st.integers(1, 30), min_size=1, max_size=8))
def test_it_adds_the_steps_up_to_the_whole_limit(start: dt.date, steps: list[int]) -> None:
    """Chained step limits end where the sum of the limits ends (rules.md: working-days.count)."""
    dates = CAL.due_dates(start, steps)
    assert dates[-1] == CAL.add_working_days(start, sum(steps))
    assert dates == sorted(dates)
