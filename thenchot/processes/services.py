"""Writes of the procedure registry and of cases. Every write re-checks the writer's scope inside
its transaction, validates, writes with optimistic concurrency and is audited.

Versions: a procedure is keyed by (code, version). A new version is a new record approved on its
own date; the version it replaces retires on that date, and the cases started on it keep their
steps and due dates. A retired procedure is frozen, and so are the steps of a version that has
cases (a change would rewrite the rules those cases started under): both take a new version.

Cases (rules.md "Working days"): received on D with steps of N1, N2, ... working days, the case
is due at the end of the (N1 + N2 + ...)-th working day after D; each step is due N working days
after the previous step's completion (the default of rules.md), so the later steps' dates are
provisional (chained from the previous due date) until the step before them is done.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Required, TypedDict, Unpack

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.core import auditing
from thenchot.core.auditing import Change
from thenchot.core.calendar import WorkingCalendar
from thenchot.core.concurrency import save_versioned
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.sequences import next_code
from thenchot.core.services import full_clean, refuse
from thenchot.directives.services import store_upload
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.processes.choices import DocumentKind, Level
from thenchot.processes.models import (
    Case,
    CaseReturn,
    CaseStep,
    Process,
    ProcessDocument,
    ProcessStep,
    process_search_text,
)
from thenchot.processes.selectors import can_manage, can_start_case, is_responsible
from thenchot.processes.workdays import calendar, due_after

PROCESS_FIELDS = ["name", "level", "decision_number", "approved_on"]

# The calendar a batch of writes shares (`one_calendar`), so a batch of intake events reads the
# holiday table's counter once rather than once per event (issue 13).
_batch_calendar: ContextVar[WorkingCalendar | None] = ContextVar(
    "processes_batch_calendar", default=None
)


@contextlib.contextmanager
def one_calendar() -> Iterator[WorkingCalendar]:
    """Compute every due date of the block on the calendar as it is now. A holiday changed
    meanwhile is caught up by the recompute job its change enqueues (`processes.jobs`)."""
    cal = calendar()
    token = _batch_calendar.set(cal)
    try:
        yield cal
    finally:
        _batch_calendar.reset(token)


def _calendar() -> WorkingCalendar:
    return _batch_calendar.get() or calendar()


# The audit lines of a batch's case writes, when the batch writes them itself at its end in its
# own transaction (`audit_later`): one statement for a batch of intake events, not one per
# event (issue 13).
_audit_buffer: ContextVar[list[Change] | None] = ContextVar("processes_audit_buffer", default=None)


@contextlib.contextmanager
def audit_later() -> Iterator[list[Change]]:
    """Collect the audit lines of the case writes of the block instead of writing them: the
    caller writes them (`auditing.record_many`) before its transaction commits, and drops
    those of a write it rolls back."""
    buffer: list[Change] = []
    token = _audit_buffer.set(buffer)
    try:
        yield buffer
    finally:
        _audit_buffer.reset(token)


def _audit(changes: Iterable[Change]) -> None:
    buffer = _audit_buffer.get()
    if buffer is None:
        auditing.record_many(changes)
    else:
        buffer.extend(changes)


def _clean_written(instance: Any, fields: Sequence[str]) -> None:
    """`full_clean` of the fields a write sets, the others excluded: they were validated when
    written and have not changed, and re-validating them costs a query per foreign key and a
    savepoint and query per check constraint (issue 13: intake at 200 events/s). Its one caller
    (a step moved) checks the dates the check constraints name itself; the database
    constraints still hold every row."""
    written = set(fields)
    full_clean(
        instance,
        exclude=[f.name for f in instance._meta.concrete_fields if f.name not in written],
        validate_constraints=False,
    )


@dataclass(frozen=True)
class Sender:
    """A one-stop-shop system acting instead of a person (`processes.intake`): it receives and
    moves the cases of `unit_ids` (its units with their subtrees), and every other rule holds."""

    name: str
    unit_ids: frozenset[int]


def _require_sender(sender: Sender, unit_id: int) -> None:
    if unit_id not in sender.unit_ids:
        info = tree().units.get(unit_id)
        raise OutOfScope(
            _("%(system)s does not send cases of %(unit)s.")
            % {"system": sender.name, "unit": getattr(info, "code", unit_id)}
        )


@dataclass(frozen=True)
class StepSpec:
    name: str
    days: int
    responsible_unit_id: int | None = None
    responsible_role: str = ""


def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


def _not_before(day: dt.date, floor: dt.date, message: str, field: str, **params: Any) -> None:
    """Refuse `day` before `floor`: `message` names them as %(value)s and %(date)s."""
    if day < floor:
        raise refuse(message % {"value": _d(day), "date": _d(floor), **params}, field)


def snap(instance: Any) -> dict[str, Any]:
    """The audit snapshot without the derived search column."""
    data = auditing.snapshot(instance)
    data.pop("search_text", None)
    return data


# -- checks ---------------------------------------------------------------------------------------
def check_steps(steps: Sequence[StepSpec]) -> None:
    """At least one step; every limit a whole number of working days above zero; known roles."""
    if not steps:
        raise refuse(_("A procedure needs at least one step."), "steps")
    for index, step in enumerate(steps, start=1):
        if not step.name.strip():
            raise refuse(_("Step %(n)s has no name.") % {"n": index}, "steps")
        if isinstance(step.days, bool) or not isinstance(step.days, int) or step.days <= 0:
            raise refuse(
                _(
                    "Step %(n)s: '%(value)s' is not a valid limit; a step takes at least one working day."
                )
                % {"n": index, "value": step.days},
                "steps",
            )
        if step.responsible_role and step.responsible_role not in Role.values:
            raise refuse(
                _("Step %(n)s: '%(value)s' is not a role.")
                % {"n": index, "value": step.responsible_role},
                "steps",
            )


def _require_manage(scope: Scope, unit_id: int) -> None:
    if not can_manage(scope, unit_id):
        raise OutOfScope(_("You cannot manage the procedures of this unit."))


def _require_not_retired(process: Process) -> None:
    if process.retired_on is not None:
        raise DomainError(
            _(
                "Procedure %(code)s version %(version)s was retired on %(date)s and cannot be changed."
            )
            % {"code": process.code, "version": process.number, "date": _d(process.retired_on)}
        )


def _check_level(level: str) -> None:
    if level not in Level.values:
        raise refuse(_("'%(value)s' is not a level.") % {"value": level}, "level")


def _write_steps(process: Process, steps: Sequence[StepSpec]) -> Iterator[Change]:
    for old in process.steps.all():
        yield Change(old, auditing.DELETE, snap(old), None)
    process.steps.all().delete()
    for position, spec in enumerate(steps, start=1):
        step = ProcessStep.objects.create(
            process=process,
            position=position,
            name=spec.name.strip(),
            responsible_unit_id=spec.responsible_unit_id,
            responsible_role=spec.responsible_role,
            days=spec.days,
        )
        yield Change(step, auditing.CREATE, None, snap(step))
    process.total_days = sum(s.days for s in steps)


# -- procedures -----------------------------------------------------------------------------------
@transaction.atomic
def process_create(
    *,
    scope: Scope,
    by: Any,
    code: str,
    name: str,
    level: str,
    owner_unit: Unit,
    approved_on: dt.date,
    steps: Sequence[StepSpec],
    decision_number: str = "",
) -> Process:
    """Register version 1 of a procedure."""
    with acting(actor=by):
        _require_manage(scope, owner_unit.pk)
        _check_level(level)
        check_steps(steps)
        code = code.strip()
        if Process.objects.filter(code=code).exists():
            raise refuse(
                _("A procedure with code '%(code)s' already exists: approve a new version of it.")
                % {"code": code},
                "code",
            )
        return _write_version(
            Process(
                code=code,
                number=1,
                name=name.strip(),
                level=level,
                owner_unit=owner_unit,
                decision_number=decision_number.strip(),
                approved_on=approved_on,
                created_by=by if getattr(by, "pk", None) else None,
            ),
            steps,
        )


def _write_version(process: Process, steps: Sequence[StepSpec]) -> Process:
    """Validate and save a new version with its steps (its total kept in step), audited."""
    full_clean(process)
    process.save()
    changes = list(_write_steps(process, steps))
    process.save(update_fields=["total_days"])
    auditing.record(process, action=auditing.CREATE, after=snap(process))
    auditing.record_many(changes)
    return process


@transaction.atomic
def process_new_version(
    *,
    scope: Scope,
    by: Any,
    previous: Process,
    approved_on: dt.date,
    steps: Sequence[StepSpec],
    name: str | None = None,
    decision_number: str = "",
) -> Process:
    """Approve the next version of `previous`'s procedure on `approved_on`; the version in force
    until then retires on that date. Cases already started keep their version."""
    with acting(actor=by):
        _require_manage(scope, previous.owner_unit_id)
        check_steps(steps)
        latest = (
            Process.objects.select_for_update()
            .filter(code=previous.code)
            .order_by("-number")
            .first()
        )
        assert latest is not None
        if approved_on <= latest.approved_on:
            raise refuse(
                _(
                    "The new version must be approved after %(date)s, the approval of version %(version)s."
                )
                % {"date": _d(latest.approved_on), "version": latest.number},
                "approved_on",
            )
        number = (
            Process.objects.filter(code=previous.code).aggregate(m=Max("number"))["m"] or 0
        ) + 1
        process = _write_version(
            Process(
                code=latest.code,
                number=number,
                name=(name or latest.name).strip(),
                level=latest.level,
                owner_unit_id=latest.owner_unit_id,
                decision_number=decision_number.strip(),
                approved_on=approved_on,
                created_by=by if getattr(by, "pk", None) else None,
            ),
            steps,
        )
        if latest.retired_on is None or latest.retired_on > approved_on:
            before = snap(latest)
            latest.retired_on = approved_on
            save_versioned(latest, expected_version=latest.version, fields=["retired_on"])
            auditing.record(latest, action=auditing.UPDATE, before=before, after=snap(latest))
        return process


@transaction.atomic
def process_update(
    *,
    scope: Scope,
    by: Any,
    process: Process,
    expected_version: int,
    name: str,
    level: str,
    approved_on: dt.date,
    decision_number: str = "",
    steps: Sequence[StepSpec] | None = None,
) -> Process:
    """Correct a procedure in force. Refused once retired; its steps, once it has cases."""
    with acting(actor=by):
        process = Process.objects.select_for_update().get(pk=process.pk)
        _require_manage(scope, process.owner_unit_id)
        _require_not_retired(process)
        _check_level(level)
        before = snap(process)
        changes: list[Change] = []
        if steps is not None:
            check_steps(steps)
            current = [
                StepSpec(s.name, s.days, s.responsible_unit_id, s.responsible_role)
                for s in process.steps.order_by("position")
            ]
            if list(steps) != current:
                if process.cases.exists():
                    raise DomainError(
                        _(
                            "Cases were started on version %(version)s of %(code)s: approve a new version to change its steps."
                        )
                        % {"version": process.number, "code": process.code}
                    )
                changes = list(_write_steps(process, steps))
        if process.cases.filter(received_on__lt=approved_on).exists():
            raise refuse(
                _("Cases were received before %(date)s on this version.")
                % {"date": _d(approved_on)},
                "approved_on",
            )
        process.name = name.strip()
        process.level = level
        process.approved_on = approved_on
        process.decision_number = decision_number.strip()
        full_clean(process)
        process.search_text = process_search_text(process.code, process.name)
        save_versioned(
            process,
            expected_version=expected_version,
            fields=[*PROCESS_FIELDS, "total_days", "search_text"],
        )
        auditing.record(process, action=auditing.UPDATE, before=before, after=snap(process))
        auditing.record_many(changes)
        return process


@transaction.atomic
def process_retire(
    *, scope: Scope, by: Any, process: Process, retired_on: dt.date, expected_version: int
) -> Process:
    with acting(actor=by):
        process = Process.objects.select_for_update().get(pk=process.pk)
        _require_manage(scope, process.owner_unit_id)
        _require_not_retired(process)
        _not_before(
            retired_on,
            process.approved_on,
            _("'%(value)s' is before the approval on %(date)s."),
            "retired_on",
        )
        later = process.cases.filter(received_on__gte=retired_on).order_by("received_on").first()
        if later is not None:
            raise refuse(
                _("Case %(case)s was received on %(date)s, on or after that date.")
                % {"case": later.code, "date": _d(later.received_on)},
                "retired_on",
            )
        before = snap(process)
        process.retired_on = retired_on
        save_versioned(process, expected_version=expected_version, fields=["retired_on"])
        auditing.record(process, action=auditing.UPDATE, before=before, after=snap(process))
        return process


@transaction.atomic
def process_attach(
    *, scope: Scope, by: Any, process: Process, kind: str, file: UploadedFile
) -> ProcessDocument:
    """Attach an ISO form or record; type and size are checked as for a document's attachments
    (`directives.services.validate_upload`: PDF, DOCX, XLSX, JPG, PNG up to 20 MB)."""
    with acting(actor=by):
        process = Process.objects.select_for_update().get(pk=process.pk)
        _require_manage(scope, process.owner_unit_id)
        _require_not_retired(process)
        if kind not in DocumentKind.values:
            raise refuse(_("'%(value)s' is not a kind of document.") % {"value": kind}, "kind")
        return store_upload(ProcessDocument, file, by=by, snap=snap, process=process, kind=kind)


# -- cases ----------------------------------------------------------------------------------------
def check_received(process: Process, received_on: dt.date) -> None:
    """A case is received while its version is in force: not before its approval, not on or
    after its retirement."""
    _not_before(
        received_on,
        process.approved_on,
        _("'%(value)s' is before procedure %(code)s version %(version)s was approved (%(date)s)."),
        "received_on",
        code=process.code,
        version=process.number,
    )
    if process.retired_on is not None and received_on >= process.retired_on:
        raise refuse(
            _(
                "'%(value)s' is on or after procedure %(code)s version %(version)s was retired (%(date)s)."
            )
            % {
                "value": _d(received_on),
                "code": process.code,
                "version": process.number,
                "date": _d(process.retired_on),
            },
            "received_on",
        )


def plan_steps(
    received_on: dt.date,
    days: Sequence[int],
    completions: Sequence[dt.date | None],
    cal: WorkingCalendar,
) -> list[tuple[dt.date | None, dt.date]]:
    """(started on, due on) of each step: a step starts when the previous one is completed (the
    first on the day received) and is due `days` working days later; a step not yet started is
    planned from the previous step's due date."""
    out: list[tuple[dt.date | None, dt.date]] = []
    start: dt.date | None = received_on
    anchor = received_on
    for index, n in enumerate(days):
        due = due_after(anchor, n, cal)
        out.append((start, due))
        done = completions[index] if index < len(completions) else None
        if done is not None:
            start, anchor = done, done
        else:
            start, anchor = None, due
    return out


