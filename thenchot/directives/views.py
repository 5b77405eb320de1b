"""Pages of task direction tracking (giao việc – theo dõi – đôn đốc).

- task lists: "my tasks", "my unit's tasks" (a subtree, with a unit picker), "tasks I assigned";
  one filter definition (`TaskFilterSet`) and one XLSX export (`?format=xlsx`) for all three;
- the task page, which is the "3 rõ" page (process and progress, who is responsible, what
  checking, urging and handling was done), with the action forms each reader may use;
- source documents with their attachments, served through a view that checks the reader;
- the per-unit statistics with drill-down along the tree.

Reads go through `selectors` (a task out of reach is a 404, like a missing one); every write
goes through `services`, which re-check who may act and refuse bad input with field errors.
Each list runs a fixed number of queries whatever the page size (`tests/test_views_task_list_queries.py`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.exports import Column, dated_filename, xlsx_response
from thenchot.core.forms import apply_domain_error
from thenchot.core.text import fold
from thenchot.core.views import int_choice, login_required, parse_date
from thenchot.directives import selectors, services
from thenchot.directives.choices import (
    DocumentKind,
    ExtensionStatus,
    Priority,
    Quality,
    TaskStatus,
)
from thenchot.directives.filtersets import TaskFilterSet
from thenchot.directives.forms import (
    AssessForm,
    AttachmentForm,
    CommentForm,
    CompleteForm,
    DocumentForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ProgressForm,
    SubtaskForm,
    TaskForm,
)
from thenchot.directives.models import (
    DocumentAttachment,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
)
from thenchot.directives.statistics import COUNT_KEYS, UnitRow, unit_statistics
from thenchot.org.models import Unit
from thenchot.org.selectors import visible_roots
from thenchot.org.tree import TreeSnapshot, tree

PAGE_SIZES = (10, 25, 50, 100)
SHOWN_PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25
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
TASK_FILTER_KEYS = (
    "q",
    "as_of",
    "status",
    "document",
    "unit",
    "assignee",
    "deadline_from",
    "deadline_to",
    "assigned_from",
    "assigned_to",
    "priority",
    "top_level",
)
LIST_TITLES = {
    "mine": gettext_lazy("My tasks"),
    "unit": gettext_lazy("My unit's tasks"),
    "assigned": gettext_lazy("Tasks I assigned"),
}
STATUS_LABELS = dict(TaskStatus.choices)
# Badge colours: overdue red, in progress blue, on time green, late orange (issue, point 7).
STATUS_CLASSES = {
    TaskStatus.OVERDUE.value: "text-bg-danger",
    TaskStatus.IN_PROGRESS.value: "text-bg-primary",
    TaskStatus.COMPLETED_ON_TIME.value: "text-bg-success",
    TaskStatus.COMPLETED_LATE.value: "text-bg-warning",
}
SUGGESTION_LIMIT = 500


# -- small helpers ------------------------------------------------------------------------------


def _sort(raw: str | None) -> tuple[str, tuple[str, ...]]:
    sort = raw or "deadline"
    key = sort.lstrip("-")
    if key not in SORTS:
        return "deadline", SORTS["deadline"]
    descending = sort.startswith("-")
    return sort, tuple(("-" + f if descending else f) for f in SORTS[key])


def _sort_links(current: str) -> dict[str, dict[str, Any]]:
    links = {}
    for key in SORTS:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        links[key] = {
            "value": ("-" + key) if active and not descending else key,
            "active": active,
            "descending": active and descending,
        }
    return links


def _query_without(request: HttpRequest, *keys: str) -> str:
    query = request.GET.copy()
    for key in keys:
        query.pop(key, None)
    for key in list(query):
        values = [v for v in query.getlist(key) if v]
        if values:
            query.setlist(key, values)
        else:
            del query[key]
    return query.urlencode()


def _unit_label(snap: TreeSnapshot, unit_id: int | None) -> str:
    info = snap.units.get(unit_id) if unit_id is not None else None
    return f"{info.name} ({info.code})" if info else ""


def _unit_suggestions(on: dt.date) -> list[dict[str, str]]:
    """Existing units for the code inputs' datalists (a task may go to any existing unit)."""
    snap = tree()
    units = sorted((u for u in snap.units.values() if u.valid_on(on)), key=lambda u: u.code)
    return [{"code": u.code, "name": u.name} for u in units[:SUGGESTION_LIMIT]]


