"""Assigning work: a task from a unit (from a document or ad hoc), and a sub-task delegated
inside the lead unit's subtree, with every problem of the assignment named at once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import auditing, writes
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives import rules
from thenchot.directives.choices import Priority
from thenchot.directives.models import SourceDocument, Task
from thenchot.directives.selectors import staff_in_subtree_on
from thenchot.directives.services.base import (
    _authority,
    _current_deadline,
    _full_clean,
    _heads,
    _locked_task,
    _new_code,
    _new_subtask_code,
    _require_open,
    _today,
)
from thenchot.directives.services.notices import _notify
from thenchot.directives.services.progress import rollup_parent_progress
from thenchot.directives.services.refusals import form_message
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff


@transaction.atomic
def task_create(
    *,
    by: Any,
    title: str,
    lead_unit: Unit,
    assigner_unit: Unit,
    assigned_on: dt.date,
    deadline: dt.date,
    document: SourceDocument | None = None,
    code: str = "",
    description: str = "",
    coordinating_units: Iterable[Unit] = (),
    assignee: Staff | None = None,
    priority: str = Priority.NORMAL,
    weight: Decimal | int | str = 1,
    expected_product: str = "",
) -> Task:
    """Assign a task from `assigner_unit` (by `by`) to `lead_unit`, from `document` or ad hoc.

    Refused, with every problem named at once: a deadline before the assigned date; a lead,
    coordinating or assigning unit that did not exist on the assigned date; an assigned date
    before the document's; an assignee outside the lead unit's subtree on the assigned date; a
    code already used. `by` must be able to assign from `assigner_unit` (an administrator, the
    city leadership, or a manager of it); any existing unit may be the lead unit — a department
    assigns to communes it does not manage."""
    with acting(actor=by):
        auth = _authority(by)
        if not auth.can_assign_from(assigner_unit.pk):
            raise OutOfScope(_("You cannot assign tasks on behalf of this unit."))
        coordinators = list(coordinating_units)
        task = Task(
            code=code,
            title=title,
            description=description,
            document=document,
            lead_unit=lead_unit,
            assignee=assignee,
            assigner_unit=assigner_unit,
            assigned_by=by,
            assigned_on=assigned_on,
            deadline=deadline,
            priority=priority,
            weight=rules.normal_weight(weight),
            expected_product=expected_product,
        )
        errors = _task_errors(
            task, assigner_unit=assigner_unit, document=document, coordinating_units=coordinators
        )
        if errors:
            first = next(iter(errors.values()))[0]
            raise DomainError(first, field_errors=errors)
        task.code = code or _new_code("NV", assigned_on)
        _full_clean(task)
        task.save()
        if coordinators:
            task.coordinating_units.set(coordinators)
        auditing.record(
            task,
            action=auditing.CREATE,
            after={
                **auditing.snapshot(task),
                "coordinating_units": sorted(u.code for u in coordinators),
            },
        )
        _announce(task, gettext_lazy("new task assigned"))
        return task


def _announce(task: Task, message: Any) -> None:
    """Tell the new task's assignee and the heads of its lead unit (after commit)."""
    assignee = task.assignee
    _notify(
        users=[assignee.user_id if assignee else None, *_heads(task.lead_unit_id)],
        task=task,
        event="task_assigned",
        message=message,
    )


def _task_errors(
    task: Task,
    *,
    assigner_unit: Unit | None,
    document: SourceDocument | None,
    coordinating_units: list[Unit],
) -> dict[str, list[Any]]:
    """Every problem of `task`, new and not saved (its code: the one entered, or blank): the
    shared rules (`directives.rules`, which the import applies too) and the code already used.
    `assigner_unit` and `document` are checked when given (a sub-task's are its parent's)."""
    title, lead_unit, assignee, code = task.title, task.lead_unit, task.assignee, task.code
    assigned_on, deadline, weight = task.assigned_on, task.deadline, task.weight
    units = {u.code: u for u in [lead_unit, *coordinating_units]}
    if assigner_unit is not None:
        units[assigner_unit.code] = assigner_unit
    within = None
    if assignee is not None:
        within = staff_in_subtree_on(assignee.pk, lead_unit.pk, assigned_on)
    facts = rules.TaskFacts(
        title=title,
        lead_unit=lead_unit.code,
        assigner_unit=assigner_unit.code if assigner_unit is not None else None,
        coordinating_units=[u.code for u in coordinating_units],
        assigned_on=assigned_on,
        deadline=deadline,
        document_issued_on=document.issued_on if document is not None else None,
        weight=weight,
        assignee=assignee.full_name if assignee is not None else None,
        assignee_within=within,
    )
    errors: dict[str, list[Any]] = {}
    for breach in rules.task_breaches(facts, units):
        errors.setdefault(breach.field, []).append(form_message(breach))
    if code and Task.objects.filter(code=code).exists():
        errors.setdefault("code", []).append(
            _("A task with code '%(code)s' already exists.") % {"code": code}
        )
    return errors


@transaction.atomic
def subtask_create(
    *,
    by: Any,
    parent: Task,
    title: str,
    lead_unit: Unit,
    deadline: dt.date,
    assignee: Staff | None = None,
    assigned_on: dt.date | None = None,
    weight: Decimal | int | str = 1,
    code: str = "",
    description: str = "",
    expected_product: str = "",
) -> Task:
    """A manager of the parent's lead unit delegates part of it to a division or person inside
    that unit's subtree. The sub-task is assigned from the parent's lead unit, inherits its
    document and priority, and cannot fall due after the parent's effective deadline."""
    with acting(actor=by):
        auth = _authority(by)
        parent = _locked_task(parent)
        if not auth.manages_lead_unit(parent):
            raise OutOfScope(_("Only a manager of the lead unit can delegate this task."))
        _require_open(parent)
        assigned_on = assigned_on or _today()
        task = Task(
            code=code,
            title=title,
            description=description,
            document_id=parent.document_id,
            parent=parent,
            lead_unit=lead_unit,
            assignee=assignee,
            assigner_unit_id=parent.lead_unit_id,
            assigned_by=by,
            assigned_on=assigned_on,
            deadline=deadline,
            priority=parent.priority,
            weight=rules.normal_weight(weight),
            expected_product=expected_product,
        )
        errors = _task_errors(task, assigner_unit=None, document=None, coordinating_units=[])
        if lead_unit.pk not in tree().subtree_on(parent.lead_unit_id, assigned_on):
            errors.setdefault("lead_unit", []).append(
                _("A sub-task goes to the lead unit or a unit under it.")
            )
        if assigned_on < parent.assigned_on:
            errors.setdefault("assigned_on", []).append(
                _("A sub-task cannot be assigned before its parent task.")
            )
        parent_deadline = _current_deadline(parent, _today())
        if deadline > parent_deadline:
            errors.setdefault("deadline", []).append(
                _("A sub-task cannot fall due after its parent task (%(date)s).")
                % {"date": parent_deadline.strftime("%d/%m/%Y")}
            )
        if errors:
            raise DomainError(next(iter(errors.values()))[0], field_errors=errors)
        task.code = code or _new_subtask_code(parent)
        _full_clean(task)
        writes.create(task)
        rollup_parent_progress(task)
        _announce(task, gettext_lazy("new sub-task assigned"))
        return task