class Receipt(TypedDict, total=False):
    """What receiving a case says, as `case_start_within` takes it."""

    scope: Required[Scope]
    by: Required[Any]
    received_on: Required[dt.date]
    applicant: str
    code: str
    sender: Sender | None


@transaction.atomic
def case_start(*, process: Process, **receipt: Unpack[Receipt]) -> Case:
    """Receive a case on `received_on` under the procedure version `process`."""
    return case_start_within(process=Process.objects.get(pk=process.pk), **receipt)


def case_start_within(
    *,
    scope: Scope,
    by: Any,
    process: Process,
    received_on: dt.date,
    applicant: str = "",
    code: str = "",
    sender: Sender | None = None,
    steps: Sequence[ProcessStep] | None = None,
    code_is_new: bool = False,
) -> Case:
    """`case_start` inside the caller's transaction (no savepoint of its own: the intake runs
    each event in one, issue 13), on `process` as read by the caller. `steps`: the version's
    steps, read by the caller; `code_is_new`: the caller has checked no case has `code` (the
    unique constraint still holds)."""
    with acting(actor=by):
        if sender is not None:
            _require_sender(sender, process.owner_unit_id)
        elif not can_start_case(scope, by, process):
            raise OutOfScope(_("You cannot receive cases of this unit's procedures."))
        check_received(process, received_on)
        steps = list(process.steps.order_by("position")) if steps is None else list(steps)
        if not steps:
            raise DomainError(_("This procedure has no steps."))
        cal = _calendar()
        code = code.strip() or next_code(Case, f"HS-{received_on.year}-", width=6)
        if not code_is_new and Case.objects.filter(code=code).exists():
            raise refuse(_("A case with code '%(code)s' already exists.") % {"code": code}, "code")
        case = Case(
            code=code,
            process=process,
            unit_id=process.owner_unit_id,
            applicant=applicant.strip(),
            received_on=received_on,
            due_on=due_after(received_on, sum(s.days for s in steps), cal),
            current_position=1,
            created_by=by if getattr(by, "pk", None) else None,
        )
        # The foreign keys were just read (`process`, its owner unit, the acting user) and the
        # due date is computed after the receipt: only the entered values are validated.
        full_clean(case, exclude=["process", "unit", "created_by", "due_on", "completed_on"])
        case.save()
        plan = plan_steps(received_on, [s.days for s in steps], [], cal)
        rows = [
            CaseStep(case=case, step=s, position=s.position, started_on=start, due_on=due)
            for s, (start, due) in zip(steps, plan, strict=True)
        ]
        CaseStep.objects.bulk_create(rows)
        _audit([Change(case, auditing.CREATE, None, snap(case))])
        return case


