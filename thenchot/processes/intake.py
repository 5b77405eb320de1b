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
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.org.tree import tree
from thenchot.processes import services
from thenchot.processes.choices import IntakeEventKind
from thenchot.processes.models import Case, CaseStep, IntakeEvent, IntakeSystem, Process
from thenchot.processes.selectors import version_in_force

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


def _receive(system: IntakeSystem, sender: services.Sender, event: dict[str, Any]) -> Answer:
    case: Case | None = None
    try:
        with transaction.atomic():
            with acting(
                actor=system.user, source="api", reason=f"intake {system.code} {event['id']}"
            ):
                case = _apply(system, sender, event)
            answer = Answer(201, _accepted(event, case), accepted=True)
            _store(system, event, case, answer)
            return answer
    except DomainError as exc:
        code = "concurrent_update" if isinstance(exc, ConcurrentUpdate) else exc.code
        if event["type"] == Kind.RECEIVED and "received_on" in exc.field_errors:
            code = "not_in_force"  # services.check_received: before approval, after retirement
        status = 409 if isinstance(exc, ConcurrentUpdate) else exc.status
        answer = Answer(
            status, error_body(code, str(exc.message), exc.field_errors), accepted=False
        )
    except IntegrityError:
        stored = _stored(system, event["id"])
        if stored is not None:
            return stored  # the same event, sent twice at once: the other one was first
        message = _("The event conflicts with a change made at the same time; send it again.")
        return Answer(409, error_body("concurrent_update", message, {}), accepted=False)
    try:
        with transaction.atomic():
            _store(system, event, _case_of(sender, event.get("case", "")), answer)
    except IntegrityError:
        return _stored(system, event["id"]) or answer
    return answer


def _stored(system: IntakeSystem, event_id: str) -> Answer | None:
    row = (
        IntakeEvent.objects.filter(system=system, event_id=event_id)
        .values_list("status_code", "response", "accepted")
        .first()
    )
    if row is None:
        return None
    return Answer(row[0], row[1], accepted=row[2], duplicate=True)


def _store(system: IntakeSystem, event: dict[str, Any], case: Case | None, answer: Answer) -> None:
    IntakeEvent.objects.create(
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


def _case_of(sender: services.Sender, code: str, *, lock: bool = False) -> Case | None:
    """The case of that code among the system's units: one of another unit does not exist for
    it, as a record outside a reader's scope does not. The unit is checked here rather than in
    SQL: the code is unique, and a city-wide system's hundreds of units made the query ten
    times slower. `lock`: read for update, as the services would (`case_advance(locked=True)`)."""
    if not code:
        return None
    cases = Case.objects.filter(code=code)
    if lock:
        cases = cases.select_for_update(of=("self",)).select_related("process")
    case = _with_facts(cases).first()
    return case if case is not None and case.unit_id in sender.unit_ids else None


def _with_facts(cases: Any) -> Any:
    """`cases` with what the intake checks beside the case, in the same query: the date of the
    last accepted event (`last_event_on`) and the number of steps (`last_position`)."""
    return cases.order_by("pk").annotate(
        last_event_on=Subquery(
            IntakeEvent.objects.filter(case_id=OuterRef("pk"), accepted=True)
            .order_by("-on")
            .values("on")[:1]
        ),
        last_position=Subquery(
            CaseStep.objects.filter(case_id=OuterRef("pk"))
            .order_by("-position")
            .values("position")[:1]
        ),
    )


def _apply(system: IntakeSystem, sender: services.Sender, event: dict[str, Any]) -> Case:
    kind, on, code = event["type"], event["on"], event["case"]
    by = system.user
    if kind == Kind.RECEIVED:
        existing = _with_facts(Case.objects.filter(code=code)).first()
        if existing is not None:
            return _resubmit(sender, by, existing, on)
        return services.case_start(
            scope=None,  # type: ignore[arg-type]  # a sender takes the place of the scope
            by=by,
            process=_procedure(event["procedure"], on, event.get("version")),
            received_on=on,
            applicant=event.get("applicant", ""),
            code=code,
            sender=sender,
        )
    case = _case_of(sender, code, lock=True)
    if case is None:
        raise Refused(
            "unknown_case",
            _("No case with code '%(value)s' was received from %(system)s.")
            % {"value": code, "system": system.name},
            "case",
        )
    _require_in_order(case, on)
    if kind == Kind.RETURNED:
        return services.case_return(
            by=by,
            case=case,
            on=on,
            expected_version=case.version,
            reason=event.get("reason", ""),
            sender=sender,
        )
    last = case.last_position or 0  # type: ignore[attr-defined]  # `_with_facts`
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
    return services.case_advance(
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
        locked=True,
    )


def _resubmit(sender: services.Sender, by: Any, case: Case, on: dt.date) -> Case:
    if case.unit_id not in sender.unit_ids or case.returned_on is None:
        raise Refused(
            "case_exists",
            _("Case %(case)s was already received, on %(date)s.")
            % {"case": case.code, "date": _d(case.received_on)},
            "case",
        )
    _require_in_order(case, on)
    return services.case_resubmit(
        by=by, case=case, received_on=on, expected_version=case.version, sender=sender
    )


def _require_in_order(case: Case, on: dt.date) -> None:
    """Events of a case come in the order they happened: none dated before the last one."""
    last_event = getattr(case, "last_event_on", None)  # `_with_facts`
    last = max(d for d in (last_event, case.received_on, case.returned_on) if d is not None)
    if on < last:
        raise Refused(
            "out_of_order",
            _(
                "The event is dated %(value)s, before the last event of case %(case)s (%(date)s): events must come in the order they happened."
            )
            % {"value": _d(on), "case": case.code, "date": _d(last)},
            "on",
        )


def _procedure(code: str, on: dt.date, number: int | None) -> Process:
    """The version in force on `on` (or the one named). When none is, the nearest version is
    handed to the service, whose refusal says why (before its approval, after its retirement)."""
    versions = Process.objects.filter(code=code)
    if number:
        found = versions.filter(number=number).first()
    else:
        found = (
            version_in_force(code, on)
            or versions.filter(approved_on__lte=on).order_by("-number").first()
            or versions.order_by("number").first()
        )
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
