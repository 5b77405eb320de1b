"""Pages of the annual inspection plans and of an inspection's checklist.

Reads are scoped like the other inspection pages: a plan outside the user's units, or an
inspection they may not read (a surprise not yet started, seen from its target), is a 404.
Writes go through `services` with `core.forms.run_form_action`: the service re-checks who may
act (out of scope is a 403), and a page opened before someone else's change is refused by the
version it carries.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.forms import run_form_action, take
from thenchot.core.pages import first_or_404
from thenchot.core.views import login_required
from thenchot.inspections import services
from thenchot.inspections.choices import Topic
from thenchot.inspections.forms import (
    ChecklistForm,
    PlanEditForm,
    PlanForm,
    PlanItemEditForm,
    PlanItemForm,
    VersionForm,
)
from thenchot.inspections.models import (
    ChecklistAnswer,
    Inspection,
    InspectionPlan,
    PlanItem,
)
from thenchot.inspections.selectors import (
    authority_for,
    checklist_questions,
    inspection_queryset,
    plan_queryset,
)


# -- plans --------------------------------------------------------------------------------------
@login_required
@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    plans = plan_queryset(scope).order_by("-year", "conducted_by__code")
    auth = authority_for(request.user)
    context = {
        "plans": plans[:200],
        "can_create": auth.admin or bool(auth.managed),
        "topic_labels": dict(Topic.choices),
    }
    return render(request, "inspections/plans.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    auth = authority_for(request.user)
    if not (auth.admin or auth.managed):
        raise PermissionDenied
    form = PlanForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "GET":
        return _plan_form_page(request, form, title=_("New inspection plan"))
    created: dict[str, InspectionPlan] = {}

    def action(data: dict[str, Any]) -> str:
        created["plan"] = services.plan_create(by=request.user, **data)
        return _("The inspection plan was created.")

    return run_form_action(
        request,
        form,
        action,
        done=lambda: redirect(_plan_url(created["plan"])),
        again=lambda f: _plan_form_page(request, f, title=_("New inspection plan"), status=400),
    )


def _plan_url(plan: InspectionPlan) -> str:
    return reverse("inspections:plan", args=[plan.code])


def _on_plan(
    request: HttpRequest,
    plan: InspectionPlan,
    form: Any,
    action: Callable[[dict[str, Any]], str],
    again: Callable[[Any], HttpResponse],
) -> HttpResponse:
    """A plan form's action (`core.forms.run_form_action`): back to the plan when done, the
    form's page again (`again`) when refused."""
    return run_form_action(request, form, action, done=_plan_url(plan), again=again)


def _plan_form_page(
    request: HttpRequest,
    form: Any,
    *,
    title: str,
    plan: InspectionPlan | None = None,
    item: PlanItem | None = None,
    remove_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "form": form,
        "title": title,
        "plan": plan,
        "item": item,
        "remove_form": remove_form,
    }
    return render(request, "inspections/plan_form.html", context, status=status)


def _readable_plan(scope: Scope, code: str) -> InspectionPlan:
    # Missing or outside the user's units: the same answer.
    return first_or_404(plan_queryset(scope).filter(code=code))


def _plan_context(request: HttpRequest, plan: InspectionPlan, **forms: Any) -> dict[str, Any]:
    scope = scope_for(request)
    items = list(plan.items.all())
    carried: dict[int, list[Inspection]] = defaultdict(list)
    for inspection in (
        inspection_queryset(scope).filter(plan_item__plan=plan).order_by("started_on", "code")
    ):
        if inspection.plan_item_id is not None:  # always: filtered on the plan's items
            carried[inspection.plan_item_id].append(inspection)
    return {
        "plan": plan,
        "rows": [{"item": item, "inspections": carried.get(item.pk, [])} for item in items],
        "can_manage": authority_for(request.user).manages(plan.conducted_by_id),
        "item_form": forms.get("item_form") or PlanItemForm(prefix="item"),
        "publish_form": forms.get("publish_form")
        or VersionForm(prefix="publish", initial={"version": plan.version}),
        "topic_labels": dict(Topic.choices),
    }


def _plan_page(
    request: HttpRequest, plan: InspectionPlan, *, status: int = 200, **forms: Any
) -> HttpResponse:
    context = _plan_context(request, plan, **forms)
    return render(request, "inspections/plan.html", context, status=status)


@login_required
@require_GET
def plan_page(request: HttpRequest, code: str) -> HttpResponse:
    return _plan_page(request, _readable_plan(scope_for(request), code))


@login_required
@require_http_methods(["GET", "POST"])
def plan_update(request: HttpRequest, code: str) -> HttpResponse:
    plan = _readable_plan(scope_for(request), code)
    if not authority_for(request.user).manages(plan.conducted_by_id):
        raise PermissionDenied
    title = _("Edit the plan %(code)s") % {"code": plan.code}
    initial = {"title": plan.title, "year": plan.year, "version": plan.version}
    form = PlanEditForm(request.POST or None, initial=initial)
    if request.method == "GET":
        return _plan_form_page(request, form, title=title, plan=plan)

    def action(data: dict[str, Any]) -> str:
        services.plan_update(
            by=request.user,
            plan=plan,
            expected_version=data["version"],
            **take(data, "title", "year"),
        )
        return _("The plan was saved.")

    return _on_plan(
        request,
        plan,
        form,
        action,
        lambda f: _plan_form_page(request, f, title=title, plan=plan, status=400),
    )


