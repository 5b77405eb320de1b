"""Quarter and year from the months: the graded mean (Hanoi), the mean of the period scores with
a former unit's months (Decree 335), Decree 90's months worked and leave."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thenchot.appraisal import closing, rollup
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import approved, open_period, with_snv_head
from thenchot.people.models import Assignment, Leave
from thenchot.people.testing import StaffFactory


def _close_month(world, code, agency, points):  # type: ignore[no-untyped-def]
    period = open_period(world, code, agency=agency)
    for ev in period.evaluations.select_related("staff"):
        general, tasks = points.get(ev.staff.code, ("18", "60"))
        approved(ev, general=general, tasks=tasks)
    closing.close_period(unit=agency, period=code, resolve_quota="by-score")
    return period


def test_it_grades_the_mean_of_a_contract_workers_months(world):  # type: ignore[no-untyped-def]
    """rules.md: pack.hanoi-monthly-2018.rollup."""
    with_snv_head(world)
    worker = StaffFactory(
        code="HD01", full_name="Lê Thị Hợp Đồng", unit=world.snv_cc, category="contract_worker"
    )
    scores = {"2026-07": ("20", "70"), "2026-08": ("20", "70"), "2026-09": ("10", "55")}
    for code, pts in scores.items():
        _close_month(world, code, world.snv, {"HD01": pts})
    assert (
        Evaluation.objects.get(staff=worker, period_code="2026-07").rule_pack
        == "hanoi-monthly-2018"
    )
    result = rollup.rollup_for(staff=worker, period="2026-Q3")
    assert result.classification is not None
    assert result.classification.score == Decimal("81.67")  # (90 + 90 + 65) / 3
    assert result.level == "good" and len(result.periods) == 3


def test_it_counts_the_months_a_former_unit_closed(world):  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-335-2025.annual."""
    with_snv_head(world)
    an = world.staff["an"]
    _close_month(world, "2026-01", world.snv, {an.code: ("30", "65")})  # 95
    Assignment.objects.filter(staff=an).update(valid_to=dt.date(2026, 1, 31))
    Assignment.objects.create(staff=an, unit=world.stc_ns, valid_from=dt.date(2026, 2, 1))
    an.unit = world.stc_ns
    an.save()
    _close_month(world, "2026-02", world.stc, {an.code: ("25", "50")})  # 75
    result = rollup.rollup_for(staff=an, period="2026")
    assert {line.agency for line in result.periods} == {"SNV", "STC"}
    assert result.classification.pack_id == "decree-335-2025"
    assert result.classification.score == Decimal("85") and result.level == "good"


@pytest.fixture
def employee(world):  # type: ignore[no-untyped-def]
    return StaffFactory(
        code="VC01", full_name="Trần Thị Viên Chức", unit=world.snv_cc, category="public_employee"
    )


def test_it_does_not_rate_under_six_months_worked(world, employee):  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.months, settled.10."""
    Leave.objects.create(
        code="NP1",
        staff=employee,
        kind="sick",
        date_from=dt.date(2025, 3, 1),
        date_to=dt.date(2025, 9, 30),
    )
    result = rollup.rollup_for(staff=employee, period="2025")
    assert result.classification.pack_id == "decree-90-2020"
    assert result.level == "not_rated"


def test_it_caps_three_to_six_months_of_leave_at_complete(world, employee):  # type: ignore[no-untyped-def]
    """rules.md: pack.decree-90-2020.months."""
    from thenchot.directives.testing import TaskFactory

    TaskFactory(
        lead_unit=world.snv,
        assignee=employee,
        assigned_on=dt.date(2025, 2, 1),
        deadline=dt.date(2025, 6, 1),
        completed_on=dt.date(2025, 5, 20),
        quality="exceeds",
    )
    Leave.objects.create(
        code="NP2",
        staff=employee,
        kind="sick",
        date_from=dt.date(2025, 7, 1),
        date_to=dt.date(2025, 10, 31),
    )
    result = rollup.rollup_for(staff=employee, period="2025")
    assert result.classification.proposed_level.value == "excellent"
    assert result.level == "complete"
    assert result.classification.trace[-1].rule == "override.leave"
