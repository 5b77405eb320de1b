"""Case events from a one-stop-shop system (hệ thống một cửa): received, step done, returned to
the applicant, completed.

Each event goes through the same services as the pages (`services.case_start`, `case_advance`,
`case_return`, `case_resubmit`), with the sending system in place of a person (`Sender`): the
system acts for the cases of its units, every other rule holds. An event is answered once: the
answer is stored with the sender's event id (`IntakeEvent`, unique per system) in the same
transaction as the change it made, so a repeat — even a concurrent one, which the unique
constraint stops — gets the first answer and changes nothing. A refused event is stored too,
with its explanation, so the repeat is refused the same way.

Refusals carry a stable `code`: `unknown_procedure`, `unknown_case`, `case_exists`,
`out_of_order` (older than the case's last event, or a step already done), `step_skipped`,
`not_in_force` (received before the procedure's approval or after its retirement),
`out_of_scope` (a unit the system does not send for), and the services' own codes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.context import acting
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org.tree import tree
from thenchot.processes import services
from thenchot.processes.choices import IntakeEventKind
from thenchot.processes.models import (
    Case,
    CaseStep,
    IntakeEvent,
    IntakeSystem,
    Process,
    ProcessStep,
)

Kind = IntakeEventKind


@dataclass(frozen=True)
class Answer:
    status_code: int
    body: dict[str, Any]
    accepted: bool
    duplicate: bool = False


class Refused(DomainError):
    """An event the intake itself refuses, before any service is asked."""

    def __init__(self, code: str, message: str, field: str | None = None, status: int = 400):
        super().__init__(message, field_errors={field: [message]} if field else None)
        self.code = code
        self.status = status


# -- tokens ---------------------------------------------------------------------------------------
def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(system: IntakeSystem) -> str:
    """A new token for `system` (the old one stops working); only its hash is kept, so this is
    the one time it can be read."""
    raw = secrets.token_hex(24)
    system.token_hash = hash_token(raw)
    system.save(update_fields=["token_hash"])
    return raw


def token_fingerprint(token_hash: str) -> str:
    """What the audit log keeps of a token: the start of its hash, enough to tell two tokens
    apart, never enough to find one."""
    return f"{token_hash[:8]}…" if token_hash else ""


def system_snapshot(system: IntakeSystem) -> dict[str, Any]:
    """The audit snapshot of a sending system, its token as a fingerprint only."""
    data = auditing.snapshot(system)
    data["token_hash"] = token_fingerprint(system.token_hash)
    return data


def _require_token_issuer(scope: Any, system: IntakeSystem) -> None:
    # A token acts for every unit of the system: whoever issues it must be able to write them.
    if scope is None:
        return
    units = list(system.units.values_list("pk", flat=True))
    if not getattr(scope, "can_write_org", False) or not all(
        scope.can_write_unit(u) for u in units
    ):
        raise OutOfScope(_("You cannot issue a token for the units %(system)s sends for.")
                         % {"system": system.name})  # fmt: skip


def system_issue_token(*, scope: Any, system: IntakeSystem, by: Any) -> str:
    """Issue a new token for `system` (its old one stops working at once): returned this once,
    stored as its SHA-256 only, audited with fingerprints of the old and new hashes."""
    with transaction.atomic(), acting(actor=by, reason="intake token issued"):
        system = IntakeSystem.objects.select_for_update().get(pk=system.pk)
        _require_token_issuer(scope, system)
        before = system_snapshot(system)
        raw = issue_token(system)
        auditing.record(
            system, action=auditing.UPDATE, before=before, after=system_snapshot(system)
        )
    return raw


def unusable_token_hash() -> str:
    """The hash of a token nobody is shown: a system saved without one sends nothing until a
    token is issued to it."""
    return hash_token(secrets.token_hex(32))


def system_for_token(raw: str) -> IntakeSystem | None:
    if not raw:
        return None
    return (
        IntakeSystem.objects.filter(token_hash=hash_token(raw), active=True)
        .select_related("user")
        .first()
    )


def sender_for(system: IntakeSystem, on: dt.date | None = None) -> services.Sender:
    """The system as a `Sender`: its units with their subtrees as of `on` (today)."""
    on = on or timezone.localdate()
    snap = tree()
    unit_ids: set[int] = set()
    for unit_id in system.units.values_list("pk", flat=True):
        unit_ids |= snap.subtree_on(unit_id, on)
    return services.Sender(name=system.name, unit_ids=frozenset(unit_ids))


# -- answers --------------------------------------------------------------------------------------
def _d(day: dt.date | None) -> str:
    return day.strftime("%d/%m/%Y") if day is not None else ""


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


def error_body(code: str, message: str, fields: dict[str, list[Any]]) -> dict[str, Any]:
    """The API's one error format (docs/api.md "Errors")."""
    return {
        "error": {
            "code": code,
            "message": message,
            "fields": {k: [str(m) for m in v] for k, v in fields.items()},
        }
    }


