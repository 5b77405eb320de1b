"""Closing a Decree 90 year from the records (rules.md "Settled points" 2): own tasks counted by
effective deadline and status on the year's last day, the targets of the unit a leader heads or
is deputy of, the managed units' results, counts given by the evaluation where the tasks are
not in the system, and refusals that name the person and what is missing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import closing, inputs, rules
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import with_snv_head
from thenchot.directives.testing import TaskFactory
from thenchot.exchange.services import export_data, import_file
from thenchot.org.testing import EPOCH
from thenchot.people.models import HeadAssignment
from thenchot.people.testing import StaffFactory

YEAR = "2024"
ASSIGNED = dt.date(2024, 2, 1)


def _file(rows):  # type: ignore[no-untyped-def]
    return json.dumps({"format": "thenchot/1", "as_of": "2026-11-01", "evaluations": rows}).encode()


def _task(*, unit, assignee=None, due="2024-06-30", done="2024-06-20", quality="meets"):  # type: ignore[no-untyped-def]
    return TaskFactory(
        lead_unit=unit,
        assignee=assignee,
        assigned_on=ASSIGNED,
        deadline=dt.date.fromisoformat(due),
        completed_on=dt.date.fromisoformat(done) if done else None,
        quality=quality if done else "",
    )


@pytest.fixture
def year(world):  # type: ignore[no-untyped-def]
    """SNV's 2024 (Decree 90 for công chức), every evaluation approved: an (non-leader), lan
    (non-leader), hoa (head of SNV-TC), a deputy of SNV-CC who belongs to SNV, son (head of
    SNV) with counts given by hand."""
    son = with_snv_head(world)
    deputy = StaffFactory(code="PP01", full_name="Phạm Văn Phó", unit=world.snv, is_leader=True)
    HeadAssignment.objects.create(unit=world.snv_cc, staff=deputy, role="deputy", valid_from=EPOCH)
    an, lan, hoa = world.staff["an"], world.staff["lan"], world.staff["hoa"]
    _task(unit=world.snv_tc, assignee=an)
    _task(unit=world.snv_tc, assignee=an, due="2024-12-31", done="2024-12-31")
    _task(unit=world.snv_tc, assignee=an, due="2025-01-15", done=None)  # due next year
    for i in range(4):
        _task(unit=world.snv, assignee=lan, due=f"2024-0{i + 3}-10", done=f"2024-0{i + 3}-09")
    _task(unit=world.snv, assignee=lan, due="2024-11-10", done="2024-11-12")  # late: 1 of 5 short
    _task(unit=world.snv_tc, assignee=hoa)  # hoa's own: on time
    for _ in range(3):  # SNV-TC: an's 2, hoa's 1, 3 open: 3 of 6 targets completed
        _task(unit=world.snv_tc, done=None)
    _task(unit=world.snv_cc, assignee=deputy)  # the deputy's own, led by SNV-CC: on time
    _task(unit=world.snv_cc, quality="")  # no quality: counts as meets
    _task(unit=world.snv, done=None)  # SNV's own target: not completed
    rows = [{"staff": s.code, "period": YEAR, "status": "approved"} for s in (an, lan, hoa, deputy)]
    rows.append(
        {
            "staff": son.code,
            "period": YEAR,
            "status": "approved",
            "own_tasks_due": 4,
            "own_tasks_completed": 4,
            "own_tasks_on_time": 4,
            "own_tasks_exceeded": 0,
        }
    )
    result = import_file(data=_file(rows), filename="nam-2024.json")
    assert result.ok, [str(p) for p in result.problems]
    return deputy


def _levels(world, deputy):  # type: ignore[no-untyped-def]
    staff = {**world.staff, "deputy": deputy}
    return {
        name: Evaluation.objects.get(staff=staff[name], period_code=YEAR).final_level
        for name in ("an", "lan", "hoa", "deputy", "son")
    }


def test_it_closes_a_decree_90_year_from_the_tasks(world, year):  # type: ignore[no-untyped-def]
    """rules.md: settled.2, pack.decree-90-2020.inputs."""
    result = closing.close_period(unit=world.snv, period=YEAR)
    assert result.periods_closed == 1
    assert _levels(world, year) == {
        "an": "good",  # 2 of 2 on time, none exceeded; the task due in 2025 does not count
        "lan": "complete",  # 1 of 5 late: 20% short
        "hoa": "not_complete",  # SNV-TC completed 3 of 6 targets: not over 70%
        "deputy": "good",  # SNV-CC, the unit they are deputy of: all on time
        "son": "not_complete",  # given counts: good; of SNV-TC and SNV-CC, 50% complete
    }
    an = Evaluation.objects.get(staff=world.staff["an"], period_code=YEAR)
    assert "own tasks 100% on time, 0% exceeded, 0% short" in rules.base.step_text(an.reasons[0])


def test_it_refuses_a_person_with_no_task_and_no_counts(world, year):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — refused, naming the person and what is missing."""
    minh = StaffFactory(code="P900", full_name="Trần Thị Thiếu", unit=world.snv_tc)
    assert import_file(
        data=_file([{"staff": minh.code, "period": YEAR, "status": "approved"}]),
        filename="them.json",
    ).ok
    with pytest.raises(closing.NotReady) as info:
        closing.close_period(unit=world.snv, period=YEAR)
    text = str(info.value.message)
    assert "Trần Thị Thiếu (P900)" in text and "own_tasks_due" in text
    assert "task shares are missing" not in text


