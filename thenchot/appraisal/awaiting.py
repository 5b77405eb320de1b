"""What awaits a person in the evaluation workflow (the home page's to-do list): their own
self-assessment while its period is open, the rows they review, the rows they approve."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services import line_for
from thenchot.core.awaiting import Awaiting, awaiting_sources


def awaiting(*, scope: Any, user: Any, on: dt.date) -> Iterator[Awaiting]:
    open_rows = Evaluation.objects.filter(
        period__status=PeriodStatus.OPEN, period__starts_on__lte=on
    )
    if scope.own_staff_id is not None:
        own = open_rows.filter(
            staff_id=scope.own_staff_id,
            status__in=(EvaluationStatus.DRAFT, EvaluationStatus.RETURNED),
        )
        # Past its due date the self-assessment is late: say so in the warning colour (both
        # in one statement: the home page asks on every view).
        found = own.aggregate(
            count=Count("pk"), late=Count("pk", filter=Q(period__self_due__lt=on))
        )
        count, late = found["count"], found["late"] > 0
        yield Awaiting(
            key="appraisal.self_assessment",
            label=_("Self-assessment to submit"),
            count=count,
            url=reverse("appraisal:me"),
            urgent=late,
        )
    line = line_for(user, on)
    if line.reviews:
        yield Awaiting(
            key="appraisal.review",
            label=_("Evaluations to review"),
            count=open_rows.filter(status=EvaluationStatus.SELF_ASSESSED, unit_id__in=line.reviews)
            .exclude(staff_id=line.staff_id or 0)
            .count(),
            url=reverse("appraisal:board"),
        )
    if line.approves:
        yield Awaiting(
            key="appraisal.approve",
            label=_("Evaluations to approve"),
            count=open_rows.filter(
                status=EvaluationStatus.REVIEWED, period__agency_id__in=line.approves
            )
            .exclude(staff_id=line.staff_id or 0)
            .count(),
            url=reverse("appraisal:board"),
        )


awaiting_sources.register("appraisal", awaiting, order=20)
