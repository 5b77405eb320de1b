"""Closing a task: recording its completion and product, and the assigning side's grade."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.context import acting
from thenchot.core.errors import OutOfScope
from thenchot.directives import rules
from thenchot.directives.models import Task
from thenchot.directives.services.base import (
    _authority,
    _date_not_future,
    _heads,
    _locked_task,
    _refuse,
    _require_assigning_side,
    _require_open,
)
from thenchot.directives.services.notices import _notify
from thenchot.directives.services.progress import rollup_parent_progress
from thenchot.directives.services.refusals import refuse


@transaction.atomic
def task_complete(
    *,
    by: Any,
    task: Task,
    completed_on: dt.date,
    product: str,
    expected_version: int,
    quality: str | None = None,
    major_errors: int | None = None,
) -> Task:
    """Record the completion of a task with its product. The lead side or the assigning side
    may record it; the quality mark and major errors are the assigning side's to give (here or
    later with `task_assess`). Completing twice is refused."""
    with acting(actor=by):
        auth = _authority(by)
        fresh = _locked_task(task)
        lead, assigning = auth.is_lead_side(fresh), auth.is_assigning_side(fresh)
        if not (lead or assigning):
            raise OutOfScope(_("Only the lead unit or the assigning side can complete this task."))
        if (quality is not None or major_errors is not None) and not assigning:
            raise OutOfScope(_("Only the side that assigned this task gives its quality mark."))
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        _require_open(fresh)
        if not product.strip():
            raise _refuse(_("Describe the product of the task."), "product")
        _date_not_future(completed_on, "completed_on")
        errors = None if major_errors is None else int(major_errors)
        refuse(
            rules.completion_breaches(
                assigned_on=fresh.assigned_on,
                completed_on=completed_on,
                quality=quality,
                major_errors=errors,
            )
        )
        before = auditing.snapshot(fresh)
        fresh.completed_on = completed_on
        fresh.product = product
        fresh.progress = rules.progress_after(progress=fresh.progress, completed_on=completed_on)
        fresh.completion_recorded_by = by
        fields = ["completed_on", "product", "progress", "completion_recorded_by"]
        if quality is not None:
            fresh.quality = quality
            fields.append("quality")
        if errors is not None:
            fresh.major_errors = errors
            fields.append("major_errors")
        save_versioned(fresh, expected_version=expected_version, fields=fields)
        auditing.record(fresh, action=auditing.UPDATE, before=before)
        rollup_parent_progress(fresh)
        _notify(
            users=[fresh.assigned_by_id, *_heads(fresh.assigner_unit_id)],
            task=fresh,
            event="task_completed",
            message=gettext_lazy("task completed"),
        )
        _copy_back(task, fresh)
        return fresh


def _copy_back(target: Task, fresh: Task) -> None:
    for field in fresh._meta.concrete_fields:
        setattr(target, field.attname, getattr(fresh, field.attname))


@transaction.atomic
def task_assess(
    *, by: Any, task: Task, quality: str, major_errors: int, expected_version: int
) -> Task:
    """The assigning side grades a completed task: quality mark and number of major errors."""
    with acting(actor=by):
        auth = _authority(by)
        fresh = _locked_task(task)
        _require_assigning_side(auth, fresh)
        if fresh.version != expected_version:
            raise ConcurrentUpdate()
        refuse(
            rules.completion_breaches(
                assigned_on=fresh.assigned_on,
                completed_on=fresh.completed_on,
                quality=quality,
                major_errors=int(major_errors),
            )
        )
        before = auditing.snapshot(fresh)
        fresh.quality = quality
        fresh.major_errors = int(major_errors)
        save_versioned(fresh, expected_version=expected_version, fields=["quality", "major_errors"])
        auditing.record(fresh, action=auditing.UPDATE, before=before)
        _copy_back(task, fresh)
        return fresh
