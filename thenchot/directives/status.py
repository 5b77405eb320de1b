"""A task's status on a date D — the one place that rule lives (rules.md, "Tasks: status on a
date D").

Two faces of the same rule, kept in agreement by `tests/test_status_agreement.py`:

- pure functions over plain values (`task_status`, `effective_deadline`, `delay_count`), for one
  task, for imports and for evaluation; this part imports nothing from Django;
- queryset expressions (`effective_deadline_expr`, `status_expr`, `annotate_status`), for lists,
  the API and statistics, so that a list of 100,000 tasks never loads them into Python.

The rule, as encoded here:
- an extension is *in force on D* when it was approved and its decision date is on or before D
  (an approval made after D is not yet in force on D; an approved extension without a decision
  date, as imports may carry, is in force from its request date);
- the effective deadline on D is the new deadline of the latest extension in force on D (latest
  decision first, then the later new deadline), else the original deadline;
- a task counts as completed on D when `completed_on` is set and on or before D (a completion
  recorded with a later date is not yet a completion on D);
- completed on D: `completed_on_time` when completed on or before the effective deadline,
  `completed_late` otherwise; not completed on D: `overdue` when D is after the effective
  deadline, `in_progress` otherwise;
- delays (Decree 335/2025 progress credit): a task counts at most one delay, incurred when an
  extension was requested after the deadline in force had already passed (the request does not
  erase the lateness) or when, on D, the task is completed late or overdue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:  # Django only for the queryset half; the pure half runs without it.
    from django.db.models import Exists, Expression, QuerySet
    from django_stubs_ext import WithAnnotations

    from thenchot.directives.models import Task

    class StatusColumns(TypedDict):
        """What `annotate_status` adds to each row."""

        effective_deadline: dt.date
        status: str

    # A task read through `annotate_status` (annotations only: no such class at run time).
    TaskWithStatus = WithAnnotations[Task, StatusColumns]

APPROVED = "approved"


class Status(StrEnum):
    """The four statuses; values equal `directives.choices.TaskStatus` (tested), whose labels
    the UI shows: `TaskStatus(status).label`."""

    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    OVERDUE = "overdue"
    IN_PROGRESS = "in_progress"


@dataclass(frozen=True)
class ExtensionFact:
    """What the status rule needs of one extension request."""

    requested_on: dt.date
    previous_deadline: dt.date
    new_deadline: dt.date
    status: str  # pending, approved, rejected
    decided_on: dt.date | None = None

    @property
    def effective_from(self) -> dt.date:
        return self.decided_on or self.requested_on

    def in_force_on(self, on: dt.date) -> bool:
        return self.status == APPROVED and self.effective_from <= on

    def requested_late(self) -> bool:
        """Requested after the deadline in force had passed: the delay stays on record."""
        return self.requested_on > self.previous_deadline


# -- pure part -----------------------------------------------------------------------------------
def effective_deadline(
    *, deadline: dt.date, extensions: Iterable[ExtensionFact], on: dt.date
) -> dt.date:
    """The deadline in force on `on`: the latest approved extension decided by then, else the
    original deadline."""
    in_force = [e for e in extensions if e.in_force_on(on)]
    if not in_force:
        return deadline
    latest = max(in_force, key=lambda e: (e.effective_from, e.new_deadline))
    return latest.new_deadline


def status_from_effective(
    *, effective: dt.date, completed_on: dt.date | None, on: dt.date
) -> Status:
    """The status on `on` once the effective deadline is known (the `Case` of `status_expr`)."""
    if completed_on is not None and completed_on <= on:
        return Status.COMPLETED_ON_TIME if completed_on <= effective else Status.COMPLETED_LATE
    return Status.OVERDUE if on > effective else Status.IN_PROGRESS


def task_status(
    *,
    deadline: dt.date,
    extensions: Iterable[ExtensionFact] = (),
    completed_on: dt.date | None,
    on: dt.date,
) -> Status:
    """The status of one task on `on`."""
    eff = effective_deadline(deadline=deadline, extensions=extensions, on=on)
    return status_from_effective(effective=eff, completed_on=completed_on, on=on)


def delay_count(
    *,
    deadline: dt.date,
    extensions: Iterable[ExtensionFact] = (),
    completed_on: dt.date | None,
    on: dt.date,
) -> int:
    """0 or 1: the task counts one delay at most (rules.md), whatever caused it."""
    facts = list(extensions)
    if any(e.requested_on <= on and e.requested_late() for e in facts):
        return 1
    status = task_status(deadline=deadline, extensions=facts, completed_on=completed_on, on=on)
    return 1 if status in (Status.COMPLETED_LATE, Status.OVERDUE) else 0


# -- queryset part -------------------------------------------------------------------------------
def _in_force_extensions(on: dt.date) -> QuerySet[Any]:
    """ExtensionRequest rows of the outer Task that are in force on `on`."""
    from django.db.models import OuterRef
    from django.db.models.functions import Coalesce

    from thenchot.directives.models import ExtensionRequest

    return (
        ExtensionRequest.objects.filter(task_id=OuterRef("pk"), status=APPROVED)
        .annotate(_from=Coalesce("decided_on", "requested_on"))
        .filter(_from__lte=on)
    )


def effective_deadline_expr(on: dt.date) -> Expression:
    """Expression for `Task` rows: the effective deadline on `on` (see the module docstring)."""
    from django.db.models import DateField, F, Subquery
    from django.db.models.functions import Coalesce

    latest = _in_force_extensions(on).order_by("-_from", "-new_deadline").values("new_deadline")
    return Coalesce(Subquery(latest[:1], output_field=DateField()), F("deadline"))


def extended_on(on: dt.date) -> Exists:
    """Expression (boolean) for `Task` rows: some extension is in force on `on`. Where it is
    false the effective deadline is the original one, which lets large statistics compare
    plain columns instead of evaluating `effective_deadline_expr` row by row."""
    from django.db.models import Exists

    return Exists(_in_force_extensions(on))


def status_expr(on: dt.date, effective: Any = None) -> Expression:
    """Expression for `Task` rows: the status on `on` as a `TaskStatus` value.

    `effective` is the effective-deadline expression to compare with (default: a fresh
    `effective_deadline_expr(on)`); pass `F("effective_deadline")` when the queryset already
    carries that annotation."""
    from django.db.models import Case, CharField, DateField, F, Q, Value, When
    from django.db.models.lookups import GreaterThan, LessThanOrEqual

    eff = effective if effective is not None else effective_deadline_expr(on)
    completed = Q(completed_on__isnull=False, completed_on__lte=on)
    return Case(
        When(
            completed & LessThanOrEqual(F("completed_on"), eff),
            then=Value(Status.COMPLETED_ON_TIME.value),
        ),
        When(completed, then=Value(Status.COMPLETED_LATE.value)),
        When(
            GreaterThan(Value(on, output_field=DateField()), eff), then=Value(Status.OVERDUE.value)
        ),
        default=Value(Status.IN_PROGRESS.value),
        output_field=CharField(),
    )


def annotate_status(qs: QuerySet[Any], on: dt.date) -> QuerySet[Any]:
    """`qs` (of Task) with `effective_deadline` and `status` on `on` annotated."""
    from django.db.models import F

    return qs.annotate(effective_deadline=effective_deadline_expr(on)).annotate(
        status=status_expr(on, F("effective_deadline"))
    )


def extension_facts(rows: Iterable[Any]) -> list[ExtensionFact]:
    """ExtensionFact for each ExtensionRequest-like row (model instances or namespaces)."""
    return [
        ExtensionFact(
            requested_on=r.requested_on,
            previous_deadline=r.previous_deadline,
            new_deadline=r.new_deadline,
            status=str(r.status),
            decided_on=r.decided_on,
        )
        for r in rows
    ]
