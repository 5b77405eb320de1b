"""What is added to a task while it runs: the lead side's progress reports and anyone's
checking or urging notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import compute_scope
from thenchot.core import auditing, writes
from thenchot.core.context import acting
from thenchot.core.errors import OutOfScope
from thenchot.directives.models import ProgressReport, Task, TaskComment
from thenchot.directives.selectors import can_read_task
from thenchot.directives.services.base import (
    _date_not_future,
    _full_clean,
    _lead_side_open_task,
    _refuse,
    _snap,
    _today,
)
from thenchot.directives.services.progress import rollup_parent_progress
from thenchot.directives.services.uploads import validate_upload


@transaction.atomic
def progress_report(
    *,
    by: Any,
    task: Task,
    percent: int,
    note: str = "",
    attachment: UploadedFile | None = None,
    reported_on: dt.date | None = None,
) -> ProgressReport:
    """The lead side reports progress (0–100%) on an open task; the task's progress follows
    the latest report, and a parent's progress is rolled up again."""
    with acting(actor=by):
        task = _lead_side_open_task(by, task)
        reported_on = reported_on or _today()
        if not 0 <= int(percent) <= 100:
            raise _refuse(_("Progress must be between 0 and 100%."), "percent")
        if reported_on < task.assigned_on:
            raise _refuse(
                _("A report cannot be dated before the task was assigned."), "reported_on"
            )
        _date_not_future(reported_on, "reported_on")
        report = ProgressReport(
            task=task, reported_on=reported_on, percent=int(percent), note=note, reported_by=by
        )
        if attachment is not None:
            name, _size, _type = validate_upload(attachment)
            report.attachment.save(name, attachment, save=False)
        _full_clean(report, exclude=["attachment"])
        writes.create(report, snap=_snap)
        if task.progress != report.percent:
            before = auditing.snapshot(task)
            Task.objects.filter(pk=task.pk).update(progress=report.percent)
            task.progress = report.percent
            auditing.record(task, action=auditing.UPDATE, before=before)
        rollup_parent_progress(task)
        return report


@transaction.atomic
def task_comment(*, by: Any, task: Task, text: str) -> TaskComment:
    """A checking, urging or handling note by anyone who may read the task."""
    with acting(actor=by):
        if by is None or not by.is_authenticated:
            raise OutOfScope()
        if not can_read_task(compute_scope(by, _today()), task):
            raise OutOfScope()
        if not text.strip():
            raise _refuse(_("A comment cannot be empty."), "text")
        comment = TaskComment.objects.create(task=task, author=by, text=text.strip())
        auditing.record(comment, action=auditing.CREATE)
        return comment
