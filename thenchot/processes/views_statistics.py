"""The case statistics page: figures by unit, level or procedure for a range, the trend by
month, the time each step takes and the bottleneck steps; every number links to its cases."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.core.views import login_required, parse_date
from thenchot.org.tree import tree
from thenchot.processes import selectors, stats
from thenchot.processes.choices import Level

GROUPINGS = ("unit", "level", "procedure")
PROCEDURE_ROWS = 100


def _links(base: dict[str, str], figures: dict[str, int], **extra: str) -> list[tuple[int, str]]:
    url = reverse("processes:cases")
    return [
        (figures[m], f"{url}?{urlencode({**base, **extra, 'metric': m})}") for m in stats.METRICS
    ]


@login_required
@require_GET
def statistics(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    today = timezone.localdate()
    end = parse_date(request.GET.get("to")) or today
    start = parse_date(request.GET.get("from")) or dt.date(end.year, 1, 1)
    start = min(start, end)
    code = request.GET.get("unit", "").strip()
    unit_id = tree().by_code.get(code) if code else None
    level = request.GET.get("level", "")
    procedure = request.GET.get("procedure", "").strip()
    by = request.GET.get("by", "unit")
    by = by if by in GROUPINGS else "unit"
    filters = stats.Filters(start, end, unit_id, level if level in Level.values else "", procedure)
    qs = selectors.cases_queryset(scope).select_related(None)
    base = {"from": start.isoformat(), "to": end.isoformat()}
    if code:
        base["unit"] = code
    if filters.level:
        base["level"] = filters.level
    if procedure:
        base["procedure"] = procedure
    total = stats.counts(qs, filters, None).get(None, dict.fromkeys(stats.METRICS, 0))
    rows: list[tuple[str, list[tuple[int, str]]]] = []
    if by == "unit":
        snap = tree()
        for row_unit, figures in stats.by_unit(qs, filters, unit_id):
            info = snap.units.get(row_unit)
            row_code = info.code if info else str(row_unit)
            label = f"{info.name} ({row_code})" if info else row_code
            rows.append((label, _links(base, figures, unit=row_code)))
    elif by == "level":
        labels = dict(Level.choices)
        for value, figures in sorted(stats.counts(qs, filters, "process__level").items()):
            rows.append((str(labels.get(value, value)), _links(base, figures, level=value)))
    else:
        found = stats.counts(qs, filters, "process__code")
        ordered = sorted(found.items(), key=lambda item: (-item[1]["received"], item[0]))
        for value, figures in ordered[:PROCEDURE_ROWS]:
            rows.append((value, _links(base, figures, procedure=value)))
    months = [
        (
            month,
            _links(
                {
                    **base,
                    "from": max(month, start).isoformat(),
                    "to": min(_month_end(month), end).isoformat(),
                },
                figures,
            )[:3],
        )
        for month, figures in stats.trend(qs, filters)
    ]
    steps = stats.step_figures(qs, filters)
    url = reverse("processes:cases")
    bottlenecks: list[dict[str, Any]] = [
        {
            "figures": f,
            "url": f"{url}?{urlencode({**base, 'metric': 'step_late', 'step': f.step_id})}",
        }
        for f in stats.bottlenecks(steps)
    ]
    return render(
        request,
        "processes/statistics.html",
        {
            "start": start,
            "end": end,
            "unit": code,
            "level": filters.level,
            "procedure": procedure,
            "by": by,
            "levels": Level.choices,
            "total": _links(base, total),
            "rows": rows,
            "months": months,
            "positions": stats.by_position(steps),
            "bottlenecks": bottlenecks,
        },
    )


def _month_end(month: dt.date) -> dt.date:
    following = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)
