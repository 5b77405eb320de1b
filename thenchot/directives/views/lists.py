"""The three task lists: "my tasks", "my unit's tasks" (a subtree, with a unit picker) and
"tasks I assigned". One filter definition (`TaskFilterSet`) and one XLSX export
(`?format=xlsx`) serve all three; each list runs a fixed number of queries whatever the page
size (`tests/test_views_task_list_queries.py`).
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.core.exports import Column, dated_filename, xlsx_response
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.pages import query_without, sorted_list_context
from thenchot.core.paging import sort_order
from thenchot.core.views import int_choice, login_required, parse_date
from thenchot.directives import selectors
from thenchot.directives.choices import Priority, Quality, TaskStatus
from thenchot.directives.filtersets import TaskFilterSet
from thenchot.directives.views.common import (
    DEFAULT_PAGE_SIZE,
    PAGE_SIZES,
    SHOWN_PAGE_SIZES,
    STATUS_CLASSES,
    STATUS_LABELS,
    can_assign,
    default_unit,
    unit_label,
)
from thenchot.org.tree import tree

# Whitelisted sort keys: a request never names a column directly.
SORTS: dict[str, tuple[str, ...]] = {
    "deadline": ("effective_deadline", "code"),
    "assigned": ("assigned_on", "code"),
    "code": ("code",),
    "title": ("title", "code"),
    "unit": ("lead_unit__name", "effective_deadline", "code"),
    "status": ("status", "effective_deadline", "code"),
    "progress": ("progress", "effective_deadline", "code"),
}
TASK_FILTER_KEYS = tuple(TaskFilterSet.Meta.fields)  # a list is filtered when one is given
LIST_TITLES = {
    "mine": gettext_lazy("My tasks"),
    "unit": gettext_lazy("My unit's tasks"),
    "assigned": gettext_lazy("Tasks I assigned"),
}


def _task_columns() -> list[Column]:
    priorities = dict(Priority.choices)
    qualities = dict(Quality.choices)
    return [
        Column(gettext_lazy("Code"), lambda t: t.code, 18),
        Column(gettext_lazy("Title"), lambda t: t.title, 50),
        Column(gettext_lazy("Source document"), lambda t: t.document.code if t.document else None),
        Column(gettext_lazy("Lead unit"), lambda t: t.lead_unit.code),
        Column(gettext_lazy("Lead unit name"), lambda t: t.lead_unit.name, 30),
        Column(
            gettext_lazy("Assignee"), lambda t: t.assignee.full_name if t.assignee else None, 24
        ),
        Column(
            gettext_lazy("Assigning unit"),
            lambda t: t.assigner_unit.code if t.assigner_unit else None,
        ),
        Column(gettext_lazy("Assigned on"), lambda t: t.assigned_on),
        Column(gettext_lazy("Original deadline"), lambda t: t.deadline),
        Column(gettext_lazy("Effective deadline"), lambda t: t.effective_deadline),
        Column(gettext_lazy("Status"), lambda t: STATUS_LABELS.get(t.status, t.status), 20),
        Column(gettext_lazy("Progress (%)"), lambda t: t.progress),
        Column(gettext_lazy("Completed on"), lambda t: t.completed_on),
        Column(gettext_lazy("Priority"), lambda t: priorities.get(t.priority, t.priority)),
        Column(gettext_lazy("Weight"), lambda t: t.weight),
        Column(
            gettext_lazy("Quality"),
            lambda t: qualities.get(t.quality, t.quality) if t.quality else None,
        ),
    ]


def _task_list(request: HtmxHttpRequest, mode: str) -> HttpResponse:
    scope = scope_for(request)
    today = timezone.localdate()
    on = parse_date(request.GET.get("as_of")) or today
    snap = tree()
    unit_id: int | None = None
    unit_error = ""
    if mode == "mine":
        base = selectors.my_tasks(request.user, on)
    elif mode == "assigned":
        base = selectors.tasks_assigned_by(request.user, on)
    else:
        code = (request.GET.get("unit") or "").strip()
        unit_id = snap.by_code.get(code) if code else default_unit(scope, on, snap)
        if code and (unit_id is None or not scope.can_read_unit(unit_id)):
            unit_error = _("Unknown unit code '%(code)s'.") % {"code": code}
            unit_id = None
        base = (
            selectors.unit_tasks(scope, unit_id, on)
            if unit_id is not None
            else selectors.task_queryset(scope, on).none()
        )
    data: QueryDict | None = (
        request.GET if any(k in request.GET for k in TASK_FILTER_KEYS) else None
    )
    if data is not None and mode == "unit":
        data = data.copy()
        data.pop("unit", None)  # the picker already chose the subtree
    filterset = TaskFilterSet(data, queryset=base)
    sort, ordering = sort_order(SORTS, request.GET.get("sort"), "deadline")
    qs = filterset.qs.order_by(*ordering)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=dated_filename(f"tasks-{mode}", on),
            columns=_task_columns(),
            rows=qs.iterator(chunk_size=2000),
            sheet_title="tasks",
        )
    page_size = int_choice(request.GET.get("page_size"), PAGE_SIZES, DEFAULT_PAGE_SIZE)
    page = Paginator(qs, page_size).get_page(request.GET.get("page"))
    context = {
        "mode": mode,
        "title": LIST_TITLES[mode],
        "list_url": reverse(f"directives:{mode}"),
        **sorted_list_context(request, filterset, page, sort, SORTS, SHOWN_PAGE_SIZES),
        "statuses": TaskStatus.choices,
        "selected_statuses": request.GET.getlist("status"),
        "priorities": Priority.choices,
        "selected_priorities": request.GET.getlist("priority"),
        "status_labels": STATUS_LABELS,
        "status_classes": STATUS_CLASSES,
        "on": on,
        "today": today,
        "unit_code": snap.units[unit_id].code if unit_id in snap.units else "",
        "unit_label": unit_label(snap, unit_id),
        "unit_error": unit_error,
        "export_query": query_without(request, "page", "format", "page_size"),
        "can_assign": can_assign(selectors.authority_for(request.user, today)),
    }
    if request.htmx and request.htmx.target == "task-table":
        status = 400 if unit_error else 200
        return render(request, "directives/_task_table.html", context, status=status)
    return render(request, "directives/task_list.html", context, status=400 if unit_error else 200)


@login_required
@require_GET
def my_task_list(request: HtmxHttpRequest) -> HttpResponse:
    return _task_list(request, "mine")


@login_required
@require_GET
def unit_task_list(request: HtmxHttpRequest) -> HttpResponse:
    return _task_list(request, "unit")


@login_required
@require_GET
def assigned_task_list(request: HtmxHttpRequest) -> HttpResponse:
    return _task_list(request, "assigned")
