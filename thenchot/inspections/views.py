"""Inspection pages: the list, the inspection page with its follow-up forms, the
recommendations list, the statistics and the plans. Every list has an XLSX export
(`?format=xlsx`) of exactly what it shows.

Reads go through `selectors` (a hidden surprise inspection is a 404, like a missing one);
writes go through `services`, which re-check who may act.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.forms import apply_domain_error, run_form_action, without
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.pages import first_or_404, record_form_view, statistics_filters
from thenchot.core.views import int_choice, login_required, parse_date
from thenchot.inspections import exports, services
from thenchot.inspections.choices import (
    InspectionKind,
    RecommendationStatus,
    ReportStatus,
    Topic,
)
from thenchot.inspections.filtersets import InspectionFilterSet, RecommendationFilterSet
from thenchot.inspections.forms import (
    ConclusionForm,
    DecisionForm,
    FindingForm,
    InspectionForm,
    RecommendationForm,
    RemediationForm,
)
from thenchot.inspections.models import Inspection, RemediationReport
from thenchot.inspections.selectors import (
    authority_for,
    inspection_detail,
    inspection_queryset,
    recommendation_queryset,
    reports_by_recommendation,
)
from thenchot.inspections.statistics import inspection_statistics
from thenchot.org.selectors import visible_roots
from thenchot.org.tree import tree

PAGE_SIZES = (25, 50, 100)


def _page(request: HttpRequest, qs: Any) -> Any:
    size = int_choice(request.GET.get("page_size"), PAGE_SIZES, PAGE_SIZES[0])
    return Paginator(qs, size).get_page(request.GET.get("page"))


def _export_query(request: HttpRequest) -> str:
    query = request.GET.copy()
    for key in ("page", "format"):
        query.pop(key, None)
    return query.urlencode()


# -- lists --------------------------------------------------------------------------------------
@login_required
@require_GET
def inspection_list(request: HtmxHttpRequest) -> HttpResponse:
    scope = scope_for(request)
    filterset = InspectionFilterSet(request.GET or None, queryset=inspection_queryset(scope))
    qs = filterset.qs.order_by("-started_on", "code")
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(exports.inspections_xlsx(qs.iterator()), "inspections.xlsx")
    auth = authority_for(request.user)
    snap = tree()
    # An unknown unit code is refused in words, not shown as an empty list (issue 11).
    unit_errors = [
        _("Unknown unit code '%(code)s'.") % {"code": code}
        for code in (request.GET.get(k, "").strip() for k in ("conducted_by", "target_unit"))
        if code and code not in snap.by_code
    ]
    context = {
        "filterset": filterset,
        "unit_errors": unit_errors,
        "page": _page(request, qs),
        "kinds": InspectionKind.choices,
        "selected_kinds": request.GET.getlist("kind"),
        "form_data": request.GET,
        "export_query": _export_query(request),
        "can_create": auth.admin or bool(auth.managed),
    }
    template = "inspections/_table.html" if request.htmx else "inspections/list.html"
    return render(request, template, context, status=400 if unit_errors else 200)


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    on = parse_date(request.GET.get("as_of")) or timezone.localdate()
    filterset = RecommendationFilterSet(
        request.GET or None, queryset=recommendation_queryset(scope, on)
    )
    qs = filterset.qs.order_by("due_on", "code")
    if request.GET.get("format") == "xlsx":
        return exports.xlsx_response(
            exports.recommendations_xlsx(qs.iterator()), "recommendations.xlsx"
        )
    context = {
        "page": _page(request, qs),
        "statuses": RecommendationStatus.choices,
        "status_labels": dict(RecommendationStatus.choices),
        "selected_statuses": request.GET.getlist("status"),
        "form_data": request.GET,
        "on": on,
        "export_query": _export_query(request),
    }
    return render(request, "inspections/recommendations.html", context)


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    snap = tree()

    def first_root(on: dt.date) -> int | None:
        roots = visible_roots(scope, on, snap)
        return roots[0] if roots else None

    query = statistics_filters(
        request, scope, snap.by_code, default_to=timezone.localdate(), default_unit=first_root
    )
    stats = None
    if (root := query.root) is not None:
        stats = inspection_statistics(
            unit_id=root,
            date_from=query.date_from,
            date_to=query.date_to,
            as_of=query.as_of,
            scope=scope,
        )
        if request.GET.get("format") == "xlsx":
            return exports.xlsx_response(
                exports.statistics_xlsx(stats), "inspection-statistics.xlsx"
            )
    context = {
        "stats": stats,
        "unit": snap.units.get(query.unit_id) if query.unit_id else None,
        "date_from": query.date_from,
        "date_to": query.date_to,
        "as_of": query.as_of,
        "error": query.error,
        "kinds": InspectionKind.choices,
        "conductor_rows": stats.rows("conductor") if stats else [],
        "target_rows": stats.rows("target") if stats else [],
        "export_query": _export_query(request),
    }
    return render(
        request, "inspections/statistics.html", context, status=400 if query.error else 200
    )


# -- create -------------------------------------------------------------------------------------
@login_required
def inspection_create(request: HttpRequest) -> HttpResponse:
    form = InspectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            inspection = services.inspection_create(by=request.user, **form.service_kwargs())
        except OutOfScope as exc:
            form.add_error(None, str(exc.message))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The inspection was recorded."))
            return redirect(reverse("inspections:detail", args=[inspection.code]))
    return render(request, "inspections/form.html", {"form": form})


# -- one inspection -----------------------------------------------------------------------------
def _readable(scope: Scope, code: str) -> Inspection:
    inspection = inspection_detail(scope, code)
    if inspection is None:
        # Missing, out of scope, or a surprise not yet started seen from its target: the same
        # answer, so the page reveals nothing.
        raise Http404
    return inspection


def _detail_context(request: HttpRequest, inspection: Inspection, **forms: Any) -> dict[str, Any]:
    auth = authority_for(request.user)
    recs = list(inspection.recommendations.all())
    reports = reports_by_recommendation([r.pk for r in recs])
    rows = []
    for rec in recs:
        rec_reports = reports.get(rec.pk, [])
        pending = next((r for r in rec_reports if r.status == ReportStatus.PENDING), None)
        rows.append(
            {
                "rec": rec,
                "reports": rec_reports,
                "pending": pending,
                "can_report": auth.is_remedying_side(rec) and rec.done_on is None and not pending,
            }
        )
    conducting = auth.is_conducting_side(inspection)
    return {
        "inspection": inspection,
        "rows": rows,
        "conducting": conducting,
        "finding_form": forms.get("finding_form") or FindingForm(prefix="finding"),
        "recommendation_form": forms.get("recommendation_form")
        or RecommendationForm(
            prefix="rec", initial={"responsible_unit": inspection.target_unit.code}
        ),
        "conclusion_form": forms.get("conclusion_form")
        or ConclusionForm(prefix="conclusion", initial={"version": inspection.version}),
        "remediation_form": forms.get("remediation_form") or RemediationForm(prefix="remedy"),
        "decision_form": DecisionForm(prefix="decide"),
        "topic_labels": dict(Topic.choices),
        "status_labels": dict(RecommendationStatus.choices),
    }


@login_required
@require_GET
def inspection_page(request: HttpRequest, code: str) -> HttpResponse:
    inspection = _readable(scope_for(request), code)
    return render(request, "inspections/detail.html", _detail_context(request, inspection))


def _url(inspection: Inspection) -> str:
    return reverse("inspections:detail", args=[inspection.code])


def _rerender(
    request: HttpRequest, inspection: Inspection, form_name: str, form: Any
) -> HttpResponse:
    """The page again (400) with the refused form; the inspection is read afresh, as the
    refused change left it."""
    inspection = _readable(scope_for(request), inspection.code)
    context = _detail_context(request, inspection, **{form_name: form})
    return render(request, "inspections/detail.html", context, status=400)


def _run(
    request: HttpRequest, inspection: Inspection, form: Any, act: Any, form_name: str
) -> HttpResponse:
    """An inspection page form's action (`core.forms.run_form_action`): back to the inspection
    when done, the page again with the form under `form_name` when refused."""
    again = partial(_rerender, request, inspection, form_name)
    return run_form_action(request, form, act, done=_url(inspection), again=again)


_Act = Callable[[Any, Inspection, dict[str, Any]], str]


def _inspection_form(form_class: Any, prefix: str, form_name: str, act: _Act) -> Any:
    """The POST view of one of the inspection page's forms (`form_name`, fields `prefix-`)."""

    def load(request: HttpRequest, code: str) -> Inspection:
        return _readable(scope_for(request), code)

    def run(request: HttpRequest, inspection: Any, form: Any, action: Any) -> HttpResponse:
        return _run(request, inspection, form, action, form_name)

    return record_form_view(load, form_class, act, run, prefix=prefix)