def _accepted(event: dict[str, Any], case: Case) -> dict[str, Any]:
    return {
        "id": event["id"],
        "type": event["type"],
        "status": "accepted",
        "case": case.code,
        "received_on": _iso(case.received_on),
        "first_received_on": _iso(case.first_received_on),
        "due_on": _iso(case.due_on),
        "current_step": case.current_position or None,
        "returned_on": _iso(case.returned_on),
        "completed_on": _iso(case.completed_on),
    }


# -- one event ------------------------------------------------------------------------------------
def receive(
    *,
    system: IntakeSystem,
    sender: services.Sender,
    event: dict[str, Any],
    known: dict[str, Answer] | None = None,
) -> Answer:
    """Apply one validated event (`api.serializers.IntakeEventSerializer`) and answer it; a
    repeat of its id gets the first answer. A batch passes `known`, the answers already stored
    for its ids (`stored_answers`, one query for the batch), which this keeps up to date."""
    stored = _stored(system, event["id"]) if known is None else known.get(event["id"])
    if stored is not None:
        return stored
    answer = _receive(system, sender, event)
    if known is not None and not answer.duplicate:
        known[event["id"]] = Answer(
            answer.status_code, answer.body, accepted=answer.accepted, duplicate=True
        )
    return answer


def stored_answers(system: IntakeSystem, event_ids: list[str]) -> dict[str, Answer]:
    """The answers already given to those of `event_ids` the system sent before."""
    rows = IntakeEvent.objects.filter(system=system, event_id__in=set(event_ids)).values_list(
        "event_id", "status_code", "response", "accepted"
    )
    return {r[0]: Answer(r[1], r[2], accepted=r[3], duplicate=True) for r in rows}


def _refusal(exc: DomainError, event: dict[str, Any]) -> Answer:
    code = "concurrent_update" if isinstance(exc, ConcurrentUpdate) else exc.code
    if event["type"] == Kind.RECEIVED and "received_on" in exc.field_errors:
        code = "not_in_force"  # services.check_received: before approval, after retirement
    status = 409 if isinstance(exc, ConcurrentUpdate) else exc.status
    return Answer(status, error_body(code, str(exc.message), exc.field_errors), accepted=False)


def _concurrent() -> Answer:
    message = _("The event conflicts with a change made at the same time; send it again.")
    return Answer(409, error_body("concurrent_update", message, {}), accepted=False)


def _reason(system: IntakeSystem, event: dict[str, Any]) -> str:
    return f"intake {system.code} {event['id']}"


def _receive(system: IntakeSystem, sender: services.Sender, event: dict[str, Any]) -> Answer:
    """One event in a transaction of its own, its answer stored in it."""
    case: Case | None = None
    try:
        with transaction.atomic():
            with acting(actor=system.user, source="api", reason=_reason(system, event)):
                case = _apply(system, sender, event, None)
            answer = Answer(201, _accepted(event, case), accepted=True)
            _event_row(system, event, case, answer).save(force_insert=True)
            return answer
    except DomainError as exc:
        answer = _refusal(exc, event)
    except IntegrityError:
        stored = _stored(system, event["id"])
        if stored is not None:
            return stored  # the same event, sent twice at once: the other one was first
        return _concurrent()
    try:
        with transaction.atomic():
            row = _event_row(system, event, _case_of(sender, event.get("case", "")), answer)
            row.save(force_insert=True)
    except IntegrityError:
        return _stored(system, event["id"]) or answer
    return answer


