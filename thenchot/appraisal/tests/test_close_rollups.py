"""Roll-ups are periods that close (rules.md "Settled points" 3 and 11): a quarter or a year that
a pack rolls up from months is closed from each person's closed months — wherever they were
closed — graded unrounded, quota applied, locked and exported; refused while a month is open;
one row per person-year under the pack in force, the months beside a decree-90 year."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from thenchot.appraisal import closing
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import add_staff, approved, open_period, with_snv_head
from thenchot.directives.testing import TaskFactory
from thenchot.exchange.services import export_data
from thenchot.people.models import Assignment, Staff

MONTHS = ("2026-01", "2026-02", "2026-03")


def _approve_all(period, points):  # type: ignore[no-untyped-def]
    """Every evaluation of the period approved: contract workers (Hanoi) at `points[code]` or
    80, civil servants (Decree 335) at 80."""
    for ev in period.evaluations.select_related("staff"):
        if ev.rule_pack == "hanoi-monthly-2018":
            total = Decimal(points.get(ev.staff.code, "80"))
            tasks = min(total - 20, Decimal(70))
            approved(ev, general="20", tasks=tasks, bonus=total - 20 - tasks)
        else:
            approved(ev, general="25", tasks="55")


@pytest.fixture
def workers(world):  # type: ignore[no-untyped-def]
    """SNV with its head and seven contract workers (Hanoi monthly, rolled up by quarter)."""
    with_snv_head(world)
    return add_staff(world, 7, prefix="HD", category="contract_worker")


def _close_months(world, scores, months=MONTHS):  # type: ignore[no-untyped-def]
    for i, code in enumerate(months):
        period = open_period(world, code)
        _approve_all(period, {c: s[i] for c, s in scores.items()})
        closing.close_period(unit=world.snv, period=code)


def test_it_closes_a_quarter_from_the_closed_months(world, workers):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — 90, 90, 89.99 → 89.997 → good, shown 90.00; exported once."""
    x, y = workers[0].code, workers[1].code
    _close_months(world, {x: ("90", "90", "89.99"), y: ("95", "95", "95")})
    result = closing.close_period(unit=world.snv, period="2026-Q1")
    assert result.periods_closed == 1
    quarter = EvaluationPeriod.objects.get(agency=world.snv, code="2026-Q1")
    assert quarter.status == "closed"
    rows = {e.staff.code: e for e in quarter.evaluations.select_related("staff")}
    assert set(rows) == {w.code for w in workers}  # civil servants: Decree 335 rates quarters
    assert (rows[x].final_level, rows[x].score) == ("good", Decimal("90.00"))
    assert rows[y].final_level == "excellent" and rows[y].status == "closed"
    exported = json.loads(export_data(fmt="json", sections=["evaluations"]))["evaluations"]
    mine = [r for r in exported if r["staff"] == x and r["period"] == "2026-Q1"]
    assert len(mine) == 1 and mine[0]["score"] == 90 and mine[0]["final_level"] == "good"
    assert mine[0]["reasons"] and "89.99" not in mine[0]["reasons"][0]
    again = closing.close_period(unit=world.snv, period="2026-Q1")
    assert again.periods_closed == 0 and again.already_closed == 1


