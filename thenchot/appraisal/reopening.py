"""Reopening a closed period, by a recorded decision (audited).

Its evaluations go back to `approved` with their result cleared, to be classified again at the
next close (`closing.close_period`). The decision carries its date: a decision cannot reopen a
period before the period was closed, nor be dated in the future (it would be a draft).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import summary
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod, ReopenDecision
from thenchot.core import auditing, signals
from thenchot.core.errors import DomainError, OutOfScope


def reopen_period(
    *,
    period: EvaluationPeriod,
    decision: str,
    decided_on: dt.date,
    reason: str,
    by: Any = None,
    dry_run: bool = False,
) -> ReopenDecision:
    """Reopen a closed period by a recorded decision of `decided_on` (audited). Its evaluations
    go back to `approved` with their result cleared, to be classified again at the next close.

    `dry_run` makes every check and writes nothing (the decision returned is not saved): the
    close screen asks for a confirmation only of a reopening that would be accepted."""
    from thenchot.appraisal.services import _roles

    if by is not None:
        roles = _roles(by)
        if not roles & {Role.ADMIN.value, Role.CITY_LEADERSHIP.value} and not (
            Role.PERSONNEL.value in roles and _personnel_writes(by, period.agency_id)
        ):
            raise OutOfScope(_("Only the City leadership or personnel reopens a period."))
    if not decision.strip():
        raise DomainError(
            _("Name the decision that reopens the period."),
            field_errors={"decision": [_("This field is required.")]},
        )
    if not reason.strip():
        raise DomainError(
            _("Give the reason."), field_errors={"reason": [_("This field is required.")]}
        )
    _check_not_future(decided_on)
    with transaction.atomic():
        locked = EvaluationPeriod.objects.select_for_update().get(pk=period.pk)
        if locked.status != PeriodStatus.CLOSED:
            raise DomainError(_("The period is not closed."))
        _check_after_close(decided_on, locked)
        if dry_run:
            return ReopenDecision(
                period=locked, decision=decision, decided_on=decided_on, reason=reason
            )
        row = ReopenDecision.objects.create(
            period=locked, decision=decision, decided_on=decided_on, reason=reason, decided_by=by
        )
        auditing.record(row, action=auditing.CREATE, reason=reason)
        before = auditing.snapshot(locked)
        locked.status = PeriodStatus.OPEN
        locked.closed_at = None
        locked.closed_by = None
        locked.version += 1
        locked.save()
        auditing.record(locked, action=auditing.UPDATE, before=before, reason=reason)
        signals.period_reopened.send(sender=EvaluationPeriod, period_id=locked.pk, by=by)
        evaluations = list(
            Evaluation.objects.filter(period=locked, status=EvaluationStatus.CLOSED).only(
                "pk", "staff_id", "period_id", "status", "final_level", "score", "version"
            )
        )
        changes = []
        for ev in evaluations:
            was = {"status": ev.status, "final_level": ev.final_level, "score": _s(ev.score)}
            changes.append(
                auditing.Change(
                    ev,
                    auditing.UPDATE,
                    was,
                    {"status": EvaluationStatus.APPROVED.value, "final_level": "", "score": None},
                )
            )
        with summary.writing([locked.pk]):
            Evaluation.objects.filter(pk__in=[e.pk for e in evaluations]).update(
                status=EvaluationStatus.APPROVED,
                final_level="",
                score=None,
                reasons=[],
                updated_at=timezone.now(),
                version=F("version") + 1,
            )
            auditing.record_many(changes, reason=reason)
        period.refresh_from_db()
    return row


def _check_not_future(decided_on: dt.date) -> None:
    if not isinstance(decided_on, dt.date) or isinstance(decided_on, dt.datetime):
        raise DomainError(
            _("Give the date of the decision."),
            field_errors={"decided_on": [_("Enter a valid date.")]},
        )
    if decided_on > timezone.localdate():
        message = _("The decision date %(date)s is in the future.") % {"date": _dmy(decided_on)}
        raise DomainError(message, field_errors={"decided_on": [message]})


def _check_after_close(decided_on: dt.date, period: EvaluationPeriod) -> None:
    """A decision dated before the close would reopen a period that was still open."""
    if period.closed_at is None:
        return  # closed before the close time was recorded: nothing to compare with
    closed_on = timezone.localdate(period.closed_at)
    if decided_on < closed_on:
        message = _("The decision date %(date)s is before the period was closed (%(closed)s).") % {
            "date": _dmy(decided_on),
            "closed": _dmy(closed_on),
        }
        raise DomainError(message, field_errors={"decided_on": [message]})


def _dmy(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _s(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _personnel_writes(by: Any, unit_id: int) -> bool:

    return compute_scope(by).can_write_unit(unit_id)
