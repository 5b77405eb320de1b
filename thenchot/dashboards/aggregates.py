"""Pre-aggregated figures: every unit's count per metric value and month, for one window.

One grouped query per series returns (unit, epoch, month, key, n) — at most one row per unit,
tree epoch, month and outcome whatever the number of records — and the rows are folded up the
dated tree in memory: a record counts for its unit and every ancestor of it on its date. The
result answers any unit of the tree (drill-down, ranking, heat map) without another query.

It is kept per process, keyed by the window and by data versions (`freshness`): a counter per
family of records, bumped by the writes that change them, and the tree's counter. A view reads
the versions (one query); a family whose version moved is recomputed, the others are reused.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Substr, TruncMonth

from thenchot.dashboards import freshness
from thenchot.dashboards.metrics import METRICS, SERIES, Metric, Series, Window
from thenchot.dashboards.placement import Epochs
from thenchot.org.tree import tree

MAX_ENTRIES = 64
# Bulk paths that write without signals (see `freshness`) are seen at the latest this late.
DASHBOARD_MAX_AGE = 600.0


@dataclass
class Grid:
    """Counts of one series over one window: `data[unit_id][key][month index]`, each unit's
    figure covering its whole subtree on the records' dates."""

    window: Window
    months: list[Any]
    data: dict[int, dict[str, list[int]]] = field(default_factory=dict)

    def value(self, unit_id: int, values: tuple[str, ...], month: int | None = None) -> int:
        found = self.data.get(unit_id)
        if not found:
            return 0
        total = 0
        for key in values:
            cells = found.get(key)
            if cells:
                total += cells[month] if month is not None else sum(cells)
        return total

    def by_month(self, unit_id: int, values: tuple[str, ...]) -> list[int]:
        return [self.value(unit_id, values, i) for i in range(len(self.months))]


def grouped_rows(
    series: Series, window: Window, epochs: Epochs, qs: QuerySet[Any] | None = None
) -> list[tuple[int | None, int, Any, str, int]]:
    """(unit, epoch, month, key, n) of the series in the window: one query."""
    base = qs if qs is not None else series.build(window)
    rows = (
        base.annotate(_epoch=epochs.expr("_date"), _month=month_expr("_bucket"))
        .values_list("_unit", "_epoch", "_month", "_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return list(rows)


def month_expr(path: str) -> Any:
    """SQL: the month of the date at `path`. SQLite's `TruncMonth` is a Python function called
    per row (30 s over 300,000 cases); its dates are ISO text, so the month is their first
    seven characters. PostgreSQL truncates natively."""
    if connection.vendor == "sqlite":
        return Substr(path, 1, 7, output_field=CharField())
    return TruncMonth(path)


def _month_index(window: Window) -> dict[Any, int]:
    out: dict[Any, int] = {}
    for i, m in enumerate(window.months()):
        out[m] = i
        out[m.isoformat()[:7]] = i
    return out


def compute_grid(series: Series, window: Window) -> Grid:
    epochs = Epochs(window.date_to)
    months = window.months()
    index = _month_index(window)
    size = len(months)
    data: dict[int, dict[str, list[int]]] = defaultdict(dict)
    for unit_id, epoch, month, key, n in grouped_rows(series, window, epochs):
        if unit_id is None or month is None:
            continue
        i = index.get(_as_date(month))
        if i is None:
            continue
        for holder in epochs.chain(unit_id, epoch):
            cells = data[holder].get(key)
            if cells is None:
                cells = data[holder][key] = [0] * size
            cells[i] += n
    return Grid(window=window, months=months, data=dict(data))


def own_grid(series: Series, window: Window, staff_id: int) -> Grid:
    """The staff member's own records of the series (no tree: key 0 holds them)."""
    assert series.own_path is not None
    months = window.months()
    index = _month_index(window)
    cells: dict[str, list[int]] = {}
    qs = series.build(window).filter(**{series.own_path: staff_id})
    rows = (
        qs.annotate(_month=month_expr("_bucket"))
        .values_list("_month", "_key")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for month, key, n in rows:
        i = index.get(_as_date(month))
        if i is None:
            continue
        cells.setdefault(key, [0] * len(months))[i] += n
    return Grid(window=window, months=months, data={0: cells})


def _as_date(value: Any) -> Any:
    # TruncMonth of a date gives a date, of a datetime a datetime; SQLite's month is "YYYY-MM".
    if isinstance(value, str):
        return value[:7]
    return value.date() if hasattr(value, "date") and callable(value.date) else value


# -- the cache ------------------------------------------------------------------------------------
_lock = threading.Lock()
_entries: OrderedDict[tuple[str, Window], tuple[tuple[int, int, int], float, Grid]] = OrderedDict()


def grids(series_keys: list[str], window: Window) -> dict[str, Grid]:
    """The grids of these series for the window, from the cache when their data versions have
    not moved (one query reads every version), computed otherwise."""
    versions = freshness.versions()
    tree()  # the snapshot the folds read, reloaded here if the tree moved
    out: dict[str, Grid] = {}
    for key in series_keys:
        series = SERIES[key]
        stamp = (
            versions.get(series.family, 0),
            versions.get(freshness.TREE, 0),
            freshness.local_generation(series.family),
        )
        cache_key = (key, window)
        with _lock:
            hit = _entries.get(cache_key)
            fresh = hit is not None and time.monotonic() - hit[1] < DASHBOARD_MAX_AGE
            if hit is not None and fresh and hit[0] == stamp:
                _entries.move_to_end(cache_key)
                out[key] = hit[2]
                continue
        grid = compute_grid(series, window)
        with _lock:
            _entries[cache_key] = (stamp, time.monotonic(), grid)
            _entries.move_to_end(cache_key)
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        out[key] = grid
    return out


def clear() -> None:
    """Forget every cached grid (tests, benchmarks)."""
    with _lock:
        _entries.clear()


def metric_value(
    grid_by_series: dict[str, Grid], metric: Metric, unit_id: int, month: int | None = None
) -> int:
    return grid_by_series[metric.series.key].value(unit_id, metric.values, month)


def series_of(metric_keys: list[str]) -> list[str]:
    seen: list[str] = []
    for key in metric_keys:
        s = METRICS[key].series.key
        if s not in seen:
            seen.append(s)
    return seen
