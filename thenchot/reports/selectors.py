"""Reads: which unit a reader may report on, which runs are theirs, what counts as large."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404

from thenchot.accounts.scoping import Scope
from thenchot.core.errors import OutOfScope
from thenchot.org.selectors import visible_roots
from thenchot.org.tree import tree
from thenchot.reports.models import ReportRun

# A report on a subtree of this many units or more is built in the background: the blocks'
# grouped queries grow with the records under it, and a department (a few dozen units) answers
# at once while the city (thousands) is better built off the request. Setting:
# THENCHOT_REPORTS_BACKGROUND_UNITS.
DEFAULT_BACKGROUND_UNITS = 200


def background_threshold() -> int:
    return int(getattr(settings, "THENCHOT_REPORTS_BACKGROUND_UNITS", DEFAULT_BACKGROUND_UNITS))


def subtree_size(unit_id: int, on: dt.date) -> int:
    return len(tree().subtree_on(unit_id, on))


def is_large(unit_id: int, on: dt.date) -> bool:
    return subtree_size(unit_id, on) >= background_threshold()


def default_unit(scope: Scope, on: dt.date) -> int | None:
    """The unit a reader's report page opens on: their highest readable unit."""
    roots = visible_roots(scope, on)
    return roots[0] if roots else None


def require_readable_unit(scope: Scope, unit_id: int) -> None:
    """A reader reports only on units of their scope (`OutOfScope`: 403)."""
    if scope.is_anonymous or not scope.can_read_unit(unit_id):
        raise OutOfScope()


def my_runs(user: Any) -> QuerySet[ReportRun]:
    return ReportRun.objects.filter(requested_by=user).select_related("unit")


def can_read_run(scope: Scope, user: Any, run: ReportRun) -> bool:
    """Your own runs, while the unit is still yours to read; a monthly report, by whoever may
    read its unit."""
    if not scope.can_read_unit(run.unit_id):
        return False
    return run.requested_by_id == getattr(user, "pk", None) or run.scheduled


def run_for(scope: Scope, user: Any, pk: int) -> ReportRun:
    run = ReportRun.objects.select_related("unit").filter(pk=pk).first()
    if run is None or not can_read_run(scope, user, run):
        raise Http404
    return run


def run_identity(
    user_id: int | None,
    *,
    unit_id: int,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    fmt: str,
) -> dict[str, Any]:
    """The fields that make two report runs the same report, for the same person."""
    return {
        "requested_by_id": user_id,
        "unit_id": unit_id,
        "date_from": date_from,
        "date_to": date_to,
        "as_of": as_of,
        "format": fmt,
    }


def reusable_run(identity: dict[str, Any]) -> ReportRun | None:
    """The same report (`run_identity`) asked for again while it is still being built: shown,
    not rebuilt."""
    from thenchot.reports.models import RunStatus

    return (
        ReportRun.objects.filter(**identity, status__in=[RunStatus.QUEUED, RunStatus.RUNNING])
        .order_by("-created_at")
        .first()
    )