def _finding(by: Any, inspection: Inspection, data: dict[str, Any]) -> str:
    services.finding_add(by=by, inspection=inspection, **data)
    return _("The finding was recorded.")


def _recommendation(by: Any, inspection: Inspection, data: dict[str, Any]) -> str:
    services.recommendation_add(by=by, inspection=inspection, **data)
    return _("The recommendation was recorded.")


def _conclusion(by: Any, inspection: Inspection, data: dict[str, Any]) -> str:
    version = data["version"]
    fields = without(data, "version")
    services.conclusion_record(by=by, inspection=inspection, expected_version=version, **fields)
    return _("The conclusion was recorded.")


finding_add = _inspection_form(FindingForm, "finding", "finding_form", _finding)
recommendation_add = _inspection_form(
    RecommendationForm, "rec", "recommendation_form", _recommendation
)
conclusion_record = _inspection_form(ConclusionForm, "conclusion", "conclusion_form", _conclusion)


@login_required
@require_POST
def remediation_report(request: HttpRequest, code: str, rec_code: str) -> HttpResponse:
    inspection = _readable(scope_for(request), code)
    rec = first_or_404(inspection.recommendations.filter(code=rec_code))
    form = RemediationForm(request.POST, request.FILES, prefix="remedy")

    def act(data: dict[str, Any]) -> str:
        services.remediation_report(by=request.user, recommendation=rec, **data)
        return _("The remediation was reported for review.")

    return _run(request, inspection, form, act, "remediation_form")


