"""The per-unit task statistics, with drill-down along the tree and an XLSX export."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.core.exports import Column, dated_filename, xlsx_response
from thenchot.core.pages import query_without, statistics_filters
from thenchot.core.views import login_required
from thenchot.directives.statistics import COUNT_KEYS, UnitRow, unit_statistics
from thenchot.directives.views.common import default_unit
from thenchot.org.tree import tree


def _stat_columns() -> list[Column]:
    labels = {
        "assigned": gettext_lazy("Assigned"),
        "due": gettext_lazy("Due"),
        "completed_on_time": gettext_lazy("On time"),
        "completed_late": gettext_lazy("Late"),
        "overdue": gettext_lazy("Overdue"),
        "in_progress": gettext_lazy("In progress"),
        "extensions_requested": gettext_lazy("Extensions requested"),
        "extensions_approved": gettext_lazy("Extensions approved"),
    }
    columns: list[Column] = [
        Column(gettext_lazy("Unit"), lambda r: r.code, 14),
        Column(gettext_lazy("Name"), lambda r: r.name, 36),
    ]
    for key in COUNT_KEYS:
        columns.append(Column(labels[key], partial(_count_of, key=key)))
    columns.append(Column(gettext_lazy("On-time rate (%)"), lambda r: r.on_time_rate))
    return columns


def _count_of(row: UnitRow, *, key: str) -> int:
    return row.counts[key]


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    today = timezone.localdate()
    snap = tree()

    def readable_default(on: dt.date) -> int | None:
        unit_id = default_unit(scope, on, snap)
        return unit_id if unit_id is not None and scope.can_read_unit(unit_id) else None

    # A status is a fact on a date: by default the one of today, never of a future day.
    query = statistics_filters(
        request,
        scope,
        snap.by_code,
        default_to=dt.date(today.year, 12, 31),
        default_unit=readable_default,
        as_of_at_most=today,
    )
    date_from, date_to, as_of = query.date_from, query.date_to, query.as_of
    unit_id = query.unit_id
    stats = None
    if (root := query.root) is not None:
        stats = unit_statistics(
            scope=scope, root=root, date_from=date_from, date_to=date_to, as_of=as_of
        )
        if request.GET.get("format") == "xlsx":
            rows: list[UnitRow] = list(stats.rows)
            total = stats.total
            footer = [
                [_("Total"), total.name, *[total.counts[k] for k in COUNT_KEYS], total.on_time_rate]
            ]
            return xlsx_response(
                filename=dated_filename(f"task-statistics-{snap.units[root].code}", as_of),
                columns=_stat_columns(),
                rows=rows,
                sheet_title="statistics",
                footer=footer,
            )
    base_query = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    if request.GET.get("as_of"):
        base_query["as_of"] = as_of.isoformat()
    path = []
    if unit_id is not None:
        for ancestor in reversed(snap.ancestors_on(unit_id, date_to)):
            if scope.can_read_unit(ancestor):
                path.append(snap.units[ancestor])
    chart = None
    if stats is not None:
        chart = {
            "labels": [r.name for r in stats.rows],
            "on_time": [r.counts["completed_on_time"] for r in stats.rows],
            "late": [r.counts["completed_late"] for r in stats.rows],
            "overdue": [r.counts["overdue"] for r in stats.rows],
            "series": [str(_("On time")), str(_("Late")), str(_("Overdue"))],
        }
    context = {
        "stats": stats,
        "unit": snap.units.get(unit_id) if unit_id is not None else None,
        "path": path,
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
        "error": query.error,
        "form_data": request.GET,
        "base_query": urlencode(base_query),
        "export_query": query_without(request, "format"),
        "chart": chart,
    }
    return render(
        request, "directives/statistics.html", context, status=400 if query.error else 200
    )
