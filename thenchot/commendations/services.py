"""Writes of commendations: scoped, validated, audited with before and after, and edits
guarded by optimistic concurrency (`core.concurrency`).

`commendation_problems` is the one check of a commendation's values, shared by the services
(the pages and the API call them) and by the `commendations` interchange section, so a record
refused on one path is refused on every path with the same words: above all, a commendation is
for one staff member *or* one unit (refused for both at once, or for neither, naming the
values); the database's check constraint holds the same rule.

`commendation_grant_quota` turns a unit commendation of an agency recognised for outstanding
results into the higher quota of excellent results (rules.md "Settled points" 14; Decree
335/2025 art. 21 cl. 3's other rate "for an outstanding organisation", Hanoi QĐ 3814's 40% of
the headcount for an exceptional collective) through the evaluation app's own service
(`appraisal.services.quota_override_record`), with the commendation's decision number and date.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.appraisal import rules as appraisal_rules
from thenchot.appraisal import services as appraisal_services
from thenchot.appraisal.choices import QuotaGroupChoice
from thenchot.appraisal.models import QuotaOverride
from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.models import COMMENDATION_CODE, Commendation
from thenchot.commendations.selectors import can_commend, overrides_of, subject_unit_id
from thenchot.core import auditing, sequences
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.services import full_clean
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff

EDITABLE = (
    "staff",
    "unit",
    "kind",
    "decision_number",
    "decided_on",
    "issued_by",
    "reason",
    "innovation",
)
# What ties a commendation to the quota overrides it led to (`selectors.overrides_of`).
LINK_FIELDS = ("unit", "decision_number", "decided_on")


def today() -> dt.date:
    return timezone.localdate()


def _d(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


# -- the one check ------------------------------------------------------------------------------
def subject_problem(staff_code: str | None, unit_code: str | None) -> str | None:
    """Why a commendation with these subjects is refused (both given, or neither), or None."""
    if staff_code and unit_code:
        return _(
            "a commendation is for one staff member or for one unit, not both: staff member "
            "'%(staff)s' and unit '%(unit)s' were both given"
        ) % {"staff": staff_code, "unit": unit_code}
    if not staff_code and not unit_code:
        return _(
            "a commendation is for one staff member or for one unit: neither a staff member nor "
            "a unit was given"
        )
    return None


def commendation_problems(
    *,
    staff_code: str | None,
    unit_code: str | None,
    kind: str | None,
    decided_on: dt.date | None,
    on: dt.date,
) -> list[tuple[str, str]]:
    """What refuses a commendation's values, as (field, message): the subject (one person or
    one unit), the form, a decision dated in the future."""
    out: list[tuple[str, str]] = []
    problem = subject_problem(staff_code, unit_code)
    if problem is not None:
        out.append(("staff" if staff_code else "unit", problem))
        if staff_code and unit_code:
            out.append(("unit", problem))
    if kind is not None and kind not in CommendationKind.values:
        out.append(("kind", _("'%(value)s' is not a form of commendation") % {"value": kind}))
    if decided_on is not None and decided_on > on:
        out.append(
            (
                "decided_on",
                _("'%(value)s' is in the future: a decision is recorded once it is signed")
                % {"value": decided_on.isoformat()},
            )
        )
    return out


def _refuse(problems: list[tuple[str, str]]) -> DomainError:
    messages: list[str] = []
    fields: dict[str, list[Any]] = {}
    for name, message in problems:
        if message not in messages:
            messages.append(message)
        fields.setdefault(name, []).append(capfirst(message))
    return DomainError(capfirst("; ".join(messages)) + ".", field_errors=fields)


def _check(*, staff: Staff | None, unit: Unit | None, kind: str, decided_on: dt.date) -> None:
    problems = commendation_problems(
        staff_code=staff.code if staff is not None else None,
        unit_code=unit.code if unit is not None else None,
        kind=kind,
        decided_on=decided_on,
        on=today(),
    )
    if problems:
        raise _refuse(problems)


def _require_commend(scope: Scope, unit_id: int) -> None:
    if not can_commend(scope, unit_id):
        raise OutOfScope(_("You cannot record commendations for this unit or its people."))


def _subject_unit(staff: Staff | None, unit: Unit | None) -> int:
    if staff is not None:
        return int(Staff.objects.values_list("unit_id", flat=True).get(pk=staff.pk))
    assert unit is not None
    return int(unit.pk)


def next_commendation_code(year: int) -> str:
    # The shared series: locked, so two commendations recorded at once never share a number.
    return sequences.next_code(Commendation, f"KTH-{year}-", width=4)


# -- create, change, delete ----------------------------------------------------------------------
@transaction.atomic
def commendation_create(
    *,
    scope: Scope,
    kind: str,
    decided_on: dt.date,
    staff: Staff | None = None,
    unit: Unit | None = None,
    code: str | None = None,
    decision_number: str = "",
    issued_by: str = "",
    reason: str = "",
    innovation: bool = False,
) -> Commendation:
    """Record a commendation of one staff member or one unit."""
    _check(staff=staff, unit=unit, kind=kind, decided_on=decided_on)
    _require_commend(scope, _subject_unit(staff, unit))
    code = (code or "").strip() or next_commendation_code(decided_on.year)
    error = COMMENDATION_CODE.error(code)
    if error is not None:
        raise DomainError(error, field_errors={"code": [error]})
    if Commendation.objects.filter(code=code).exists():
        message = _("A commendation with code '%(code)s' already exists.") % {"code": code}
        raise DomainError(message, field_errors={"code": [message]})
    item = Commendation(
        code=code,
        staff=staff,
        unit=unit,
        kind=kind,
        decision_number=decision_number.strip(),
        decided_on=decided_on,
        issued_by=issued_by.strip(),
        reason=reason.strip(),
        innovation=innovation,
    )
    full_clean(item, exclude=["code"])
    item.save()
    auditing.record(item, action=auditing.CREATE)
    return item


def _locked(commendation: Commendation) -> Commendation:
    # Re-read inside the transaction: the scope check sees the subject as it is now.
    return (
        Commendation.objects.select_for_update(of=("self",))
        .select_related("staff", "unit")
        .get(pk=commendation.pk)
    )


def _link_problem(item: Commendation, what: str) -> DomainError | None:
    linked = overrides_of(item)
    if not linked:
        return None
    periods = ", ".join(o.period_code for o in linked)
    return DomainError(
        _(
            "Commendation %(code)s gave the higher quota of %(periods)s on decision %(number)s: "
            "%(what)s"
        )
        % {"code": item.code, "periods": periods, "number": item.decision_number, "what": what}
    )


@transaction.atomic
def commendation_update(
    *,
    scope: Scope,
    commendation: Commendation,
    expected_version: int,
    kind: str,
    decided_on: dt.date,
    staff: Staff | None = None,
    unit: Unit | None = None,
    decision_number: str = "",
    issued_by: str = "",
    reason: str = "",
    innovation: bool = False,
) -> Commendation:
    """Correct a commendation. Its subject may change within the writer's scope; the unit,
    decision number and date of one that led to a quota override stay (they are the link)."""
    item = _locked(commendation)
    _require_commend(scope, subject_unit_id(item))
    _check(staff=staff, unit=unit, kind=kind, decided_on=decided_on)
    _require_commend(scope, _subject_unit(staff, unit))
    before = auditing.snapshot(item)
    old_link = (item.unit_id, item.decision_number, item.decided_on)
    item.staff = staff
    item.unit = unit
    item.kind = kind
    item.decision_number = decision_number.strip()
    item.decided_on = decided_on
    item.issued_by = issued_by.strip()
    item.reason = reason.strip()
    item.innovation = innovation
    if (item.unit_id, item.decision_number, item.decided_on) != old_link:
        old = Commendation(
            code=item.code, unit_id=old_link[0], decision_number=old_link[1], decided_on=old_link[2]
        )
        refusal = _link_problem(old, _("its unit, decision number and date can no longer change."))
        if refusal is not None:
            raise refusal
    full_clean(item, exclude=["code"])
    save_versioned(item, expected_version=expected_version, fields=list(EDITABLE))
    auditing.record(item, action=auditing.UPDATE, before=before)
    commendation.version = item.version
    return item


@transaction.atomic
def commendation_delete(*, scope: Scope, commendation: Commendation, expected_version: int) -> None:
    """Delete a commendation recorded in error; refused once it led to a quota override."""
    item = _locked(commendation)
    _require_commend(scope, subject_unit_id(item))
    if item.version != expected_version:
        raise ConcurrentUpdate()
    refusal = _link_problem(item, _("it can no longer be deleted."))
    if refusal is not None:
        raise refusal
    before = auditing.snapshot(item)
    pk = item.pk
    item.delete()
    item.pk = pk  # the audit line names the deleted record
    auditing.record(item, action=auditing.DELETE, before=before)


# -- the higher quota of an agency recognised as outstanding --------------------------------------
def quota_reason(item: Commendation) -> str:
    return _("Commendation %(code)s (%(kind)s, decision %(number)s of %(date)s): %(reason)s") % {
        "code": item.code,
        "kind": item.get_kind_display(),
        "number": item.decision_number,
        "date": _d(item.decided_on),
        "reason": item.reason or _("outstanding results"),
    }


@transaction.atomic
def commendation_grant_quota(
    *,
    scope: Scope,
    by: Any,
    commendation: Commendation,
    period: str,
    ratio: Decimal,
    base: str = "",
    group: str = QuotaGroupChoice.ALL,
) -> QuotaOverride:
    """Give the commended agency the higher quota for `period`: a quota override recorded by
    the evaluation app's service on the commendation's decision (its number and date), with a
    reason naming the commendation. The override's own rules (who records it, a closed period,
    a ratio between 0 and 100) are that service's."""
    item = _locked(commendation)
    _require_commend(scope, subject_unit_id(item))
    if item.unit_id is None:
        raise DomainError(
            _(
                "Commendation %(code)s honours a staff member: only a commended agency can be "
                "given a higher quota."
            )
            % {"code": item.code}
        )
    assert item.unit is not None
    snap = tree()
    if snap.agency_of(item.unit_id, scope.on) != item.unit_id:
        raise DomainError(
            _("Quotas are set per agency: %(unit)s (%(code)s) is a division, not an agency.")
            % {"unit": item.unit.name, "code": item.unit.code}
        )
    number = item.decision_number.strip()
    if not number:
        message = _(
            "Commendation %(code)s has no decision number: a quota override needs the decision's "
            "number. Record it on the commendation first."
        ) % {"code": item.code}
        raise DomainError(message, field_errors={"decision_number": [message]})
    try:
        code = str(appraisal_rules.Period.parse(period))
    except appraisal_rules.RuleInputError:
        code = period  # the evaluation app's service names the bad period
    else:
        existing = QuotaOverride.objects.filter(
            agency_id=item.unit_id, period_code=code, group=group
        ).first()
        if existing is not None and (existing.decision_number, existing.decided_on) != (
            number,
            item.decided_on,
        ):
            message = _(
                "The quota of %(unit)s for %(period)s was already set by decision %(number)s of "
                "%(date)s."
            ) % {
                "unit": item.unit.code,
                "period": code,
                "number": existing.decision_number,
                "date": _d(existing.decided_on),
            }
            raise DomainError(message, field_errors={"period": [message]})
    return appraisal_services.quota_override_record(
        agency=item.unit,
        period=code,
        ratio=ratio,
        decision_number=number,
        decided_on=item.decided_on,
        group=group,
        base=base,
        reason=quota_reason(item),
        by=by,
    )
