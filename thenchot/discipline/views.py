"""Discipline pages: decisions and cases (read through the discipline access rule), the case
page with its deadline, pauses and decision, and the XLSX export of the decision list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.errors import DomainError
from thenchot.core.views import login_required
from thenchot.discipline import rules, services
from thenchot.discipline.choices import CaseStatus, DisciplineForm
from thenchot.discipline.exports import xlsx_response
from thenchot.discipline.forms import CaseOpenForm, DecisionForm, ExtendForm, PauseForm
from thenchot.discipline.labels import basis_label
from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.discipline.selectors import (
    allowed_forms_for,
    can_write_discipline,
    case_deadline,
    cases_queryset,
    decisions_queryset,
    discipline_access,
    repeat_minimum_for,
)
from thenchot.org.tree import tree
from thenchot.people.models import Staff


def _require_access(scope: Scope) -> None:
    if discipline_access(scope).nothing:
        raise PermissionDenied


def _apply_error(form: Any, exc: DomainError) -> None:
    form.add_error(None, str(exc.message))
    for field, errors in exc.field_errors.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, str(error))


def filtered_decisions(scope: Scope, params: Any) -> QuerySet[DisciplineDecision]:
    qs = decisions_queryset(scope)
    unit_code = (params.get("unit") or "").strip()
    if unit_code:
        snap = tree()
        unit_id = snap.by_code.get(unit_code)
        ids = snap.subtree_on(unit_id, timezone.localdate()) if unit_id else set()
        qs = qs.filter(staff__unit_id__in=sorted(ids))
    year = (params.get("year") or "").strip()
    if year.isdigit():
        qs = qs.filter(effective_on__year=int(year))
    form = params.get("form")
    if form in DisciplineForm.values:
        qs = qs.filter(form=form)
    return qs.order_by("-effective_on", "code")


@login_required
@require_GET
def decision_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    _require_access(scope)
    qs = filtered_decisions(scope, request.GET)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="discipline.xlsx",
            title=_("Discipline decisions"),
            headers=[
                _("Code"),
                _("Staff code"),
                _("Full name"),
                _("Unit"),
                _("Form"),
                _("Track"),
                _("Violation"),
                _("Decision number"),
                _("Decided on"),
                _("Effective on"),
            ],
            rows=(
                [
                    d.code,
                    d.staff.code,
                    d.staff.full_name,
                    d.staff.unit.code,
                    d.get_form_display(),
                    d.get_track_display(),
                    d.violation,
                    d.decision_number,
                    d.decided_on,
                    d.effective_on,
                ]
                for d in qs.iterator(chunk_size=2000)
            ),
        )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    open_cases = list(
        cases_queryset(scope).filter(status=CaseStatus.OPEN).prefetch_related("pauses")
    )
    today = timezone.localdate()
    return render(
        request,
        "discipline/list.html",
        {
            "page": page,
            "forms": DisciplineForm.choices,
            "form_data": request.GET,
            "open_cases": [{"case": c, "deadline": case_deadline(c, today)} for c in open_cases],
            "today": today,
            "can_open": scope.has_role("personnel", "admin"),
        },
    )


def _readable_case(scope: Scope, code: str) -> DisciplineCase:
    return get_object_or_404(
        cases_queryset(scope).prefetch_related("pauses", "decisions"), code=code
    )


def _case_context(scope: Scope, case: DisciplineCase, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    can_write = can_write_discipline(scope, case.staff)
    allowed = allowed_forms_for(staff=case.staff, on=today)  # the post today (Settled point 13)
    limitation = (
        rules.limitation(violation_on=case.violation_on, reprimand_level=True)
        if case.violation_on
        else None
    )
    decision_form = forms.get("decision_form") or DecisionForm(prefix="decision")
    can_decide = can_write and case.status != CaseStatus.DROPPED
    if can_decide:
        decision_form.show_repeat_minimum(
            repeat_minimum_for(staff=case.staff, act=case.violation, on=today)
        )
    return {
        "case": case,
        "deadline": case_deadline(case, today),
        "limitation": limitation,
        "allowed": allowed,
        "allowed_labels": [dict(DisciplineForm.choices)[f] for f in allowed.forms],
        "allowed_basis": basis_label(allowed.basis),
        "limitation_basis": basis_label(limitation.basis) if limitation else "",
        "can_write": can_write and case.status == CaseStatus.OPEN,
        "can_decide": can_decide,
        "pause_form": forms.get("pause_form") or PauseForm(prefix="pause"),
        "extend_form": forms.get("extend_form")
        or ExtendForm(prefix="extend", initial={"version": case.version}),
        "decision_form": decision_form,
        "today": today,
    }


@login_required
@require_GET
def case_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    case = _readable_case(scope, code)
    return render(request, "discipline/case.html", _case_context(scope, case))


@login_required
@require_http_methods(["GET", "POST"])
def case_open(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.has_role("personnel", "admin"):
        raise PermissionDenied
    form = CaseOpenForm(request.POST or None, initial={"staff": request.GET.get("staff", "")})
    if request.method == "POST" and form.is_valid():
        staff = Staff.objects.filter(code=form.cleaned_data["staff"]).first()
        if staff is None or not can_write_discipline(scope, staff):
            form.add_error("staff", _("Unknown staff code, or not in your units."))
        else:
            try:
                case = services.case_open(
                    scope=scope,
                    staff=staff,
                    detected_on=form.cleaned_data["detected_on"],
                    violation_on=form.cleaned_data["violation_on"],
                    summary=form.cleaned_data["summary"],
                )
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("The case was opened."))
                return redirect(reverse("discipline:case", args=[case.code]))
    return render(request, "discipline/case_open.html", {"form": form})


def _post_on_case(request: HttpRequest, code: str, action: str) -> HttpResponse:
    scope = scope_for(request)
    case = _readable_case(scope, code)
    if not can_write_discipline(scope, case.staff):
        raise PermissionDenied
    forms: dict[str, Any] = {}
    form: PauseForm | ExtendForm | DecisionForm
    try:
        if action == "pause":
            form = PauseForm(request.POST, prefix="pause")
            forms["pause_form"] = form
            if form.is_valid():
                services.case_pause(scope=scope, case=case, **form.cleaned_data)
                messages.success(request, _("The pause was recorded."))
                return redirect(reverse("discipline:case", args=[case.code]))
        elif action == "extend":
            form = ExtendForm(request.POST, prefix="extend")
            forms["extend_form"] = form
            if form.is_valid():
                services.case_extend(
                    scope=scope,
                    case=case,
                    reason=form.cleaned_data["extension_reason"],
                    expected_version=form.cleaned_data["version"],
                )
                messages.success(request, _("The deadline was extended to 150 days."))
                return redirect(reverse("discipline:case", args=[case.code]))
        elif action == "decide":
            form = DecisionForm(request.POST, prefix="decision")
            forms["decision_form"] = form
            if form.is_valid():
                services.decision_record(
                    scope=scope, staff=case.staff, case=case, **form.cleaned_data
                )
                messages.success(request, _("The decision was recorded."))
                return redirect(reverse("discipline:case", args=[case.code]))
        else:
            raise Http404
    except DomainError as exc:
        _apply_error(form, exc)
        case = _readable_case(scope, code)
    return render(request, "discipline/case.html", _case_context(scope, case, **forms), status=400)


@login_required
@require_POST
def case_pause(request: HttpRequest, code: str) -> HttpResponse:
    return _post_on_case(request, code, "pause")


@login_required
@require_POST
def case_extend(request: HttpRequest, code: str) -> HttpResponse:
    return _post_on_case(request, code, "extend")


@login_required
@require_POST
def case_decide(request: HttpRequest, code: str) -> HttpResponse:
    return _post_on_case(request, code, "decide")