@pytest.mark.parametrize(
    ("counts", "field", "words"),
    [
        ((3, 4, 2, 0), "own_tasks_completed", "more than the own tasks due"),
        ((4, 3, 4, 0), "own_tasks_on_time", "more than the own tasks completed"),
        ((4, 2, 2, 3), "own_tasks_exceeded", "more than the own tasks completed"),
        ((0, 0, 0, 0), "own_tasks_due", "at least one own task"),
        ((4, -1, 0, 0), "own_tasks_completed", "is negative"),
        ((4, None, 1, 0), "own_tasks_completed", "go together"),
    ],
)
def test_it_refuses_unsound_counts_naming_the_person_and_value(world, counts, field, words):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — on time ≤ completed ≤ due and exceeded ≤ completed."""
    row = {"staff": world.staff["an"].code, "period": YEAR, "status": "approved"}
    names = ("own_tasks_due", "own_tasks_completed", "own_tasks_on_time", "own_tasks_exceeded")
    row.update({n: v for n, v in zip(names, counts, strict=True) if v is not None})
    result = import_file(data=_file([row]), filename="sai.json")
    assert not result.ok
    text = "\n".join(str(p) for p in result.problems)
    assert field in text and words in text and world.staff["an"].code in text
    assert not Evaluation.objects.filter(period_code=YEAR).exists()


def test_it_refuses_counts_under_a_pack_that_has_none(world):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — the counts are Decree 90's."""
    row = {"staff": world.staff["an"].code, "period": "2024-05", "own_tasks_due": 2}
    result = import_file(data=_file([row]), filename="sai.json")
    assert not result.ok and "has no own task counts" in str(result.problems[0])


def test_it_exports_the_given_counts(world, year):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — the counts travel in the `evaluations` section."""
    exported = json.loads(export_data(fmt="json", sections=["evaluations"]))["evaluations"]
    son = next(r for r in exported if r["staff"] == "P100")
    assert (son["own_tasks_due"], son["own_tasks_on_time"]) == (4, 4)
    an = next(r for r in exported if r["staff"] == world.staff["an"].code)
    assert "own_tasks_due" not in an


def test_it_reads_the_year_set_based(world, year):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — no query per person: ten more people, the same number of queries."""
    people = [
        inputs.Decree90Person(s.pk, s.category, s.is_leader, s.unit_id)
        for s in (world.staff["an"], world.staff["hoa"], year)
    ]
    period = rules.Period.parse(YEAR)
    rule = rules.Decree90Parameters().unit
    with CaptureQueriesContext(connection) as few:
        inputs.decree90_inputs(people, period, rule)
    more = people + [
        inputs.Decree90Person(s.pk, s.category, True, s.unit_id)
        for s in [StaffFactory(unit=world.snv_tc, is_leader=True) for _ in range(10)]
    ]
    with CaptureQueriesContext(connection) as many:
        inputs.decree90_inputs(more, period, rule)
    assert len(many.captured_queries) == len(few.captured_queries)


@pytest.mark.parametrize(
    ("completed_on", "deadline", "quality", "fact"),
    [
        ("2024-06-01", "2024-06-30", "meets", (True, True, False, False)),
        ("2024-06-01", "2024-06-30", "", (True, True, False, False)),  # no quality: meets
        ("2024-06-01", "2024-06-30", "below", (True, True, False, True)),
        ("2024-07-01", "2024-06-30", "exceeds", (True, False, True, True)),  # late, exceeded
        ("2025-01-02", "2024-12-20", "exceeds", (False, False, False, True)),  # after the year
        (None, "2024-06-30", "", (False, False, False, True)),
    ],
)
def test_it_counts_a_task_on_the_years_last_day(completed_on, deadline, quality, fact):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — completed, on time, exceeded (on time or not), short."""
    found = rules.TaskFact.of(
        completed_on=dt.date.fromisoformat(completed_on) if completed_on else None,
        effective_deadline=dt.date.fromisoformat(deadline),
        quality=quality,
        year_end=dt.date(2024, 12, 31),
    )
    assert (found.completed, found.on_time, found.exceeded, found.short) == fact


def test_it_shows_the_counts_and_the_tasks_on_the_year_page(client_for, world, year):  # type: ignore[no-untyped-def]
    """rules.md: settled.2 — the person's year page shows the counts and the tasks behind them."""
    from django.urls import reverse

    html = client_for("an").get(reverse("appraisal:results") + f"?year={YEAR}").content.decode()
    assert 'class="small own-task-counts" data-due="2"' in html
    from thenchot.directives.models import Task

    mine = Task.objects.filter(assignee=world.staff["an"]).order_by("deadline")
    assert all(f'data-task="{t.code}"' in html for t in mine[:2])
    assert f'data-task="{mine[2].code}"' not in html  # due in 2025


def test_it_counts_the_closed_year_in_the_report(world, year):  # type: ignore[no-untyped-def]
    """rules.md: settled.3 — the report's `evaluations.years` counts the closed year periods
    ending within the range (shared/spec/report.md)."""
    from thenchot.appraisal import selectors

    closing.close_period(unit=world.snv, period=YEAR)
    block = selectors.report_block(
        unit=world.snv,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 31),
        as_of=dt.date(2024, 12, 31),
    )
    assert block["years"]["rated"] == 5
    assert block["years"]["by_level"] == {
        "excellent": 0,
        "good": 2,
        "complete": 1,
        "not_complete": 2,
        "not_rated": 0,
    }
    assert block["rated"] == 0  # no month closed
    before = selectors.report_block(
        unit=world.snv,
        date_from=dt.date(2024, 1, 1),
        date_to=dt.date(2024, 12, 30),
        as_of=dt.date(2024, 12, 30),
    )
    assert before["years"]["rated"] == 0  # the year ends after the range
