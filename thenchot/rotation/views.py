"""Rotation pages: the due list (with reasons and XLSX export), executed rotations, annual plans
with their completion, publication and execution."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_refusal, take
from thenchot.core.pages import act_and_redirect
from thenchot.core.views import int_choice, login_required, parse_date
from thenchot.discipline.exports import xlsx_response
from thenchot.discipline.selectors import discipline_access
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff
from thenchot.rotation import services
from thenchot.rotation.forms import ExecuteForm, PlanItemForm, PublishForm
from thenchot.rotation.models import PlanItem, RotationPlan
from thenchot.rotation.selectors import (
    can_see_draft,
    due_list,
    due_summary,
    plan_completion,
    plan_warnings,
    plans_queryset,
    rotations_queryset,
)

WITHIN = (0, 3, 6, 12)


_apply_error = partial(apply_refusal, unplaced=True)


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    access = discipline_access(scope)
    if not access.everything and not access.units:
        raise PermissionDenied
    on = parse_date(request.GET.get("on")) or timezone.localdate()
    within = int_choice(request.GET.get("within"), WITHIN, 6)
    code = request.GET.get("unit", "").strip()
    unit_id = tree().by_code.get(code) if code else None
    lines = due_list(scope=scope, unit_id=unit_id, on=on, within_months=within)
    status = request.GET.get("status", "")
    shown = [ln for ln in lines if ln.status == status] if status else lines
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="rotation-due.xlsx",
            title=_("Rotation due list"),
            headers=[
                _("Staff code"),
                _("Full name"),
                _("Unit"),
                _("Job position"),
                _("In position since"),
                _("Due on"),
                _("Status"),
                _("Reasons"),
            ],
            rows=(
                [
                    ln.code,
                    ln.full_name,
                    ln.unit_code,
                    ln.job_code,
                    ln.in_position_since,
                    ln.due_on,
                    ln.status_label,
                    "; ".join(
                        f"{r['label']} ({r['from']:%d/%m/%Y}–{r['to']:%d/%m/%Y})"
                        if r["to"]
                        else f"{r['label']} ({r['from']:%d/%m/%Y}–)"
                        for r in ln.reasons
                    ),
                ]
                for ln in shown
            ),
        )
    page = Paginator(shown, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "rotation/due.html",
        {
            "page": page,
            "summary": due_summary(lines),
            "on": on,
            "within": within,
            "within_choices": WITHIN,
            "form_data": request.GET,
        },
    )


@login_required
@require_GET
def rotation_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    qs = rotations_queryset(scope).order_by("-effective_on", "code")
    year = request.GET.get("year", "").strip()
    if year.isdigit():
        qs = qs.filter(effective_on__year=int(year))
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename="rotations.xlsx",
            title=_("Rotations"),
            headers=[
                _("Code"),
                _("Staff code"),
                _("Full name"),
                _("Kind"),
                _("From unit"),
                _("To unit"),
                _("Effective on"),
                _("Decision number"),
            ],
            rows=(
                [
                    r.code,
                    r.staff.code,
                    r.staff.full_name,
                    r.get_kind_display(),
                    r.from_unit.code,
                    r.to_unit.code,
                    r.effective_on,
                    r.decision_number,
                ]
                for r in qs.iterator(chunk_size=2000)
            ),
        )
    return render(
        request,
        "rotation/list.html",
        {"page": Paginator(qs, 50).get_page(request.GET.get("page")), "form_data": request.GET},
    )


def _visible_plans(scope: Scope) -> Any:
    qs = plans_queryset(scope)
    return [p for p in qs if p.published_on is not None or can_see_draft(scope, p)]


@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    return render(request, "rotation/plans.html", {"plans": _visible_plans(scope)})


def _readable_plan(scope: Scope, code: str) -> RotationPlan:
    plan = get_object_or_404(plans_queryset(scope), code=code)
    if plan.published_on is None and not can_see_draft(scope, plan):
        raise PermissionDenied
    return plan


def _plan_context(scope: Scope, plan: RotationPlan, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    can_write = scope.can_write_unit(plan.agency_id)
    return {
        "plan": plan,
        "items": list(plan.items.select_related("staff", "target_unit", "rotation")),
        "completion": plan_completion(plan),
        "warnings": plan_warnings(plan, today),
        "can_write": can_write,
        "item_form": forms.get("item_form") or PlanItemForm(prefix="item"),
        "publish_form": PublishForm(initial={"version": plan.version}),
        "today": today,
    }


@login_required
@require_GET
def plan_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    return render(request, "rotation/plan.html", _plan_context(scope, _readable_plan(scope, code)))


@login_required
@require_POST
def plan_add_item(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    plan = _readable_plan(scope, code)
    if not scope.can_write_unit(plan.agency_id):
        raise PermissionDenied
    form = PlanItemForm(request.POST, prefix="item")
    if form.is_valid():
        staff = Staff.objects.filter(code=form.cleaned_data["staff"]).first()
        target = Unit.objects.filter(code=form.cleaned_data["target_unit"]).first()
        if staff is None:
            form.add_error("staff", _("Unknown staff code."))
        if target is None:
            form.add_error("target_unit", _("Unknown unit code."))
        if staff is not None and target is not None:
            try:
                services.plan_add_item(
                    scope=scope,
                    plan=plan,
                    staff=staff,
                    kind=form.cleaned_data["kind"],
                    target_unit=target,
                    planned_on=form.cleaned_data["planned_on"],
                )
            except DomainError as exc:
                _apply_error(form, exc)
            else:
                messages.success(request, _("The person was added to the plan."))
                return redirect(reverse("rotation:plan", args=[plan.code]))
    return render(
        request, "rotation/plan.html", _plan_context(scope, plan, item_form=form), status=400
    )


def _to_plan(plan: RotationPlan) -> str:
    return reverse("rotation:plan", args=[plan.code])


@login_required
@require_POST
def plan_publish(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    plan = _readable_plan(scope, code)
    form = PublishForm(request.POST)
    if not scope.can_write_unit(plan.agency_id) or not form.is_valid():
        raise PermissionDenied

    def act(_data: dict[str, Any]) -> str:
        services.plan_publish(
            scope=scope,
            plan=plan,
            on=timezone.localdate(),
            expected_version=form.cleaned_data["version"],
        )
        return _("The plan was published inside the agency.")

    return act_and_redirect(request, _to_plan(plan), act, details=False)


@login_required
@require_POST
def plan_execute(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    scope = scope_for(request)
    plan = _readable_plan(scope, code)
    item = get_object_or_404(
        PlanItem.objects.select_related("staff", "target_unit"), pk=item_id, plan=plan
    )
    form = ExecuteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the date the move takes effect."))
        return redirect(_to_plan(plan))

    def act(_data: dict[str, Any]) -> str:
        services.rotation_execute(
            scope=scope,
            staff=item.staff,
            kind=item.kind,
            to_unit=item.target_unit,
            plan_item=item,
            expected_version=form.cleaned_data["version"],
            **take(form.cleaned_data, "effective_on", "decision_number"),
        )
        return _("The rotation was carried out.")

    return act_and_redirect(request, _to_plan(plan), act, details=False)