def _default_unit(scope: Scope, on: dt.date, snap: TreeSnapshot) -> int | None:
    """The user's top readable unit, else their own unit."""
    roots = visible_roots(scope, on, snap)
    if roots:
        return roots[0]
    if scope.own_staff_id is not None:
        from thenchot.people.models import Staff

        return Staff.objects.filter(pk=scope.own_staff_id).values_list("unit_id", flat=True).first()
    return None


def _user_names(ids: Iterable[int | None]) -> dict[int, str]:
    """user id -> the name shown on the page (staff name, else the account's), one query."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    names: dict[int, str] = {}
    rows = (
        get_user_model()
        .objects.filter(pk__in=wanted)
        .values_list("pk", "staff__full_name", "first_name", "last_name", "username")
    )
    for pk, staff_name, first, last, username in rows:
        names[pk] = staff_name or f"{first} {last}".strip() or username
    return names


def _can_assign(auth: selectors.Authority) -> bool:
    return auth.admin or auth.city_leader or bool(auth.managed)


# -- task lists ---------------------------------------------------------------------------------
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


def _task_list(request: HttpRequest, mode: str) -> HttpResponse:
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
        unit_id = snap.by_code.get(code) if code else _default_unit(scope, on, snap)
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
    sort, ordering = _sort(request.GET.get("sort"))
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
        "filterset": filterset,
        "form_data": request.GET,
        "page": page,
        "sort": sort,
        "sort_links": _sort_links(sort),
        "page_size": page_size,
        "page_sizes": SHOWN_PAGE_SIZES,
        "statuses": TaskStatus.choices,
        "selected_statuses": request.GET.getlist("status"),
        "priorities": Priority.choices,
        "selected_priorities": request.GET.getlist("priority"),
        "status_labels": STATUS_LABELS,
        "status_classes": STATUS_CLASSES,
        "on": on,
        "today": today,
        "unit_code": snap.units[unit_id].code if unit_id in snap.units else "",
        "unit_label": _unit_label(snap, unit_id),
        "unit_error": unit_error,
        "export_query": _query_without(request, "page", "format", "page_size"),
        "can_assign": _can_assign(selectors.authority_for(request.user, today)),
    }
    if request.htmx and request.htmx.target == "task-table":
        return render(request, "directives/_task_table.html", context)
    return render(request, "directives/task_list.html", context, status=400 if unit_error else 200)


@login_required
@require_GET
def my_task_list(request: HttpRequest) -> HttpResponse:
    return _task_list(request, "mine")


@login_required
@require_GET
def unit_task_list(request: HttpRequest) -> HttpResponse:
    return _task_list(request, "unit")


@login_required
@require_GET
def assigned_task_list(request: HttpRequest) -> HttpResponse:
    return _task_list(request, "assigned")


# -- assigning a task ---------------------------------------------------------------------------
def _assigner_choices(auth: selectors.Authority, on: dt.date) -> list[tuple[int, str]]:
    """Units the user may assign from: the city for its leadership and administrators, and the
    units they manage (the top of each managed subtree first)."""
    snap = tree()
    ids: list[int] = []
    if auth.admin or auth.city_leader:
        ids.extend(snap.roots_on(on))
    managed = [u for u in auth.managed if u in snap.units and snap.units[u].valid_on(on)]
    managed.sort(key=lambda u: (len(snap.ancestors_on(u, on)), snap.units[u].name))
    ids.extend(u for u in managed if u not in ids)
    return [(u, _unit_label(snap, u)) for u in ids[:SUGGESTION_LIMIT]]


def _wire_task_form(form: TaskForm) -> None:
    """The lead-unit input refreshes the assignee suggestions (htmx)."""
    form.fields["lead_unit"].widget.attrs.update(
        {
            "list": "unit-options",
            "hx-get": reverse("directives:assignee_options"),
            "hx-trigger": "change",
            "hx-target": "#assignee-options",
        }
    )
    form.fields["coordinating_units"].widget.attrs["list"] = "unit-options"
    form.fields["assignee"].widget.attrs["list"] = "assignee-options"
    form.fields["document"].widget.attrs["list"] = "document-options"


@login_required
def task_create(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    auth = selectors.authority_for(request.user, today)
    choices = _assigner_choices(auth, today)
    if not choices:
        raise PermissionDenied
    initial: dict[str, Any] = {"assigner_unit": choices[0][0]}
    if request.GET.get("document"):
        initial["document"] = request.GET["document"]
    form = TaskForm(request.POST or None, assigner_choices=choices, initial=initial)
    _wire_task_form(form)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            task = services.task_create(
                by=request.user,
                title=data["title"],
                lead_unit=data["lead_unit"],
                assigner_unit=Unit.objects.get(pk=data["assigner_unit"]),
                assigned_on=data["assigned_on"],
                deadline=data["deadline"],
                document=data["document"],
                coordinating_units=data["coordinating_units"],
                assignee=data["assignee"],
                priority=data["priority"],
                weight=data["weight"],
                expected_product=data["expected_product"],
                description=data["description"],
            )
        except OutOfScope as exc:
            form.add_error(None, str(exc.message))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The task %(code)s was assigned.") % {"code": task.code})
            return redirect(reverse("directives:task", args=[task.code]))
    context = {
        "form": form,
        "units": _unit_suggestions(today),
        "documents": list(
            selectors.document_queryset(scope_for(request))
            .order_by("-issued_on", "code")
            .values("code", "title")[:200]
        ),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "directives/task_form.html", context, status=status)


@login_required
@require_GET
def assignee_options(request: HttpRequest) -> HttpResponse:
    """`<option>`s of readable staff in the lead unit's subtree (suggestions for the input)."""
    from thenchot.people.selectors import staff_queryset

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
            .order_by("full_name", "code")
            .values("code", "full_name", "unit__name")[:SUGGESTION_LIMIT]
        )
    return render(request, "directives/_assignee_options.html", {"staff": staff})


