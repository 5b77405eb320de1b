"""What a dashboard shows, for the reader's scope: the unit it looks at, the headline figures
with the change from the previous period, the trend by month, the ranking of the units under
it and the heat map of units × months — every number with the link to its records.

Who sees what (`accounts.scoping.Scope`):
- city-wide roles (administrator, city leadership): the city, and any unit by drilling down;
- unit heads, division managers, personnel officers and inspectors: the units of their grants'
  subtrees (the top of them by default), never a unit outside them;
- a staff member with no grant: their own tasks and evaluations.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.dashboards import aggregates, external, freshness
from thenchot.dashboards.aggregates import Grid, grids, own_grid, series_of
from thenchot.dashboards.metrics import LEVELS, METRICS, OWN_METRICS, Metric, Window
from thenchot.dashboards.placement import Epochs
from thenchot.org.tree import tree

SECTIONS: dict[str, tuple[str | Promise, tuple[str, ...]]] = {
    "tasks": (
        _("Tasks"),
        (
            "tasks.due",
            "tasks.completed_on_time",
            "tasks.completed_late",
            "tasks.overdue",
            "tasks.in_progress",
        ),
    ),
    "cases": (
        _("Cases"),
        ("cases.received", "cases.completed_on_time", "cases.completed_late", "cases.overdue"),
    ),
    "evaluations": (
        _("Evaluations, last closed month"),
        (
            "evaluations.rated",
            "evaluations.excellent",
            "evaluations.good",
            "evaluations.complete",
            "evaluations.not_complete",
        ),
    ),
    "inspections": (
        _("Inspections and recommendations"),
        (
            "inspections.started",
            "recommendations.due",
            "recommendations.done",
            "recommendations.overdue",
        ),
    ),
    "discipline": (_("Discipline"), ("discipline.decisions",)),
    "rotations": (_("Rotations"), ("rotations.total",)),
}
# Read from other apps' report blocks (`external`), shown when those apps hold records.
OUTSIDE_SECTION = "outside"
OUTSIDE_TITLE = _("Satisfaction and reform")

# What each role acts on comes first.
ORDER_BY_ROLE: list[tuple[str, tuple[str, ...]]] = [
    (
        Role.INSPECTOR.value,
        ("inspections", "tasks", "cases", "discipline", "evaluations", "rotations"),
    ),
    (
        Role.PERSONNEL.value,
        ("evaluations", "discipline", "rotations", "tasks", "cases", "inspections"),
    ),
]
DEFAULT_ORDER = ("tasks", "cases", "evaluations", "inspections", "discipline", "rotations")

HEAT_METRICS = (
    "tasks.overdue",
    "tasks.completed_late",
    "tasks.completed_on_time",
    "cases.overdue",
    "cases.completed_late",
    "cases.received",
    "recommendations.overdue",
)
RANKINGS = ("on_time", "late_cases", "evaluations", "reform", "satisfaction")
TREND_CHARTS: tuple[tuple[str, str | Promise, tuple[str, ...]], ...] = (
    (
        "tasks",
        _("Tasks by month of their deadline"),
        ("tasks.completed_on_time", "tasks.completed_late", "tasks.overdue", "tasks.in_progress"),
    ),
    (
        "cases",
        _("Cases by month"),
        ("cases.completed_on_time", "cases.completed_late", "cases.overdue"),
    ),
    (
        "evaluations",
        _("Evaluation results by month"),
        (
            "evaluations.excellent",
            "evaluations.good",
            "evaluations.complete",
            "evaluations.not_complete",
        ),
    ),
)
MAX_RANKED = 60  # units shown in the ranking and the heat map; the rest are paged


# -- the period ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    kind: str  # "year" or "month"
    window: Window
    previous: Window

    @property
    def label(self) -> str:
        if self.kind == "month":
            return self.window.date_from.strftime("%m/%Y")
        return str(self.window.date_from.year)


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)


def _shift_months(day: dt.date, months: int) -> dt.date:
    """`day` moved `months` months back (the day clamped to the month's length)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    first = dt.date(year, month + 1, 1)
    return first.replace(day=min(day.day, _month_end(first).day))


def period_of(params: Any, today: dt.date | None = None) -> Period:
    """`?year=2026` (default: this year) or `?month=2026-03`; statuses on the earlier of the
    period's end and today. The previous period is the one before, read as it stood then."""
    today = today or timezone.localdate()
    month = str(params.get("month", "") or "").strip()
    year = str(params.get("year", "") or "").strip()
    if month:
        try:
            start = dt.datetime.strptime(month, "%Y-%m").date()
        except ValueError:
            raise DomainError(
                _("'%(value)s' is not a month (YYYY-MM).") % {"value": month}
            ) from None
        end, kind, span = _month_end(start), "month", 1
    else:
        try:
            y = int(year) if year else today.year
            start = dt.date(y, 1, 1)
        except ValueError:
            raise DomainError(_("'%(value)s' is not a year.") % {"value": year}) from None
        end, kind, span = dt.date(start.year, 12, 31), "year", 12
    window = Window(start, end, min(end, today))
    p_start = _shift_months(start, span)
    p_end = _month_end(_shift_months(end.replace(day=1), span))
    p_as_of = min(p_end, _shift_months(window.as_of, span))
    return Period(kind, window, Window(p_start, p_end, p_as_of))


# -- links --------------------------------------------------------------------------------------
def records_url(
    metric: str,
    window: Window,
    *,
    unit: str | None = None,
    date_from: Any = None,
    date_to: Any = None,
) -> str:
    """The records page's link for a number. Built by hand (a city page holds about a
    thousand): the metric keys and ISO dates need no quoting, the unit code is quoted."""
    start = (date_from or window.date_from).isoformat()
    end = (date_to or window.date_to).isoformat()
    who = "mine=1" if unit is None else f"unit={_quoted(unit)}"
    return (
        f"{_records_base()}?metric={metric}&from={start}&to={end}"
        f"&as_of={window.as_of.isoformat()}&{who}"
    )


@lru_cache(maxsize=1)
def _records_base() -> str:
    return reverse("dashboards:records")


@lru_cache(maxsize=4096)
def _quoted(code: str) -> str:
    return quote(code, safe="")


# -- the page's parts ---------------------------------------------------------------------------
@dataclass
class Figure:
    key: str
    label: str | Promise
    value: float
    url: str
    previous: float | None = None
    previous_url: str = ""
    good: str = ""
    decimals: int = 0  # an index or a score has decimals; counts have none

    @property
    def change(self) -> float | None:
        if self.previous is None:
            return None
        return round(self.value - self.previous, self.decimals)

    @property
    def tone(self) -> str:
        """ "good", "bad" or "" — shown by a sign and a word, not by colour alone."""
        change = self.change
        if not change or not self.good:
            return ""
        return "good" if (change > 0) == (self.good == "up") else "bad"


@dataclass
class Section:
    key: str
    title: str | Promise
    figures: list[Figure]
    note: str | Promise = ""


@dataclass
class Cell:
    value: int
    url: str
    shade: int = 0


@dataclass
class TrendChart:
    key: str
    title: str | Promise
    labels: list[str]
    series: list[tuple[str, list[Cell]]]

    @property
    def rows(self) -> list[tuple[str, list[Cell]]]:
        """The table beside the chart: one row per month, one cell per series."""
        return [
            (label, [cells[i] for _name, cells in self.series])
            for i, label in enumerate(self.labels)
        ]


@dataclass
class RankRow:
    unit_id: int
    code: str
    name: str
    drill_url: str
    has_children: bool
    due: Cell
    on_time: Cell
    rate: float | None
    overdue: Cell
    late_cases: Cell
    cases_overdue: Cell
    levels: list[Cell]
    reform: float | None = None  # the unit's reform score for the year, when scored
    reform_rank: int | None = None
    satisfaction: float | None = None  # its subtree's satisfaction index, when surveyed
    report_url: str = ""  # the unit's report page (the satisfaction block behind the index)


@dataclass
class HeatRow:
    code: str
    name: str
    drill_url: str
    cells: list[Cell]
    total: Cell


@dataclass
class Dashboard:
    mode: str  # "units" or "own"
    period: Period
    root_id: int | None
    root_code: str
    root_name: str
    crumbs: list[tuple[str, str]] = field(default_factory=list)  # (name, url)
    sections: list[Section] = field(default_factory=list)
    trends: list[TrendChart] = field(default_factory=list)
    ranking: list[RankRow] = field(default_factory=list)
    ranking_more: int = 0
    rank_by: str = "on_time"
    heat_metric: str = "tasks.overdue"
    heat_months: list[str] = field(default_factory=list)
    heat: list[HeatRow] = field(default_factory=list)
    evaluation_month: dt.date | None = None
    # Columns of the ranking read from other apps' blocks, shown when they hold records.
    has_reform: bool = False
    has_satisfaction: bool = False
    reform_url: str = ""
    report_url: str = ""
    # Satisfaction or reform figures not computed yet (`external`: in the background).
    outside_pending: bool = False
    # The period's grids being counted in the background: (done, of), else None.
    counting: tuple[int, int] | None = None


def top_units(scope: Scope, on: dt.date) -> list[int]:
    """The units a reader's dashboard starts from: the roots of the tree for city-wide readers,
    the top units of their readable set otherwise."""
    snap = tree()
    if scope.city_wide:
        return sorted(snap.roots_on(on), key=lambda u: snap.units[u].code)
    out = []
    for unit_id in scope.read_units:
        parent = snap.parent_on(unit_id, on)
        if parent is None or parent not in scope.read_units:
            out.append(unit_id)
    return sorted(out, key=lambda u: snap.units[u].code)


def resolve_unit(scope: Scope, code: str, on: dt.date) -> int | None:
    """The unit a dashboard or a list looks at: the code asked for (refused when unreadable),
    else the reader's first top unit; None for a reader without units (their own records)."""
    snap = tree()
    if code:
        unit_id = snap.by_code.get(code)
        if unit_id is None:
            raise DomainError(_("Unknown unit code '%(value)s'.") % {"value": code})
        if not scope.can_read_unit(unit_id):
            raise OutOfScope()
        return unit_id
    tops = top_units(scope, on)
    return tops[0] if tops else None


def _order(scope: Scope) -> tuple[str, ...]:
    for role, order in ORDER_BY_ROLE:
        if scope.has_role(role) and not scope.city_wide:
            return order
    return DEFAULT_ORDER


def dashboard(
    scope: Scope,
    *,
    period: Period,
    unit_code: str = "",
    rank_by: str = "on_time",
    heat_metric: str = "tasks.overdue",
    page: int = 1,
) -> Dashboard:
    if scope.is_anonymous:
        raise OutOfScope()
    window = period.window
    root = resolve_unit(scope, unit_code, window.as_of)
    if root is None:
        return _own_dashboard(scope, period)
    snap = tree()
    info = snap.units[root]
    board = Dashboard(
        mode="units",
        period=period,
        root_id=root,
        root_code=info.code,
        root_name=info.name,
        rank_by=rank_by if rank_by in RANKINGS else "on_time",
        heat_metric=heat_metric if heat_metric in HEAT_METRICS else "tasks.overdue",
    )
    keys = sorted({m for _t, ms in SECTIONS.values() for m in ms})
    versions = freshness.versions()
    board.crumbs = _crumbs(scope, root, window.as_of, period)
    if _counting(board, series_of(keys), period, versions):
        return board
    now = grids(series_of(keys), window, versions)
    before = grids(series_of(keys), period.previous, versions)
    board.sections = _sections(scope, now, before, period, root, info.code)
    board.report_url = report_url(info.code, window)
    board.reform_url = reverse("reform:ranking", args=[window.date_to.year])
    outside = _outside_section(board, period, root, versions)
    if outside is not None:
        board.sections.append(outside)
    board.evaluation_month = _last_month(now["evaluations"], root)
    board.trends = _trends(now, window, root, info.code)
    children = sorted(
        snap.children_on(root, window.as_of), key=lambda u: (snap.units[u].name, snap.units[u].code)
    )
    reform = external.reform(root, window, versions)
    board.has_reform = bool(reform)
    # The satisfaction of each unit ranked: one block per unit, computed in the background.
    satisfaction = external.satisfaction(children, window, versions)
    board.has_satisfaction = any(v.responses for v in (satisfaction or {}).values())
    board.outside_pending = board.outside_pending or reform is None or satisfaction is None
    board.ranking, board.ranking_more = _ranking(
        now,
        period,
        children,
        board.rank_by,
        board.evaluation_month,
        page,
        reform=reform,
        satisfaction=satisfaction,
    )
    board.heat_months = [m.strftime("%m/%Y") for m in window.months()]
    shown = [r.unit_id for r in board.ranking]
    board.heat = _heat(now, period, shown, board.heat_metric)
    return board


def _counting(
    board: Dashboard, series: list[str], period: Period, versions: dict[str, int]
) -> bool:
    """True when the period's grids are being counted in the background (`board.counting`:
    how many of them are done): none kept for a window that holds more records than
    `aggregates.COUNT_INLINE_MAX` (a cold window of a city; a small installation counts on the
    spot). The job is asked for them; the page says how far it has gone."""
    windows = [period.window, period.previous]
    todo = {w: aggregates.missing(series, w, versions) for w in windows}
    left = sum(len(keys) for keys in todo.values())
    if not left:
        return False
    wanted = sorted({k for keys in todo.values() for k in keys})
    if aggregates.records_estimate(wanted, period.window) <= aggregates.COUNT_INLINE_MAX:
        return False
    aggregates.count_later(series, [w for w in windows if todo[w]])
    board.counting = (len(series) * len(windows) - left, len(series) * len(windows))
    return True


def report_url(code: str, window: Window) -> str:
    """The report page of a unit for the window: where the satisfaction and reform figures
    are shown with their breakdown (the same blocks)."""
    query = urlencode(
        {
            "unit": code,
            "kind": "custom",
            "year": window.date_to.year,
            "date_from": window.date_from.isoformat(),
            "date_to": window.date_to.isoformat(),
            "as_of": window.as_of.isoformat(),
        }
    )
    return f"{reverse('reports:index')}?{query}"


def _outside_section(
    board: Dashboard, period: Period, root: int, versions: dict[str, int]
) -> Section | None:
    """The satisfaction index (this period beside the previous) and the reform score of the
    unit, read from the `satisfaction` and `reform` report blocks; None when neither app holds
    records."""
    figures: list[Figure] = []
    code = board.root_code
    found = external.satisfaction([root], period.window, versions)
    found_before = external.satisfaction([root], period.previous, versions)
    scores = external.reform(root, period.window, versions)
    pending = found is None or found_before is None or scores is None
    board.outside_pending = pending
    now = (found or {}).get(root)
    if now is not None and now.responses:
        before = (found_before or {}).get(root)
        previous_index = before.index if before is not None else None
        if now.index is not None:
            figures.append(
                Figure(
                    key="satisfaction.index",
                    label=_("Satisfaction index (%)"),
                    value=now.index,
                    url=report_url(code, period.window),
                    previous=previous_index,
                    previous_url=report_url(code, period.previous)
                    if previous_index is not None
                    else "",
                    good="up",
                    decimals=2,
                )
            )
        figures.append(
            Figure(
                key="satisfaction.responses",
                label=_("Survey responses"),
                value=now.responses,
                url=report_url(code, period.window),
                previous=before.responses if before is not None else None,
                previous_url=report_url(code, period.previous),
            )
        )
    scores = scores or {}
    own = scores.get(code)
    if own is not None:
        figures.append(
            Figure(
                key="reform.score",
                label=_("Reform score"),
                value=own.total,
                url=board.reform_url,
                decimals=2,
            )
        )
    elif scores:
        mean = round(sum(r.total for r in scores.values()) / len(scores), 2)
        figures.append(
            Figure(
                key="reform.mean",
                label=_("Reform score, mean of the units scored"),
                value=mean,
                url=board.reform_url,
                decimals=2,
            )
        )
    if not figures and not pending:
        return None
    note = _("Being computed: reload the page in a moment.") if pending else ""
    return Section(OUTSIDE_SECTION, OUTSIDE_TITLE, figures, note)


def _crumbs(scope: Scope, root: int, on: dt.date, period: Period) -> list[tuple[str, str]]:
    snap = tree()
    chain = [root, *snap.ancestors_on(root, on)]
    out = []
    for unit_id in reversed(chain):
        if not scope.can_read_unit(unit_id):
            continue
        out.append((snap.units[unit_id].name, dashboard_url(snap.units[unit_id].code, period)))
    return out


def dashboard_url(code: str, period: Period, **extra: str) -> str:
    params = {"unit": code}
    if period.kind == "month":
        params["month"] = period.window.date_from.strftime("%Y-%m")
    else:
        params["year"] = str(period.window.date_from.year)
    params.update(extra)
    return f"{reverse('dashboards:index')}?{urlencode(params)}"


def _rated_months(grid: Grid, unit_id: int) -> list[int]:
    """The indexes of the grid's months in which the unit has people rated."""
    return [i for i in range(len(grid.months)) if grid.value(unit_id, LEVELS, i)]


def _last_month(grid: Grid, unit_id: int) -> dt.date | None:
    months = _rated_months(grid, unit_id)
    return grid.months[months[-1]] if months else None


def _figure(
    metric: Metric,
    now: dict[str, Grid],
    before: dict[str, Grid],
    period: Period,
    unit_id: int,
    code: str | None,
) -> Figure:
    s = metric.series.key
    return Figure(
        key=metric.key,
        label=metric.label,
        value=now[s].value(unit_id, metric.values),
        url=records_url(metric.key, period.window, unit=code),
        previous=before[s].value(unit_id, metric.values),
        previous_url=records_url(metric.key, period.previous, unit=code),
        good=metric.good,
    )


def _evaluation_figures(
    now: dict[str, Grid], before: dict[str, Grid], period: Period, unit_id: int, code: str | None
) -> list[Figure]:
    """The last closed month of the period beside the closed month before it."""
    keys = SECTIONS["evaluations"][1]
    grid = now["evaluations"]
    months = _rated_months(grid, unit_id)
    if not months:
        return [_figure(METRICS[k], now, before, period, unit_id, code) for k in keys]
    last = months[-1]
    first_day = grid.months[last]
    last_day = _month_end(first_day)
    prev_i: int | None
    if len(months) > 1:
        prev_grid, prev_i, prev_window = grid, months[-2], period.window
    else:
        prev_grid = before["evaluations"]
        found = _rated_months(prev_grid, unit_id)
        prev_i, prev_window = (found[-1] if found else None), period.previous
    out = []
    for key in keys:
        metric = METRICS[key]
        figure = Figure(
            key=key,
            label=metric.label,
            value=grid.value(unit_id, metric.values, last),
            url=records_url(key, period.window, unit=code, date_from=first_day, date_to=last_day),
            good=metric.good,
        )
        if prev_i is not None:
            p_first = prev_grid.months[prev_i]
            p_last = _month_end(p_first)
            figure.previous = prev_grid.value(unit_id, metric.values, prev_i)
            figure.previous_url = records_url(
                key, prev_window, unit=code, date_from=p_first, date_to=p_last
            )
        out.append(figure)
    return out


def _sections(
    scope: Scope,
    now: dict[str, Grid],
    before: dict[str, Grid],
    period: Period,
    unit_id: int,
    code: str | None,
    only: tuple[str, ...] | None = None,
) -> list[Section]:
    out = []
    for key in _order(scope):
        title, metric_keys = SECTIONS[key]
        if only is not None:
            metric_keys = tuple(m for m in metric_keys if m in only)
            if not metric_keys:
                continue
        if key == "evaluations":
            figures = _evaluation_figures(now, before, period, unit_id, code)
            figures = [f for f in figures if f.key in metric_keys]
        else:
            figures = [_figure(METRICS[m], now, before, period, unit_id, code) for m in metric_keys]
        out.append(Section(key, title, figures))
    return out


def _month_cells(
    grid: Grid, metric: Metric, window: Window, unit_id: int, code: str | None
) -> list[Cell]:
    out = []
    for i, first in enumerate(grid.months):
        last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        out.append(
            Cell(
                grid.value(unit_id, metric.values, i),
                records_url(metric.key, window, unit=code, date_from=first, date_to=last),
            )
        )
    return out


def _trends(
    now: dict[str, Grid], window: Window, unit_id: int, code: str | None
) -> list[TrendChart]:
    labels = [m.strftime("%m/%Y") for m in window.months()]
    out = []
    for key, title, metric_keys in TREND_CHARTS:
        series = []
        for m in metric_keys:
            metric = METRICS[m]
            grid = now[metric.series.key]
            series.append((str(metric.label), _month_cells(grid, metric, window, unit_id, code)))
        out.append(TrendChart(key, title, labels, series))
    return out


def _ranking(
    now: dict[str, Grid],
    period: Period,
    children: list[int],
    rank_by: str,
    evaluation_month: dt.date | None,
    page: int,
    *,
    reform: dict[str, external.Reform] | None = None,
    satisfaction: dict[int, external.Satisfaction] | None = None,
) -> tuple[list[RankRow], int]:
    snap = tree()
    window = period.window
    rows: list[RankRow] = []
    tasks, cases, evals = now["tasks"], now["cases"], now["evaluations"]
    e_index = evals.months.index(evaluation_month) if evaluation_month in evals.months else None
    e_to = _month_end(evaluation_month) if evaluation_month else None
    for unit_id in children:
        info = snap.units[unit_id]
        code = info.code

        def cell(
            metric_key: str,
            grid: Grid,
            month: int | None = None,
            unit_id: int = unit_id,
            code: str = code,
        ) -> Cell:
            metric = METRICS[metric_key]
            if month is None:
                return Cell(
                    grid.value(unit_id, metric.values), records_url(metric_key, window, unit=code)
                )
            return Cell(
                grid.value(unit_id, metric.values, month),
                records_url(
                    metric_key, window, unit=code, date_from=evaluation_month, date_to=e_to
                ),
            )

        scored = (reform or {}).get(code)
        surveyed = (satisfaction or {}).get(unit_id)
        due = cell("tasks.due", tasks)
        on_time = cell("tasks.completed_on_time", tasks)
        late = cell("cases.completed_late", cases)
        c_over = cell("cases.overdue", cases)
        levels = (
            [cell(f"evaluations.{lv}", evals, e_index) for lv in LEVELS]
            if e_index is not None
            else []
        )
        rows.append(
            RankRow(
                unit_id=unit_id,
                code=code,
                name=info.name,
                drill_url=dashboard_url(code, period),
                has_children=bool(snap.children_on(unit_id, window.as_of)),
                due=due,
                on_time=on_time,
                rate=round(100.0 * on_time.value / due.value, 1) if due.value else None,
                overdue=cell("tasks.overdue", tasks),
                late_cases=late,
                cases_overdue=c_over,
                levels=levels,
                reform=scored.total if scored is not None else None,
                reform_rank=scored.rank if scored is not None else None,
                satisfaction=surveyed.index if surveyed is not None else None,
                report_url=report_url(code, window) if surveyed is not None else "",
            )
        )

    def key(r: RankRow) -> tuple[Any, ...]:
        if rank_by == "late_cases":
            return (-(r.late_cases.value + r.cases_overdue.value), r.name)
        if rank_by == "evaluations":
            rated = sum(c.value for c in r.levels) or 0
            top = sum(c.value for c in r.levels[:2]) if r.levels else 0
            return (-(top / rated) if rated else 1, r.name)
        if rank_by == "reform":
            return (-(r.reform if r.reform is not None else -1e9), r.name)
        if rank_by == "satisfaction":
            return (-(r.satisfaction if r.satisfaction is not None else -1e9), r.name)
        return (-(r.rate if r.rate is not None else -1), r.name)

    rows.sort(key=key)
    start = (max(page, 1) - 1) * MAX_RANKED
    return rows[start : start + MAX_RANKED], max(0, len(rows) - start - MAX_RANKED)


def _heat(
    now: dict[str, Grid], period: Period, unit_ids: list[int], metric_key: str
) -> list[HeatRow]:
    snap = tree()
    metric = METRICS[metric_key]
    grid = now[metric.series.key]
    window = period.window
    rows = []
    peak = 0
    for unit_id in unit_ids:
        code = snap.units[unit_id].code
        cells = _month_cells(grid, metric, window, unit_id, code)
        peak = max([peak, *(c.value for c in cells)])
        total = Cell(grid.value(unit_id, metric.values), records_url(metric_key, window, unit=code))
        rows.append(
            HeatRow(code, snap.units[unit_id].name, dashboard_url(code, period), cells, total)
        )
    for row in rows:
        for c in row.cells:
            c.shade = 0 if not c.value or not peak else min(4, 1 + (4 * c.value - 1) // peak)
    return rows


def _own_dashboard(scope: Scope, period: Period) -> Dashboard:
    board = Dashboard(mode="own", period=period, root_id=None, root_code="", root_name="")
    if scope.own_staff_id is None:
        return board
    now: dict[str, Grid] = {}
    before: dict[str, Grid] = {}
    for key in series_of(list(OWN_METRICS)):
        from thenchot.dashboards.metrics import SERIES

        now[key] = own_grid(SERIES[key], period.window, scope.own_staff_id)
        before[key] = own_grid(SERIES[key], period.previous, scope.own_staff_id)
    board.sections = _sections(scope, now, before, period, 0, None, only=OWN_METRICS)
    board.trends = [
        TrendChart(
            "tasks",
            TREND_CHARTS[0][1],
            [m.strftime("%m/%Y") for m in period.window.months()],
            [
                (
                    str(METRICS[m].label),
                    _month_cells(now["tasks"], METRICS[m], period.window, 0, None),
                )
                for m in TREND_CHARTS[0][2]
            ],
        )
    ]
    return board


# -- the records behind a number ----------------------------------------------------------------
@dataclass(frozen=True)
class RecordsQuery:
    metric: Metric
    window: Window
    unit_id: int | None  # None: the reader's own records
    unit_code: str


def parse_records_query(scope: Scope, params: Any) -> RecordsQuery:
    """The list behind a number, from the link's parameters; a bad one is refused by name."""
    from thenchot.core.views import parse_date

    if scope.is_anonymous:
        raise OutOfScope()
    key = str(params.get("metric", ""))
    metric = METRICS.get(key)
    if metric is None:
        raise DomainError(_("Unknown figure '%(value)s'.") % {"value": key})
    dates = {}
    for name in ("from", "to", "as_of"):
        raw = params.get(name, "")
        value = parse_date(raw)
        if value is None:
            raise DomainError(
                _("'%(value)s' is not a date (parameter %(name)s).") % {"value": raw, "name": name}
            )
        dates[name] = value
    if dates["from"] > dates["to"]:
        raise DomainError(_("The start date is after the end date."))
    window = Window(dates["from"], dates["to"], dates["as_of"])
    if params.get("mine"):
        if metric.series.own_path is None or scope.own_staff_id is None:
            raise DomainError(_("This figure has no list of your own records."))
        return RecordsQuery(metric, window, None, "")
    code = str(params.get("unit", "")).strip()
    unit_id = resolve_unit(scope, code, window.as_of) if code else None
    if unit_id is None:
        raise DomainError(_("Name a unit (parameter unit)."))
    return RecordsQuery(metric, window, unit_id, code)


def records_segments(scope: Scope, query: RecordsQuery) -> list[tuple[dt.date, dt.date, int]]:
    """The list's months with how many of its records each holds (first day, last day, n),
    from the same grid as its count: the list is ordered by the bucket date first, so a deep
    page can skip whole months (`paging.page_of`)."""
    if query.unit_id is None:
        return []
    series = query.metric.series
    grid = grids([series.key], query.window)[series.key]
    counts = grid.by_month(query.unit_id, query.metric.values)
    out = []
    for first, n in zip(grid.months, counts, strict=True):
        last = _month_end(first)
        out.append((max(first, query.window.date_from), min(last, query.window.date_to), n))
    return out


def records_count(scope: Scope, query: RecordsQuery) -> int:
    """How many records the list holds: for a unit, the figure of the same series, window and
    unit as the dashboard counts it (one grouped query, kept with the dashboard's grids — for a
    period's figure the very grid the dashboard read), so a list of 300,000 cases is not
    counted again on each of its pages; the reader's own records are counted."""
    if query.unit_id is None:
        return records_queryset(scope, query).count()
    if not scope.can_read_unit(query.unit_id):
        raise OutOfScope()
    series = query.metric.series
    grid = grids([series.key], query.window)[series.key]
    return grid.value(query.unit_id, query.metric.values)


def records_queryset(scope: Scope, query: RecordsQuery) -> QuerySet[Any]:
    """Exactly the records the number counted: the metric's series, its outcome values, and
    the unit's subtree on each record's date (or the reader's own records)."""
    metric = query.metric
    series = metric.series
    qs = series.build(query.window).filter(_key__in=list(metric.values))
    if metric.narrow is not None:
        qs = qs.filter(metric.narrow(query.window))
    if query.unit_id is None:
        assert series.own_path is not None
        qs = qs.filter(**{series.own_path: scope.own_staff_id})
    else:
        if not scope.can_read_unit(query.unit_id):
            raise OutOfScope()
        epochs = Epochs(query.window.date_to)
        qs = qs.filter(epochs.within_q(query.unit_id, "_unit", "_date"))
    if series.related:
        qs = qs.select_related(*series.related)
    return qs.order_by(*metric.list_order)
