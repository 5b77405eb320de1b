"""The task page, which is the "3 rõ" page (process and progress, who is responsible, what
checking, urging and handling was done), with the action forms each reader may use.

A task out of reach is a 404, like a missing one. Each action form goes through
`core.forms.run_form_action`: success returns to the page, a refusal re-renders it (400) with
the refused form, whatever the task's state now is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import scope_for
from thenchot.core.forms import run_form_action, without
from thenchot.core.pages import first_or_404, record_form_view
from thenchot.core.views import login_required
from thenchot.directives import selectors, services
from thenchot.directives.choices import ExtensionStatus, Quality
from thenchot.directives.forms import (
    AssessForm,
    CommentForm,
    CompleteForm,
    ExtensionDecideForm,
    ExtensionRequestForm,
    ProgressForm,
    SubtaskForm,
)
from thenchot.directives.models import ExtensionRequest, ProgressReport, Task
from thenchot.directives.views.common import (
    STATUS_CLASSES,
    STATUS_LABELS,
    SUGGESTION_LIMIT,
    file_response,
    unit_label,
)
from thenchot.notifications.selectors import for_record
from thenchot.org.models import Unit
from thenchot.org.tree import tree

if TYPE_CHECKING:
    from thenchot.directives.status import TaskWithStatus


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


def _readable_task(request: HttpRequest, code: str) -> TaskWithStatus:
    task = selectors.task_detail(scope_for(request), code)
    if task is None:
        raise Http404  # missing or out of reach: the same answer, the page reveals nothing
    return task


def _timeline(task: Task, names: dict[int, str]) -> list[dict[str, Any]]:
    """Progress, extensions, comments, completion, reminders and escalations, newest first."""

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


def _detail_context(request: HttpRequest, task: TaskWithStatus, **forms: Any) -> dict[str, Any]:
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
        "assigner_unit_label": unit_label(snap, parties.assigner_unit_id),
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
    return [(u, unit_label(snap, u)) for u in ids[:SUGGESTION_LIMIT]]


@login_required
@require_GET
def task_page(request: HttpRequest, code: str) -> HttpResponse:
    task = _readable_task(request, code)
    return render(request, "directives/task_detail.html", _detail_context(request, task))


def _rerender(request: HttpRequest, code: str, form_name: str, form: Any) -> HttpResponse:
    """The page again (400) with the refused form; the task is read afresh, as the refused
    change left it."""
    task = _readable_task(request, code)
    context = _detail_context(request, task, **{form_name: form})
    return render(request, "directives/task_detail.html", context, status=400)


def _run(request: HttpRequest, code: str, form: Any, act: Any, form_name: str) -> HttpResponse:
    """A task page form's action (`core.forms.run_form_action`): back to the task when done,
    the page again with the form under `form_name` when refused."""
    again = partial(_rerender, request, code, form_name)
    return run_form_action(
        request, form, act, done=reverse("directives:task", args=[code]), again=again
    )


_TaskAct = Callable[[Any, Any, dict[str, Any]], str]


def _task_form(form_class: Any, form_name: str, act: _TaskAct) -> Any:
    """The POST view of one of the task page's plain forms, `form_name` on the page."""

    def run(request: HttpRequest, task: Any, form: Any, action: Any) -> HttpResponse:
        return _run(request, task.code, form, action, form_name)

    return record_form_view(_readable_task, form_class, act, run)


def _progress(by: Any, task: Any, data: dict[str, Any]) -> str:
    services.progress_report(by=by, task=task, **data)
    return _("The progress report was recorded.")


def _extension(by: Any, task: Any, data: dict[str, Any]) -> str:
    services.extension_request(by=by, task=task, **data)
    return _("The extension request was sent to the assigning side.")


def _assess(by: Any, task: Any, data: dict[str, Any]) -> str:
    version, fields = data["version"], without(data, "version")
    services.task_assess(by=by, task=task, expected_version=version, **fields)
    return _("The quality assessment was saved.")


def _comment(by: Any, task: Any, data: dict[str, Any]) -> str:
    services.task_comment(by=by, task=task, text=data["text"])
    return _("The comment was added.")


task_progress = _task_form(ProgressForm, "progress_form", _progress)
task_extension = _task_form(ExtensionRequestForm, "extension_form", _extension)
task_assess = _task_form(AssessForm, "assess_form", _assess)
task_comment = _task_form(CommentForm, "comment_form", _comment)


@login_required
@require_POST
def extension_decide(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    task = _readable_task(request, code)
    extension = first_or_404(ExtensionRequest.objects.filter(pk=pk, task=task))
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

    return _run(request, code, form, act, "decide_form")


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

    return _run(request, code, form, act, "complete_form")


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

    return _run(request, code, form, act, "subtask_form")


@login_required
@require_GET
def progress_file(request: HttpRequest, code: str, pk: int) -> HttpResponseBase:
    task = _readable_task(request, code)
    report = ProgressReport.objects.filter(pk=pk, task=task).first()
    if report is None or not report.attachment:
        raise Http404
    return file_response(report.attachment, (report.attachment.name or "").rsplit("/", 1)[-1])