# -- the task page ("3 rõ") ---------------------------------------------------------------------
def _readable_task(request: HttpRequest, code: str) -> Task:
    task = selectors.task_detail(scope_for(request), code)
    if task is None:
        raise Http404  # missing or out of reach: the same answer, the page reveals nothing
    return task


def _timeline(task: Task, names: dict[int, str]) -> list[dict[str, Any]]:
    """Progress, extensions, comments, completion, reminders and escalations, newest first."""
    from thenchot.notifications.selectors import for_record

    labels = {
        "progress": _("Progress report"),
        "extension_requested": _("Extension requested"),
        "extension_approved": _("Extension approved"),
        "extension_rejected": _("Extension rejected"),
        "comment": _("Comment"),
        "completed": _("Completed"),
    }
    icons = {
        "progress": "bi-graph-up-arrow text-primary",
        "extension_requested": "bi-calendar-plus text-warning",
        "extension_approved": "bi-calendar-check text-success",
        "extension_rejected": "bi-calendar-x text-danger",
        "comment": "bi-chat-left-text text-secondary",
        "completed": "bi-check-circle text-success",
        "reminder_before": "bi-alarm text-warning",
        "due_today": "bi-alarm text-warning",
        "overdue": "bi-exclamation-triangle text-danger",
        "escalation": "bi-exclamation-octagon text-danger",
        "info": "bi-info-circle text-info",
    }
    rows: list[dict[str, Any]] = []
    for event in selectors.task_events(task):
        text = event.text
        if event.kind == "progress" and event.percent is not None:
            text = f"{event.percent}% — {text}" if text else f"{event.percent}%"
        rows.append(
            {
                "on": event.on,
                "kind": event.kind,
                "label": labels.get(event.kind, event.kind),
                "icon": icons.get(event.kind, "bi-dot"),
                "actor": names.get(event.actor_id or 0, ""),
                "text": text,
                "sort": (event.on, 0),
            }
        )
    for n in for_record(model_label="directives.task", object_id=task.pk):
        rows.append(
            {
                "on": timezone.localdate(n.created_at),
                "kind": n.kind,
                "label": n.get_kind_display(),
                "icon": icons.get(n.kind, "bi-bell"),
                "actor": "",
                "recipient": n.recipient.get_full_name() or n.recipient.username,
                "text": n.headline,
                "sort": (timezone.localdate(n.created_at), 1),
            }
        )
    rows.sort(key=lambda r: r["sort"], reverse=True)
    return rows


