"""What a task and its extensions must satisfy, stated once for every way a change comes in: the
pages and the API (through `directives.services`) and the interchange import
(`directives.interchange.tasks`, which checks a whole file before writing it in batches).

Pure functions over plain values, no database: each caller gathers the facts its own way (a
service from the locked rows, the import set-based for 100,000 rows, with the file's units and
staff over the database's) and words the `Breach`es for its reader — a form names the field, an
import names the place and quotes the value (shared/spec/interchange.md). Checks that depend on
the clock or on who acts (dates in the future, the lead or assigning side) stay in the services:
a file carries history, not a request made today.

The task rules: a deadline or completion not before the assigned date; lead, assigning and
coordinating units that existed on the assigned date; the lead unit does not also coordinate; a
task is not assigned before its document was issued; the assignee was in the lead unit's
subtree on the assigned date; a quality mark only on a completed task; major errors 0–100; a
weight above 0 (the column holds 6 digits, 2 of them decimals).

The extension rules (rules.md, "Tasks: status on a date D"): each request records the deadline
in force on its request date; the new deadline is later than it; a request is not dated before
the assignment nor after the completion; a decision is not dated before the request and a
pending request has none; a task has at most one pending request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

from thenchot.directives.status import ExtensionFact, effective_deadline

MAX_WEIGHT = Decimal("10000")
MAX_ERRORS = 100
QUALITIES = ("exceeds", "meets", "below")  # `choices.Quality` values (tested)
PENDING = "pending"

# Rule names, the keys callers word their messages by.
BEFORE_ASSIGNED = "before_assigned"
UNIT_NOT_VALID = "unit_not_valid"
LEAD_COORDINATES = "lead_coordinates"
BEFORE_DOCUMENT = "before_document"
ASSIGNEE_OUTSIDE = "assignee_outside"
TITLE_MISSING = "title_missing"
QUALITY_WITHOUT_COMPLETION = "quality_without_completion"
UNKNOWN_QUALITY = "unknown_quality"
ERRORS_RANGE = "errors_range"
WEIGHT_RANGE = "weight_range"
NOT_LATER = "not_later"
AFTER_COMPLETION = "after_completion"
PENDING_DECIDED = "pending_decided"
DECIDED_BEFORE_REQUEST = "decided_before_request"
SECOND_PENDING = "second_pending"


class Span(Protocol):
    """A unit's validity (`org.models.Unit`, `org.interchange.UnitRef`)."""

    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class Breach:
    """One rule a change breaks: the field concerned, the rule's name, the offending value and
    what it was held against (a date, a maximum, the first pending request's index)."""

    field: str
    rule: str
    value: Any = None
    limit: Any = None
    item: int | None = None  # extensions: the index of the item concerned in the caller's list


@dataclass(frozen=True)
class TaskFacts:
    """A task as it would be after the change; units by code, `units` gives their validity.
    `assignee_within` is the caller's answer to "was the assignee in the lead unit's subtree on
    the assigned date" (None: no assignee, or nothing to ask)."""

    title: str | None
    lead_unit: str | None
    assigned_on: dt.date | None
    deadline: dt.date | None
    assigner_unit: str | None = None
    coordinating_units: Sequence[str] = ()
    document_issued_on: dt.date | None = None
    completed_on: dt.date | None = None
    quality: str | None = None
    weight: Decimal | None = None
    major_errors: int | None = None
    assignee: str | None = None  # how the caller names the assignee in a message
    assignee_within: bool | None = None


@dataclass(frozen=True)
class ExtensionItem:
    requested_on: dt.date
    new_deadline: dt.date
    status: str
    decided_on: dt.date | None = None
    reason: str = ""


@dataclass(frozen=True)
class PlannedExtension:
    """An item with the deadline in force on its request date; `index` is its place in the
    caller's list (the plan is in request order)."""

    index: int
    item: ExtensionItem
    previous_deadline: dt.date


def exists_on(span: Span, on: dt.date) -> bool:
    return (span.valid_from is None or span.valid_from <= on) and (
        span.valid_to is None or on <= span.valid_to
    )


