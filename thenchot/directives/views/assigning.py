"""Assigning a task from the page form, and the assignee suggestions its lead-unit input
refreshes (htmx). The service re-checks who may assign from which unit."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.core.forms import out_of_scope_on, without
from thenchot.core.pages import form_page
from thenchot.core.views import login_required
from thenchot.directives import services
from thenchot.directives.forms import TaskForm
from thenchot.directives.views.common import SUGGESTION_LIMIT, assigning_units
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.selectors import staff_queryset

# Out of scope here is the assigning unit the reader chose: said on top of the form.
_REFUSE = out_of_scope_on(None)


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    choices = assigning_units(request.user)
    initial: dict[str, Any] = {"assigner_unit": choices[0][0]}
    if request.GET.get("document"):
        initial["document"] = request.GET["document"]
    # Units, people and documents are chosen with pickers (views/picking.py): a datalist of
    # every unit made the page heavy and was searchable by code only (issue 11).
    form = TaskForm(request.POST or None, assigner_choices=choices, initial=initial)

    def save(data: dict[str, Any]) -> HttpResponse:
        task = services.task_create(
            by=request.user,
            assigner_unit=Unit.objects.get(pk=data["assigner_unit"]),
            **without(data, "assigner_unit"),
        )
        messages.success(request, _("The task %(code)s was assigned.") % {"code": task.code})
        return redirect(reverse("directives:task", args=[task.code]))

    context = {"form": form}
    return form_page(request, "directives/task_form.html", context, save, refuse=_REFUSE)


@login_required
@require_GET
def assignee_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of readable staff in the lead unit's subtree (suggestions for the input)."""

    scope = scope_for(request)
    today = timezone.localdate()
    code = (request.GET.get("lead_unit") or request.GET.get("sub-lead_unit") or "").strip()
    snap = tree()
    unit_id = snap.by_code.get(code)
    if unit_id is None and code.isdigit():
        unit_id = int(code) if int(code) in snap.units else None
    staff: list[Any] = []
    if unit_id is not None:
        ids = snap.subtree_on(unit_id, today)
        staff = list(
            staff_queryset(scope, today)
            .filter(unit_id__in=sorted(ids))
            .order_by("name_key", "code")
            .values("code", "full_name", "unit__name")[:SUGGESTION_LIMIT]
        )
    return render(request, "directives/_assignee_options.html", {"staff": staff})
