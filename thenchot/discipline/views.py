"""Discipline pages: decisions and cases (read through the discipline access rule), the case
page with its deadline, pauses and decision, and the XLSX export of the decision list."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_refusal, submit_form, take
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


# A refusal's field messages without a field on the form go on top: a case page's forms are
# small, and the service names fields of the case as well.
_apply_error = partial(apply_refusal, unplaced=True)


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

    def save(data: dict[str, Any]) -> HttpResponse | None:
        staff = Staff.objects.filter(code=data["staff"]).first()
        if staff is None or not can_write_discipline(scope, staff):
            form.add_error("staff", _("Unknown staff code, or not in your units."))
            return None
        case = services.case_open(
            scope=scope, staff=staff, **take(data, "detected_on", "violation_on", "summary")
        )
        messages.success(request, _("The case was opened."))
        return redirect(reverse("discipline:case", args=[case.code]))

    saved = submit_form(request, form, save, refuse=_apply_error)
    return saved or render(request, "discipline/case_open.html", {"form": form})


_CaseAct = Callable[[Scope, DisciplineCase, dict[str, Any]], str]


def _case_action(form_class: Any, prefix: str, act: _CaseAct) -> Any:
    """The POST view of one of the case page's forms (the form `<prefix>_form` of the page):
    `act` records it and says what was done, back to the case; refused or invalid, the case
    page again (400) with the form, the case read afresh after a refusal."""

    @login_required
    @require_POST
    def view(request: HttpRequest, code: str) -> HttpResponse:
        scope = scope_for(request)
        case = _readable_case(scope, code)
        if not can_write_discipline(scope, case.staff):
            raise PermissionDenied
        form = form_class(request.POST, prefix=prefix)
        if form.is_valid():
            try:
                messages.success(request, act(scope, case, form.cleaned_data))
            except DomainError as exc:
                _apply_error(form, exc)
                case = _readable_case(scope, code)
            else:
                return redirect(reverse("discipline:case", args=[case.code]))
        context = _case_context(scope, case, **{f"{prefix}_form": form})
        return render(request, "discipline/case.html", context, status=400)

    return view


def _pause(scope: Scope, case: DisciplineCase, data: dict[str, Any]) -> str:
    services.case_pause(scope=scope, case=case, **data)
    return _("The pause was recorded.")


def _extend(scope: Scope, case: DisciplineCase, data: dict[str, Any]) -> str:
    reason, version = data["extension_reason"], data["version"]
    services.case_extend(scope=scope, case=case, reason=reason, expected_version=version)
    return _("The deadline was extended to 150 days.")


def _decide(scope: Scope, case: DisciplineCase, data: dict[str, Any]) -> str:
    services.decision_record(scope=scope, staff=case.staff, case=case, **data)
    return _("The decision was recorded.")


case_pause = _case_action(PauseForm, "pause", _pause)
case_extend = _case_action(ExtendForm, "extend", _extend)
case_decide = _case_action(DecisionForm, "decision", _decide)
