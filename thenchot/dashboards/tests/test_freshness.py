"""The cache's invalidation: a write recounts only the months it touched (its old and new
dates), a write whose months cannot be told recounts its family, and bulk writes (imports, a
period's close) reach the cache through `core.registry.bulk_written`."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.core import bulk
from thenchot.core.changes import UPDATE, snapshot
from thenchot.core.registry import bulk_written
from thenchot.dashboards import aggregates, freshness, selectors
from thenchot.dashboards.testing import YEAR
from thenchot.directives.models import Task
from thenchot.processes.models import Case

pytestmark = pytest.mark.django_db

PERIOD = {"year": str(YEAR)}


def _figures(world, name="hung"):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user(name))
    d = selectors.dashboard(scope, period=selectors.period_of(PERIOD))
    return {f.key: f.value for s in d.sections for f in s.figures}


def _trend(world, chart, series_index):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    d = selectors.dashboard(scope, period=selectors.period_of(PERIOD))
    found = next(t for t in d.trends if t.key == chart)
    return [c.value for c in found.series[series_index][1]]


class _Spy:
    def __init__(self, monkeypatch):  # type: ignore[no-untyped-def]
        self.whole: list[str] = []
        self.months: list[tuple[str, list[int]]] = []
        compute, recompute = aggregates.compute_grid, aggregates.recompute_months

        def whole(series, window):  # type: ignore[no-untyped-def]
            self.whole.append(series.key)
            return compute(series, window)

        def part(grid, series, months):  # type: ignore[no-untyped-def]
            self.months.append((series.key, list(months)))
            return recompute(grid, series, months)

        monkeypatch.setattr(aggregates, "compute_grid", whole)
        monkeypatch.setattr(aggregates, "recompute_months", part)


def test_a_case_write_recounts_only_its_months(world, year, monkeypatch):  # type: ignore[no-untyped-def]
    assert _figures(world)["cases.overdue"] == 2
    spy = _Spy(monkeypatch)
    case = year.cases["HS-3"]  # due 10/03, overdue
    case.completed_on = dt.date(YEAR, 5, 20)  # now completed late, in May
    case.save()
    f = _figures(world)
    assert f["cases.overdue"] == 1 and f["cases.completed_late"] == 2
    assert spy.whole == []  # no series counted whole
    # March (due: was overdue) and May (completed) of the outcomes; the receipt is untouched.
    assert sorted(spy.months) == [("cases", [2, 4])]


def test_a_task_moved_to_another_month_leaves_its_old_month(world, year, monkeypatch):  # type: ignore[no-untyped-def]
    # NV-A3 is overdue with its deadline in April; moved to July (plain save: the old
    # deadline is read before the save).
    before = _trend(world, "tasks", 2)  # overdue by month
    assert before[3] == 1 and before[6] == 0
    spy = _Spy(monkeypatch)
    task = Task.objects.get(code="NV-A3")
    task.deadline = dt.date(YEAR, 7, 31)
    task.save()
    after = _trend(world, "tasks", 2)
    assert after[3] == 0 and after[6] == 1
    assert spy.whole == [] and spy.months and all(k == "tasks" for k, _m in spy.months)


def test_an_audited_update_recounts_the_months_of_its_before_and_after(world, year):  # type: ignore[no-untyped-def]
    from thenchot.core import auditing
    from thenchot.core.concurrency import save_versioned

    assert _trend(world, "cases", 2)[3] == 1  # HS-4 overdue in April
    case = Case.objects.get(code="HS-4")
    before = auditing.snapshot(case)
    case.due_on = dt.date(YEAR, 8, 10)
    save_versioned(case, expected_version=case.version, fields=["due_on"])  # an UPDATE
    auditing.record(case, action=auditing.UPDATE, before=before)
    overdue = _trend(world, "cases", 2)
    assert overdue[3] == 0 and overdue[7] == 1


def test_an_urge_touches_no_figure(world, year, monkeypatch):  # type: ignore[no-untyped-def]
    from thenchot.directives.urging import task_urge

    _figures(world)
    spy = _Spy(monkeypatch)
    task_urge(task=Task.objects.get(code="NV-A3"), by=world.user("hung"), note="Nhanh lên")
    _figures(world)
    assert spy.whole == [] and spy.months == []


def test_an_extension_recounts_the_whole_family(world, year):  # type: ignore[no-untyped-def]
    # An extension moves a task off the dates the task holds.
    generation = freshness.local_generation("tasks")
    freshness.changed("directives.extensionrequest", 1, None, {"new_deadline": "2025-09-30"})
    assert freshness.local_generation("tasks") == generation + 1


def test_the_dashboards_listen_to_bulk_writes(world, year):  # type: ignore[no-untyped-def]
    assert "dashboards" in bulk_written
    assert _figures(world)["cases.overdue"] == 2
    # An import writes the rows without signals, then their audit lines in bulk.
    case = Case.objects.get(code="HS-3")
    old = snapshot(case)
    Case.objects.filter(pk=case.pk).update(completed_on=dt.date(YEAR, 3, 9))
    case.refresh_from_db()
    assert _figures(world)["cases.overdue"] == 2  # no signal yet: the cache stands
    bulk.write_audit([bulk.Change(case, UPDATE, old, snapshot(case))])
    f = _figures(world)
    assert f["cases.overdue"] == 1 and f["cases.completed_on_time"] == 2


def test_a_bulk_write_of_other_models_keeps_the_grids(world, year):  # type: ignore[no-untyped-def]
    _figures(world)
    generations = {f: freshness.local_generation(f) for f in freshness.FAMILIES}
    freshness.bulk_written(frozenset({"org.unit", "people.staff"}))
    assert {f: freshness.local_generation(f) for f in freshness.FAMILIES} == generations
    freshness.bulk_written(frozenset({"appraisal.evaluation", "processes.case"}))
    assert freshness.local_generation("evaluations") == generations["evaluations"] + 1
    assert freshness.local_generation("cases") == generations["cases"] + 1
    assert freshness.local_generation("tasks") == generations["tasks"]


def test_a_batch_of_changes_bumps_their_months_only(world, year):  # type: ignore[no-untyped-def]
    keys = ("cases", "cases@2025-03", "cases@2025-05", "cases_received@2025-03")
    before = {k: freshness.local_generation(k) for k in keys}
    old = {"completed_on": None, "due_on": "2025-03-10", "received_on": "2025-03-01", "unit_id": 5}
    freshness.changed_many("processes.case", [(1, old, {**old, "completed_on": "2025-05-20"})])
    after = {k: freshness.local_generation(k) for k in keys}
    assert after["cases@2025-03"] == before["cases@2025-03"] + 1
    assert after["cases@2025-05"] == before["cases@2025-05"] + 1
    assert after["cases_received@2025-03"] == before["cases_received@2025-03"]
    assert after["cases"] == before["cases"]


def test_a_batch_over_too_many_months_bumps_the_family(world, year):  # type: ignore[no-untyped-def]
    generation = freshness.local_generation("cases")
    days = [f"{2000 + i // 12}-{i % 12 + 1:02d}-01" for i in range(freshness.MAX_MONTH_KEYS + 1)]
    changes = [(i, None, {"received_on": day, "due_on": day}) for i, day in enumerate(days)]
    freshness.changed_many("processes.case", changes[:3])
    assert freshness.local_generation("cases") == generation  # three months: by month
    freshness.changed_many("processes.case", changes)
    assert freshness.local_generation("cases") == generation + 1
