"""Background recomputation of due dates after the table of holidays changed.

`core.calendar_table` tells `core.registry.calendar_changed` which dates changed once the change
is committed; `on_calendar_changed` enqueues `processes.recompute_due_dates`, which walks the
open cases a changed date can move (received before it, with a due date on or after it) in
batches by id, each batch in its own transaction and audit batch, and enqueues the next batch.
Running a batch twice changes nothing the second time: the dates are recomputed, not shifted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q

from thenchot.core.jobs import enqueue, job
from thenchot.processes.models import Case, CaseStep
from thenchot.processes.services import recompute_due_dates

JOB = "processes.recompute_due_dates"
BATCH = 2000
REASON = "calendar changed"


def affected_q(first: dt.date, last: dt.date) -> Q:
    """Open cases whose dates a change between `first` and `last` can move: received before
    the last changed day, and due (as a whole or at an unfinished step) on or after the first."""
    open_step_due = CaseStep.objects.filter(
        case_id=OuterRef("pk"), completed_on__isnull=True, due_on__gte=first
    )
    reaches = Q(due_on__gte=first) | Q(Exists(open_step_due))
    return Q(completed_on__isnull=True, received_on__lt=last) & reaches


@job(JOB)
def recompute_batch(
    *, first: str, last: str, after_id: int = 0, chain: bool = True
) -> dict[str, Any]:
    """One batch of open cases after `after_id`; enqueues the next one while there is more."""
    start, end = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    ids = list(
        Case.objects.filter(affected_q(start, end), pk__gt=after_id)
        .order_by("pk")
        .values_list("pk", flat=True)[:BATCH]
    )
    moved = recompute_due_dates(case_ids=ids, reason=REASON) if ids else 0
    more = len(ids) == BATCH
    if more and chain:
        enqueue(JOB, first=first, last=last, after_id=ids[-1])
    return {"cases": len(ids), "moved": moved, "next": ids[-1] if more else None}


def on_calendar_changed(days: frozenset[dt.date]) -> None:
    """The `calendar_changed` receiver (registered by `ProcessesConfig.ready()`)."""
    if days:
        enqueue(JOB, first=min(days).isoformat(), last=max(days).isoformat(), after_id=0)
