"""Pages of the unit tree: the dated tree browser, its lazy branches and the unit page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.panels import render_panels
from thenchot.core.picker import Suggestion, picker_response, query_of
from thenchot.core.registry import Registry, unit_panels
from thenchot.core.views import date_param, login_required
from thenchot.org import selectors, services
from thenchot.org.choices import UnitKind
from thenchot.org.forms import UnitForm
from thenchot.org.models import Unit
from thenchot.org.tree import TreeSnapshot, UnitInfo, tree

QUICK_DATES = (dt.date(2023, 1, 1),)


def _info_row(info: UnitInfo, today: dt.date, has_children: bool = False) -> dict[str, Any]:
    return {
        "id": info.id,
        "code": info.code,
        "name": info.name,
        "kind": info.kind,
        "kind_label": UnitKind(info.kind).label if info.kind in UnitKind.values else info.kind,
        "valid_from": info.valid_from,
        "valid_to": info.valid_to,
        "ended": info.valid_to is not None and info.valid_to < today,
        "has_children": has_children,
    }


def _nodes(scope: Scope, parent_id: int | None, on: dt.date) -> list[dict[str, Any]]:
    snap = tree()
    today = timezone.localdate()
    return [
        _info_row(snap.units[node.id], today, node.has_children)
        for node in selectors.children(scope, parent_id, on)
    ]


@login_required
@require_GET
def tree_view(request: HtmxHttpRequest) -> HttpResponse:
    scope = scope_for(request)
    on = date_param(request)
    today = timezone.localdate()
    query = request.GET.get("q", "").strip()
    results: list[dict[str, Any]] | None = None
    if query:
        snap = tree()
        results = []
        for unit in selectors.search_units(scope, query, on):
            row = _info_row(snap.units[unit.pk], today)
            row["path"] = [snap.units[i].name for i in reversed(snap.ancestors_on(unit.pk, on))]
            results.append(row)
    nodes = _nodes(scope, None, on)
    if len(nodes) == 1 and nodes[0]["has_children"]:
        # A single root (the city) is opened at once: nobody comes here to see one line.
        nodes[0]["children"] = _nodes(scope, nodes[0]["id"], on)
    context = {
        "on": on,
        "today": today,
        "is_past": on < today,
        "quick_dates": QUICK_DATES,
        "query": query,
        "results": results,
        "nodes": nodes,
    }
    if request.htmx and request.htmx.target == "tree-results":
        return render(request, "org/_results.html", context)
    return render(request, "org/tree.html", context)


@login_required
@require_GET
def children_view(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    on = date_param(request)
    try:
        parent_id = int(request.GET.get("parent", ""))
    except ValueError:
        raise Http404() from None
    if parent_id not in tree().units or not scope.can_read_unit(parent_id):
        raise Http404()
    return render(request, "org/_nodes.html", {"nodes": _nodes(scope, parent_id, on), "on": on})


# What the unit page shows of the apps above org (people: its heads and staff count): each
# registers, in `AppConfig.ready()`, a callable(scope, unit, on) giving its part of the context.
unit_page_parts: Registry[Callable[[Scope, Unit, dt.date], dict[str, Any]]] = Registry(
    "unit page parts"
)


def _unit_context(scope: Scope, unit: Unit, on: dt.date, snap: TreeSnapshot) -> dict[str, Any]:
    today = timezone.localdate()

    def linked(pairs: list[tuple[int, dt.date | None]]) -> list[dict[str, Any]]:
        rows = []
        for uid, effective in pairs:
            row = _info_row(snap.units[uid], today)
            row["effective_on"] = effective
            row["readable"] = scope.can_read_unit(uid)
            rows.append(row)
        return sorted(rows, key=lambda r: r["code"])

    context: dict[str, Any] = {
        "unit": unit,
        "on": on,
        "today": today,
        "is_past": on < today,
        "exists_on": unit.is_valid_on(on),
        "ended": unit.valid_to is not None and unit.valid_to < today,
        "path": [
            {**_info_row(snap.units[i], today), "readable": scope.can_read_unit(i)}
            for i in reversed(snap.ancestors_on(unit.pk, on))
        ],
        "children": _nodes(scope, unit.pk, on),
        "predecessors": linked(snap.predecessors.get(unit.pk, [])),
        "successors": linked(snap.successors.get(unit.pk, [])),
        "can_write": scope.can_write_unit(unit.pk),
        "quick_dates": QUICK_DATES,
    }
    for _key, part in unit_page_parts.items():
        context.update(part(scope, unit, on))
    return context


@login_required
@require_http_methods(["GET", "POST"])
def unit_view(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    # Out of scope reads as "not found": the page does not reveal that the unit exists.
    unit = get_object_or_404(selectors.unit_queryset(scope), code=code)
    on = date_param(request)
    form = None
    if request.method == "POST":
        if not scope.can_write_unit(unit.pk):
            raise PermissionDenied
        form = UnitForm(request.POST)
        if form.is_valid():
            changes = form.changes(unit)
            if not changes:
                messages.info(request, _("Nothing was changed."))
                return redirect(unit_url(unit, on))
            try:
                services.unit_update(
                    scope=scope,
                    unit=unit,
                    expected_version=form.cleaned_data["version"],
                    data=changes,
                )
            except ConcurrentUpdate as exc:
                messages.error(request, str(exc.message))
                return redirect(unit_url(unit, on))
            except DomainError as exc:
                unit.refresh_from_db()
                form.add_error(None, str(exc.message))
                for field, errors in exc.field_errors.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, str(error))
            else:
                messages.success(request, _("The unit was saved."))
                return redirect(unit_url(unit, on))
    context = _unit_context(scope, unit, on, tree())
    if context["can_write"] and form is None:
        form = UnitForm(
            initial={
                "name": unit.name,
                "kind": unit.kind,
                "valid_from": unit.valid_from,
                "valid_to": unit.valid_to,
                "version": unit.version,
            }
        )
    context["form"] = form
    # Every registered unit panel (core.panels.UnitPanel) with something to show, in order.
    context["panels"] = render_panels(unit_panels, request, scope, unit, unit=unit)
    return render(request, "org/unit.html", context)


def unit_url(unit: Unit, on: dt.date) -> str:
    url = reverse("org:unit", args=[unit.code])
    if on != timezone.localdate():
        url += "?" + urlencode({"on": on.isoformat()})
    return url


@login_required
@require_GET
def unit_pick(request: HttpRequest) -> HttpResponse:
    """Suggestions of a unit picker: existing units the user may read, by name or code."""
    found = selectors.pick_units(scope_for(request), query_of(request), timezone.localdate())
    return picker_response(request, (Suggestion(u.code, u.name) for u in found))
