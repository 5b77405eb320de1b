"""A mixed year closed set-based gives each person what the packs give them one by one (rules.md
"Settled points" 2 and 3): the 2026 roll-ups (Decree 335 for công chức, Hanoi for contract
workers) equal the pack's own `rollup` over full `Classification`s of the closed months, and the
Decree 90 year of viên chức equals the one-person roll-up the year page shows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thenchot.appraisal import closing, inputs, rollup, rules
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import add_staff, approved, open_period, with_snv_head
from thenchot.directives.testing import TaskFactory

MONTHS = ("2026-01", "2026-02", "2026-03", "2026-04")


def _points(ev: Evaluation, i: int, month: int) -> dict[str, Decimal]:
    """Points spread over people and months (no two people alike across the months)."""
    if ev.rule_pack == "hanoi-monthly-2018":
        general = Decimal(12 + (i + month) % 9)
        tasks = Decimal(45 + (i * 7 + month * 3) % 24) + Decimal("0.25") * (i % 4)
        return {"general": general, "tasks": tasks, "bonus": Decimal((i + month) % 6)}
    general = Decimal(18 + (i + 2 * month) % 13) + Decimal("0.5") * (month % 2)
    tasks = Decimal(40 + (i * 5 + month * 11) % 31) + Decimal("0.01") * (i % 7)
    return {"general": general, "tasks": tasks}


@pytest.fixture
def mixed(world):  # type: ignore[no-untyped-def]
    """SNV's head, 6 công chức, 5 contract workers and 5 viên chức (Decree 90 for their year,
    each with own tasks), four months of 2026 closed with points spread."""
    with_snv_head(world)
    add_staff(world, 6, prefix="CC")
    add_staff(world, 5, prefix="HD", category="contract_worker")
    employees = add_staff(world, 5, prefix="VC", category="public_employee")
    for n, person in enumerate(employees):
        for k in range(2 + n % 3):
            done = dt.date(2026, 3 + k, 10) if k < 2 + n % 2 else None
            TaskFactory(
                lead_unit=person.unit,
                assignee=person,
                assigned_on=dt.date(2026, 1, 5),
                deadline=dt.date(2026, 3 + k, 10 + n % 2),
                completed_on=done,
                quality="exceeds" if n == 0 else "meets",
            )
    for month, code in enumerate(MONTHS, start=1):
        period = open_period(world, code)
        for i, ev in enumerate(period.evaluations.order_by("staff__code")):
            approved(ev, **_points(ev, i, month))
        move = closing.heads_naming_ties(unit=world.snv, period=code)
        closing.close_period(unit=world.snv, period=code, resolve_quota="by-score", move=move)
    return employees


def _months_as_classifications(ev: Evaluation) -> list[rules.Classification]:
    return [
        rules.Classification(
            staff_id=m.staff_id,
            pack_id=m.rule_pack,
            pack_version=m.pack_version,
            period=rules.Period.parse(m.period_code),
            category=rules.Category(m.category),
            is_leader=m.is_leader,
            is_head=m.is_head,
            level=rules.Level(m.final_level),
            proposed_level=rules.Level(m.final_level),
            score=m.score,
            trace=(),
        )
        for m in Evaluation.objects.filter(
            staff_id=ev.staff_id, period_code__in=MONTHS, status="closed"
        ).order_by("period_code")
    ]


@pytest.mark.parametrize("whole", [False, True], ids=["by-people", "whole-read"])
def test_a_mixed_year_closes_as_the_packs_give_each_person(world, mixed, whole, monkeypatch):  # type: ignore[no-untyped-def]
    """rules.md: settled.2, settled.3 — the close's levels, scores and first reasons equal the
    pack's one-person results (quota moves aside), whether the months are read for the people
    found or whole (a city's close: `core.id_sets.WHOLE`)."""
    if whole:
        monkeypatch.setattr("thenchot.core.id_sets.WHOLE", 0)
    move = closing.heads_naming_ties(unit=world.snv, period="2026")
    result = closing.close_period(
        unit=world.snv, period="2026", resolve_quota="by-score", move=move
    )
    years = list(Evaluation.objects.filter(period_code="2026").select_related("staff"))
    assert result.evaluations == len(years) >= 17
    packs = {ev.rule_pack for ev in years}
    assert packs == {"decree-335-2025", "hanoi-monthly-2018", "decree-90-2020"}
    compared = 0
    for ev in years:
        assert ev.status == "closed" and ev.final_level
        if any(str(step["rule"]).startswith("quota") for step in ev.reasons):
            continue  # moved by the quota: its level is the quota's, checked elsewhere
        if ev.rule_pack == "decree-90-2020":
            alone = rollup.rollup_for(staff=ev.staff, period="2026")
            assert alone.level == ev.final_level, ev.staff.code
            assert ev.reasons[-1]["rule"] == "evidence.months"
            compared += 1
            continue
        if ev.is_head:
            continue  # capped by the unit's result: the one-person path reads it the same way
        pack = rules.registry.get(ev.rule_pack)
        expected = pack.rollup(
            _months_as_classifications(ev),
            person=rules.PersonPeriod(
                staff_id=ev.staff_id,
                category=rules.Category(ev.category),
                period=rules.Period.parse("2026"),
                is_leader=ev.is_leader,
                is_head=False,
            ),
            params=inputs.current_params(pack.id)[0],
        )
        assert (ev.final_level, ev.score) == (expected.level.value, expected.score), ev.staff.code
        assert ev.reasons[0]["rule"] == expected.trace[0].rule
        compared += 1
    assert compared >= 12
    # The same people rolled up one by one (the year page's path) agree with the close.
    rolled = rollup.rollup_many(
        [ev.staff_id for ev in years if ev.rule_pack != "decree-90-2020"], "2026"
    )
    for ev in years:
        found = rolled.get(ev.staff_id)
        if found is not None and not any("quota" in str(s["rule"]) for s in ev.reasons):
            assert found.level == ev.final_level, ev.staff.code
            assert [line.period for line in found.periods] == list(MONTHS)


def test_a_roll_up_names_each_period_it_refuses(world):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — a quarter among a Hanoi year's months, another person's month and
    a month of another year are each named (the messages are made only on failure)."""
    pack = rules.registry.get("hanoi-monthly-2018")
    year = rules.Period.parse("2026")

    def stored(staff_id: int, code: str) -> rollup.StoredResult:
        return rollup.StoredResult(
            staff_id, pack.id, rules.Period.parse(code), rules.Level.GOOD, Decimal("80")
        )

    person = rules.PersonPeriod(staff_id=1, category=rules.Category("contract_worker"), period=year)
    with pytest.raises(rules.RuleInputError) as caught:
        pack.rollup(
            [
                stored(1, "2026-01"),
                stored(2, "2026-02"),
                stored(1, "2025-12"),
                stored(1, "2026-Q2"),
            ],
            person=person,
        )
    text = "; ".join(caught.value.messages)
    assert "periods[1] (2026-02): belongs to staff 2, not 1" in text
    assert "periods[2] (2025-12): outside 2026" in text
    assert "periods[3] (2026-Q2): a quarter cannot be rolled up under hanoi-monthly-2018" in text
    assert "periods[0]" not in text
    good = pack.rollup([stored(1, "2026-02"), stored(1, "2026-01")], person=person)
    assert good.level is rules.Level.GOOD and good.score == Decimal("80.00")
