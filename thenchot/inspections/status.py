"""A recommendation's status on a date D — one rule, as a queryset expression for lists and
statistics and as a pure function for one record (a test keeps the two in agreement).

- `done`: `done_on` on or before D (the remediation the inspectors accepted);
- `overdue`: not done by D and `due_on` before D (report.md counts exactly these);
- `awaiting_review`: not overdue, and a remediation report made on or before D awaits review;
- `open`: anything else.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When

from thenchot.inspections.choices import RecommendationStatus, ReportStatus

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    from thenchot.inspections.models import Recommendation

    class StatusColumn(TypedDict):
        status: str

    # A recommendation read through `annotate_status` (annotations only).
    RecommendationWithStatus = WithAnnotations[Recommendation, StatusColumn]


def done_q(on: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}done_on__isnull": False, f"{prefix}done_on__lte": on})


def overdue_q(on: dt.date, prefix: str = "") -> Q:
    return ~done_q(on, prefix) & Q(**{f"{prefix}due_on__lt": on})


def status_expr(on: dt.date) -> Any:
    from thenchot.inspections.models import RemediationReport

    pending = Exists(
        RemediationReport.objects.filter(
            recommendation_id=OuterRef("pk"), status=ReportStatus.PENDING, reported_on__lte=on
        )
    )
    return Case(
        When(done_q(on), then=Value(RecommendationStatus.DONE.value)),
        When(Q(due_on__lt=on), then=Value(RecommendationStatus.OVERDUE.value)),
        When(pending, then=Value(RecommendationStatus.AWAITING_REVIEW.value)),
        default=Value(RecommendationStatus.OPEN.value),
        output_field=CharField(),
    )


def annotate_status(qs: QuerySet[Any], on: dt.date) -> QuerySet[Any]:
    return qs.annotate(status=status_expr(on))


def recommendation_status(
    *, due_on: dt.date, done_on: dt.date | None, pending_since: dt.date | None, on: dt.date
) -> str:
    """The same rule for one recommendation; `pending_since` is the date of the report under
    review, if any."""
    if done_on is not None and done_on <= on:
        return RecommendationStatus.DONE.value
    if due_on < on:
        return RecommendationStatus.OVERDUE.value
    if pending_since is not None and pending_since <= on:
        return RecommendationStatus.AWAITING_REVIEW.value
    return RecommendationStatus.OPEN.value
