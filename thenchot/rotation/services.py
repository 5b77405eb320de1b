"""Writes for periodic rotation: postponements, annual plans, executed rotations.

An executed rotation moves the person's assignment through `people.services.staff_transfer`
(the history is kept; a move between fields stays in the same division) and restarts the clock
(`Staff.in_position_since`). Every write is audited and re-checks the writer's scope inside its
transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing, sequences, writes
from thenchot.core.errors import DomainError
from thenchot.core.services import require_new_code
from thenchot.notifications.services import notify
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people import services as people_services
from thenchot.people.models import Staff
from thenchot.rotation.choices import (
    MANUAL_REASONS,
    PERIODIC_KINDS,
    PostponementReason,
    RotationKind,
)
from thenchot.rotation.models import PlanItem, Postponement, Rotation, RotationPlan


# -- postponements --------------------------------------------------------------------------------
@transaction.atomic
def postponement_record(
    *,
    scope: Scope,
    staff: Staff,
    reason: str,
    date_from: dt.date,
    date_to: dt.date | None = None,
    note: str = "",
) -> Postponement:
    """Record a reason kept nowhere else (the others come from cases, leaves and children)."""
    scope.require_write_unit(Staff.objects.get(pk=staff.pk).unit_id)
    if reason not in MANUAL_REASONS:
        raise DomainError(
            _("This reason comes from other records (discipline cases, leaves, children)."),
            field_errors={"reason": [_("Choose one of the listed reasons.")]},
        )
    item = Postponement(staff=staff, reason=reason, date_from=date_from, date_to=date_to, note=note)
    item.full_clean()
    return writes.create(item)


@transaction.atomic
def postponement_end(
    *, scope: Scope, postponement: Postponement, date_to: dt.date, expected_version: int
) -> Postponement:
    scope.require_write_unit(postponement.staff.unit_id)
    return writes.update(
        postponement,
        {"date_to": date_to},
        expected_version=expected_version,
        clean=Postponement.full_clean,
    )


# -- the kind of a move ---------------------------------------------------------------------------
def check_move(*, staff: Staff, kind: str, from_unit_id: int, to_unit_id: int, on: dt.date) -> None:
    """Refuse a move whose kind does not fit the person or the units (before anything moves)."""
    if kind not in RotationKind.values:
        raise DomainError(
            _("'%(value)s' is not a kind of rotation.") % {"value": kind},
            field_errors={"kind": [_("Choose one of the listed kinds.")]},
        )
    if staff.is_leader and kind != RotationKind.CADRE_ROTATION:
        raise DomainError(
            _(
                "%(name)s holds a leadership post: leaders are moved by cadre rotation "
                "(luân chuyển), not by periodic rotation."
            )
            % {"name": staff.full_name},
            field_errors={"kind": [_("Not for a leader.")]},
        )
    if not staff.is_leader and kind == RotationKind.CADRE_ROTATION:
        raise DomainError(
            _("Cadre rotation is for leaders; %(name)s does not hold a leadership post.")
            % {"name": staff.full_name},
            field_errors={"kind": [_("Only for a leader.")]},
        )
    if kind == RotationKind.BETWEEN_FIELDS:
        if to_unit_id != from_unit_id:
            raise DomainError(
                _("A move between fields stays in the person's division."),
                field_errors={"to_unit": [_("Must be the person's current unit.")]},
            )
        return
    if to_unit_id == from_unit_id:
        raise DomainError(
            _("The target is the unit the person leaves: choose another unit."),
            field_errors={"to_unit": [_("The person already works in this unit.")]},
        )
    snap = tree()
    target = snap.units.get(to_unit_id)
    if target is None or not target.valid_on(on):
        raise DomainError(
            _("The target unit does not exist on %(date)s.") % {"date": on.strftime("%d/%m/%Y")},
            field_errors={"to_unit": [_("This unit did not exist on that date.")]},
        )
    same_agency = snap.agency_of(from_unit_id, on) == snap.agency_of(to_unit_id, on)
    if kind == RotationKind.BETWEEN_DIVISIONS and not same_agency:
        raise DomainError(
            _("The target is in another agency: this is a move between agencies."),
            field_errors={"kind": [_("Use 'between agencies'.")]},
        )
    if kind == RotationKind.BETWEEN_AGENCIES and same_agency:
        raise DomainError(
            _("The target is in the same agency: this is a move between divisions."),
            field_errors={"kind": [_("Use 'between divisions'.")]},
        )


def _require_not_postponed(staff: Staff, on: dt.date) -> None:
    from thenchot.rotation.selectors import blockers_for

    holding = blockers_for([staff.pk], on).get(staff.pk, [])
    if holding:
        labels = dict(PostponementReason.choices)
        raise DomainError(
            _("Rotation of %(name)s is postponed on %(date)s: %(reasons)s.")
            % {
                "name": staff.full_name,
                "date": on.strftime("%d/%m/%Y"),
                "reasons": "; ".join(str(labels.get(b.reason, b.reason)) for b in holding),
            }
        )


# -- plans ----------------------------------------------------------------------------------------
@transaction.atomic
def plan_create(
    *,
    scope: Scope,
    agency: Unit,
    year: int,
    title: str = "",
    notice_days: int = 30,
    code: str | None = None,
) -> RotationPlan:
    scope.require_write_unit(agency.pk)
    if agency.kind == "division":
        raise DomainError(
            _("Rotation plans are made per agency, not per division."),
            field_errors={"agency": [_("Choose the agency.")]},
        )
    code = code or f"KHCD-{agency.code}-{year}"
    plan = RotationPlan(code=code, agency=agency, year=year, title=title, notice_days=notice_days)
    plan.full_clean()
    return writes.create(plan)


@transaction.atomic
def plan_add_item(
    *,
    scope: Scope,
    plan: RotationPlan,
    staff: Staff,
    kind: str,
    target_unit: Unit,
    planned_on: dt.date,
) -> PlanItem:
    plan = RotationPlan.objects.select_for_update().get(pk=plan.pk)
    scope.require_write_unit(plan.agency_id)
    if plan.published_on is not None:
        raise DomainError(_("The plan is published: its list no longer changes."))
    if kind not in PERIODIC_KINDS:
        raise DomainError(
            _("A rotation plan lists periodic rotations; leaders move by cadre rotation."),
            field_errors={"kind": [_("Choose a periodic kind.")]},
        )
    if planned_on.year != plan.year:
        raise DomainError(
            _("The planned date must fall in the plan's year (%(year)s).") % {"year": plan.year},
            field_errors={"planned_on": [_("Outside the plan's year.")]},
        )
    staff = Staff.objects.get(pk=staff.pk)
    if staff.unit_id not in tree().subtree_on(plan.agency_id, planned_on):
        raise DomainError(
            _("%(name)s does not work in this agency.") % {"name": staff.full_name},
            field_errors={"staff": [_("Not in the agency.")]},
        )
    check_move(
        staff=staff, kind=kind, from_unit_id=staff.unit_id, to_unit_id=target_unit.pk, on=planned_on
    )
    if PlanItem.objects.filter(plan=plan, staff=staff).exists():
        raise DomainError(_("This person is already in the plan."))
    item = PlanItem(
        plan=plan, staff=staff, kind=kind, target_unit=target_unit, planned_on=planned_on
    )
    item.full_clean()
    return writes.create(item)


@transaction.atomic
def plan_publish(
    *, scope: Scope, plan: RotationPlan, on: dt.date, expected_version: int
) -> RotationPlan:
    """Publish the plan inside the agency and tell each person listed (their notice)."""

    scope.require_write_unit(plan.agency_id)
    if plan.published_on is not None:
        raise DomainError(_("The plan is already published."))
    writes.update(plan, {"published_on": on}, expected_version=expected_version)
    labels = dict(RotationKind.choices)
    items = list(plan.items.select_related("staff", "target_unit"))

    def body_of(item: PlanItem) -> Callable[[], str]:
        def body() -> str:
            return _("%(kind)s to %(unit)s, planned for %(date)s.") % {
                "kind": labels.get(item.kind, item.kind),
                "unit": item.target_unit.name,
                "date": item.planned_on.strftime("%d/%m/%Y"),
            }

        return body

    def tell() -> None:
        for item in items:
            if item.staff.user_id is None:
                continue
            notify(
                recipients=[item.staff.user_id],
                # Callables: written in the recipient's language, not the planner's.
                title=lambda: _("You are in the rotation plan %(plan)s") % {"plan": plan.code},
                body=body_of(item),
                url=reverse("rotation:plan", args=[plan.code]),
            )

    transaction.on_commit(tell)
    return plan


# -- executing a rotation -------------------------------------------------------------------------
def next_rotation_code(year: int) -> str:
    # The shared series: locked, so two rotations executed at once never share a number.
    return sequences.next_code(Rotation, f"CDVT-{year}-", width=4)


@transaction.atomic
def rotation_execute(
    *,
    scope: Scope,
    staff: Staff,
    kind: str,
    to_unit: Unit | None,
    effective_on: dt.date,
    expected_version: int,
    decision_number: str = "",
    plan_item: PlanItem | None = None,
    code: str | None = None,
    note: str = "",
) -> Rotation:
    """Carry out a rotation: the assignment moves (history kept) and the clock restarts."""

    staff = Staff.objects.select_for_update().get(pk=staff.pk)
    scope.require_write_unit(staff.unit_id)
    from_unit_id = staff.unit_id
    target_id = to_unit.pk if to_unit is not None else from_unit_id
    check_move(
        staff=staff, kind=kind, from_unit_id=from_unit_id, to_unit_id=target_id, on=effective_on
    )
    if kind != RotationKind.CADRE_ROTATION:
        _require_not_postponed(staff, effective_on)
    if plan_item is not None:
        plan_item = PlanItem.objects.select_for_update().get(pk=plan_item.pk)
        if plan_item.staff_id != staff.pk:
            raise DomainError(_("The plan item concerns another person."))
        if plan_item.rotation_id is not None:
            raise DomainError(_("This planned move was already carried out."))
    code = code or next_rotation_code(effective_on.year)
    require_new_code(
        Rotation, code, _("A rotation with code '%(code)s' already exists.") % {"code": code}
    )
    version = expected_version
    if target_id != from_unit_id:
        target = Unit.objects.get(pk=target_id)
        people_services.staff_transfer(
            scope=scope,
            staff=staff,
            unit=target,
            on=effective_on,
            expected_version=version,
            note=_("Rotation %(code)s") % {"code": code},
        )
        version = staff.version
    people_services.staff_update(
        scope=scope,
        staff=staff,
        expected_version=version,
        data={"in_position_since": effective_on},
    )
    rotation = Rotation(
        code=code,
        staff=staff,
        kind=kind,
        from_unit_id=from_unit_id,
        to_unit_id=target_id,
        effective_on=effective_on,
        decision_number=decision_number,
        note=note,
    )
    rotation.full_clean()
    writes.create(rotation)
    if plan_item is not None:
        before = auditing.snapshot(plan_item)
        plan_item.rotation = rotation
        plan_item.save(update_fields=["rotation"])
        auditing.record(plan_item, action=auditing.UPDATE, before=before)
    return rotation