@login_required
@require_POST
def remediation_decide(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    """Decided from a button beside the report, not from a form on the page: a refusal is said
    in a message and the page reloaded, rather than re-rendered around a form."""
    inspection = _readable(scope_for(request), code)
    report = first_or_404(
        RemediationReport.objects.filter(pk=report_id, recommendation__inspection=inspection)
    )
    form = DecisionForm(request.POST, prefix="decide")
    attempted = False

    def act(data: dict[str, Any]) -> str:
        nonlocal attempted
        attempted = True
        services.remediation_decide(
            by=request.user, report=report, accept=data["accept"], comment=data["comment"]
        )
        if data["accept"]:
            return _("The remediation was accepted.")
        return _("The remediation was returned to the unit.")

    def again(refused: DecisionForm) -> HttpResponse:
        if attempted:  # the service refused: its message is on the form
            for error in _form_errors(refused):
                messages.error(request, error)
        else:
            messages.error(request, _("Choose accept or return."))
        return redirect(_url(inspection))

    return run_form_action(request, form, act, done=_url(inspection), again=again)


def _form_errors(form: Any) -> list[str]:
    """A form's messages, the general ones first."""
    general = [str(e) for e in form.non_field_errors()]
    return general + [
        str(e) for name, errors in form.errors.items() if name != "__all__" for e in errors
    ]
