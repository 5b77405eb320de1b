"""The dashboard, the records behind each of its numbers, and the heads' "3 rõ" board."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.views import login_required
from thenchot.dashboards import board as boards
from thenchot.dashboards import selectors
from thenchot.dashboards.metrics import LEVELS
from thenchot.dashboards.paging import page_of
from thenchot.directives.models import Task
from thenchot.directives.urging import task_reassign, task_urge
from thenchot.org.tree import tree
from thenchot.people.models import Staff
from thenchot.processes.models import Case
from thenchot.processes.urging import case_step_reassign, case_urge

RECORDS_PAGE = 50


def _page(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def _error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(
        request, "dashboards/error.html", {"message": str(exc.message)}, status=exc.status
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    try:
        period = selectors.period_of(request.GET)
        dash = selectors.dashboard(
            scope,
            period=period,
            unit_code=request.GET.get("unit", "").strip(),
            rank_by=request.GET.get("rank", "on_time"),
            heat_metric=request.GET.get("heat", "tasks.overdue"),
            page=_page(request.GET.get("page")),
        )
    except OutOfScope:
        raise Http404 from None
    except DomainError as exc:
        return _error(request, exc)
    if request.headers.get("HX-Request") and dash.counting is None:
        # The counting block's poll, and the background count is done: the whole page again,
        # with its charts (htmx reloads it).
        return HttpResponse(headers={"HX-Refresh": "true"})
    charts = [
        {
            "id": f"chart-{t.key}",
            "title": str(t.title),
            "labels": t.labels,
            "series": [
                {"label": label, "data": [c.value for c in cells]} for label, cells in t.series
            ],
        }
        for t in dash.trends
    ]
    heat_choices = [(k, selectors.METRICS[k].label) for k in selectors.HEAT_METRICS]
    base: dict[str, str] = {"year": str(period.window.date_from.year)}
    if period.kind == "month":
        base = {"month": period.window.date_from.strftime("%Y-%m")}
    if dash.root_code:
        base["unit"] = dash.root_code
    return render(
        request,
        "dashboards/index.html",
        {
            "dash": dash,
            "charts": charts,
            "levels": LEVELS,
            "heat_choices": heat_choices,
            "rank_choices": [
                ("on_time", _("On-time rate")),
                ("late_cases", _("Late cases")),
                ("evaluations", _("Evaluation results")),
                *([("reform", _("Reform score"))] if dash.has_reform else []),
                *([("satisfaction", _("Satisfaction index"))] if dash.has_satisfaction else []),
            ],
            "base_query": urlencode(base),
            "years": list(range(timezone.localdate().year, timezone.localdate().year - 6, -1)),
            "board_url": reverse("dashboards:board")
            + (f"?unit={dash.root_code}" if dash.root_code else ""),
        },
    )


@login_required
@require_GET
def records(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    try:
        query = selectors.parse_records_query(scope, request.GET)
        qs = selectors.records_queryset(scope, query)
        count = selectors.records_count(scope, query)
        segments = selectors.records_segments(scope, query)
    except OutOfScope:
        raise Http404 from None
    except DomainError as exc:
        return _error(request, exc)
    page = page_of(
        qs,
        order=query.metric.list_order,
        count=count,
        per_page=RECORDS_PAGE,
        raw=request.GET.get("page"),
        segments=segments,
    )
    snap = tree()
    rows = [query.metric.series.row(obj) for obj in page.object_list]
    units = {r.unit_id: snap.units[r.unit_id].name for r in rows if r.unit_id in snap.units}
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "dashboards/records.html",
        {
            "query": query,
            "unit_name": snap.units[query.unit_id].name if query.unit_id else "",
            "page": page,
            "rows": rows,
            "units": units,
            "count": count,
            "params": params.urlencode(),
        },
    )


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    on = timezone.localdate()
    try:
        unit_id = selectors.resolve_unit(scope, request.GET.get("unit", "").strip(), on)
        if unit_id is None:
            raise OutOfScope()
        head = boards.head_board(
            scope,
            unit_id=unit_id,
            user=request.user,
            on=on,
            task_page=request.GET.get("tasks"),
            case_page=request.GET.get("cases"),
        )
    except OutOfScope:
        raise Http404 from None
    except DomainError as exc:
        return _error(request, exc)
    return render(request, "dashboards/board.html", {"b": head, "levels": LEVELS})


def _back(request: HttpRequest) -> HttpResponseRedirect:
    unit = request.POST.get("unit", "")
    url = reverse("dashboards:board") + (f"?{urlencode({'unit': unit})}" if unit else "")
    return HttpResponseRedirect(url)


def _record(kind: str, code: str) -> Any:
    model = Task if kind == "task" else Case if kind == "case" else None
    if model is None:
        raise DomainError(_("Unknown kind of record '%(value)s'.") % {"value": kind})
    found = model.objects.filter(code=code).first()
    if found is None:
        raise DomainError(_("No record with the code '%(value)s'.") % {"value": code})
    return found


@login_required
@require_POST
def urge(request: HttpRequest) -> HttpResponse:
    kind, code = request.POST.get("kind", ""), request.POST.get("code", "")
    note = request.POST.get("note", "")
    try:
        record = _record(kind, code)
        if kind == "task":
            n = task_urge(task=record, by=request.user, note=note)
        else:
            n = case_urge(case=record, by=request.user, note=note)
        messages.success(
            request, _("Reminder about %(code)s sent to %(n)s people.") % {"code": code, "n": n}
        )
    except OutOfScope:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _back(request)


@login_required
@require_POST
def reassign(request: HttpRequest) -> HttpResponse:
    kind, code = request.POST.get("kind", ""), request.POST.get("code", "")
    staff_code = request.POST.get("staff", "").strip()
    try:
        record = _record(kind, code)
        staff = Staff.objects.filter(code=staff_code).first()
        if staff is None:
            raise DomainError(
                _("No staff member with the code '%(value)s'.") % {"value": staff_code}
            )
        try:
            version = int(request.POST.get("version", ""))
        except ValueError:
            raise DomainError(
                _("The form is missing the record's version: reload the page.")
            ) from None
        if kind == "task":
            task_reassign(task=record, assignee=staff, by=request.user, expected_version=version)
        else:
            case_step_reassign(case=record, holder=staff, by=request.user, expected_version=version)
        messages.success(
            request, _("%(code)s is now with %(name)s.") % {"code": code, "name": staff.full_name}
        )
    except OutOfScope:
        raise Http404 from None
    except DomainError as exc:
        messages.error(request, str(exc.message))
    return _back(request)
