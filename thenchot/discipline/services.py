"""Writes to discipline cases and decisions: audited, scope re-checked inside the transaction.

Decided and dropped cases are closed: their facts (detection, pauses, extension) no longer
change. Nothing is kept for a contract worker (rules.md Settled point 12). Decisions are refused
when the form is not allowed for the person's category and post on the decision date
(`rules.judge_form`; the post is a headship covering that date, else the staff record's flag,
Settled point 13), when they would take effect before they were
decided, or when they are lighter than a decision on another act still running requires
(Decree 172/2025: one level heavier, `rules.repeat_minimum`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing, sequences, writes
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.services import require_new_code
from thenchot.discipline import rules
from thenchot.discipline.choices import CaseStatus, DisciplineForm, PauseReason, Track
from thenchot.discipline.labels import basis_label
from thenchot.discipline.models import CasePause, DisciplineCase, DisciplineDecision
from thenchot.discipline.selectors import (
    can_write_discipline,
    headships_of,
    leader_status,
    past_decisions,
)
from thenchot.people.choices import StaffCategory
from thenchot.people.models import Staff


def _require_writer(scope: Scope, staff: Staff) -> None:
    if not can_write_discipline(scope, staff):
        raise OutOfScope()


def _locked_staff(staff: Staff) -> Staff:
    # Re-read inside the transaction: the scope check sees the person's unit as it is now.
    return Staff.objects.select_for_update().get(pk=staff.pk)


def _require_disciplinable(staff: Staff) -> None:
    if not rules.disciplinable(staff.category):
        raise DomainError(
            contract_worker_message(name=staff.full_name, code=staff.code, form=None, on=None),
            field_errors={"staff": [_("No discipline form applies to a contract worker.")]},
        )


def _require_open(case: DisciplineCase) -> None:
    if case.status != CaseStatus.OPEN:
        raise DomainError(_("This case is closed; its record can no longer change."))


def next_code(prefix: str, model: type[DisciplineCase] | type[DisciplineDecision]) -> str:
    # Counting the series' codes handed two concurrent openings the same number (and a deleted
    # case made the count repeat one): the shared series locks and takes the highest + 1.
    return sequences.next_code(model, prefix, width=4)


@transaction.atomic
def case_open(
    *,
    scope: Scope,
    staff: Staff,
    detected_on: dt.date,
    summary: str,
    violation_on: dt.date | None = None,
    violation: str = "",
    code: str | None = None,
) -> DisciplineCase:
    staff = _locked_staff(staff)
    _require_writer(scope, staff)
    _require_disciplinable(staff)
    if violation_on is not None and violation_on > detected_on:
        raise DomainError(
            _("A violation cannot be detected before it happened."),
            field_errors={"violation_on": [_("This date is after the detection date.")]},
        )
    code = code or next_code(f"KL-{detected_on.year}-", DisciplineCase)
    require_new_code(
        DisciplineCase, code, _("A case with code '%(code)s' already exists.") % {"code": code}
    )
    case = DisciplineCase(
        code=code,
        staff=staff,
        detected_on=detected_on,
        violation_on=violation_on,
        violation=violation or code,
        summary=summary,
        opened_by_id=scope.user_id,
    )
    case.full_clean()
    return writes.create(case)


@transaction.atomic
def case_extend(
    *, scope: Scope, case: DisciplineCase, reason: str, expected_version: int
) -> DisciplineCase:
    """Extend the deadline to 150 days (complex cases needing inspection or verification)."""
    _require_writer(scope, _locked_staff(case.staff))
    _require_open(case)
    if case.extended:
        raise DomainError(_("The deadline of this case is already extended."))
    if not reason.strip():
        raise DomainError(
            _("Give the reason for the extension."),
            field_errors={"extension_reason": [_("This field is required.")]},
        )
    return writes.update(
        case,
        {"extended": True, "extension_reason": reason.strip()},
        expected_version=expected_version,
    )


@transaction.atomic
def case_pause(
    *,
    scope: Scope,
    case: DisciplineCase,
    reason: str,
    date_from: dt.date,
    date_to: dt.date | None = None,
    note: str = "",
) -> CasePause:
    _require_writer(scope, _locked_staff(case.staff))
    _require_open(case)
    if reason not in PauseReason.values:
        raise DomainError(
            _("'%(value)s' is not a legal reason to pause a case.") % {"value": reason},
            field_errors={"reason": [_("Choose one of the listed reasons.")]},
        )
    if date_from < case.detected_on:
        raise DomainError(
            _("A pause cannot start before the violation was detected."),
            field_errors={"date_from": [_("This date is before the detection date.")]},
        )
    pause = CasePause(case=case, reason=reason, date_from=date_from, date_to=date_to, note=note)
    pause.full_clean()
    return writes.create(pause)


@transaction.atomic
def case_pause_end(*, scope: Scope, pause: CasePause, date_to: dt.date) -> CasePause:
    _require_writer(scope, _locked_staff(pause.case.staff))
    _require_open(pause.case)
    if pause.date_to is not None:
        raise DomainError(_("This pause has already ended."))
    before = auditing.snapshot(pause)
    pause.date_to = date_to
    pause.full_clean()
    pause.save(update_fields=["date_to"])
    auditing.record(pause, action=auditing.UPDATE, before=before)
    return pause


@transaction.atomic
def case_drop(
    *, scope: Scope, case: DisciplineCase, closed_on: dt.date, expected_version: int
) -> DisciplineCase:
    """Close a case without discipline."""
    _require_writer(scope, _locked_staff(case.staff))
    _require_open(case)
    return writes.update(
        case,
        {"status": CaseStatus.DROPPED, "closed_on": closed_on},
        expected_version=expected_version,
        clean=DisciplineCase.full_clean,
    )


_STANDING = {
    rules.HEAD: _lazy("leader (head of a unit on that date)"),
    rules.DEPUTY: _lazy("leader (deputy head of a unit on that date)"),
    rules.FLAG: _lazy("leader or manager (staff record)"),
    rules.NO_POST: _lazy("not a leader or manager"),
}


def _labels(forms: Iterable[str]) -> str:
    labels = dict(DisciplineForm.choices)
    return ", ".join(str(labels.get(f, f)) for f in forms) or _("none")


def contract_worker_message(*, name: str, code: str, form: str | None, on: dt.date | None) -> str:
    """Settled point 12: a contract worker has no discipline form here (labour law applies)."""
    if form is None or on is None:
        return _(
            "%(name)s (%(code)s) is a contract worker: labour law applies, and no discipline "
            "case can be kept for them here."
        ) % {"name": name, "code": code}
    return _(
        "%(name)s (%(code)s) is a contract worker: labour law applies, and no discipline "
        "decision can be recorded for them (%(form)s, decision dated %(date)s; forms allowed: "
        "none)."
    ) % {"name": name, "code": code, "form": _form_label(form), "date": _day(on)}


def form_refusal_message(*, name: str, code: str, verdict: rules.FormVerdict) -> str:
    """The refusal of a form, the same on the pages, the API and the import: who (name and
    code), the form, the decision date, the post on it and the forms allowed then."""
    if verdict.contract_worker:
        return contract_worker_message(name=name, code=code, form=verdict.form, on=verdict.on)
    categories = dict(StaffCategory.choices)
    basis = verdict.allowed.basis
    return _(
        "%(form)s cannot be imposed on %(name)s (%(code)s) by a decision dated %(date)s: as "
        "%(category)s, %(post)s, the forms allowed on that date are %(allowed)s (%(basis)s)."
    ) % {
        "form": _form_label(verdict.form),
        "name": name,
        "code": code,
        "date": _day(verdict.on),
        "category": categories.get(verdict.category, verdict.category),
        "post": _STANDING[verdict.leader.source],
        "allowed": _labels(verdict.allowed.forms),
        "basis": basis_label(basis) if basis else _("no rule"),
    }


def check_form(*, staff: Staff, form: str, decided_on: dt.date) -> rules.AllowedForms:
    """Raise when `form` may not be imposed on `staff` by a decision dated `decided_on`, for
    their category and their post on that date (`rules.judge_form`, the import's rule too)."""
    if form not in DisciplineForm.values:
        raise DomainError(
            _("'%(value)s' is not a form of discipline.") % {"value": form},
            field_errors={"form": [_("Choose one of the listed forms.")]},
        )
    verdict = rules.judge_form(
        form=form,
        category=staff.category,
        leader=leader_status(staff=staff, on=decided_on),
        on=decided_on,
    )
    if not verdict.ok:
        field = (
            _("No discipline form applies to a contract worker.")
            if verdict.contract_worker
            else _("Allowed on that date: %(allowed)s.")
            % {"allowed": _labels(verdict.allowed.forms)}
        )
        raise DomainError(
            form_refusal_message(name=staff.full_name, code=staff.code, verdict=verdict),
            field_errors={"form": [field]},
        )
    return verdict.allowed


def _day(on: dt.date | None) -> str:
    return on.strftime("%d/%m/%Y") if on is not None else ""


def _form_label(form: str | None) -> str:
    return str(dict(DisciplineForm.choices).get(form or "", form or ""))


def _too_light(need: rules.RepeatMinimum) -> DomainError:
    """The new decision is lighter than the decision running on its date requires."""
    running = need.running
    name = running.name if running else ""
    message = _(
        "Still serving discipline decision %(decision)s (%(form)s, until %(until)s), so the "
        "form for this new violation must be %(minimum)s or heavier."
    ) % {
        "decision": name,
        "form": _form_label(running.form if running else None),
        "until": _day(need.running_until),
        "minimum": _form_label(need.minimum),
    }
    field = _("At least %(minimum)s while decision %(decision)s runs.") % {
        "minimum": _form_label(need.minimum),
        "decision": name,
    }
    return DomainError(message, field_errors={"form": [field]})


def _runs_over(short: rules.Shortfall) -> DomainError:
    """The new decision, entered late, would run over a later one then too light."""
    message = _(
        "This decision would be running on %(date)s, when decision %(later)s "
        "(%(form)s) was taken for another violation, which would then have to be "
        "%(minimum)s or heavier."
    ) % {
        "date": _day(short.decision.decided_on),
        "later": short.decision.name,
        "form": _form_label(short.decision.form),
        "minimum": _form_label(short.need.minimum),
    }
    field = _("A later decision for another violation falls within its window.")
    return DomainError(message, field_errors={"effective_on": [field]})


def check_repeat(*, staff: Staff, new: rules.PastDecision) -> None:
    """Raise when `new` is lighter than a decision on another act running on its date
    requires, or when `new` (entered late) would run over a later decision on another act that
    is then too light. Shortfalls among the other decisions alone are history, not refused."""

    headships = headships_of([staff.pk]).get(staff.pk, [])

    def allowed_on(on: dt.date) -> tuple[str, ...]:
        leader = rules.leader_on(on=on, headships=headships, flag=staff.is_leader)
        return rules.allowed_forms(category=staff.category, is_leader=leader.is_leader, on=on).forms

    history = [d for d in past_decisions([staff.pk]).get(staff.pk, []) if d.code != new.code]
    found = rules.shortfalls(history=[*history, new], allowed_on=allowed_on)
    for short in found:
        if short.decision.code == new.code:
            raise _too_light(short.need)
    for short in found:
        if short.need.running is not None and short.need.running.code == new.code:
            raise _runs_over(short)


@transaction.atomic
def decision_record(
    *,
    scope: Scope,
    staff: Staff,
    form: str,
    decided_on: dt.date,
    effective_on: dt.date,
    track: str = Track.ADMINISTRATIVE,
    decision_number: str = "",
    violation: str = "",
    case: DisciplineCase | None = None,
    code: str | None = None,
) -> DisciplineDecision:
    """Record a decision; with a `case`, the case is decided by it (closed on `decided_on`)."""
    staff = _locked_staff(staff)
    _require_writer(scope, staff)
    if track not in Track.values:
        raise DomainError(
            _("'%(value)s' is not a track.") % {"value": track},
            field_errors={"track": [_("Choose administrative or Party.")]},
        )
    check_form(staff=staff, form=form, decided_on=decided_on)
    if effective_on < decided_on:
        raise DomainError(
            _("A decision cannot take effect before the day it was decided."),
            field_errors={"effective_on": [_("This date is before the decision date.")]},
        )
    if case is not None:
        case = DisciplineCase.objects.select_for_update().get(pk=case.pk)
        if case.staff_id != staff.pk:
            raise DomainError(_("The case concerns another person."))
        if case.status == CaseStatus.DROPPED:
            raise DomainError(_("This case was closed without discipline."))
        if decided_on < case.detected_on:
            raise DomainError(
                _("A decision cannot come before the violation was detected."),
                field_errors={"decided_on": [_("This date is before the detection date.")]},
            )
        violation = violation or case.violation
    code = code or next_code(f"QD-KL-{decided_on.year}-", DisciplineDecision)
    require_new_code(
        DisciplineDecision,
        code,
        _("A decision with code '%(code)s' already exists.") % {"code": code},
    )
    check_repeat(
        staff=staff,
        new=rules.PastDecision(code, form, violation, decided_on, effective_on, decision_number),
    )
    decision = DisciplineDecision(
        code=code,
        staff=staff,
        case=case,
        form=form,
        track=track,
        violation=violation,
        decision_number=decision_number,
        decided_on=decided_on,
        effective_on=effective_on,
    )
    decision.full_clean()
    writes.create(decision)
    if case is not None and case.status == CaseStatus.OPEN:
        writes.update(
            case,
            {"status": CaseStatus.DECIDED, "closed_on": max(decided_on, case.detected_on)},
            expected_version=case.version,
        )
    return decision