class _Fallback(Exception):
    """The batch's shared transaction met a concurrent writer: answer event by event."""


class Batch:
    """The events of one request, answered in order in ONE transaction (issue 13: 200 events/s):
    each event runs in a savepoint of its own, so a refused event changes nothing and the
    others stand; its answer is kept in memory and all answers are stored at the end, in the
    same transaction as the changes. The reads a batch shares are made once: the answers
    already given, which of its case codes exist, its procedures with their steps.

    When another sender's transaction got there first (an event id or a case code stored
    meanwhile: a unique constraint), the whole batch is rolled back and answered event by
    event (`_receive`), which settles each such conflict as it always did."""

    def __init__(
        self, system: IntakeSystem, sender: services.Sender, events: list[dict[str, Any]]
    ) -> None:
        self.system = system
        self.sender = sender
        self.events = events
        self.rows: list[IntakeEvent] = []
        self.known: dict[str, Answer] = {}
        self.codes: set[str] = set()
        self.procedures: dict[str, list[Process]] = {}

    def _prepare(self) -> None:
        received = [
            e for e in self.events if e["type"] == Kind.RECEIVED and e["id"] not in self.known
        ]
        case_codes = {e["case"] for e in received}
        self.codes = (
            set(Case.objects.filter(code__in=case_codes).order_by().values_list("code", flat=True))
            if case_codes
            else set()
        )
        self.procedures = _procedures({e["procedure"] for e in received})

    def answer(self) -> list[Answer]:
        self.known = stored_answers(self.system, [e["id"] for e in self.events])
        if all(e["id"] in self.known for e in self.events):
            return [self.known[e["id"]] for e in self.events]  # a repeat: one read
        try:
            with transaction.atomic(), services.audit_later() as lines:
                self._prepare()
                answers = [self._one(event, lines) for event in self.events]
                IntakeEvent.objects.bulk_create(self.rows)
                # The lines of every accepted event at once; each line keeps its request id.
                with acting(actor=self.system.user, source="api", reason=self._reason()):
                    auditing.record_many(lines)
            return answers
        except (_Fallback, IntegrityError):
            known = stored_answers(self.system, [e["id"] for e in self.events])
            return [receive(system=self.system, sender=self.sender, event=e, known=known)
                    for e in self.events]  # fmt: skip

    def _reason(self) -> str:
        ids = [e["id"] for e in self.events]
        return f"intake {self.system.code} {ids[0]}…{ids[-1]} ({len(ids)})"[:1000]

    def _one(self, event: dict[str, Any], lines: list[auditing.Change]) -> Answer:
        stored = self.known.get(event["id"])
        if stored is not None:
            return stored
        case: Case | None = None
        written = len(lines)
        try:
            # The event's savepoint, and the audit context of its lines.
            reason = _reason(self.system, event)
            with (
                transaction.atomic(),
                acting(actor=self.system.user, source="api", reason=reason),
            ):
                case = _apply(self.system, self.sender, event, self)
            answer = Answer(201, _accepted(event, case), accepted=True)
            if event["type"] == Kind.RECEIVED:
                self.codes.add(case.code)
        except DomainError as exc:
            del lines[written:]  # rolled back with the event's savepoint
            answer = _refusal(exc, event)
            case = _case_of(self.sender, event.get("case", ""))
        except IntegrityError as exc:
            raise _Fallback() from exc
        self.rows.append(_event_row(self.system, event, case, answer))
        self.known[event["id"]] = Answer(
            answer.status_code, answer.body, accepted=answer.accepted, duplicate=True
        )
        return answer


