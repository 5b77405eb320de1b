"""The `evaluations` section: import of historical results, export with levels and reasons, the
round trip, a closed period that an import may not change."""

from __future__ import annotations

import json

import pytest

from thenchot.appraisal import closing
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import approved, open_period, with_snv_head
from thenchot.exchange.services import export_data, import_file


def _file(rows):  # type: ignore[no-untyped-def]
    return json.dumps({"format": "thenchot/1", "as_of": "2026-11-01", "evaluations": rows}).encode()


def test_it_imports_history_as_given_and_round_trips(world):  # type: ignore[no-untyped-def]
    rows = [
        {
            "staff": world.staff["an"].code,
            "period": "2025-06",
            "general_points": 18,
            "task_points": 65,
            "bonus_points": 5,
            "final_level": "excellent",
            "status": "closed",
        },
        {
            "staff": world.staff["lan"].code,
            "period": "2025-06",
            "general_points": 15.5,
            "task_points": 50,
            "final_level": "good",
        },
    ]
    result = import_file(data=_file(rows), filename="lich-su.json")
    assert result.ok, [str(p) for p in result.problems]
    assert result.counts["evaluations"].created == 2
    period = EvaluationPeriod.objects.get(agency=world.snv, code="2025-06")
    assert period.status == "closed"
    ev = Evaluation.objects.get(staff=world.staff["an"], period_code="2025-06")
    assert ev.final_level == "excellent" and ev.rule_pack == "hanoi-monthly-2018" and ev.imported
    first = export_data(fmt="json", sections=["evaluations"])
    again = import_file(data=first, filename="export.json")
    assert again.ok and again.counts["evaluations"].unchanged == 2
    assert export_data(fmt="json", sections=["evaluations"]) == first


def test_it_reports_every_bad_row(world):  # type: ignore[no-untyped-def]
    rows = [
        {"staff": "KHONG-CO", "period": "2025-06"},
        {"staff": world.staff["an"].code, "period": "2099-01"},
        {"staff": world.staff["an"].code, "period": "2025-07", "general_points": 25},
        {"staff": world.staff["lan"].code, "period": "2025-06", "final_level": "A", "colour": 1},
    ]
    result = import_file(data=_file(rows), filename="sai.json")
    text = "\n".join(str(p) for p in result.problems)
    assert "evaluations[0].staff" in text and "KHONG-CO" in text
    assert "evaluations[1].period" in text
    assert "evaluations[2].general_points" in text  # hanoi 2025: discipline and ethics ≤ 20
    assert "colour" in text and "evaluations[3].final_level" in text
    assert not Evaluation.objects.exists()


@pytest.fixture
def closed(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    period = open_period(world, "2026-10")
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    closing.close_period(unit=world.snv, period="2026-10")
    return period


def test_it_refuses_to_change_a_closed_period(world, closed):  # type: ignore[no-untyped-def]
    exported = json.loads(export_data(fmt="json", sections=["evaluations"]))
    row = next(r for r in exported["evaluations"] if r["staff"] == world.staff["an"].code)
    assert row["final_level"] == "good" and row["score"] == 80 and row["reasons"]
    same = import_file(data=_file(exported["evaluations"]), filename="same.json")
    assert same.ok and same.counts["evaluations"].unchanged == len(exported["evaluations"])
    row["final_level"] = "excellent"
    changed = import_file(data=_file([row]), filename="doi.json")
    assert not changed.ok and changed.problems[0].place == "evaluations[0]"
    assert (
        Evaluation.objects.get(staff=world.staff["an"], period_code="2026-10").final_level == "good"
    )
