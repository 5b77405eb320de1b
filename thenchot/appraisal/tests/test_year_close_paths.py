"""The city's year close takes shortcuts that must not change a result (docs/performance.md):
a roll-up graded from each person's count and total of closed months (`rollup._from_totals`)
as the pack grades it from the months themselves; everyone's months summed up in one read (the
city's path, `close_rollup._read` without ids); the year's new rows inserted already closed on
PostgreSQL (`close_rollup._keep_new`) as they were inserted then updated; ids sent as one array
on PostgreSQL (`core.id_sets`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import closing, rollup, rules
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.rollup import StoredResult, Totals
from thenchot.appraisal.testing import add_staff, approved, open_period, with_snv_head
from thenchot.audit.models import AuditEntry
from thenchot.core.id_sets import CHUNK, id_sets
from thenchot.people.selectors import assignment_units

YEAR = rules.Period.parse("2026")
QUARTER = rules.Period.parse("2026-Q1")
L = rules.Level

# (pack, rolled period, the closed months' (level, score)); months in order from January.
CASES = [
    ("hanoi-monthly-2018", QUARTER, [(L.GOOD, "90"), (L.GOOD, "90"), (L.GOOD, "89.99")]),
    ("hanoi-monthly-2018", QUARTER, [(L.EXCELLENT, "95"), (L.NOT_RATED, None)]),
    ("hanoi-monthly-2018", QUARTER, [(L.NOT_RATED, None)]),
    ("hanoi-monthly-2018", YEAR, [(L.COMPLETE, "70.01")] * 5 + [(L.GOOD, "80")]),
    ("decree-335-2025", YEAR, [(L.GOOD, "89.99")] * 11 + [(L.EXCELLENT, "90.12")]),
    ("decree-335-2025", YEAR, [(L.GOOD, "80.5"), (L.NOT_RATED, "70"), (L.COMPLETE, None)]),
    ("decree-335-2025", YEAR, []),
]


@pytest.mark.parametrize(("pack_id", "period", "months"), CASES)
@pytest.mark.parametrize("is_head", [False, True])
def test_it_grades_a_roll_up_from_totals_as_from_the_months(pack_id, period, months, is_head):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the same level, score and trace from the count and total."""
    pack = rules.registry.get(pack_id)
    params = pack.parameters(None)
    items = [
        StoredResult(7, pack_id, month, level, None if score is None else Decimal(score))
        for month, (level, score) in zip(period.months(), months, strict=False)
    ]
    person = {
        "staff_id": 7,
        "category": rules.Category.CIVIL_SERVANT
        if pack_id == "decree-335-2025"
        else rules.Category.CONTRACT_WORKER,
        "period": period,
        "is_leader": is_head,
        "is_head": is_head,
        "discipline": (),
        "unit_result": L.COMPLETE if is_head else None,
    }
    expected = pack.rollup(items, person=rules.PersonPeriod(**person), params=params)
    rated = [i.score for i in items if i.score is not None and i.level.rated]
    totals = Totals(
        used=len(items),
        rated=len(rated),
        rated_total=sum(rated, Decimal(0)) if rated else None,
        scored=0,
        scored_total=None,
        first="",
        levels=(),
    )
    same: dict = {}
    found = rollup._from_totals(pack, totals, person, params, period, same)
    assert (found.level, found.score, found.trace) == (
        expected.level,
        expected.score,
        expected.trace,
    )
    assert found.staff_id == 7
    # Another person with the same inputs shares the call, with their own staff id.
    again = rollup._from_totals(pack, totals, {**person, "staff_id": 8}, params, period, same)
    assert len(same) == 1 and again.staff_id == 8 and again.trace == expected.trace


def _approve(period, scores):  # type: ignore[no-untyped-def]
    for ev in period.evaluations.select_related("staff"):
        if ev.rule_pack != "hanoi-monthly-2018":
            approved(ev, general="25", tasks="55")
            continue
        total = Decimal(scores.get(ev.staff.code, "80"))
        tasks = min(total - 20, Decimal(70))
        approved(ev, general="20", tasks=tasks, bonus=total - 20 - tasks)


def _close_quarter(world, workers, monkeypatch, *, city: bool):  # type: ignore[no-untyped-def]
    scores = {workers[0].code: ("90", "90", "89.99"), workers[1].code: ("85", "60", "77.77")}
    for i, code in enumerate(("2026-01", "2026-02", "2026-03")):
        period = open_period(world, code)
        _approve(period, {c: s[i] for c, s in scores.items()})
        closing.close_period(unit=world.snv, period=code)
    if city:  # everyone's months summed up in one read, as for a city
        monkeypatch.setattr("thenchot.core.id_sets.WHOLE", 0)
    closing.close_period(unit=world.snv, period="2026-Q1", dry_run=True)
    assert not Evaluation.objects.filter(period_code="2026-Q1").exists()  # a dry run writes none
    closing.close_period(unit=world.snv, period="2026-Q1")
    return {
        e.staff_id: (e.final_level, e.score, e.reasons, e.status, e.version)
        for e in Evaluation.objects.filter(period_code="2026-Q1")
    }


@pytest.mark.parametrize("city", [False, True])
def test_it_closes_a_quarter_the_same_by_either_read(world, monkeypatch, city):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the people's months read by ids or everyone's at once: the same
    rows, inserted closed (version 2, as an insert then an update left them), and audited."""
    with_snv_head(world)
    workers = add_staff(world, 4, prefix="HD", category="contract_worker")
    rows = _close_quarter(world, workers, monkeypatch, city=city)
    x, y = workers[0].pk, workers[1].pk
    assert rows[x][:2] == ("good", Decimal("90.00"))  # 89.997 graded unrounded
    assert rows[y][1] == Decimal("74.26")  # (85 + 60 + 77.77) / 3
    # Each as the year page rolls it up from the months one by one.
    for staff_id, one in rollup.rollup_many(rows, "2026-Q1").items():
        c = one.classification
        assert rows[staff_id][:3] == (c.level.value, c.score, [s.to_dict() for s in c.trace])
    assert {r[3] for r in rows.values()} == {"closed"} and {r[4] for r in rows.values()} == {2}
    assert rows[x][2][0]["rule"] == "hanoi-2018.rollup" and rows[x][2][0]["params"]["count"] == "3"
    line = AuditEntry.objects.filter(object_repr__contains="2026-Q1", action="update").get()
    members = line.after["members"]
    assert len(members["items"]) == len(rows)
    assert members["before"] == ["approved", "", None] and members["items_before"] == {}


def test_it_sends_many_ids_in_one_query_on_postgresql(db):  # type: ignore[no-untyped-def]
    """`people.selectors.assignment_units` and `core.id_sets`: one query for 2,000 ids on
    PostgreSQL, chunks under SQLite's parameter limit elsewhere."""
    ids = range(1, 2001)
    with CaptureQueriesContext(connection) as queries:
        assert assignment_units(ids, YEAR.start, YEAR.end) == {}
    expected = 1 if connection.vendor == "postgresql" else -(-2000 // CHUNK)
    assert len(queries) == expected
    assert len(list(id_sets(ids))) == expected
    assert list(id_sets([])) == []