def receive_batch(
    *, system: IntakeSystem, sender: services.Sender, events: list[dict[str, Any]]
) -> list[Answer]:
    """Answer validated events in order (`Batch`)."""
    return Batch(system, sender, events).answer()


def _procedures(codes: set[str]) -> dict[str, list[Process]]:
    """Every version of the procedures `codes`, each with its steps (`_steps`), by code: two
    queries for a batch."""
    if not codes:
        return {}
    versions = list(Process.objects.filter(code__in=codes).order_by("code", "number"))
    steps: dict[int, list[ProcessStep]] = {}
    for step in ProcessStep.objects.filter(process__in=versions).order_by("position"):
        steps.setdefault(step.process_id, []).append(step)
    out: dict[str, list[Process]] = {}
    for version in versions:
        version._steps = steps.get(version.pk, [])  # type: ignore[attr-defined]
        out.setdefault(version.code, []).append(version)
    return out


def _stored(system: IntakeSystem, event_id: str) -> Answer | None:
    row = (
        IntakeEvent.objects.filter(system=system, event_id=event_id)
        .values_list("status_code", "response", "accepted")
        .first()
    )
    if row is None:
        return None
    return Answer(row[0], row[1], accepted=row[2], duplicate=True)


def _event_row(
    system: IntakeSystem, event: dict[str, Any], case: Case | None, answer: Answer
) -> IntakeEvent:
    return IntakeEvent(
        system=system,
        event_id=event["id"],
        kind=event["type"],
        case=case,
        case_code=event.get("case", "")[:60],
        on=event.get("on"),
        accepted=answer.accepted,
        status_code=answer.status_code,
        response=answer.body,
    )


def _case_of(sender: services.Sender, code: str) -> Case | None:
    """The case of that code among the system's units: one of another unit does not exist for
    it, as a record outside a reader's scope does not. The unit is checked here rather than in
    SQL: the code is unique, and a city-wide system's hundreds of units made the query ten
    times slower."""
    if not code:
        return None
    case = Case.objects.filter(code=code).first()
    return case if case is not None and case.unit_id in sender.unit_ids else None


def _locked_case(sender: services.Sender | None, code: str) -> tuple[Case, list[CaseStep]] | None:
    """The case of that code among the system's units (`_case_of`; any unit without `sender`:
    a receipt of a code that exists resubmits it or is refused), locked for the event, with its
    steps and their procedure steps: one query."""
    rows = list(
        CaseStep.objects.filter(case__code=code)
        .select_related("case", "case__process", "step")
        .select_for_update(of=("case",))
        .order_by("position")
    )
    if not rows:
        return None
    case = rows[0].case
    if sender is not None and case.unit_id not in sender.unit_ids:
        return None
    for row in rows:
        row.case = case
    return case, rows


def _last_event_on(case: Case, rows: list[CaseStep]) -> dt.date:
    """The date of the case's last event: its receipt, its return, the last step done (every
    accepted event, from the intake or the pages, leaves its date in one of them)."""
    dates = [case.received_on, case.returned_on, *(r.completed_on for r in rows)]
    return max(d for d in dates if d is not None)


