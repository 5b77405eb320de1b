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

import datetime as dt
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.db.models import CharField, Count, QuerySet
from django.db.models.functions import Substr, TruncMonth

from thenchot.core.jobs import AskOnce
from thenchot.dashboards import freshness
from thenchot.dashboards.metrics import METRICS, SERIES, Metric, Series, Window
from thenchot.dashboards.placement import Epochs
from thenchot.org.tree import tree

MAX_ENTRIES = 64
log = logging.getLogger(__name__)


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
    if series.grouped is not None and qs is None:
        return series.grouped(window, epochs)
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
    grid = Grid(window=window, months=window.months())
    _fold(grid, series, window, Epochs(window.date_to))
    return grid


def recompute_months(grid: Grid, series: Series, months: list[int]) -> Grid:
    """A copy of `grid` with these months counted again (one grouped query per month), the
    others kept: what a write that touched those months needs."""
    window = grid.window
    fresh = Grid(
        window=window,
        months=grid.months,
        data={
            unit: {key: list(cells) for key, cells in keys.items()}
            for unit, keys in grid.data.items()
        },
    )
    for keys in fresh.data.values():
        for cells in keys.values():
            for i in months:
                cells[i] = 0
    epochs = Epochs(window.date_to)
    for i in months:
        first = grid.months[i]
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        part = Window(max(first, window.date_from), min(last, window.date_to), window.as_of)
        _fold(fresh, series, part, epochs)
    return fresh


def _fold(grid: Grid, series: Series, part: Window, epochs: Epochs) -> None:
    """Count the series' records bucketed in `part` (the grid's window or one of its months)
    into `grid`, each for its unit and every ancestor on its date."""
    index = _month_index(grid.window)
    size = len(grid.months)
    data = grid.data
    for unit_id, epoch, month, key, n in grouped_rows(series, part, epochs):
        if unit_id is None or month is None:
            continue
        i = index.get(_as_date(month))
        if i is None:
            continue
        for holder in epochs.chain(unit_id, epoch):
            found = data.get(holder)
            if found is None:
                found = data[holder] = {}
            cells = found.get(key)
            if cells is None:
                cells = found[key] = [0] * size
            cells[i] += n


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
@dataclass
class _Entry:
    stamp: tuple[int, int]  # the family's version (every month) and the tree's
    months: list[int]  # each month's version
    grid: Grid


_lock = threading.Lock()
_entries: OrderedDict[tuple[str, Window], _Entry] = OrderedDict()


_version = freshness.version


def snapshot_key(series_key: str, window: Window) -> str:
    return "|".join(
        (
            series_key,
            window.date_from.isoformat(),
            window.date_to.isoformat(),
            window.as_of.isoformat(),
        )
    )


def _stored(keys: list[str], window: Window) -> dict[str, _Entry]:
    """The grids of these series for the window kept in the database (one query)."""
    from thenchot.dashboards.models import GridSnapshot

    rows = GridSnapshot.objects.filter(key__in=[snapshot_key(k, window) for k in keys])
    out: dict[str, _Entry] = {}
    months = window.months()
    for row in rows:
        data = {
            int(unit): {key: list(cells) for key, cells in keys_.items()}
            for unit, keys_ in row.data.items()
        }
        out[row.key.split("|", 1)[0]] = _Entry(
            (row.family_version, row.tree_version),
            list(row.month_versions),
            Grid(window=window, months=months, data=data),
        )
    return out


def _store(window: Window, entries: dict[str, _Entry]) -> None:
    """Keep grids for every process (one statement), unless this process has writes not yet
    committed to them (its versions would mean nothing to the others)."""
    from thenchot.dashboards.models import GridSnapshot

    rows = []
    for key, entry in entries.items():
        pending = [SERIES[key].family] + [f"{key}@{m.isoformat()[:7]}" for m in window.months()]
        if any(freshness.local_generation(k) for k in pending):
            continue
        rows.append(
            GridSnapshot(
                key=snapshot_key(key, window),
                family_version=entry.stamp[0],
                tree_version=entry.stamp[1],
                month_versions=entry.months,
                data=entry.grid.data,
            )
        )
    if not rows:
        return
    try:
        with transaction.atomic():  # a savepoint: a failed store leaves the view's work intact
            GridSnapshot.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=[
                    "family_version",
                    "tree_version",
                    "month_versions",
                    "data",
                    "counted_at",
                ],
            )
    except DatabaseError:
        # A cache: a busy SQLite file or a concurrent writer costs a recount later, no more.
        log.warning("dashboard grids of %s not stored", window, exc_info=True)