def task_breaches(facts: TaskFacts, units: Mapping[str, Span]) -> list[Breach]:
    """Every rule `facts` breaks. Units missing from `units` are the caller's to report (an
    unknown code is a reference problem, not a rule)."""
    out: list[Breach] = []
    assigned = facts.assigned_on
    if facts.title is not None and not facts.title.strip():
        out.append(Breach("title", TITLE_MISSING))
    if assigned is not None:
        for name in ("lead_unit", "assigner_unit"):
            code = getattr(facts, name)
            span = units.get(code) if code is not None else None
            if span is not None and not exists_on(span, assigned):
                out.append(Breach(name, UNIT_NOT_VALID, code, assigned))
    for code in facts.coordinating_units:
        span = units.get(code)
        if code == facts.lead_unit:
            out.append(Breach("coordinating_units", LEAD_COORDINATES, code))
        elif span is not None and assigned is not None and not exists_on(span, assigned):
            out.append(Breach("coordinating_units", UNIT_NOT_VALID, code, assigned))
    issued = facts.document_issued_on
    if issued is not None and assigned is not None and assigned < issued:
        out.append(Breach("assigned_on", BEFORE_DOCUMENT, assigned, issued))
    if assigned is not None and facts.deadline is not None and facts.deadline < assigned:
        out.append(Breach("deadline", BEFORE_ASSIGNED, facts.deadline, assigned))
    if facts.assignee is not None and facts.assignee_within is False:
        out.append(Breach("assignee", ASSIGNEE_OUTSIDE, facts.assignee, facts.lead_unit))
    out += completion_breaches(
        assigned_on=assigned,
        completed_on=facts.completed_on,
        quality=facts.quality,
        major_errors=facts.major_errors,
    )
    weight = facts.weight
    if weight is not None and not Decimal(0) < weight < MAX_WEIGHT:
        out.append(Breach("weight", WEIGHT_RANGE, weight, MAX_WEIGHT))
    return out


def completion_breaches(
    *,
    assigned_on: dt.date | None,
    completed_on: dt.date | None,
    quality: str | None,
    major_errors: int | None,
) -> list[Breach]:
    """A completion and its grade: not before the assignment, a known quality mark on a
    completed task only, major errors from 0 to `MAX_ERRORS`."""
    out: list[Breach] = []
    if completed_on is not None and assigned_on is not None and completed_on < assigned_on:
        out.append(Breach("completed_on", BEFORE_ASSIGNED, completed_on, assigned_on))
    if quality is not None and quality not in QUALITIES:
        out.append(Breach("quality", UNKNOWN_QUALITY, quality))
    elif quality is not None and completed_on is None:
        out.append(Breach("quality", QUALITY_WITHOUT_COMPLETION, quality))
    if major_errors is not None and not 0 <= major_errors <= MAX_ERRORS:
        out.append(Breach("major_errors", ERRORS_RANGE, major_errors, MAX_ERRORS))
    return out


def plan_extensions(
    *,
    deadline: dt.date,
    assigned_on: dt.date | None,
    completed_on: dt.date | None,
    items: Sequence[ExtensionItem],
) -> tuple[list[PlannedExtension], list[Breach]]:
    """`items` in request order (ties kept in the given order), each with the deadline in force
    on its request date, and every rule they break (`Breach.item` is the index in `items`)."""
    breaches: list[Breach] = []
    for index, item in enumerate(items):
        requested, decided = item.requested_on, item.decided_on
        if assigned_on is not None and requested < assigned_on:
            breaches.append(Breach("requested_on", BEFORE_ASSIGNED, requested, assigned_on, index))
        if completed_on is not None and requested > completed_on:
            breaches.append(
                Breach("requested_on", AFTER_COMPLETION, requested, completed_on, index)
            )
        if decided is not None and item.status == PENDING:
            breaches.append(Breach("decided_on", PENDING_DECIDED, decided, None, index))
        elif decided is not None and decided < requested:
            breaches.append(Breach("decided_on", DECIDED_BEFORE_REQUEST, decided, requested, index))
    ordered = sorted(range(len(items)), key=lambda i: (items[i].requested_on, i))
    facts: list[ExtensionFact] = []
    planned: list[PlannedExtension] = []
    first_pending: int | None = None
    for index in ordered:
        item = items[index]
        previous = effective_deadline(deadline=deadline, extensions=facts, on=item.requested_on)
        facts.append(
            ExtensionFact(
                requested_on=item.requested_on,
                previous_deadline=previous,
                new_deadline=item.new_deadline,
                status=item.status,
                decided_on=item.decided_on,
            )
        )
        planned.append(PlannedExtension(index, item, previous))
        if item.new_deadline <= previous:
            breaches.append(Breach("new_deadline", NOT_LATER, item.new_deadline, previous, index))
        if item.status == PENDING:
            if first_pending is not None:
                breaches.append(Breach("status", SECOND_PENDING, item.status, first_pending, index))
            else:
                first_pending = index
    return planned, breaches


def normal_weight(value: Decimal | int | str) -> Decimal:
    """A weight as the column stores it (2 decimals): a new task's audit snapshot then reads the
    same whichever way the task came in."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def progress_after(*, progress: int, completed_on: dt.date | None) -> int:
    """A completed task counts 100%; an open one keeps its reported progress."""
    return 100 if completed_on is not None else progress


def rolled_up_progress(children: Sequence[tuple[Decimal, int, dt.date | None]]) -> int | None:
    """A parent's progress from its sub-tasks' (weight, progress, completed_on): the
    weight-averaged progress, completed ones counting 100%; None without any weight."""
    total = sum((weight for weight, _p, _c in children), Decimal(0))
    if not total:
        return None
    done = sum(
        (weight * progress_after(progress=p, completed_on=c) for weight, p, c in children),
        Decimal(0),
    )
    return int((done / total).quantize(Decimal(1)))
