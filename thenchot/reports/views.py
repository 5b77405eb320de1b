"""The report page (any unit of the reader's scope, any range), its downloads, and the reports
built in the background with their progress."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import OutOfScope
from thenchot.core.views import login_required
from thenchot.org.tree import tree
from thenchot.reports import narrative, selectors, services
from thenchot.reports.blocks import ReportRequest, build_report
from thenchot.reports.forms import FORMATS, ReportForm, initial_for
from thenchot.reports.models import ReportRun, RunFormat, RunStatus
from thenchot.reports.presentation import block_views, unit_label
from thenchot.reports.ranges import range_phrase

FORM_FIELDS = ("unit", "kind", "year", "month", "quarter", "date_from", "date_to", "as_of")


def report_context(data: dict[str, Any]) -> dict[str, Any]:
    """What the page shows of a report's figures, in the reader's language."""
    snap = tree()
    uid = snap.by_code.get(data["unit"])
    info = snap.units.get(uid) if uid is not None else None
    subject = narrative.subject_of(
        data, unit_kind=info.kind if info else "", unit_label=info.name if info else ""
    )
    return {
        "data": data,
        "unit_label": unit_label(data["unit"]),
        "period": subject.period,
        "date_from": dt.date.fromisoformat(data["from"]),
        "date_to": dt.date.fromisoformat(data["to"]),
        "as_of": dt.date.fromisoformat(data["as_of"]),
        "paragraphs": narrative.paragraphs(data, subject),
        "blocks": block_views(data),
    }


def _form(request: HttpRequest, scope: Any) -> ReportForm:
    if "unit" in request.GET:
        return ReportForm(request.GET)
    today = timezone.localdate()
    unit_id = selectors.default_unit(scope, today)
    code = tree().units[unit_id].code if unit_id is not None else ""
    initial = initial_for(code, today)
    # The reader's own unit and this month are shown at once; nothing to show without a unit.
    return ReportForm(initial) if code else ReportForm(initial=initial)


def _chosen(form: ReportForm, scope: Any) -> _Chosen:
    data = form.cleaned_data
    unit_id = data["unit"]
    try:
        selectors.require_readable_unit(scope, unit_id)
    except OutOfScope as exc:
        raise PermissionDenied(str(exc.message)) from exc
    chosen = data["range"]
    return unit_id, chosen.date_from, chosen.date_to, data["as_of_date"]


def _query(form: ReportForm) -> str:
    return urlencode({k: v for k in FORM_FIELDS if (v := form.data.get(k)) not in (None, "")})


_Chosen = tuple[int, dt.date, dt.date, dt.date]


def _request_run(
    request: HttpRequest, scope: Any, form: ReportForm, chosen: _Chosen, fmt: str
) -> ReportRun:
    """The report of a large unit, asked of the background (its progress has a page)."""
    unit_id, date_from, date_to, as_of = chosen
    return services.run_request(
        scope=scope,
        user=request.user,
        unit_id=unit_id,
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        fmt=fmt,
        params={"query": _query(form)},
    )


def _build(chosen: _Chosen) -> dict[str, Any]:
    """The report of a unit of modest size, built at once."""
    unit_id, date_from, date_to, as_of = chosen
    return build_report(
        ReportRequest(tree().units[unit_id].code, unit_id, date_from, date_to, as_of)
    )


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = _form(request, scope)
    context: dict[str, Any] = {"form": form, "formats": FORMATS}
    if form.is_bound and form.is_valid():
        chosen = _chosen(form, scope)
        unit_id, date_from, date_to, _as_of = chosen
        query = _query(form)
        context["query"] = query
        context["large"] = selectors.is_large(unit_id, date_to)
        context["subtree_size"] = selectors.subtree_size(unit_id, date_to)
        if context["large"]:
            context["run"] = _request_run(request, scope, form, chosen, RunFormat.HTML)
            context["heading"] = {
                "unit_label": unit_label(tree().units[unit_id].code),
                "period": range_phrase(date_from, date_to),
            }
        else:
            context.update(report_context(_build(chosen)))
    return render(request, "reports/index.html", context)


@login_required
@require_GET
def download(request: HttpRequest) -> HttpResponse:
    """The report as XLSX or PDF: at once for a unit of modest size, else built in the
    background (the reader is taken to its progress)."""
    scope = scope_for(request)
    fmt = request.GET.get("format", "")
    if fmt not in FORMATS:
        raise Http404
    form = ReportForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/index.html", {"form": form, "formats": FORMATS}, status=400)
    chosen = _chosen(form, scope)
    if selectors.is_large(chosen[0], chosen[2]):
        return redirect("reports:run", pk=_request_run(request, scope, form, chosen, fmt).pk)
    from thenchot.reports.rendering import PdfUnavailable
    from thenchot.reports.rendering import render as render_file

    data = _build(chosen)
    try:
        content, content_type, name = render_file(data, fmt)
    except PdfUnavailable as exc:
        return HttpResponse(str(exc), status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def runs(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/runs.html", {"runs": selectors.my_runs(request.user)[:100]})


def _run_context(run: ReportRun) -> dict[str, Any]:
    context: dict[str, Any] = {
        "run": run,
        "period": range_phrase(run.date_from, run.date_to),
        "unit_label": unit_label(run.unit.code),
    }
    if run.status == RunStatus.DONE and run.format == RunFormat.HTML and run.result:
        context.update(report_context(run.result))
    return context


@login_required
@require_GET
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_for(scope_for(request), request.user, pk)
    return render(request, "reports/run.html", _run_context(run))


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress panel (htmx polls it until the run is finished)."""
    run = selectors.run_for(scope_for(request), request.user, pk)
    return render(request, "reports/_progress.html", _run_context(run))


@login_required
@require_GET
def run_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    run = selectors.run_for(scope_for(request), request.user, pk)
    if run.status != RunStatus.DONE or not run.file:
        raise Http404
    try:
        handle = run.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    name = (run.file.name or "").rsplit("/", 1)[-1]
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
