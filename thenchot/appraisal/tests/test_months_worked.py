"""Months worked in a Decree 90 year (rules.md "Settled points" 10): the days employed, from
`joined_on` to `left_on`, not on leave, ÷ (the year's days ÷ 12), unrounded; secondment is not
leave; maternity never caps; exactly 6 months is rated; 3 to < 6 months of other lawful leave
caps the year at `complete`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thenchot.appraisal import inputs, rollup
from thenchot.directives.testing import TaskFactory
from thenchot.people.models import Leave, Staff
from thenchot.people.testing import StaffFactory

YEAR_START, YEAR_END = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


@pytest.fixture
def employee(world):  # type: ignore[no-untyped-def]
    """A viên chức (Decree 90) with one task of 2025 done on time and exceeded: excellent."""
    person = StaffFactory(
        code="VC02", full_name="Hoàng Thị Tháng", unit=world.snv_cc, category="public_employee"
    )
    TaskFactory(
        lead_unit=world.snv_cc,
        assignee=person,
        assigned_on=d("2025-01-02"),
        deadline=d("2025-12-01"),
        completed_on=d("2025-11-20"),
        quality="exceeds",
    )
    return person


@pytest.mark.parametrize(
    ("joined", "left", "leaves", "months", "lawful", "level"),
    [
        # 182 days of 365 = 5.98: under 6, not rated
        ("2025-07-03", None, (), "5.9835", "0", "not_rated"),
        # 183 days: 6.02, rated
        ("2025-07-02", None, (), "6.0164", "0", "excellent"),
        # left on 30 June: 181 days employed
        (None, "2025-06-30", (), "5.9506", "0", "not_rated"),
        # a whole year seconded: not leave, 12 months worked, rated
        (None, None, (("secondment", "2025-01-01", "2025-12-31"),), "12", "0", "excellent"),
        # seven months of maternity: 5 months worked, rated on them, never capped
        (None, None, (("maternity", "2025-03-01", "2025-09-30"),), "4.9643", "0", "excellent"),
        # four months of sick leave: 8 worked, capped at complete
        (None, None, (("sick", "2025-05-01", "2025-08-31"),), "7.9561", "4.0438", "complete"),
        # leave after leaving is not counted twice
        (None, "2025-09-30", (("sick", "2025-09-01", "2025-12-31"),), "7.9890", "0.9863",
         "excellent"),
    ],
)  # fmt: skip
def test_it_counts_the_months_worked_from_the_records(  # type: ignore[no-untyped-def]
    world, employee, joined, left, leaves, months, lawful, level
):
    """rules.md: settled.10, pack.decree-90-2020.months."""
    Staff.objects.filter(pk=employee.pk).update(
        joined_on=d(joined) if joined else d("2010-01-01"),
        left_on=d(left) if left else None,
    )
    for i, (kind, start, end) in enumerate(leaves):
        Leave.objects.create(
            code=f"NP{i}", staff=employee, kind=kind, date_from=d(start), date_to=d(end)
        )
    full = inputs.YearPresence(Decimal(12), Decimal(0), False)
    found = inputs.presence_in([employee.pk], YEAR_START, YEAR_END).get(employee.pk, full)
    assert (found.months_worked, found.lawful_leave_months) == (Decimal(months), Decimal(lawful))
    assert rollup.rollup_for(staff=employee, period="2025").level == level


def test_it_leaves_out_someone_employed_all_year_with_no_leave(world, employee):  # type: ignore[no-untyped-def]
    """rules.md: settled.10 — nothing to count: a full year."""
    assert inputs.presence_in([employee.pk], YEAR_START, YEAR_END) == {}
