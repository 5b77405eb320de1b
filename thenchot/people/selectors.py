"""Reads of staff, always through the user's scope, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from thenchot.accounts.scoping import Scope
from thenchot.core.id_sets import rows_for
from thenchot.core.picker import ranked
from thenchot.core.registry import RecordAccess, signed_in
from thenchot.org.models import valid_on_q
from thenchot.people.models import Assignment, HeadAssignment, Staff


def can_read_staff(scope: Scope, staff: Staff) -> bool:
    """One staff record, in memory: the reader's units, or the reader's own record."""
    return scope.can_read_unit(staff.unit_id) or staff.pk == scope.own_staff_id


RECORD_ACCESS: dict[str, RecordAccess] = {
    "people.staff": can_read_staff,
    "people.assignment": lambda scope, obj: can_read_staff(scope, obj.staff),
    "people.headassignment": lambda scope, obj: scope.can_read_unit(obj.unit_id),
    "people.jobposition": signed_in,
}


def head_exists(on: dt.date) -> Exists:
    """Annotation: the staff member is head of their own unit on `on` (derived, rules.md)."""
    return Exists(
        HeadAssignment.objects.filter(
            valid_on_q(on), staff_id=OuterRef("pk"), unit_id=OuterRef("unit_id"), role="head"
        )
    )


def staff_queryset(scope: Scope, on: dt.date | None = None) -> QuerySet[Staff]:
    """Staff the user may read, with unit and job position joined and `is_head` annotated."""
    from django.utils import timezone

    on = on or timezone.localdate()
    qs = Staff.objects.select_related("unit", "job_position").annotate(is_head=head_exists(on))
    return scope.restrict_staff(qs)


def staff_in_units_on(qs: QuerySet[Staff], unit_ids: set[int], on: dt.date) -> QuerySet[Staff]:
    """Staff whose assignment on `on` lies in `unit_ids` (the tree as it was)."""
    return qs.filter(
        Exists(
            Assignment.objects.filter(
                valid_on_q(on), staff_id=OuterRef("pk"), unit_id__in=sorted(unit_ids)
            )
        )
    )


def heads_of(unit_id: int, on: dt.date) -> QuerySet[HeadAssignment]:
    return (
        HeadAssignment.objects.filter(valid_on_q(on), unit_id=unit_id)
        .select_related("staff")
        .order_by("role", "staff__name_key")
    )


def head_user_ids(unit_ids: set[int], on: dt.date) -> dict[int, list[int]]:
    """unit id -> user ids of its heads on `on` (one query), for whom reminders escalate to and
    whom a service notifies; a head without a user account is left out."""
    result: dict[int, list[int]] = defaultdict(list)
    rows = (
        HeadAssignment.objects.filter(
            valid_on_q(on),
            unit_id__in=sorted(unit_ids),
            role="head",
            staff__user_id__isnull=False,
        )
        .values_list("unit_id", "staff__user_id")
        .order_by("unit_id", "staff__user_id")
    )
    for unit_id, user_id in rows:
        result[unit_id].append(user_id)
    return dict(result)


def staff_search_q(text: str) -> Q:
    from thenchot.core.text import fold

    folded = fold(text)
    q = Q()
    for word in folded.split():
        q &= Q(search_text__contains=word)
    return q


def assignment_units(staff_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, int]:
    """Per person, the unit of their assignment on `end`, else of their last assignment in
    [start, end] (someone who left before `end`); with `start == end`, the unit on that day."""
    out: dict[int, int] = {}
    rows = rows_for(  # one array on PostgreSQL, chunks under SQLite's limit, or everyone
        staff_ids,
        Assignment.objects.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=end))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start))
        .order_by("staff_id", "valid_from", "pk"),
        "staff_id",
        "staff_id",
        "unit_id",
    )
    for staff_id, unit_id in rows:
        out[staff_id] = unit_id  # the latest start wins
    return out


def pick_staff(scope: Scope, text: str, *, unit_ids: set[int] | None = None) -> list[Staff]:
    """Picker suggestions: readable staff matching `text` (name or code, without diacritics),
    the exact code first; `unit_ids` narrows them to those units."""
    qs = scope.restrict_staff(Staff.objects.select_related("unit"))
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=sorted(unit_ids))
    return ranked(qs, text, order=("name_key",))