def test_it_refuses_naming_the_months_still_open(world, workers):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — refused, naming the months still open; nothing is created."""
    _close_months(world, {}, months=MONTHS[:2])
    open_period(world, MONTHS[2])
    with pytest.raises(closing.DomainError) as info:
        closing.close_period(unit=world.snv, period="2026-Q1")
    assert "2026-03 (SNV)" in str(info.value.message)
    assert not EvaluationPeriod.objects.filter(code="2026-Q1").exists()


def test_it_counts_months_closed_in_another_agency(world, workers):  # type: ignore[no-untyped-def]
    """rules.md: settled.3, settled.11 — a worker moved from STC to SNV in February counts in
    SNV (their unit on the quarter's last day) with the January STC closed."""
    mover = add_staff(world, 1, unit=world.stc_ns, prefix="CD", category="contract_worker")[0]
    january = open_period(world, "2026-01", agency=world.stc)
    _approve_all(january, {mover.code: "60"})
    closing.close_period(unit=world.stc, period="2026-01")
    Assignment.objects.filter(staff=mover).update(valid_to=dt.date(2026, 1, 31))
    Assignment.objects.create(staff=mover, unit=world.snv_cc, valid_from=dt.date(2026, 2, 1))
    Staff.objects.filter(pk=mover.pk).update(unit=world.snv_cc)
    _close_months(world, {mover.code: ("90", "90")}, months=MONTHS[1:])
    closing.close_period(unit=world.snv, period="2026-Q1")
    row = Evaluation.objects.get(staff=mover, period_code="2026-Q1")
    assert row.period.agency_id == world.snv.pk
    assert (row.score, row.final_level) == (Decimal("80.00"), "good")  # (60 + 90 + 90) / 3
    # STC has nobody to roll up: the person who left it counts in SNV only.
    with pytest.raises(closing.DomainError):
        closing.close_period(unit=world.stc, period="2026-Q1")
    assert Evaluation.objects.filter(staff=mover, period_code="2026-Q1").count() == 1


def test_it_applies_the_quota_to_the_rolled_up_levels(world, workers):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the quota applies to the roll-up (7 rated: 2 excellent allowed)."""
    top = {w.code: (score,) * 3 for w, score in zip(workers, ("97", "96", "95"), strict=False)}
    for i, code in enumerate(MONTHS):
        period = open_period(world, code)
        _approve_all(period, {c: v[i] for c, v in top.items()})
        closing.close_period(unit=world.snv, period=code, resolve_quota="by-score")
    with pytest.raises(closing.QuotaConflicts):
        closing.close_period(unit=world.snv, period="2026-Q1")
    result = closing.close_period(unit=world.snv, period="2026-Q1", resolve_quota="by-score")
    assert result.moved_by_quota == 1
    moved = Evaluation.objects.get(staff=workers[2], period_code="2026-Q1")
    assert moved.final_level == "good" and moved.reasons[-1]["rule"].startswith("quota")


def test_it_rates_a_civil_servants_2025_year_under_decree_90_with_the_months_beside(world):  # type: ignore[no-untyped-def]
    """rules.md: settled.3, pack.hanoi-monthly-2018.rollup — one row per person-year:
    decree-90 (from the tasks, settled.2), the Hanoi months' mean and levels in its reasons."""
    with_snv_head(world)
    period = open_period(world, "2025-11")
    _approve_all(period, {})
    closing.close_period(unit=world.snv, period="2025-11")
    for ev in period.evaluations.all():
        TaskFactory(
            lead_unit=ev.unit,
            assignee=ev.staff,
            assigned_on=dt.date(2025, 3, 1),
            deadline=dt.date(2025, 6, 30),
            completed_on=dt.date(2025, 6, 1),
            quality="meets",
        )
    closing.close_period(unit=world.snv, period="2025", resolve_quota="by-score")
    year = Evaluation.objects.get(staff=world.staff["an"], period_code="2025")
    assert year.rule_pack == "decree-90-2020" and year.status == "closed"
    assert year.final_level == "good"
    evidence = year.reasons[-1]
    assert evidence["rule"] == "evidence.months"
    assert evidence["params"]["count"] == "1" and evidence["params"]["score"] == "80.00"
    assert Evaluation.objects.filter(staff=world.staff["an"], period_code="2025").count() == 1


def test_it_closes_a_quarter_from_the_close_screen(client_for, world, workers):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the close screen offers the quarter and closes it."""
    from django.urls import reverse

    from thenchot.appraisal.tests.confirming import confirmed_post

    _close_months(world, {})
    client = client_for("son")
    page = client.get(reverse("appraisal:close") + "?unit=SNV&period=2026-Q1").content.decode()
    assert 'id="rollup-close-form"' in page and 'value="2026-Q1"' in page
    assert not EvaluationPeriod.objects.filter(code="2026-Q1").exists()  # the preview wrote none
    response = confirmed_post(
        client,
        reverse("appraisal:close_act"),
        {"unit": "SNV", "period": "2026-Q1", "action": "close"},
    )
    assert response.status_code in (200, 302)
    quarter = EvaluationPeriod.objects.get(agency=world.snv, code="2026-Q1")
    assert quarter.status == "closed" and quarter.evaluations.count() == len(workers)
