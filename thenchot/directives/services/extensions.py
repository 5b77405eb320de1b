"""Deadline extensions: the lead side's request and the assigning side's decision."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.context import acting
from thenchot.directives.choices import ExtensionStatus
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.services.base import (
    _authority,
    _current_deadline,
    _date_not_future,
    _full_clean,
    _heads,
    _locked_task,
    _refuse,
    _require_assigning_side,
    _require_lead_side,
    _require_open,
    _today,
)
from thenchot.directives.services.notices import _notify


@transaction.atomic
def extension_request(
    *,
    by: Any,
    task: Task,
    new_deadline: dt.date,
    reason: str,
    requested_on: dt.date | None = None,
) -> ExtensionRequest:
    """The lead side asks for a later deadline, with a reason. One pending request at a time;
    the new deadline must be later than the deadline in force. A request made after that
    deadline has passed is accepted, and keeps the delay on record (`previous_deadline`)."""
    with acting(actor=by):
        auth = _authority(by)
        task = _locked_task(task)
        _require_lead_side(auth, task)
        _require_open(task)
        requested_on = requested_on or _today()
        _date_not_future(requested_on, "requested_on")
        if requested_on < task.assigned_on:
            raise _refuse(
                _("A request cannot be dated before the task was assigned."), "requested_on"
            )
        if not reason.strip():
            raise _refuse(_("Give the reason for the extension."), "reason")
        if task.extensions.filter(status=ExtensionStatus.PENDING).exists():
            raise _refuse(_("This task already has a pending extension request."))
        current = _current_deadline(task, requested_on)
        if new_deadline <= current:
            raise _refuse(
                _("The new deadline must be later than the deadline in force (%(date)s).")
                % {"date": current.strftime("%d/%m/%Y")},
                "new_deadline",
            )
        request = ExtensionRequest(
            task=task,
            requested_on=requested_on,
            previous_deadline=current,
            new_deadline=new_deadline,
            reason=reason,
            requested_by=by,
        )
        _full_clean(request)
        try:
            with transaction.atomic():
                request.save()
        except IntegrityError as exc:  # a concurrent request won the one-pending constraint
            raise _refuse(_("This task already has a pending extension request.")) from exc
        auditing.record(request, action=auditing.CREATE)
        _notify(
            users=[task.assigned_by_id, *_heads(task.assigner_unit_id)],
            task=task,
            event="extension_requested",
            message=gettext_lazy("extension requested"),
        )
        return request


@transaction.atomic
def extension_decide(
    *,
    request: ExtensionRequest,
    approve: bool,
    comment: str,
    by: Any,
    expected_version: int,
    decided_on: dt.date | None = None,
) -> ExtensionRequest:
    """The assigning side approves or rejects a pending request (a rejection needs a comment).
    An approval moves the effective deadline from `decided_on`. Someone who is not on the
    assigning side is refused; of two people deciding at once, the second is told the record
    changed (`ConcurrentUpdate`)."""
    with acting(actor=by):
        auth = _authority(by)
        fresh = ExtensionRequest.objects.select_related("task").get(pk=request.pk)
        task = fresh.task
        _require_assigning_side(auth, task)
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        if fresh.status != ExtensionStatus.PENDING:
            raise _refuse(_("This request has already been decided."))
        _require_open(task)
        decided_on = decided_on or _today()
        _date_not_future(decided_on, "decided_on")
        if decided_on < fresh.requested_on:
            raise _refuse(_("A decision cannot be dated before the request."), "decided_on")
        if not approve and not comment.strip():
            raise _refuse(_("Say why the request is rejected."), "comment")
        before = auditing.snapshot(fresh)
        fresh.status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        fresh.decided_on = decided_on
        fresh.decided_by = by
        fresh.decision_comment = comment
        save_versioned(
            fresh,
            expected_version=expected_version,
            fields=["status", "decided_on", "decided_by", "decision_comment"],
        )
        auditing.record(fresh, action=auditing.UPDATE, before=before)
        _notify(
            users=[fresh.requested_by_id, task.assignee.user_id if task.assignee else None]
            + _heads(task.lead_unit_id),
            task=task,
            event="extension_approved" if approve else "extension_rejected",
            message=gettext_lazy("extension approved")
            if approve
            else gettext_lazy("extension rejected"),
        )
        return fresh
