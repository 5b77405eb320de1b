"""Shared arrangements of the procedure tests.

The calendar is fixed for the tests: weekends, Tết 2025 (Monday 27 to Friday 31 January off)
and one compensatory working Saturday (8
February 2025), so dates do not depend on the `holidays` package's tables.
STC (minh, unit head) owns procedure QT-01: step 1 by STC-NS (its staff), step 2 by the unit
head role over STC. An (staff of SNV-TC) is responsible for nothing there.
"""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core import calendar_table
from thenchot.core.calendar import WorkingCalendar, YearFacts
from thenchot.people.testing import StaffFactory
from thenchot.processes.testing import ProcessFactory, with_steps

TET = [dt.date(2025, 1, 27) + dt.timedelta(days=i) for i in range(5)]
MAKEUP_SATURDAY = dt.date(2025, 2, 8)


def _facts(year: int) -> YearFacts:
    return YearFacts(holidays={d: "Tết" for d in TET if d.year == year})


@pytest.fixture(autouse=True)
def fixed_calendar(monkeypatch):
    cal = WorkingCalendar({MAKEUP_SATURDAY: True}, source=_facts)
    monkeypatch.setattr(calendar_table, "calendar", lambda: cal)
    return cal


@pytest.fixture
def officer(world):
    """Ngô Thị Thu, an officer of STC-NS: responsible for step 1 of QT-01."""
    from thenchot.accounts.testing import UserFactory

    user = UserFactory.create(username="thu", first_name="Ngô Thị Thu")
    StaffFactory.create(code="P900", full_name="Ngô Thị Thu", unit=world.stc_ns, user=user)
    return user


@pytest.fixture
def procedure(world):
    process = ProcessFactory.create(
        code="QT-01", owner_unit=world.stc, approved_on=dt.date(2025, 1, 2)
    )
    return with_steps(
        process,
        ("Tiếp nhận và thẩm định", 3, world.stc_ns, ""),
        ("Lãnh đạo phê duyệt", 3, world.stc, "unit_head"),
    )
