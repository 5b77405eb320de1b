"""Writes: ask for a report to be built in the background; the background job's own steps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing
from thenchot.core.changes import CREATE
from thenchot.core.jobs import enqueue
from thenchot.reports.blocks import ReportRequest, build_report
from thenchot.reports.models import ReportRun, RunFormat, RunStatus
from thenchot.reports.selectors import require_readable_unit, reusable_run, run_identity

BUILD_JOB = "reports.build_run"


def run_request(
    *,
    scope: Scope,
    user: Any,
    unit_id: int,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    fmt: str,
    params: dict[str, Any] | None = None,
) -> ReportRun:
    """Ask for a report built in the background (`reports.build_run`); the same report still
    being built is returned instead of a second one."""
    require_readable_unit(scope, unit_id)
    if fmt not in RunFormat.values:
        raise ValueError(fmt)
    identity = run_identity(
        getattr(user, "pk", None),
        unit_id=unit_id,
        date_from=date_from,
        date_to=date_to,
        as_of=as_of,
        fmt=fmt,
    )
    existing = reusable_run(identity)
    if existing is not None:
        return existing
    with transaction.atomic():
        run = ReportRun(**identity, params=params or {})
        run.full_clean(exclude=["file", "result"])
        run.save()
        auditing.record(run, action=CREATE)
        transaction.on_commit(lambda: enqueue(BUILD_JOB, run_id=run.pk))
    return run


def _claim(run_id: int) -> bool:
    """Take a queued run (a conditional UPDATE: with several workers, one builds it)."""
    return bool(
        ReportRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
            status=RunStatus.RUNNING, started_at=timezone.now(), progress=1
        )
    )


def build_run(*, run_id: int) -> str:
    """Build run `run_id`: its figures block by block (progress told as it goes), then its
    file. Returns its final status."""
    if not _claim(run_id):
        return "skipped"
    run = ReportRun.objects.select_related("unit").get(pk=run_id)
    try:
        # 90 % for the figures, the rest for the file.
        def progress(done: int, total: int) -> None:
            ReportRun.objects.filter(pk=run_id).update(progress=max(1, 90 * done // total))

        data = build_report(
            ReportRequest.for_unit(run.unit, run.date_from, run.date_to, run.as_of),
            on_block=progress,
        )
        run.result = data
        if run.format != RunFormat.HTML:
            attach_file(run, data)
        run.status = RunStatus.DONE
    except Exception as exc:  # the reader sees why, the log has the trace
        run.status = RunStatus.FAILED
        run.error = str(exc)[:2000]
        import logging

        logging.getLogger(__name__).exception("report run %s failed", run_id)
    run.progress = 100
    run.finished_at = timezone.now()
    run.save(update_fields=["result", "file", "status", "error", "progress", "finished_at"])
    return str(run.status)


def attach_file(run: ReportRun, data: dict[str, Any]) -> None:
    from django.utils import translation

    from thenchot.reports.rendering import render

    language = getattr(run.requested_by, "language", "") or None
    with translation.override(language or "vi"):
        content, _type, name = render(data, str(run.format))
    run.file.save(name, ContentFile(content), save=False)
