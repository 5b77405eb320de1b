"""Procedure and case pages: the registry list (search, filters, counts in force by level), a
procedure's page (steps, ISO documents, versions, retirement, receiving a case), the case list
(status flags) and a case's page (who holds it now, each step's holder and time, moving it on)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_refusal, submit_form, take, without
from thenchot.core.pages import first_or_404
from thenchot.core.paging import CappedCountPaginator
from thenchot.core.views import login_required, parse_date
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.processes import selectors, services, stats
from thenchot.processes.choices import CaseStatus, Level
from thenchot.processes.forms import (
    AdvanceForm,
    AttachForm,
    CaseStartForm,
    DelayForm,
    ProcessForm,
    RetireForm,
)
from thenchot.processes.models import Case, Process
from thenchot.processes.workdays import calendar, risk_threshold

PER_PAGE = 50
CASES_COUNTED = 10_000  # the case list counts up to here; past it, it says to filter


def _process(request: HttpRequest, code: str, number: Any = None) -> Process:
    qs = selectors.processes_queryset(scope_for(request)).filter(code=code)
    if number:
        qs = qs.filter(number=number)
    return first_or_404(qs.order_by("-number"))


@login_required
@require_GET
def process_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    on = parse_date(request.GET.get("on")) or timezone.localdate()
    in_force = request.GET.get("in_force", "1") == "1"
    code = request.GET.get("unit", "").strip()
    unit_id = tree().by_code.get(code) if code else None
    qs = selectors.filter_processes(
        selectors.processes_queryset(scope),
        q=request.GET.get("q", ""),
        level=request.GET.get("level", ""),
        unit_id=unit_id,
        in_force_on=on if in_force else None,
    ).order_by("code", "number")
    searching = bool(request.GET.get("q"))
    page = CappedCountPaginator(qs, PER_PAGE, cap=10_000 if searching else None).get_page(
        request.GET.get("page")
    )
    counts = selectors.counts_in_force(scope, on)
    return render(
        request,
        "processes/list.html",
        {
            "page": page,
            "on": on,
            "in_force": in_force,
            "levels": Level.choices,
            "counts": [(label, counts[value]) for value, label in Level.choices],
            "total": sum(counts.values()),
            "q": request.GET.get("q", ""),
            "level": request.GET.get("level", ""),
            "unit": code,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def process_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    form = ProcessForm(request.POST or None)

    def save(data: dict[str, Any]) -> HttpResponse:
        process = services.process_create(
            scope=scope,
            by=request.user,
            owner_unit=Unit.objects.get(pk=data["owner_unit"]),
            **take(data, "code", "name", "level", "approved_on", "decision_number", "steps"),
        )
        return redirect(reverse("processes:detail", args=[process.code]))

    saved = submit_form(request, form, save, refuse=apply_refusal)
    return saved or render(request, "processes/new.html", {"form": form})


@login_required
@require_GET
def process_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    process = _process(request, code, request.GET.get("v"))
    manage = selectors.can_manage(scope, process.owner_unit_id)
    versions = list(
        selectors.processes_queryset(scope).filter(code=process.code).order_by("number")
    )
    return render(
        request,
        "processes/detail.html",
        {
            "process": process,
            "steps": selectors.process_steps(process),
            "documents": selectors.process_documents(process),
            "versions": versions,
            "manage": manage and process.retired_on is None,
            "can_start": process.retired_on is None
            and selectors.can_start_case(scope, request.user, process),
            "retire_form": RetireForm(
                initial={"version": process.version, "number": process.number}
            ),
            "attach_form": AttachForm(initial={"number": process.number}),
            "start_form": CaseStartForm(
                initial={"number": process.number, "received_on": timezone.localdate()}
            ),
            "cases": selectors.cases_queryset(scope).filter(process=process).count(),
        },
    )


def _post_on_process(request: HttpRequest, code: str, form: Any, action: Any) -> HttpResponse:
    process = _process(request, code, request.POST.get("number"))
    if form.is_valid():
        try:
            result = action(process, form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            if isinstance(result, HttpResponse):
                return result
            messages.success(request, _("Saved."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    url = reverse("processes:detail", args=[process.code])
    return redirect(f"{url}?v={process.number}")


@login_required
@require_POST
def process_retire(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    return _post_on_process(
        request,
        code,
        RetireForm(request.POST),
        lambda process, data: services.process_retire(
            scope=scope,
            by=request.user,
            process=process,
            retired_on=data["retired_on"],
            expected_version=data["version"],
        ),
    )


@login_required
@require_POST
def process_attach(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    return _post_on_process(
        request,
        code,
        AttachForm(request.POST, request.FILES),
        lambda process, data: services.process_attach(
            scope=scope, by=request.user, process=process, kind=data["kind"], file=data["file"]
        ),
    )


@login_required
@require_POST
def case_start(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)

    def start(process: Process, data: dict[str, Any]) -> HttpResponse:
        case = services.case_start(
            scope=scope,
            by=request.user,
            process=process,
            **take(data, "received_on", "applicant"),
        )
        return _to_case(case)

    return _post_on_process(request, code, CaseStartForm(request.POST), start)


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    on = parse_date(request.GET.get("on")) or timezone.localdate()
    # A figure of the statistics page links here with its own conditions (`stats.filter_cases`).
    qs = selectors.with_status(stats.filter_cases(selectors.cases_queryset(scope), request.GET), on)
    status = request.GET.get("status", "")
    if status in CaseStatus.values:
        qs = qs.filter(status=status)  # type: ignore[misc]  # the annotation of with_status
    # A city holds a million cases: counting them all costs more than the page (issue 13: the
    # case pages' p95 while due dates are recomputed); past the cap the page says to filter.
    page = CappedCountPaginator(
        qs.order_by("-received_on", "code"), PER_PAGE, cap=CASES_COUNTED
    ).get_page(request.GET.get("page"))
    labels = dict(CaseStatus.choices)
    for case in page:
        case.status_label = labels.get(case.status, case.status)  # type: ignore[attr-defined]
    return render(
        request,
        "processes/cases.html",
        {"page": page, "on": on, "statuses": CaseStatus.choices, "status": status},
    )


def _case(request: HttpRequest, code: str) -> Case:
    return first_or_404(selectors.cases_queryset(scope_for(request)).filter(code=code))


@login_required
@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    return _render_case(request, _case(request, code))


def _render_case(
    request: HttpRequest, case: Case, form: Any = None, delay_form: Any = None
) -> HttpResponse:
    on = timezone.localdate()
    current = selectors.current_step(case)
    status = selectors.case_status_of(case, on, risk_threshold(on, calendar()))
    return render(
        request,
        "processes/case.html",
        {
            "case": case,
            "steps": selectors.case_steps(case, on),
            "current": current,
            "holder": selectors.holder_label(case, current.step if current else None),
            "status": status,
            "status_label": CaseStatus(status).label,
            "can_move": current is not None
            and selectors.is_responsible(request.user, case, current.step, on),
            "form": form
            or AdvanceForm(
                initial={
                    "version": case.version,
                    "position": case.current_position,
                    "on": on,
                }
            ),
            "delay_form": delay_form
            or DelayForm(initial={name: getattr(case, name) for name in DelayForm.base_fields}),
        },
    )


def _to_case(case: Case) -> HttpResponse:
    return redirect(reverse("processes:case", args=[case.code]))


def _case_form(
    request: HttpRequest,
    code: str,
    form_class: Any,
    form_key: str,
    service: Callable[..., Any],
    *,
    forbid: bool = False,
    **extra: Any,
) -> HttpResponse:
    """A case page form: `service` moves or explains the case with the form's fields, then
    back to the case; refused, the case page again with the form under `form_key` (a refusal
    out of scope is a 403 when `forbid`)."""
    case = _case(request, code)
    form = form_class(request.POST)

    def save(data: dict[str, Any]) -> HttpResponse:
        service(
            by=request.user,
            case=case,
            expected_version=data["version"],
            **extra,
            **without(data, "version"),
        )
        return _to_case(case)

    saved = submit_form(request, form, save, refuse=apply_refusal, forbid=forbid)
    return saved or _render_case(request, case, **{form_key: form})


@login_required
@require_POST
def case_advance(request: HttpRequest, code: str) -> HttpResponse:
    return _case_form(request, code, AdvanceForm, "form", services.case_advance, forbid=True)


@login_required
@require_POST
def case_delay(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    service = services.case_explain_delay
    return _case_form(request, code, DelayForm, "delay_form", service, scope=scope)
