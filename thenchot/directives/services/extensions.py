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
from thenchot.core.errors import OutOfScope
from thenchot.directives import rules
from thenchot.directives.choices import ExtensionStatus
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.services.base import (
    _authority,
    _date_not_future,
    _full_clean,
    _heads,
    _lead_side_open_task,
    _refuse,
    _require_assigning_side,
    _require_open,
    _today,
)
from thenchot.directives.services.notices import _notify
from thenchot.directives.services.refusals import refuse


def _item(stored: ExtensionRequest) -> rules.ExtensionItem:
    return rules.ExtensionItem(
        requested_on=stored.requested_on,
        new_deadline=stored.new_deadline,
        status=str(stored.status),
        decided_on=stored.decided_on,
        reason=stored.reason,
    )


def _checked(task: Task, items: list[rules.ExtensionItem], *, concerns: int) -> dict[int, dt.date]:
    """The task's extensions after the change, under the rules an import applies too; refused
    when the item at `concerns` breaks one (or a second request would be pending). Returns the
    deadline in force on each item's request date, by index."""
    planned, breaches = rules.plan_extensions(
        deadline=task.deadline,
        assigned_on=task.assigned_on,
        completed_on=task.completed_on,
        items=items,
    )
    refuse(b for b in breaches if b.item == concerns or b.rule == rules.SECOND_PENDING)
    return {p.index: p.previous_deadline for p in planned}


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
        task = _lead_side_open_task(by, task)
        requested_on = requested_on or _today()
        _date_not_future(requested_on, "requested_on")
        if not reason.strip():
            raise _refuse(_("Give the reason for the extension."), "reason")
        stored = list(task.extensions.all())
        asked = rules.ExtensionItem(
            requested_on=requested_on,
            new_deadline=new_deadline,
            status=ExtensionStatus.PENDING,
            reason=reason,
        )
        planned = _checked(task, [*(_item(e) for e in stored), asked], concerns=len(stored))
        current = planned[len(stored)]
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
        _require_not_own(by, fresh, task)
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        if fresh.status != ExtensionStatus.PENDING:
            raise _refuse(_("This request has already been decided."))
        _require_open(task)
        decided_on = decided_on or _today()
        _date_not_future(decided_on, "decided_on")
        status = ExtensionStatus.APPROVED if approve else ExtensionStatus.REJECTED
        stored = list(task.extensions.all())
        place = next(i for i, e in enumerate(stored) if e.pk == fresh.pk)
        items = [_item(e) for e in stored]
        items[place] = rules.ExtensionItem(
            requested_on=fresh.requested_on,
            new_deadline=fresh.new_deadline,
            status=status,
            decided_on=decided_on,
            reason=fresh.reason,
        )
        _checked(task, items, concerns=place)
        if not approve and not comment.strip():
            raise _refuse(_("Say why the request is rejected."), "comment")
        before = auditing.snapshot(fresh)
        fresh.status = status
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
            users=[
                fresh.requested_by_id,
                task.assignee.user_id if task.assignee else None,
                *_heads(task.lead_unit_id),
            ],
            task=task,
            event="extension_approved" if approve else "extension_rejected",
            message=gettext_lazy("extension approved")
            if approve
            else gettext_lazy("extension rejected"),
        )
        return fresh


def _require_not_own(by: Any, request: ExtensionRequest, task: Task) -> None:
    """Separation of duties: nobody decides an extension they asked for, nor one of a task
    assigned to them (a head who is also the assignee leaves it to the level above)."""
    user_id = getattr(by, "pk", None)
    if user_id is None:
        return
    if request.requested_by_id == user_id or (
        task.assignee is not None and task.assignee.user_id == user_id
    ):
        raise OutOfScope(_("Nobody decides an extension of their own task or request."))
