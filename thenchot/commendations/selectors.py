"""Reads of commendations, every one through the reader's scope.

Who reads: the commendations of the people and units in the subtrees a scope reads (city-wide
roles: all), and a staff member their own. Who records, changes and deletes: an administrator or
the city leadership anywhere; a personnel officer or a unit head (the head of an agency) inside
the subtree of their grant — as `processes.selectors.can_manage` gives the management of a
unit's procedures. Nobody writes for a unit that has ended.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.appraisal.models import QuotaOverride
from thenchot.commendations.models import Commendation
from thenchot.core.registry import RecordAccess
from thenchot.org.selectors import may_write_unit

CITY_WRITERS = (Role.ADMIN, Role.CITY_LEADERSHIP)
SUBTREE_WRITERS = (Role.PERSONNEL, Role.UNIT_HEAD)


# -- scope ----------------------------------------------------------------------------------------
def read_q(scope: Scope) -> Q:
    """Rows whose person's unit or whose unit the scope reads, and the reader's own."""
    if scope.is_anonymous:
        return Q(pk__in=[])
    if scope.city_wide:
        return Q()
    q = Q(pk__in=[])
    if scope.read_units:
        units = sorted(scope.read_units)
        q = Q(staff__unit_id__in=units) | Q(unit_id__in=units)
    if scope.own_staff_id is not None:
        q |= Q(staff_id=scope.own_staff_id)
    return q


def commendations_queryset(scope: Scope) -> QuerySet[Commendation]:
    return Commendation.objects.filter(read_q(scope)).select_related("staff", "staff__unit", "unit")


def can_read(scope: Scope, commendation: Commendation) -> bool:
    return commendations_queryset(scope).filter(pk=commendation.pk).exists()


def can_commend(scope: Scope, unit_id: int) -> bool:
    """May this scope record commendations of the unit (or of a person working in it)?"""
    return may_write_unit(scope, unit_id, anywhere=CITY_WRITERS, in_subtree=SUBTREE_WRITERS)


def may_commend_anywhere(scope: Scope) -> bool:
    """Whether the scope may record some commendation (the list's "New" button)."""
    return not scope.is_anonymous and (
        scope.has_role(*CITY_WRITERS)
        or (scope.has_role(*SUBTREE_WRITERS) and bool(scope.read_units))
    )


def subject_unit_id(commendation: Commendation) -> int:
    """The unit whose writers answer for the commendation: the person's unit, or the unit."""
    if commendation.staff is not None:
        return int(commendation.staff.unit_id)
    assert commendation.unit_id is not None
    return int(commendation.unit_id)


def can_write(scope: Scope, commendation: Commendation) -> bool:
    return can_commend(scope, subject_unit_id(commendation))


RECORD_ACCESS: dict[str, RecordAccess] = {
    "commendations.commendation": lambda scope, obj: can_read(scope, obj),
}


# -- lists ----------------------------------------------------------------------------------------
def in_units_q(unit_ids: set[int]) -> Q:
    """Commendations of the units, or of people working in them."""
    ids = sorted(unit_ids)
    return Q(unit_id__in=ids) | Q(staff__unit_id__in=ids)


def of_staff(scope: Scope, staff_id: int) -> list[Commendation]:
    return list(
        commendations_queryset(scope).filter(staff_id=staff_id).order_by("-decided_on", "code")
    )


def of_unit(scope: Scope, unit_id: int) -> list[Commendation]:
    return list(
        commendations_queryset(scope).filter(unit_id=unit_id).order_by("-decided_on", "code")
    )


# -- the link to the quota overrides of the evaluation app ---------------------------------------
def overrides_of(commendation: Commendation) -> list[QuotaOverride]:
    """The quota overrides the commendation led to: the agency's overrides recorded on its
    decision (the same number and date). Derived, so it survives an export and an import."""
    if commendation.unit_id is None or not commendation.decision_number.strip():
        return []
    return list(
        QuotaOverride.objects.select_related("agency")
        .filter(
            agency_id=commendation.unit_id,
            decision_number=commendation.decision_number.strip(),
            decided_on=commendation.decided_on,
        )
        .order_by("period_code", "group")
    )


def commendation_of_override(override: QuotaOverride) -> Commendation | None:
    """The commendation an override came from (the agency's commendation on its decision)."""
    return (
        Commendation.objects.filter(
            unit_id=override.agency_id,
            decision_number=override.decision_number,
            decided_on=override.decided_on,
        )
        .order_by("code")
        .first()
    )


def overrides_with_commendations(scope: Scope) -> list[tuple[QuotaOverride, Commendation | None]]:
    """Every quota override of the agencies the scope reads, with the commendation behind it."""
    qs = QuotaOverride.objects.select_related("agency").order_by(
        "-period_code", "agency__code", "group"
    )
    if not scope.city_wide:
        qs = qs.filter(agency_id__in=sorted(scope.read_units))
    rows = list(qs)
    keys = {(o.agency_id, o.decision_number, o.decided_on) for o in rows}
    found: dict[tuple[Any, str, Any], Commendation] = {}
    if keys:
        for c in Commendation.objects.filter(
            unit_id__in=sorted({k[0] for k in keys}),
            decision_number__in=sorted({k[1] for k in keys}),
        ).order_by("-code"):
            found[(c.unit_id, c.decision_number, c.decided_on)] = c
    return [(o, found.get((o.agency_id, o.decision_number, o.decided_on))) for o in rows]
