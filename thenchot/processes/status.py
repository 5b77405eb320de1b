"""A case's status on a date: one pure function for one case and one queryset expression for
lists and statistics, which a test keeps in agreement (STYLE: "a rule lives once").

- completed on or before its due date: completed on time; after it: completed late;
- open and `on` after the due date: overdue;
- open and due by the end of the next working day: at risk;
- otherwise in progress.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case as When_
from django.db.models import CharField, F, Q, Value, When

from thenchot.processes.choices import CaseStatus


def case_status(
    *, due_on: dt.date, completed_on: dt.date | None, on: dt.date, threshold: dt.date
) -> CaseStatus:
    """`threshold` is `workdays.risk_threshold(on)`."""
    if completed_on is not None and completed_on <= on:
        return CaseStatus.COMPLETED_ON_TIME if completed_on <= due_on else CaseStatus.COMPLETED_LATE
    if on > due_on:
        return CaseStatus.OVERDUE
    if due_on <= threshold:
        return CaseStatus.AT_RISK
    return CaseStatus.IN_PROGRESS


def open_on(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}completed_on__isnull": True}) | Q(**{f"{prefix}completed_on__gt": on})


def status_expression(on: dt.date, threshold: dt.date) -> When_:
    done = Q(completed_on__isnull=False, completed_on__lte=on)
    return When_(
        When(done & Q(completed_on__lte=F("due_on")), then=Value(CaseStatus.COMPLETED_ON_TIME)),
        When(done, then=Value(CaseStatus.COMPLETED_LATE)),
        When(due_on__lt=on, then=Value(CaseStatus.OVERDUE)),
        When(due_on__lte=threshold, then=Value(CaseStatus.AT_RISK)),
        default=Value(CaseStatus.IN_PROGRESS),
        output_field=CharField(),
    )