def _full_name(user: Any) -> str:
    staff = getattr(user, "staff", None) if user is not None else None
    try:
        name = staff.full_name if staff is not None else ""
    except Exception:
        name = ""
    return str(
        name or getattr(user, "get_full_name", lambda: "")() or getattr(user, "username", "")
    )


def _check_delay(
    case: Case, on: dt.date, late_reason: str, apology_number: str, apology_on: dt.date | None
) -> None:
    """One-stop-shop practice: a case finished after its due date carries the reason for the
    delay and the apology letter sent to the applicant."""
    if on <= case.due_on:
        return
    reason = late_reason.strip() or case.late_reason
    number = apology_number.strip() or case.apology_number
    letter_on = apology_on or case.apology_on
    if not reason or not number or letter_on is None:
        raise DomainError(
            _(
                "Case %(case)s was due on %(due)s and is finished on %(date)s: record the reason for the delay and the apology letter (number and date)."
            )
            % {"case": case.code, "due": _d(case.due_on), "date": _d(on)},
            field_errors={
                name: [_("Required for a late case.")]
                for name, value in (
                    ("late_reason", reason),
                    ("apology_number", number),
                    ("apology_on", letter_on),
                )
                if not value
            },
        )


class Advance(TypedDict, total=False):
    """What finishing a step says, as `case_advance_within` takes it."""

    by: Required[Any]
    position: Required[int]
    on: Required[dt.date]
    expected_version: Required[int]
    late_reason: str
    apology_number: str
    apology_on: dt.date | None
    sender: Sender | None
    held_by: str


