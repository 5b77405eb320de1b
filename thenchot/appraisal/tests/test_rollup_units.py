"""Leaders' unit criteria and the unit-result ceiling from real data: a deputy answers for their
unit's targets, a head for the units directly under theirs (rules.md "Unit result", Decree 90
leader criteria), and the tree is taken as it stood on the period's last day."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.appraisal import closing, inputs, rollup, rules
from thenchot.appraisal.testing import approved, evaluation_of, open_period, with_snv_head
from thenchot.directives.testing import TaskFactory
from thenchot.org.models import UnitLink
from thenchot.org.tree import invalidate
from thenchot.people.testing import StaffFactory

YEAR = "2025"
ASSIGNED, DUE, DONE = dt.date(2025, 3, 1), dt.date(2025, 4, 30), dt.date(2025, 4, 20)


def _task(unit, *, assignee=None, done=True, exceeds=True, **kw):  # type: ignore[no-untyped-def]
    return TaskFactory(
        lead_unit=unit,
        assignee=assignee,
        assigned_on=kw.get("assigned_on", ASSIGNED),
        deadline=kw.get("deadline", DUE),
        completed_on=kw.get("completed_on", DONE) if done else None,
        quality="exceeds" if done and exceeds else "",
    )


@pytest.fixture
def deputy(world):  # type: ignore[no-untyped-def]
    """A deputy manager of SNV-TC: a leader who heads nothing (hoa heads SNV-TC)."""
    return StaffFactory(code="PP01", full_name="Phạm Văn Phó", unit=world.snv_tc, is_leader=True)


def test_it_rates_a_deputy_on_the_units_targets(world, deputy):  # type: ignore[no-untyped-def]
    _task(world.snv_tc, assignee=deputy)  # own work: on time and exceeded
    _task(world.snv_tc)
    _task(world.snv_tc, done=False)
    _task(world.snv_tc, done=False)  # the unit completes 2 of 4 targets
    found = rollup.rollup_for(staff=deputy, period=YEAR)
    assert found.classification.pack_id == "decree-90-2020"
    step = found.classification.trace[0]
    assert step.rule == "decree-90.criteria"
    assert "unit targets 50% completed" in step.render(lambda s: s)
    assert found.level == "not_complete"  # was excellent on a blank 100% before


def test_it_rates_a_deputy_of_a_unit_that_reaches_its_targets(world, deputy):  # type: ignore[no-untyped-def]
    _task(world.snv_tc, assignee=deputy)
    _task(world.snv_tc)
    _task(world.snv_tc, exceeds=False)  # 2 of 3 exceeded
    found = rollup.rollup_for(staff=deputy, period=YEAR)
    assert found.level == "excellent"


def test_it_keeps_non_leaders_on_their_own_tasks(world, deputy):  # type: ignore[no-untyped-def]
    an = world.staff["an"]  # SNV-TC, not a leader, same failing unit
    _task(world.snv_tc, assignee=an)
    _task(world.snv_tc, done=False)
    _task(world.snv_tc, done=False)
    found = rollup.rollup_for(staff=an, period=YEAR)
    assert found.level == "excellent"
    assert "unit targets" not in found.classification.trace[0].render(lambda s: s)


@pytest.mark.parametrize(("division_done", "level"), [(True, "excellent"), (False, "not_complete")])
def test_a_head_answers_for_the_divisions_under_the_unit(world, division_done, level):  # type: ignore[no-untyped-def]
    son = with_snv_head(world)
    _task(world.snv, assignee=son)
    _task(world.snv)  # SNV's own targets: all on time, all exceeded
    _task(world.snv_tc, done=division_done)
    _task(world.snv_tc, done=division_done)  # SNV-CC has no task: left out
    found = rollup.rollup_for(staff=son, period=YEAR)
    assert found.level == level
    assert "1 managed units" in found.classification.trace[0].render(lambda s: s)


def test_unit_results_count_the_units_under_the_requested_ones(world):  # type: ignore[no-untyped-def]
    _task(world.snv)
    _task(world.snv_tc, done=False)
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    results = inputs.unit_results([world.snv.pk], start, end, rules.UnitResultRule())
    assert list(results) == [world.snv.pk]  # only what was asked for
    assert results[world.snv.pk].level is rules.Level.COMPLETE
    assert "managed-unit rule not met" in results[world.snv.pk].reason


def test_unit_results_take_the_tree_on_the_periods_last_day(world):  # type: ignore[no-untyped-def]
    _task(world.snv)
    _task(world.snv_tc, done=False)
    UnitLink.objects.filter(unit=world.snv_tc).update(valid_to=dt.date(2025, 6, 30))
    invalidate()  # SNV-TC left SNV mid-year: no longer under it on 31 December
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    results = inputs.unit_results([world.snv.pk], start, end, rules.UnitResultRule())
    assert results[world.snv.pk].level is rules.Level.EXCELLENT


def test_unit_results_read_tasks_once_for_the_whole_subtree(world, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for unit in (world.snv, world.snv_tc, world.snv_cc, world.stc, world.stc_ns):
        _task(unit)
    ids = [world.city.pk, world.snv.pk, world.stc.pk]
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    inputs.unit_results(ids, start, end, rules.UnitResultRule())  # warm the tree snapshot
    with django_assert_max_num_queries(2):  # the tree counter, the tasks
        results = inputs.unit_results(ids, start, end, rules.UnitResultRule())
    assert results[world.city.pk].level is None  # no task of its own: no result
    assert results[world.snv.pk].level is results[world.stc.pk].level is rules.Level.EXCELLENT


def test_a_monthly_close_caps_a_head_by_a_failing_division(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    period = open_period(world)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")  # 80: good
    first = period.starts_on
    due = {"assigned_on": first, "deadline": first + dt.timedelta(days=3)}
    _task(world.snv, completed_on=first + dt.timedelta(days=1), **due)  # SNV alone: excellent
    _task(world.snv_tc, done=False, **due)  # SNV-TC: not complete
    closing.close_period(unit=world.snv, period=period.code)
    head = evaluation_of(world, "son")
    assert head.final_level == "complete"
    assert head.reasons[-1]["rule"] == "ceiling.unit_result"
    assert evaluation_of(world, "lan").final_level == "good"  # not a head: no ceiling


def test_a_deputy_answers_for_the_unit_of_the_year_not_of_today(world, deputy):  # type: ignore[no-untyped-def]
    from thenchot.people.models import Assignment

    # Deputy of SNV-TC through 2025; moved to SNV-CC in 2026 (today's unit).
    Assignment.objects.filter(staff=deputy).update(valid_to=dt.date(2025, 12, 31))
    Assignment.objects.create(staff=deputy, unit=world.snv_cc, valid_from=dt.date(2026, 1, 1))
    type(deputy).objects.filter(pk=deputy.pk).update(unit=world.snv_cc)
    _task(world.snv_tc, assignee=deputy)
    _task(world.snv_tc, done=False)
    _task(world.snv_tc, done=False)  # SNV-TC completes 1 of 3 of its 2025 targets
    _task(world.snv_cc)  # SNV-CC completes all of its own
    found = rollup.rollup_for(staff=deputy, period=YEAR)
    from thenchot.people.selectors import assignment_units

    assert assignment_units([deputy.pk], dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == {
        deputy.pk: world.snv_tc.pk
    }
    assert found.level == "not_complete"
    assert "unit targets 33.3% completed" in found.classification.trace[0].render(lambda s: s)
