"""Writes to staff records, their assignments and headships. Audited, scope re-checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError
from thenchot.core.services import require_new_code
from thenchot.org.models import Unit
from thenchot.people import rules
from thenchot.people.choices import AssignmentReason
from thenchot.people.models import Assignment, HeadAssignment, Staff

# What a staff write may set besides the code and the unit, in the order the pages show it;
# the edit form (`forms.StaffForm`) and the import (`interchange.common.SIMPLE`) read it here.
EDITABLE_FIELDS = (
    "full_name",
    "category",
    "position_title",
    "is_leader",
    "job_position",
    "in_position_since",
    "joined_on",
    "left_on",
    "date_of_birth",
    "retirement_on",
    "email",
)


def _refuse(*refusals: rules.Refused | None) -> None:
    for refusal in refusals:
        if refusal is not None:
            raise refusal


def _close(closings: list[rules.Closing[Any]]) -> None:
    """Write the closings a rule decided, with their audit lines."""
    for closing in closings:
        term = closing.term
        before = auditing.snapshot(term)
        if closing.deleted:
            # Audited first: a deleted instance has lost its primary key.
            auditing.record(term, action=auditing.DELETE, before=before)
            term.delete()
            continue
        term.valid_to = closing.ends_on
        term.save(update_fields=["valid_to"])
        auditing.record(term, action=auditing.UPDATE, before=before)


def _running_on(on: dt.date) -> Q:
    return Q(valid_to__isnull=True) | Q(valid_to__gte=on)


@transaction.atomic
def staff_create(
    *, scope: Scope, code: str, full_name: str, category: str, unit: Unit, **fields: Any
) -> Staff:
    scope.require_write_unit(unit.pk)
    today = timezone.localdate()
    joined_on, left_on = fields.get("joined_on"), fields.get("left_on")
    _refuse(
        *rules.placement_refusals(
            unit, code=unit.code, on=today, joined_on=joined_on, left_on=left_on
        )
    )
    require_new_code(
        Staff, code, _("A staff member with code '%(code)s' already exists.") % {"code": code}
    )
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    staff = Staff(code=code, full_name=full_name, category=category, unit=unit, **fields)
    staff.full_clean()
    staff.save()
    auditing.record(staff, action=auditing.CREATE)
    assignment = Assignment.objects.create(
        staff=staff,
        unit=unit,
        valid_from=joined_on or today,
        valid_to=left_on,
        reason=AssignmentReason.APPOINTMENT,
    )
    auditing.record(assignment, action=auditing.CREATE)
    return staff


@transaction.atomic
def staff_update(
    *, scope: Scope, staff: Staff, expected_version: int, data: dict[str, Any]
) -> Staff:
    scope.require_write_unit(staff.unit_id)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    before = auditing.snapshot(staff)
    previous_left_on = staff.left_on
    for key, value in data.items():
        setattr(staff, key, value)
    _refuse(rules.employment_refusal(staff.joined_on, staff.left_on))
    if staff.left_on != previous_left_on:
        _end_employment(staff, previous=previous_left_on)
    staff.refresh_search_text()
    staff.full_clean(validate_unique=False)
    save_versioned(
        staff, expected_version=expected_version, fields=[*data, "search_text", "name_key"]
    )
    auditing.record(staff, action=auditing.UPDATE, before=before)
    return staff


def _end_employment(staff: Staff, *, previous: dt.date | None) -> None:
    """The end of employment moved: the person's assignments and headships end on the new
    last day (`rules.leaving_ends`, which the import applies too)."""
    terms: list[Assignment | HeadAssignment] = [
        *Assignment.objects.select_for_update().filter(staff=staff).order_by("valid_from", "pk"),
        *HeadAssignment.objects.select_for_update().filter(staff=staff).order_by("valid_from"),
    ]
    for ending in rules.leaving_ends(terms, left_on=staff.left_on, previous=previous):
        term = ending.term
        before = auditing.snapshot(term)
        term.valid_to = ending.ends_on
        term.save(update_fields=["valid_to"])
        auditing.record(term, action=auditing.UPDATE, before=before)


@transaction.atomic
def staff_transfer(
    *, scope: Scope, staff: Staff, unit: Unit, on: dt.date, expected_version: int, note: str = ""
) -> Staff:
    """Move `staff` to `unit` from `on`: the running assignment ends the day before
    (`rules.transfer_closings`, which the import applies too)."""
    # Both ends must be in the writer's scope: nobody moves a record out of their own reach,
    # nor pulls one in from a unit they cannot see.
    scope.require_write_unit(staff.unit_id)
    scope.require_write_unit(unit.pk)
    _refuse(rules.unit_refusal(unit, code=unit.code, on=on))
    if staff.left_on is not None and on > staff.left_on:
        raise DomainError(
            _("The staff member left on %(date)s.") % {"date": staff.left_on.isoformat()},
            field_errors={"on": [_("This day is after the last day of employment.")]},
        )
    if unit.pk == staff.unit_id:
        raise DomainError(_("The staff member is already in this unit."))
    before = auditing.snapshot(staff)
    running = Assignment.objects.select_for_update().filter(_running_on(on), staff=staff)
    _close(rules.transfer_closings(running.order_by("valid_from", "pk"), on=on))
    new = Assignment.objects.create(
        staff=staff,
        unit=unit,
        valid_from=on,
        valid_to=staff.left_on,
        reason=AssignmentReason.TRANSFER,
        note=note,
    )
    auditing.record(new, action=auditing.CREATE)
    staff.unit = unit
    save_versioned(staff, expected_version=expected_version, fields=["unit"])
    auditing.record(staff, action=auditing.UPDATE, before=before)
    return staff


@transaction.atomic
def head_assign(
    *, scope: Scope, unit: Unit, staff: Staff, role: str, valid_from: dt.date
) -> HeadAssignment:
    """Make `staff` head (or deputy) of `unit` from `valid_from`; a new head ends the previous
    head's term (`rules.head_closings`, which the import applies too)."""
    scope.require_write_unit(unit.pk)
    _refuse(rules.unit_refusal(unit, code=unit.code, on=valid_from, field="valid_from"))
    if role == "head":
        running = HeadAssignment.objects.select_for_update().filter(
            _running_on(valid_from), unit=unit, role="head"
        )
        _close(rules.head_closings(running.order_by("valid_from", "pk"), on=valid_from))
    head = HeadAssignment.objects.create(unit=unit, staff=staff, role=role, valid_from=valid_from)
    auditing.record(head, action=auditing.CREATE)
    return head