def _detail_context(request: HttpRequest, task: Task, **forms: Any) -> dict[str, Any]:
    today = timezone.localdate()
    snap = tree()
    auth = selectors.authority_for(request.user, today)
    parties = selectors.task_parties(task, today)
    reports = list(task.progress_reports.all())
    extensions = list(task.extensions.all())
    comments = list(task.comments.all())
    subtasks = list(task.subtasks.all())
    open_task = task.completed_on is None
    lead, assigning = auth.is_lead_side(task), auth.is_assigning_side(task)
    pending = next((e for e in extensions if e.status == ExtensionStatus.PENDING), None)
    names = _user_names(
        [task.assigned_by_id, task.completion_recorded_by_id]
        + [r.reported_by_id for r in reports]
        + [e.requested_by_id for e in extensions]
        + [e.decided_by_id for e in extensions]
        + [c.author_id for c in comments]
    )
    can_delegate = open_task and auth.manages_lead_unit(task)
    days_left = (task.effective_deadline - today).days if open_task else None
    context: dict[str, Any] = {
        "task": task,
        "today": today,
        "status_label": STATUS_LABELS.get(task.status, task.status),
        "status_class": STATUS_CLASSES.get(task.status, "text-bg-secondary"),
        "status_labels": STATUS_LABELS,
        "status_classes": STATUS_CLASSES,
        "extended": task.effective_deadline != task.deadline,
        "days_left": days_left,
        "days_overdue": -days_left if days_left is not None and days_left < 0 else 0,
        "reports": reports,
        "extensions": extensions,
        "subtasks": subtasks,
        "parties": parties,
        "coordinating": [snap.units[u] for u in parties.coordinating_unit_ids if u in snap.units],
        "assigner_unit_label": _unit_label(snap, parties.assigner_unit_id),
        "names": names,
        "timeline": _timeline(task, names),
        "lead_side": lead,
        "assigning_side": assigning,
        "pending": pending,
        "quality_labels": dict(Quality.choices),
        "extension_labels": dict(ExtensionStatus.choices),
    }
    if lead and open_task:
        context["progress_form"] = forms.get("progress_form") or ProgressForm()
        if pending is None:
            context["extension_form"] = forms.get("extension_form") or ExtensionRequestForm()
    if assigning and pending is not None and open_task:
        context["decide_form"] = forms.get("decide_form") or ExtensionDecideForm(
            initial={"version": pending.version, "decision": "approve"}
        )
    if (lead or assigning) and open_task:
        context["complete_form"] = forms.get("complete_form") or CompleteForm(
            grading=assigning, initial={"version": task.version}
        )
    if assigning and not open_task:
        context["assess_form"] = forms.get("assess_form") or AssessForm(
            initial={
                "version": task.version,
                "quality": task.quality or Quality.MEETS,
                "major_errors": task.major_errors,
            }
        )
    if can_delegate:
        context["subtask_form"] = forms.get("subtask_form") or SubtaskForm(
            unit_choices=_subtask_units(task, today),
            initial={"deadline": task.effective_deadline},
        )
    context["comment_form"] = forms.get("comment_form") or CommentForm()
    # A refused form comes back whatever the task's state now is (the refusal may be that the
    # state changed: "already completed"), and its general errors head the page.
    context.update(forms)
    context["refused_errors"] = [
        error for form in forms.values() for error in form.non_field_errors()
    ]
    return context