def grids(
    series_keys: list[str], window: Window, versions: dict[str, int] | None = None
) -> dict[str, Grid]:
    """The grids of these series for the window: from this process's cache, else from the
    database (`GridSnapshot`, one query for all), when their data versions have not moved (one
    query reads every version); with only the months whose version moved counted again; or
    counted whole when the family or the tree moved, and stored for the other processes.
    `versions`: as read by `freshness.versions()` earlier in the same view."""
    if versions is None:
        versions = freshness.versions()
    tree()  # the snapshot the folds read, reloaded here if the tree moved
    month_names = [m.isoformat()[:7] for m in window.months()]
    out: dict[str, Grid] = {}
    wanted: dict[str, tuple[tuple[int, int], list[int], _Entry | None]] = {}
    for key in series_keys:
        family = SERIES[key].family
        stamp = (_version(versions, family), versions.get(freshness.TREE, 0))
        months = [_version(versions, f"{key}@{m}") for m in month_names]
        with _lock:
            hit = _entries.get((key, window))
            if hit is not None and hit.stamp == stamp and hit.months == months:
                _entries.move_to_end((key, window))
                out[key] = hit.grid
                continue
        wanted[key] = (stamp, months, hit)
    if not wanted:
        return out
    stored = _stored(list(wanted), window)
    counted: dict[str, _Entry] = {}
    for key, (stamp, months, hit) in wanted.items():
        series = SERIES[key]
        base = None
        for candidate in (stored.get(key), hit):
            if candidate is None or candidate.stamp != stamp:
                continue
            moved = [i for i, v in enumerate(months) if v != candidate.months[i]]
            if base is None or len(moved) < len(base[1]):
                base = (candidate, moved)
        if base is not None and not base[1]:
            grid = base[0].grid
            keep = False
        elif base is not None:
            grid = recompute_months(base[0].grid, series, base[1])
            keep = True
        else:
            grid = compute_grid(series, window)
            keep = True
        entry = _Entry(stamp, months, grid)
        with _lock:
            _entries[(key, window)] = entry
            _entries.move_to_end((key, window))
            while len(_entries) > MAX_ENTRIES:
                _entries.popitem(last=False)
        if keep:
            counted[key] = entry
        out[key] = grid
    if counted:
        _store(window, counted)
    return out


def forget(series_keys: list[str], window: Window) -> None:
    """Forget these grids here and in the database: the next read counts them whole."""
    from thenchot.dashboards.models import GridSnapshot

    with _lock:
        for key in series_keys:
            _entries.pop((key, window), None)
    GridSnapshot.objects.filter(key__in=[snapshot_key(k, window) for k in series_keys]).delete()


def clear(*, stored: bool = False) -> None:
    """Forget every cached grid (tests, benchmarks); `stored`: the database's as well."""
    with _lock:
        _entries.clear()
    if stored:
        from thenchot.dashboards.models import GridSnapshot

        GridSnapshot.objects.all().delete()


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


# -- counting in the background --------------------------------------------------------------------
# A window whose grids nobody has counted (a past year, a month the warming job does not keep)
# costs seconds to count at a city's scale (4 s for 2.4 M evaluations, 1 M cases, 100,000 tasks):
# past this many records the page asks the `dashboards.count` job for them and shows how far it
# has gone instead of holding the reader (issue 16: no page over 1 s). Below it, as in a small
# installation, the grids are counted on the spot.
COUNT_INLINE_MAX = 300_000


def missing(series_keys: list[str], window: Window, versions: dict[str, int]) -> list[str]:
    """The series of these whose grid for the window would be counted whole: none kept in this
    process or in the database for their family's and the tree's versions (one query)."""
    from thenchot.dashboards.models import GridSnapshot

    out: list[str] = []
    wanted: dict[str, tuple[int, int]] = {}
    for key in series_keys:
        stamp = (_version(versions, SERIES[key].family), versions.get(freshness.TREE, 0))
        with _lock:
            hit = _entries.get((key, window))
        if hit is None or hit.stamp != stamp:
            wanted[key] = stamp
    if not wanted:
        return out
    kept = {
        k.split("|", 1)[0]: (family, tree_version)
        for k, family, tree_version in GridSnapshot.objects.filter(
            key__in=[snapshot_key(k, window) for k in wanted]
        ).values_list("key", "family_version", "tree_version")
    }
    return [key for key, stamp in wanted.items() if kept.get(key) != stamp]


def records_estimate(series_keys: list[str], window: Window) -> int:
    """About how many records counting these series reads: the planner's estimate of their
    tables' rows on PostgreSQL (no scan), an exact count elsewhere (a small installation)."""
    tables = {SERIES[k].build(window).model for k in series_keys}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COALESCE(SUM(GREATEST(reltuples, 0)), 0) FROM pg_class"
                " WHERE relname = ANY(%s) AND relkind = 'r'",
                [[m._meta.db_table for m in tables]],
            )
            row = cursor.fetchone()
        return int(row[0]) if row else 0
    return sum(m._default_manager.count() for m in tables)


COUNT_JOB = "dashboards.count"
ASK_AGAIN = 60.0  # seconds: a window asked for is not queued again within this
_asked = AskOnce(ASK_AGAIN)


def count_later(series_keys: list[str], windows: list[Window]) -> None:
    """Ask the `dashboards.count` job for these grids (once a minute per window at most)."""
    for window in windows:
        _asked.enqueue(
            window,
            COUNT_JOB,
            keys=list(series_keys),
            date_from=window.date_from.isoformat(),
            date_to=window.date_to.isoformat(),
            as_of=window.as_of.isoformat(),
        )


def count_now(*, keys: list[str], date_from: str, date_to: str, as_of: str) -> None:
    """The job's work: each grid counted and stored on its own, so the page can tell how many
    are done while the others are counted."""
    window = Window(
        dt.date.fromisoformat(date_from),
        dt.date.fromisoformat(date_to),
        dt.date.fromisoformat(as_of),
    )
    for key in keys:
        grids([key], window)
    _asked.done(window)