@login_required
@require_POST
def plan_item_add(request: HttpRequest, code: str) -> HttpResponse:
    plan = _readable_plan(scope_for(request), code)
    form = PlanItemForm(request.POST, prefix="item")

    def action(data: dict[str, Any]) -> str:
        services.plan_item_add(by=request.user, plan=plan, **data)
        return _("The planned inspection was added.")

    return _on_plan(
        request, plan, form, action, lambda f: _plan_page(request, plan, status=400, item_form=f)
    )


def _plan_item(plan: InspectionPlan, item_id: int) -> PlanItem:
    return first_or_404(
        PlanItem.objects.select_related("target_unit").filter(pk=item_id, plan=plan)
    )


def _item_initial(plan: InspectionPlan, item: PlanItem) -> dict[str, Any]:
    return {
        "target_unit": item.target_unit.code,
        "planned_month": item.planned_month,
        "topics": item.topics,
        "version": plan.version,
    }


def _item_title(item: PlanItem) -> str:
    return _("Planned inspection of %(unit)s") % {"unit": item.target_unit.name}


@login_required
@require_http_methods(["GET", "POST"])
def plan_item_update(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan = _readable_plan(scope_for(request), code)
    item = _plan_item(plan, item_id)
    if not authority_for(request.user).manages(plan.conducted_by_id):
        raise PermissionDenied
    form = PlanItemEditForm(request.POST or None, initial=_item_initial(plan, item))
    remove_form = VersionForm(prefix="remove", initial={"version": plan.version})

    def page(f: Any, status: int = 200) -> HttpResponse:
        return _plan_form_page(
            request,
            f,
            title=_item_title(item),
            plan=plan,
            item=item,
            remove_form=remove_form,
            status=status,
        )

    if request.method == "GET":
        return page(form)

    def action(data: dict[str, Any]) -> str:
        version = data.pop("version")
        services.plan_item_update(by=request.user, item=item, expected_version=version, **data)
        return _("The planned inspection was saved.")

    return _on_plan(request, plan, form, action, lambda f: page(f, status=400))


@login_required
@require_POST
def plan_item_remove(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    plan = _readable_plan(scope_for(request), code)
    item = _plan_item(plan, item_id)
    form = VersionForm(request.POST, prefix="remove")

    def action(data: dict[str, Any]) -> str:
        services.plan_item_remove(by=request.user, item=item, expected_version=data["version"])
        return _("The planned inspection was removed from the plan.")

    def again(f: Any) -> HttpResponse:
        edit_form = PlanItemEditForm(initial=_item_initial(plan, item))
        return _plan_form_page(
            request,
            edit_form,
            title=_item_title(item),
            plan=plan,
            item=item,
            remove_form=f,
            status=400,
        )

    return _on_plan(request, plan, form, action, again)


@login_required
@require_POST
def plan_publish(request: HttpRequest, code: str) -> HttpResponse:
    plan = _readable_plan(scope_for(request), code)
    form = VersionForm(request.POST, prefix="publish")

    def action(data: dict[str, Any]) -> str:
        services.plan_publish(by=request.user, plan=plan, expected_version=data["version"])
        return _("The plan was published inside the agency.")

    return _on_plan(
        request, plan, form, action, lambda f: _plan_page(request, plan, status=400, publish_form=f)
    )


# -- checklist ----------------------------------------------------------------------------------
def _readable_inspection(scope: Scope, code: str) -> Inspection:
    # Missing, out of scope, or a surprise not yet started seen from its target: the same
    # answer, so the page reveals nothing.
    return first_or_404(inspection_queryset(scope).filter(code=code))


def _checklist_form(inspection: Inspection, data: Any = None) -> ChecklistForm:
    answers = {a.item_id: a for a in ChecklistAnswer.objects.filter(inspection=inspection)}
    return ChecklistForm(
        data,
        questions=checklist_questions(inspection, set(answers)),
        answers=answers,
        initial={"version": inspection.version},
    )


def _checklist_page(
    request: HttpRequest, inspection: Inspection, form: ChecklistForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "inspection": inspection,
        "form": form,
        "topic_labels": dict(Topic.choices),
    }
    return render(request, "inspections/checklist.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def checklist(request: HttpRequest, code: str) -> HttpResponse:
    """One screen with every question of the inspection's topics, saved together. Only the
    conducting side fills it in; a concluded inspection's checklist is shown closed."""
    inspection = _readable_inspection(scope_for(request), code)
    if not authority_for(request.user).is_conducting_side(inspection):
        raise PermissionDenied
    if request.method == "GET":
        return _checklist_page(request, inspection, _checklist_form(inspection))
    form = _checklist_form(inspection, request.POST)

    def action(data: dict[str, Any]) -> str:
        changed = services.checklist_record_all(
            by=request.user,
            inspection=inspection,
            expected_version=data["version"],
            answers=form.answers(),
        )
        return _("The checklist was saved: %(count)s answers changed.") % {"count": changed}

    return run_form_action(
        request,
        form,
        action,
        done=reverse("inspections:detail", args=[inspection.code]),
        again=lambda f: _checklist_page(request, inspection, f, status=400),
    )
