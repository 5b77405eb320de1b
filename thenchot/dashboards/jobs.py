"""Counting the dashboard's grids ahead of the readers (`core.jobs`).

Every five minutes, and soon after a bulk write (an import, a period's close), the grids of the
windows a dashboard opens on by default — this year and this month as of today, and the
periods they are compared with — are brought up to date and stored (`GridSnapshot`), so the
first reader of a day, of a new process or after a close reads them instead of counting a
city's records. Safe to run twice or on several workers: it recounts what moved and stores the
same rows.

It is also the safety net for a write no signal reached (an SQL statement outside the services
and the bulk writer): a default window's grid older than `RECOUNT_AFTER` is counted whole
again; and it empties the stored values not counted for `KEEP`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from thenchot.core.jobs import job
from thenchot.dashboards import aggregates, freshness
from thenchot.dashboards.metrics import SERIES, Window

JOB = freshness.WARM_JOB
RECOUNT_AFTER = dt.timedelta(hours=6)
# Stored values not counted again for this long go (a window whose statuses are taken "today"
# is yesterday's after midnight; the lists' windows are many): the table stays small.
KEEP = dt.timedelta(days=2)


def default_windows(today: dt.date) -> list[Window]:
    """The windows of the default dashboards (this year, this month) and of the periods they
    are compared with."""
    from thenchot.dashboards.selectors import period_of

    out: list[Window] = []
    for params in ({}, {"month": today.strftime("%Y-%m")}):
        period = period_of(params, today)
        out += [period.window, period.previous]
    return out


@job(JOB, every_seconds=300)
def warm(families: list[str] | None = None, **_kw: Any) -> int:
    """Bring the default windows' grids up to date; returns how many were counted whole."""
    from thenchot.dashboards.models import GridSnapshot

    now = timezone.now()
    GridSnapshot.objects.filter(counted_at__lt=now - KEEP).delete()
    keys = [k for k, s in SERIES.items() if families is None or s.family in families]
    counted = 0
    for window in default_windows(timezone.localdate()):
        old = set(
            GridSnapshot.objects.filter(
                key__in=[aggregates.snapshot_key(k, window) for k in keys],
                counted_at__lt=now - RECOUNT_AFTER,
            ).values_list("key", flat=True)
        )
        stale = [k for k in keys if aggregates.snapshot_key(k, window) in old]
        if stale:
            aggregates.forget(stale, window)
            counted += len(stale)
        aggregates.grids(keys, window, freshness.versions())
    return counted


@job(aggregates.COUNT_JOB)
def count(*, keys: list[str], date_from: str, date_to: str, as_of: str, **_kw: Any) -> None:
    """Count a window's grids a page asked for (`aggregates.count_later`) and keep them."""
    aggregates.count_now(keys=keys, date_from=date_from, date_to=date_to, as_of=as_of)
