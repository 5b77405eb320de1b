"""Grids kept in the database (`GridSnapshot`): another process (here: an emptied local cache)
reads them instead of counting; a write this process has not committed keeps them out of use;
the warm-up job counts the default windows ahead of their readers and recounts old ones; a
period closed again is recounted from its new level counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.core import bulk
from thenchot.core.changes import UPDATE, snapshot
from thenchot.dashboards import aggregates, freshness, jobs, selectors
from thenchot.dashboards.models import GridSnapshot
from thenchot.dashboards.testing import YEAR

pytestmark = pytest.mark.django_db
PERIOD = {"year": str(YEAR)}


@pytest.fixture
def committed(monkeypatch):  # type: ignore[no-untyped-def]
    # As in a process whose writes have all committed (tests never commit: their bumps stay
    # pending in this process).
    monkeypatch.setattr(freshness, "_pending", {})


def _figures(world):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    d = selectors.dashboard(scope, period=selectors.period_of(PERIOD))
    return {f.key: f.value for s in d.sections for f in s.figures}


def _no_counting(monkeypatch):  # type: ignore[no-untyped-def]
    counted: list[str] = []

    def whole(series, window):  # type: ignore[no-untyped-def]
        counted.append(series.key)
        raise AssertionError("counted")

    monkeypatch.setattr(aggregates, "compute_grid", whole)
    return counted


def test_another_process_reads_the_stored_grids(world, year, committed, monkeypatch):  # type: ignore[no-untyped-def]
    first = _figures(world)
    assert GridSnapshot.objects.filter(key__startswith=f"tasks|{YEAR}-01-01|").exists()
    aggregates.clear()  # a new process: nothing in memory
    _no_counting(monkeypatch)
    assert _figures(world) == first


def test_a_write_not_yet_committed_keeps_the_stored_grids_out(world, year, committed):  # type: ignore[no-untyped-def]
    assert _figures(world)["cases.overdue"] == 2
    case = year.cases["HS-3"]
    case.completed_on = dt.date(YEAR, 3, 5)
    case.save()  # pending in this process until its commit
    aggregates.clear()
    f = _figures(world)
    assert f["cases.overdue"] == 1 and f["cases.completed_on_time"] == 2


def test_the_job_counts_the_default_windows_ahead(world, year, committed, monkeypatch):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    assert jobs.warm() == 0
    this_year = selectors.period_of({}, today).window
    assert GridSnapshot.objects.filter(key=aggregates.snapshot_key("cases", this_year)).exists()
    # Old grids are counted whole again (the net for a write no signal reached).
    GridSnapshot.objects.update(counted_at=timezone.now() - dt.timedelta(days=1))
    assert jobs.warm() == len(aggregates.SERIES) * len(jobs.default_windows(today))
    # Values not counted for days go.
    lists = GridSnapshot.objects.create(
        key="tasks|2020-01-01|2020-01-31|2020-01-31", data={}, family_version=0, tree_version=0
    )
    GridSnapshot.objects.filter(pk=lists.pk).update(counted_at=timezone.now() - jobs.KEEP * 2)
    jobs.warm()
    assert not GridSnapshot.objects.filter(pk=lists.pk).exists()
    assert GridSnapshot.objects.filter(key=aggregates.snapshot_key("cases", this_year)).exists()


def test_a_period_closed_again_is_recounted(world, year):  # type: ignore[no-untyped-def]
    assert _figures(world)["evaluations.excellent"] == 1
    period = EvaluationPeriod.objects.get(pk=year.period.pk)
    # Reopened and closed again (a new closing time) with two more excellent results, written
    # in bulk as a close writes them.
    Evaluation.objects.filter(period=period, final_level="good").update(final_level="excellent")
    before = snapshot(period)
    period.closed_at = timezone.now() + dt.timedelta(seconds=1)
    EvaluationPeriod.objects.filter(pk=period.pk).update(closed_at=period.closed_at)
    bulk.write_audit([bulk.Change(period, UPDATE, before, snapshot(period))])
    f = _figures(world)
    goods = Evaluation.objects.filter(period=period, final_level="excellent").count()
    assert f["evaluations.excellent"] == goods > 1 and f["evaluations.good"] == 0