def _subtask_units(task: Task, on: dt.date) -> list[tuple[int, str]]:
    snap = tree()
    ids = [u for u in snap.subtree_on(task.lead_unit_id, on) if snap.units[u].valid_on(on)]
    ids.sort(key=lambda u: (len(snap.ancestors_on(u, on)), snap.units[u].name))
    return [(u, _unit_label(snap, u)) for u in ids[:SUGGESTION_LIMIT]]


@login_required
@require_GET
def task_page(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    return render(request, "directives/task_detail.html", _detail_context(request, task))


def _rerender(request: HttpRequest, code: str, **forms: Any) -> HttpResponse:
    task = _readable_task(request, code)  # fresh: the refused change left it as it was
    context = _detail_context(request, task, **forms)
    return render(request, "directives/task_detail.html", context, status=400)


def _run(request: HttpRequest, code: str, form_name: str, form: Any, action: Any) -> HttpResponse:
    """Run a service call for a bound, valid `form`; refusals return to the page on the form."""
    if form.is_valid():
        try:
            message = action(form.cleaned_data)
        except OutOfScope:
            raise PermissionDenied from None
        except ConcurrentUpdate as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("directives:task", args=[code]))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, message)
            return redirect(reverse("directives:task", args=[code]))
    return _rerender(request, code, **{form_name: form})