@transaction.atomic
def case_advance(*, case: Case, locked: bool = False, **advance: Unpack[Advance]) -> Case:
    """Finish step `position` of `case` on `on` and hand it to the next step (or complete the
    case). Only the current step, and only by the people responsible for it (or a sending
    system of the case's unit, which names who held the step in `held_by`). `locked`: the
    caller read `case` with `select_for_update` in the enclosing transaction (the intake does,
    with what it checks), so it is not read again."""
    if not locked:
        case = Case.objects.select_for_update().select_related("process").get(pk=case.pk)
    return case_advance_within(case=case, **advance)


def case_advance_within(
    *,
    by: Any,
    case: Case,
    position: int,
    on: dt.date,
    expected_version: int,
    late_reason: str = "",
    apology_number: str = "",
    apology_on: dt.date | None = None,
    sender: Sender | None = None,
    held_by: str = "",
    rows: Sequence[CaseStep] | None = None,
) -> Case:
    """`case_advance` inside the caller's transaction, on `case` as the caller locked it (no
    savepoint of its own: the intake runs each event in one, issue 13). `rows`: the case's
    steps with their procedure steps, in order, read by the caller in the same query."""
    with acting(actor=by):
        if case.completed_on is not None:
            raise DomainError(
                _("Case %(case)s was completed on %(date)s.")
                % {"case": case.code, "date": _d(case.completed_on)}
            )
        _require_not_returned(case)
        if position != case.current_position:
            raise refuse(
                _(
                    "Step %(value)s is not the current step of case %(case)s: step %(current)s is; no step may be skipped."
                )
                % {"value": position, "case": case.code, "current": case.current_position},
                "position",
            )
        if rows is None:
            rows = list(case.steps.select_related("step").order_by("position"))
        row = rows[position - 1]
        if sender is not None:
            _require_sender(sender, case.unit_id)
        elif not is_responsible(by, case, row.step, on):
            raise OutOfScope(
                _("%(name)s is not responsible for step %(n)s (%(step)s) of case %(case)s.")
                % {
                    "name": _full_name(by),
                    "n": position,
                    "step": row.step.name,
                    "case": case.code,
                }
            )
        if row.started_on is not None:
            _not_before(
                on, row.started_on, _("'%(value)s' is before the step started (%(date)s)."), "on"
            )
        last = position == len(rows)
        if last:
            _check_delay(case, on, late_reason, apology_number, apology_on)
        before = snap(case)
        changes: list[Change] = []
        row_before = snap(row)
        row.completed_on = on
        row.completed_by = by if getattr(by, "pk", None) else None
        row.held_by_name = (held_by.strip() or (sender.name if sender else _full_name(by)))[:200]
        changes.append(Change(row, auditing.UPDATE, row_before, snap(row)))
        changes.extend(_replan(case, rows, _calendar()))
        for change in changes:
            _save_changed(change)
        if last:
            case.completed_on = on
            case.current_position = 0
        else:
            case.current_position = position + 1
        if late_reason.strip():
            case.late_reason = late_reason.strip()
        if apology_number.strip():
            case.apology_number = apology_number.strip()
        if apology_on is not None:
            case.apology_on = apology_on
        fields = ["completed_on", "current_position", "late_reason", "apology_number", "apology_on"]
        # `on` is not before the step's start, itself not before the receipt: the check
        # constraint on `completed_on` holds without the query validating it.
        _clean_written(case, fields)
        save_versioned(case, expected_version=expected_version, fields=fields)
        _audit([Change(case, auditing.UPDATE, before, snap(case)), *changes])
        return case


