"""The head's choice of who moves down one level when the quota is exceeded (applied and checked
again at the close, `closing.py`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction

from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.base import PeriodClosed
from thenchot.appraisal.services.lines import line_for
from thenchot.appraisal.services.records import _bulk_locked, _bulk_refusal, _bulk_write
from thenchot.core import auditing
from thenchot.core.errors import OutOfScope


def quota_choose(
    *, evaluations: Iterable[Evaluation | int], by: Any, demoted: bool = True
) -> list[Evaluation]:
    """The head resolves a quota conflict by naming who moves down one level at the close (or,
    with `demoted=False`, withdraws the choice). Checked again at the close on final levels."""
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    line = line_for(by)
    with transaction.atomic():
        rows = _bulk_locked(ids)
        errors = []
        changes = []
        for ev in rows:
            if not (line.may_approve(ev) or line.admin):
                errors.append((ev, str(OutOfScope.default_message)))
            elif ev.period.is_closed:
                errors.append((ev, str(PeriodClosed.default_message)))
            else:
                before = auditing.snapshot(ev)
                ev.quota_demoted = demoted
                changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
        if errors:
            raise _bulk_refusal(errors, scope=not changes)
        _bulk_write(rows, ["quota_demoted"], changes)
    return rows