@login_required
@require_POST
def task_progress(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    form = ProgressForm(request.POST, request.FILES)

    def act(data: dict[str, Any]) -> str:
        services.progress_report(
            by=request.user,
            task=task,
            percent=data["percent"],
            note=data["note"],
            attachment=data["attachment"],
            reported_on=data["reported_on"],
        )
        return _("The progress report was recorded.")

    return _run(request, code, "progress_form", form, act)


@login_required
@require_POST
def task_extension(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    form = ExtensionRequestForm(request.POST)

    def act(data: dict[str, Any]) -> str:
        services.extension_request(
            by=request.user, task=task, new_deadline=data["new_deadline"], reason=data["reason"]
        )
        return _("The extension request was sent to the assigning side.")

    return _run(request, code, "extension_form", form, act)


@login_required
@require_POST
def extension_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    task = _readable_task(request, code)
    extension = ExtensionRequest.objects.filter(pk=pk, task=task).first()
    if extension is None:
        raise Http404
    form = ExtensionDecideForm(request.POST)

    def act(data: dict[str, Any]) -> str:
        approve = data["decision"] == "approve"
        services.extension_decide(
            by=request.user,
            request=extension,
            approve=approve,
            comment=data["comment"],
            expected_version=data["version"],
        )
        return _("The extension was approved.") if approve else _("The extension was rejected.")

    return _run(request, code, "decide_form", form, act)


@login_required
@require_POST
def task_complete(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    auth = selectors.authority_for(request.user)
    form = CompleteForm(request.POST, grading=auth.is_assigning_side(task))

    def act(data: dict[str, Any]) -> str:
        services.task_complete(
            by=request.user,
            task=task,
            completed_on=data["completed_on"],
            product=data["product"],
            expected_version=data["version"],
            quality=data.get("quality") or None,
            major_errors=data.get("major_errors"),
        )
        return _("The task was recorded as completed.")

    return _run(request, code, "complete_form", form, act)


@login_required
@require_POST
def task_assess(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    form = AssessForm(request.POST)

    def act(data: dict[str, Any]) -> str:
        services.task_assess(
            by=request.user,
            task=task,
            quality=data["quality"],
            major_errors=data["major_errors"],
            expected_version=data["version"],
        )
        return _("The quality assessment was saved.")

    return _run(request, code, "assess_form", form, act)


@login_required
@require_POST
def task_comment(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    form = CommentForm(request.POST)

    def act(data: dict[str, Any]) -> str:
        services.task_comment(by=request.user, task=task, text=data["text"])
        return _("The comment was added.")

    return _run(request, code, "comment_form", form, act)


@login_required
@require_POST
def task_subtask(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    if not selectors.authority_for(request.user).manages_lead_unit(task):
        raise PermissionDenied
    form = SubtaskForm(request.POST, unit_choices=_subtask_units(task, timezone.localdate()))

    def act(data: dict[str, Any]) -> str:
        sub = services.subtask_create(
            by=request.user,
            parent=task,
            title=data["title"],
            lead_unit=Unit.objects.get(pk=data["lead_unit"]),
            deadline=data["deadline"],
            assignee=data["assignee"],
            weight=data["weight"],
            expected_product=data["expected_product"],
        )
        return _("The sub-task %(code)s was delegated.") % {"code": sub.code}

    return _run(request, code, "subtask_form", form, act)


def _file_response(field: Any, name: str, content_type: str | None = None) -> FileResponse:
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name)
    if content_type:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def progress_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    task = _readable_task(request, code)
    report = ProgressReport.objects.filter(pk=pk, task=task).first()
    if report is None or not report.attachment:
        raise Http404
    return _file_response(report.attachment, (report.attachment.name or "").rsplit("/", 1)[-1])


# -- documents ----------------------------------------------------------------------------------
def _document_search(qs: QuerySet[SourceDocument], text: str) -> QuerySet[SourceDocument]:
    """Diacritic-free search over code, number and title. Documents carry no folded column, so
    the matching is done on the (few thousand) candidate rows in Python: two queries."""
    words = fold(text).split()
    if not words:
        return qs
    ids = [
        pk
        for pk, code, number, title in qs.values_list("pk", "code", "number", "title")
        if all(w in fold(f"{code} {number} {title}") for w in words)
    ]
    return qs.filter(pk__in=ids)


def _documents_filtered(request: HttpRequest, scope: Scope) -> tuple[QuerySet[SourceDocument], str]:
    qs = selectors.document_queryset(scope)
    kinds = [k for k in request.GET.getlist("kind") if k in DocumentKind.values]
    if kinds:
        qs = qs.filter(kind__in=kinds)
    issuer = (request.GET.get("issuer") or "").strip()
    error = ""
    if issuer:
        snap = tree()
        unit_id = snap.by_code.get(issuer)
        if unit_id is None:
            error = _("Unknown unit code '%(code)s'.") % {"code": issuer}
            qs = qs.none()
        else:
            qs = qs.filter(issuer_id__in=sorted(snap.subtree_on(unit_id, timezone.localdate())))
    date_from = parse_date(request.GET.get("issued_from"))
    date_to = parse_date(request.GET.get("issued_to"))
    if date_from:
        qs = qs.filter(issued_on__gte=date_from)
    if date_to:
        qs = qs.filter(issued_on__lte=date_to)
    if request.GET.get("q"):
        qs = _document_search(qs, request.GET["q"])
    return qs.order_by("-issued_on", "code"), error


@login_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    qs, error = _documents_filtered(request, scope)
    kinds = dict(DocumentKind.choices)
    if request.GET.get("format") == "xlsx":
        columns = [
            Column(gettext_lazy("Code"), lambda d: d.code, 18),
            Column(gettext_lazy("Kind"), lambda d: kinds.get(d.kind, d.kind)),
            Column(gettext_lazy("Number"), lambda d: d.number or None),
            Column(gettext_lazy("Issued on"), lambda d: d.issued_on),
            Column(gettext_lazy("Issuing unit"), lambda d: d.issuer.code),
            Column(gettext_lazy("Issuing unit name"), lambda d: d.issuer.name, 30),
            Column(gettext_lazy("Signer"), lambda d: d.signer or None, 24),
            Column(gettext_lazy("Title"), lambda d: d.title, 60),
        ]
        return xlsx_response(
            filename=dated_filename("documents"),
            columns=columns,
            rows=qs.iterator(chunk_size=2000),
            sheet_title="documents",
        )
    page_size = int_choice(request.GET.get("page_size"), PAGE_SIZES, DEFAULT_PAGE_SIZE)
    context = {
        "page": Paginator(qs, page_size).get_page(request.GET.get("page")),
        "form_data": request.GET,
        "kinds": DocumentKind.choices,
        "kind_labels": kinds,
        "selected_kinds": request.GET.getlist("kind"),
        "page_size": page_size,
        "page_sizes": SHOWN_PAGE_SIZES,
        "error": error,
        "export_query": _query_without(request, "page", "format", "page_size"),
        "can_create": _can_assign(selectors.authority_for(request.user)),
    }
    if request.htmx and request.htmx.target == "document-table":
        return render(request, "directives/_document_table.html", context)
    return render(request, "directives/document_list.html", context, status=400 if error else 200)


def _readable_document(request: HttpRequest, code: str) -> SourceDocument:
    doc = selectors.document_queryset(scope_for(request)).filter(code=code).first()
    if doc is None:
        raise Http404
    return doc


def _document_context(
    request: HttpRequest, doc: SourceDocument, form: AttachmentForm | None = None
) -> dict[str, Any]:
    today = timezone.localdate()
    auth = selectors.authority_for(request.user, today)
    can_attach = auth.can_assign_from(doc.issuer_id)
    tasks = (
        selectors.task_queryset(scope_for(request), today)
        .filter(document=doc)
        .order_by("effective_deadline", "code")
    )
    return {
        "document": doc,
        "attachments": list(doc.attachments.order_by("uploaded_at", "id")),
        "tasks": list(tasks[:500]),
        "status_labels": STATUS_LABELS,
        "status_classes": STATUS_CLASSES,
        "can_attach": can_attach,
        "can_assign": _can_assign(auth),
        "attach_form": (form or AttachmentForm()) if can_attach else None,
    }


@login_required
@require_GET
def document_page(request: HttpRequest, code: str) -> HttpResponse:
    doc = _readable_document(request, code)
    return render(request, "directives/document_detail.html", _document_context(request, doc))


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    auth = selectors.authority_for(request.user, today)
    choices = _assigner_choices(auth, today)
    if not choices:
        raise PermissionDenied
    snap = tree()
    form = DocumentForm(
        request.POST or None,
        initial={"issued_on": today, "issuer": snap.units[choices[0][0]].code},
    )
    form.fields["issuer"].widget.attrs["list"] = "issuer-options"
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            doc = services.document_create(
                by=request.user,
                code=data["code"],
                kind=data["kind"],
                issued_on=data["issued_on"],
                issuer=data["issuer"],
                title=data["title"],
                number=data["number"],
                signer=data["signer"],
            )
        except OutOfScope as exc:
            form.add_error("issuer", str(exc.message))
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The document was recorded."))
            return redirect(reverse("directives:document", args=[doc.code]))
    context = {
        "form": form,
        "issuers": [{"code": snap.units[u].code, "name": snap.units[u].name} for u, _l in choices],
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "directives/document_form.html", context, status=status)


@login_required
@require_POST
def document_attach(request: HttpRequest, code: str) -> HttpResponse:
    doc = _readable_document(request, code)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_attach(by=request.user, document=doc, file=form.cleaned_data["file"])
        except OutOfScope:
            raise PermissionDenied from None
        except DomainError as exc:
            apply_domain_error(form, exc)
        else:
            messages.success(request, _("The file was attached."))
            return redirect(reverse("directives:document", args=[doc.code]))
    context = _document_context(request, doc, form)
    return render(request, "directives/document_detail.html", context, status=400)


@login_required
@require_GET
def attachment_download(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    doc = _readable_document(request, code)
    attachment = DocumentAttachment.objects.filter(pk=pk, document=doc).first()
    if attachment is None:
        raise Http404
    return _file_response(attachment.file, attachment.name, attachment.content_type)


# -- statistics ---------------------------------------------------------------------------------
def _stat_columns() -> list[Column]:
    labels = {
        "assigned": gettext_lazy("Assigned"),
        "due": gettext_lazy("Due"),
        "completed_on_time": gettext_lazy("On time"),
        "completed_late": gettext_lazy("Late"),
        "overdue": gettext_lazy("Overdue"),
        "in_progress": gettext_lazy("In progress"),
        "extensions_requested": gettext_lazy("Extensions requested"),
        "extensions_approved": gettext_lazy("Extensions approved"),
    }
    columns: list[Column] = [
        Column(gettext_lazy("Unit"), lambda r: r.code, 14),
        Column(gettext_lazy("Name"), lambda r: r.name, 36),
    ]
    for key in COUNT_KEYS:
        columns.append(Column(labels[key], partial(_count_of, key=key)))
    columns.append(Column(gettext_lazy("On-time rate (%)"), lambda r: r.on_time_rate))
    return columns


def _count_of(row: UnitRow, *, key: str) -> int:
    return row.counts[key]


@login_required
@require_GET
def statistics_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    today = timezone.localdate()
    date_from = parse_date(request.GET.get("from")) or dt.date(today.year, 1, 1)
    date_to = parse_date(request.GET.get("to")) or dt.date(today.year, 12, 31)
    # A status is a fact on a date: by default the one of today, never of a future day.
    as_of = parse_date(request.GET.get("as_of")) or min(today, date_to)
    snap = tree()
    code = (request.GET.get("unit") or "").strip()
    error = ""
    unit_id: int | None
    if code:
        unit_id = snap.by_code.get(code)
        if unit_id is None or not scope.can_read_unit(unit_id):
            error = _("Unknown unit code '%(code)s'.") % {"code": code}
            unit_id = None
    else:
        unit_id = _default_unit(scope, date_to, snap)
        if unit_id is not None and not scope.can_read_unit(unit_id):
            unit_id = None
    if date_to < date_from:
        error = _("'To' cannot be before 'from'.")
    stats = None
    if unit_id is not None and not error:
        stats = unit_statistics(
            scope=scope, root=unit_id, date_from=date_from, date_to=date_to, as_of=as_of
        )
        if request.GET.get("format") == "xlsx":
            rows: list[UnitRow] = list(stats.rows)
            total = stats.total
            footer = [
                [_("Total"), total.name, *[total.counts[k] for k in COUNT_KEYS], total.on_time_rate]
            ]
            return xlsx_response(
                filename=dated_filename(f"task-statistics-{snap.units[unit_id].code}", as_of),
                columns=_stat_columns(),
                rows=rows,
                sheet_title="statistics",
                footer=footer,
            )
    base_query = {"from": date_from.isoformat(), "to": date_to.isoformat()}
    if request.GET.get("as_of"):
        base_query["as_of"] = as_of.isoformat()
    path = []
    if unit_id is not None:
        for ancestor in reversed(snap.ancestors_on(unit_id, date_to)):
            if scope.can_read_unit(ancestor):
                path.append(snap.units[ancestor])
    chart = None
    if stats is not None:
        chart = {
            "labels": [r.name for r in stats.rows],
            "on_time": [r.counts["completed_on_time"] for r in stats.rows],
            "late": [r.counts["completed_late"] for r in stats.rows],
            "overdue": [r.counts["overdue"] for r in stats.rows],
            "series": [str(_("On time")), str(_("Late")), str(_("Overdue"))],
        }
    context = {
        "stats": stats,
        "unit": snap.units.get(unit_id) if unit_id is not None else None,
        "path": path,
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
        "error": error,
        "form_data": request.GET,
        "base_query": urlencode(base_query),
        "export_query": _query_without(request, "format"),
        "chart": chart,
    }
    return render(request, "directives/statistics.html", context, status=400 if error else 200)