def _save_changed(change: Change) -> None:
    """UPDATE the fields `change` moved, and those only (cheaper than `save` or `bulk_update`
    on the intake's path, issue 13)."""
    row = change.instance
    values = {name: getattr(row, name) for name in auditing.diff(change.before, change.after)}
    if values:
        type(row)._base_manager.filter(pk=row.pk).update(**values)


def _replan(case: Case, rows: Sequence[CaseStep], cal: WorkingCalendar) -> Iterator[Change]:
    """Move the started and due dates of the steps after a completion (Changes yielded; the
    caller saves the rows)."""
    plan = plan_steps(
        case.received_on, [r.step.days for r in rows], [r.completed_on for r in rows], cal
    )
    for row, (start, due) in zip(rows, plan, strict=True):
        if row.completed_on is not None and row.due_on is not None:
            continue  # a finished step keeps the due date it was held to
        if (row.started_on, row.due_on) != (start, due):
            before = snap(row)
            row.started_on, row.due_on = start, due
            yield Change(row, auditing.UPDATE, before, snap(row))


@transaction.atomic
def case_explain_delay(
    *,
    scope: Scope,
    by: Any,
    case: Case,
    expected_version: int,
    late_reason: str,
    apology_number: str,
    apology_on: dt.date | None,
) -> Case:
    """Record why a case is late and the apology letter sent, before or after it is finished."""
    with acting(actor=by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not (scope.can_read_unit(case.unit_id) or can_manage(scope, case.unit_id)):
            raise OutOfScope()
        if not late_reason.strip():
            raise refuse(_("Give the reason for the delay."), "late_reason")
        before = snap(case)
        case.late_reason = late_reason.strip()
        case.apology_number = apology_number.strip()
        case.apology_on = apology_on
        full_clean(case)
        save_versioned(
            case,
            expected_version=expected_version,
            fields=["late_reason", "apology_number", "apology_on"],
        )
        auditing.record(case, action=auditing.UPDATE, before=before, after=snap(case))
        return case


# -- returned to the applicant --------------------------------------------------------------------
def _require_not_returned(case: Case) -> None:
    if case.returned_on is not None:
        raise DomainError(
            _("Case %(case)s was returned to the applicant on %(date)s and is not resubmitted.")
            % {"case": case.code, "date": _d(case.returned_on)}
        )


@transaction.atomic
def case_return(
    *,
    by: Any,
    case: Case,
    on: dt.date,
    expected_version: int,
    reason: str = "",
    sender: Sender | None = None,
) -> Case:
    """Send an open case back to the applicant for missing papers on `on`: it waits off the
    clock until resubmitted (`case_resubmit`)."""
    with acting(actor=by):
        case = Case.objects.select_for_update().get(pk=case.pk)
        if sender is not None:
            _require_sender(sender, case.unit_id)
        else:
            row = case.steps.select_related("step").filter(position=case.current_position).first()
            if row is None or not is_responsible(by, case, row.step, on):
                raise OutOfScope(_("You cannot return this case."))
        if case.completed_on is not None:
            raise DomainError(
                _("Case %(case)s was completed on %(date)s.")
                % {"case": case.code, "date": _d(case.completed_on)}
            )
        _require_not_returned(case)
        _not_before(
            on, case.received_on, _("'%(value)s' is before the case was received (%(date)s)."), "on"
        )
        before = snap(case)
        entry = CaseReturn(
            case=case, received_on=case.received_on, returned_on=on, reason=reason.strip()
        )
        full_clean(entry)
        entry.save()
        case.returned_on = on
        case.first_received_on = case.first_received_on or case.received_on
        save_versioned(
            case, expected_version=expected_version, fields=["returned_on", "first_received_on"]
        )
        _audit(
            [
                Change(case, auditing.UPDATE, before, snap(case)),
                Change(entry, auditing.CREATE, None, snap(entry)),
            ]
        )
        return case


@transaction.atomic
def case_resubmit(
    *,
    by: Any,
    case: Case,
    received_on: dt.date,
    expected_version: int,
    scope: Scope | None = None,
    sender: Sender | None = None,
) -> Case:
    """The applicant resubmits a returned case on `received_on`: the case starts again from
    that receipt on the same procedure version (which must still be in force), every step
    again from the first; the earlier receipt stays in its `CaseReturn`."""
    with acting(actor=by):
        case = Case.objects.select_for_update().select_related("process").get(pk=case.pk)
        if sender is not None:
            _require_sender(sender, case.unit_id)
        elif scope is None or not can_start_case(scope, by, case.process):
            raise OutOfScope(_("You cannot receive cases of this unit's procedures."))
        if case.returned_on is None:
            raise DomainError(
                _("Case %(case)s was received on %(date)s and not returned to the applicant.")
                % {"case": case.code, "date": _d(case.received_on)}
            )
        _not_before(
            received_on,
            case.returned_on,
            _("'%(value)s' is before the case was returned (%(date)s)."),
            "received_on",
        )
        check_received(case.process, received_on)
        cal = _calendar()
        rows = list(case.steps.select_related("step").order_by("position"))
        before = snap(case)
        changes: list[Change] = []
        plan = plan_steps(received_on, [r.step.days for r in rows], [], cal)
        for row, (start, due) in zip(rows, plan, strict=True):
            row_before = snap(row)
            row.started_on, row.due_on = start, due
            row.completed_on, row.completed_by, row.held_by_name = None, None, ""
            changes.append(Change(row, auditing.UPDATE, row_before, snap(row)))
        CaseStep.objects.bulk_update(
            rows, ["started_on", "due_on", "completed_on", "completed_by", "held_by_name"]
        )
        CaseReturn.objects.filter(case=case, resubmitted_on__isnull=True).update(
            resubmitted_on=received_on
        )
        case.received_on = received_on
        case.due_on = due_after(received_on, sum(r.step.days for r in rows), cal)
        case.current_position = 1
        case.returned_on = None
        full_clean(case)
        save_versioned(
            case,
            expected_version=expected_version,
            fields=["received_on", "due_on", "current_position", "returned_on"],
        )
        _audit([Change(case, auditing.UPDATE, before, snap(case)), *changes])
        return case


# -- the calendar changed -------------------------------------------------------------------------
def recompute_due_dates(
    *, case_ids: Iterable[int], cal: WorkingCalendar | None = None, reason: str = ""
) -> int:
    """Recompute the due dates of the given open cases and their unfinished steps on the
    current calendar (a holiday added or removed); finished steps keep theirs. Written in bulk,
    audited in one batch. Returns the number of cases whose due date moved."""
    cal = cal or calendar()
    cases = list(
        Case.objects.filter(pk__in=list(case_ids), completed_on__isnull=True).order_by("pk")
    )
    if not cases:
        return 0
    steps: dict[int, list[CaseStep]] = {}
    for row in (
        CaseStep.objects.filter(case_id__in=[c.pk for c in cases])
        .select_related("step")
        .order_by("case_id", "position")
    ):
        steps.setdefault(row.case_id, []).append(row)
    changes: list[Change] = []
    moved_cases: list[Case] = []
    moved_steps: list[CaseStep] = []
    for case in cases:
        rows = steps.get(case.pk, [])
        due = due_after(case.received_on, sum(r.step.days for r in rows), cal)
        if due != case.due_on:
            before = snap(case)
            case.due_on = due
            case.version += 1
            moved_cases.append(case)
            changes.append(Change(case, auditing.UPDATE, before, snap(case)))
        plan = plan_steps(
            case.received_on, [r.step.days for r in rows], [r.completed_on for r in rows], cal
        )
        for row, (start, step_due) in zip(rows, plan, strict=True):
            if row.completed_on is None and (row.started_on, row.due_on) != (start, step_due):
                before = snap(row)
                row.started_on, row.due_on = start, step_due
                moved_steps.append(row)
                changes.append(Change(row, auditing.UPDATE, before, snap(row)))
    with transaction.atomic():
        Case.objects.bulk_update(moved_cases, ["due_on", "version"], batch_size=1000)
        CaseStep.objects.bulk_update(moved_steps, ["started_on", "due_on"], batch_size=1000)
        auditing.record_many(changes, reason=reason or None)
    return len(moved_cases)