def _apply(
    system: IntakeSystem, sender: services.Sender, event: dict[str, Any], batch: Batch | None
) -> Case:
    kind, on, code = event["type"], event["on"], event["case"]
    by = system.user
    if kind == Kind.RECEIVED:
        found = _locked_case(None, code) if batch is None or code in batch.codes else None
        if found is not None:
            return _resubmit(sender, by, found[0], found[1], on)
        process = _procedure(event["procedure"], on, event.get("version"), batch)
        return services.case_start_within(
            scope=None,  # type: ignore[arg-type]  # a sender takes the place of the scope
            by=by,
            process=process,
            received_on=on,
            applicant=event.get("applicant", ""),
            code=code,
            sender=sender,
            steps=getattr(process, "_steps", None),
            code_is_new=batch is not None,
        )
    found = _locked_case(sender, code)
    if found is None:
        raise Refused(
            "unknown_case",
            _("No case with code '%(value)s' was received from %(system)s.")
            % {"value": code, "system": system.name},
            "case",
        )
    case, rows = found
    _require_in_order(case, rows, on)
    if kind == Kind.RETURNED:
        return services.case_return(
            by=by,
            case=case,
            on=on,
            expected_version=case.version,
            reason=event.get("reason", ""),
            sender=sender,
        )
    last = len(rows)
    position = last if kind == Kind.COMPLETED else event["step"]
    if kind == Kind.COMPLETED and case.completed_on is None and case.current_position != last:
        raise Refused(
            "step_skipped",
            _(
                "Case %(case)s cannot be completed: step %(current)s of %(last)s is not done yet; no step may be skipped."
            )
            % {"case": case.code, "current": case.current_position, "last": last},
            "type",
        )
    if case.completed_on is None and case.returned_on is None and position > last:
        raise Refused(
            "unknown_step",
            _("Case %(case)s has %(last)s steps, not %(value)s.")
            % {"case": case.code, "last": last, "value": position},
            "step",
        )
    if (
        case.completed_on is None
        and case.returned_on is None
        and case.current_position > 0
        and position != case.current_position
    ):
        if position < case.current_position:
            raise Refused(
                "out_of_order",
                _("Step %(value)s of case %(case)s is already done; step %(current)s is current.")
                % {"value": position, "case": case.code, "current": case.current_position},
                "step",
            )
        raise Refused(
            "step_skipped",
            _(
                "Step %(value)s is not the current step of case %(case)s: step %(current)s is; no step may be skipped."
            )
            % {"value": position, "case": case.code, "current": case.current_position},
            "step",
        )
    return services.case_advance_within(
        by=by,
        case=case,
        position=position,
        on=on,
        expected_version=case.version,
        late_reason=event.get("late_reason", ""),
        apology_number=event.get("apology_number", ""),
        apology_on=event.get("apology_on"),
        sender=sender,
        held_by=event.get("held_by", ""),
        rows=rows,
    )


def _resubmit(
    sender: services.Sender, by: Any, case: Case, rows: list[CaseStep], on: dt.date
) -> Case:
    if case.unit_id not in sender.unit_ids or case.returned_on is None:
        raise Refused(
            "case_exists",
            _("Case %(case)s was already received, on %(date)s.")
            % {"case": case.code, "date": _d(case.received_on)},
            "case",
        )
    _require_in_order(case, rows, on)
    return services.case_resubmit(
        by=by, case=case, received_on=on, expected_version=case.version, sender=sender
    )


def _require_in_order(case: Case, rows: list[CaseStep], on: dt.date) -> None:
    """Events of a case come in the order they happened: none dated before the last one."""
    last = _last_event_on(case, rows)
    if on < last:
        raise Refused(
            "out_of_order",
            _(
                "The event is dated %(value)s, before the last event of case %(case)s (%(date)s): events must come in the order they happened."
            )
            % {"value": _d(on), "case": case.code, "date": _d(last)},
            "on",
        )


def _procedure(code: str, on: dt.date, number: int | None, batch: Batch | None) -> Process:
    """The version in force on `on` (or the one named). When none is, the nearest version is
    handed to the service, whose refusal says why (before its approval, after its retirement)."""
    versions = (
        batch.procedures.get(code, [])
        if batch is not None
        else list(Process.objects.filter(code=code).order_by("number"))
    )
    found: Process | None
    if number:
        found = next((v for v in versions if v.number == number), None)
    else:
        # The latest version in force; else the latest approved by then; else the first.
        approved = [v for v in versions if v.approved_on <= on]
        in_force = [v for v in approved if v.retired_on is None or v.retired_on > on]
        if in_force or approved:
            found = (in_force or approved)[-1]
        else:
            found = versions[0] if versions else None
    if found is None:
        raise Refused(
            "unknown_procedure",
            _("No procedure has code '%(value)s'.") % {"value": code}
            if not number
            else _("Procedure '%(value)s' has no version %(number)s.")
            % {"value": code, "number": number},
            "procedure",
        )
    return found
