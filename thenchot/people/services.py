"""Writes to staff records, their assignments and headships. Audited, scope re-checked."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError
from thenchot.org.models import Unit
from thenchot.people.models import Assignment, HeadAssignment, Staff, staff_search_text

EDITABLE_FIELDS = {
    "full_name",
    "category",
    "position_title",
    "is_leader",
    "job_position",
    "in_position_since",
    "joined_on",
    "date_of_birth",
    "retirement_on",
    "email",
}


def _require_unit_on(unit: Unit, on: dt.date, field: str = "unit") -> None:
    if not unit.is_valid_on(on):
        raise DomainError(
            _("Unit '%(unit)s' did not exist on %(date)s.")
            % {"unit": unit.code, "date": on.isoformat()},
            field_errors={field: [_("This unit did not exist on that date.")]},
        )


@transaction.atomic
def staff_create(
    *, scope: Scope, code: str, full_name: str, category: str, unit: Unit, **fields: Any
) -> Staff:
    scope.require_write_unit(unit.pk)
    start = fields.get("joined_on") or timezone.localdate()
    _require_unit_on(unit, start)
    if Staff.objects.filter(code=code).exists():
        raise DomainError(
            _("A staff member with code '%(code)s' already exists.") % {"code": code},
            field_errors={"code": [_("This code is already used.")]},
        )
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("Unknown fields: %s") % ", ".join(sorted(unknown)))
    staff = Staff(code=code, full_name=full_name, category=category, unit=unit, **fields)
    staff.full_clean()
    staff.save()
    auditing.record(staff, action=auditing.CREATE)
    assignment = Assignment.objects.create(staff=staff, unit=unit, valid_from=start)
    auditing.record(assignment, action=auditing.CREATE)
    return staff


@transaction.atomic
def staff_update(
    *, scope: Scope, staff: Staff, expected_version: int, data: dict[str, Any]
) -> Staff:
    scope.require_write_unit(staff.unit_id)
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise DomainError(_("These fields cannot be changed here: %s") % ", ".join(sorted(unknown)))
    before = auditing.snapshot(staff)
    for key, value in data.items():
        setattr(staff, key, value)
    staff.search_text = staff_search_text(staff.code, staff.full_name)
    staff.full_clean(validate_unique=False)
    fields = [("job_position" if k == "job_position" else k) for k in data] + ["search_text"]
    save_versioned(staff, expected_version=expected_version, fields=fields)
    auditing.record(staff, action=auditing.UPDATE, before=before)
    return staff


@transaction.atomic
def staff_transfer(
    *, scope: Scope, staff: Staff, unit: Unit, on: dt.date, expected_version: int, note: str = ""
) -> Staff:
    """Move `staff` to `unit` from `on`: the open assignment ends the day before."""
    # Both ends must be in the writer's scope: nobody moves a record out of their own reach,
    # nor pulls one in from a unit they cannot see.
    scope.require_write_unit(staff.unit_id)
    scope.require_write_unit(unit.pk)
    _require_unit_on(unit, on)
    if unit.pk == staff.unit_id:
        raise DomainError(_("The staff member is already in this unit."))
    before = auditing.snapshot(staff)
    for assignment in Assignment.objects.select_for_update().filter(
        staff=staff, valid_to__isnull=True
    ):
        if assignment.valid_from and assignment.valid_from >= on:
            raise DomainError(
                _("The current assignment starts on %(date)s; a transfer must come after it.")
                % {"date": assignment.valid_from.isoformat()}
            )
        a_before = auditing.snapshot(assignment)
        assignment.valid_to = on - dt.timedelta(days=1)
        assignment.save(update_fields=["valid_to"])
        auditing.record(assignment, action=auditing.UPDATE, before=a_before)
    new = Assignment.objects.create(staff=staff, unit=unit, valid_from=on, note=note)
    auditing.record(new, action=auditing.CREATE)
    staff.unit = unit
    save_versioned(staff, expected_version=expected_version, fields=["unit"])
    auditing.record(staff, action=auditing.UPDATE, before=before)
    return staff


@transaction.atomic
def head_assign(
    *, scope: Scope, unit: Unit, staff: Staff, role: str, valid_from: dt.date
) -> HeadAssignment:
    """Make `staff` head (or deputy) of `unit` from `valid_from`; a previous head's term ends."""
    scope.require_write_unit(unit.pk)
    _require_unit_on(unit, valid_from)
    if role == "head":
        for current in HeadAssignment.objects.select_for_update().filter(
            unit=unit, role="head", valid_to__isnull=True
        ):
            before = auditing.snapshot(current)
            current.valid_to = valid_from - dt.timedelta(days=1)
            if current.valid_from and current.valid_to < current.valid_from:
                raise DomainError(_("The current head's term starts after this date."))
            current.save(update_fields=["valid_to"])
            auditing.record(current, action=auditing.UPDATE, before=before)
    head = HeadAssignment.objects.create(unit=unit, staff=staff, role=role, valid_from=valid_from)
    auditing.record(head, action=auditing.CREATE)
    return head
