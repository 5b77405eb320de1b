"""Who reviews and who approves whom (rules.md): the direct manager reviews — the head of the
person's unit (or of a unit above it inside the agency) on the day, or a
`division_manager`/`unit_head` grant covering the person's unit; the unit head approves — the
head of the agency (or of a unit above it), or a `unit_head` grant covering the agency. Heads of
departments and of units directly under the City are rated collectively instead: by the City
People's Committee's leadership, or — heads of Party boards and mass organisations — by the Party
Secretary with the Standing Board (`collective_body`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import F, QuerySet

from thenchot.accounts.choices import Role
from thenchot.accounts.models import RoleGrant
from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal.choices import CollectiveBody
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.base import _today
from thenchot.core.id_sets import InIds
from thenchot.core.prepared import PreparedRows
from thenchot.core.scope import memo
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.choices import HeadRole
from thenchot.people.models import HeadAssignment, Staff

CITY_KINDS = {"city"}
# Agencies whose head the Party Secretary rates with the Standing Board (Hanoi, 2022 amendment).
PARTY_KINDS = {"party_body", "mass_organisation"}


def _staff_id(user: Any) -> int | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return Staff.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()


def _roles(user: Any) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    roles = set(RoleGrant.objects.filter(user_id=user.pk).values_list("role", flat=True))
    if user.is_superuser:
        roles.add(Role.ADMIN.value)
    return roles


@dataclass(frozen=True)
class Line:
    """What one user manages on one date: units whose people they review, units they approve."""

    user_id: int | None
    staff_id: int | None
    reviews: frozenset[int] = frozenset()  # units (subtrees expanded)
    approves: frozenset[int] = frozenset()
    city_leader: bool = False
    admin: bool = False

    def may_review(self, evaluation: Evaluation) -> bool:
        return (
            self.user_id is not None
            and evaluation.staff_id != self.staff_id
            and evaluation.unit_id in self.reviews
        )

    def may_approve(self, evaluation: Evaluation) -> bool:
        return (
            self.user_id is not None
            and evaluation.staff_id != self.staff_id
            and evaluation.period.agency_id in self.approves
        )


def line_for(user: Any, on: dt.date | None = None) -> Line:
    """The user's managing line on `on` (default today): two queries and the tree. Inside a
    request (`core.scope.request_memo`) it is worked out once per user and day, from the grants
    and staff link the request's scope read (one query for the head assignments): the home
    page's to-do list and the pages' navigation ask for it again."""
    on = on or _today()
    if user is None or not getattr(user, "is_authenticated", False):
        return Line(user_id=None, staff_id=None)
    kept = memo()
    if kept is None:
        grants = list(RoleGrant.objects.filter(user_id=user.pk).values_list("role", "unit_id"))
        return _line(user, on, _staff_id(user), grants)
    key = ("appraisal.line", user.pk, user.is_superuser, on)
    line = kept.get(key)
    if line is None:
        scope = compute_scope(user, on)  # the request's own, already computed: no query
        heads = scope.headships if scope.facts_read else None  # read with the grants
        line = _line(user, on, scope.own_staff_id, scope.grants, heads)
        kept[key] = line
    return cast(Line, line)


def _line(
    user: Any,
    on: dt.date,
    staff_id: int | None,
    grants: Sequence[tuple[str, int | None]],
    heads: Sequence[tuple[int, str]] | None = None,
) -> Line:
    """The line from the grants and the user's headships on `on` (unit id, role): those given,
    else read."""
    snap = tree()
    reviews: set[int] = set()
    approves: set[int] = set()
    roles = {role for role, _unit in grants}
    for role, unit_id in grants:
        if unit_id is None or unit_id not in snap.units:
            continue
        if role in (Role.DIVISION_MANAGER, Role.UNIT_HEAD):
            reviews |= snap.subtree_on(unit_id, on)
        if role == Role.UNIT_HEAD:
            approves |= snap.subtree_on(unit_id, on)
    if heads is None and staff_id is not None:
        heads = list(
            HeadAssignment.objects.filter(valid_on_q(on), staff_id=staff_id).values_list(
                "unit_id", "role"
            )
        )
    if heads:
        for unit_id, role in heads:
            if unit_id not in snap.units:
                continue
            sub = snap.subtree_on(unit_id, on)
            reviews |= sub
            if role == "head":
                approves |= sub
    return Line(
        user_id=user.pk,
        staff_id=staff_id,
        reviews=frozenset(reviews),
        approves=frozenset(approves),
        city_leader=Role.CITY_LEADERSHIP.value in roles,
        admin=user.is_superuser or Role.ADMIN.value in roles,
    )


def collective_body(evaluation: Evaluation, on: dt.date | None = None) -> CollectiveBody | None:
    """Who rates this head collectively, or None when one person approves the evaluation: the
    head of a department or of another unit directly under the City is rated by the City
    People's Committee's leadership; the head of a Party board or mass organisation directly
    under the City by the Party Secretary with the Standing Board (rules.md "Who rates whom")."""
    return collective_bodies([evaluation], on)[evaluation.pk]


def rated_collectively(evaluation: Evaluation, on: dt.date | None = None) -> bool:
    """A head rated by a collective decision (`collective_body`), not approved by one person."""
    return collective_body(evaluation, on) is not None


def _agency_heads(day: dt.date, *, staff: Any, units: Any) -> QuerySet[HeadAssignment, Any]:
    return HeadAssignment.objects.filter(
        valid_on_q(day), InIds(F("staff_id"), staff), InIds(F("unit_id"), units), role=HeadRole.HEAD
    ).values_list("staff_id", "unit_id")


# (staff id, unit id) of the heads among `staff` of `units` on a day (the shape): compiled once
# a day (`core.prepared`), a board's heads asked on every view.
_AGENCY_HEADS = PreparedRows(_agency_heads, arrays=("staff", "units"), shaped=True)


def collective_bodies(
    evaluations: Iterable[Evaluation], on: dt.date | None = None
) -> dict[int, CollectiveBody | None]:
    """`collective_body` of each evaluation, by its pk: one query per day asked (one for a
    board's month) instead of one per head line (issue 18). The day is `on`, else the period's
    end or today if sooner; only the head of the agency itself counts, not the head of a
    division inside it."""
    snap = tree()
    today = _today()
    found: dict[int, CollectiveBody | None] = {}
    asked: dict[dt.date, list[tuple[Evaluation, int]]] = {}
    for evaluation in evaluations:
        found[evaluation.pk] = None
        if not evaluation.is_head:
            continue
        day = on or min(evaluation.period.ends_on, today)
        agency = evaluation.period.agency_id
        parent = snap.parent_on(agency, day)
        if parent is None or snap.units[parent].kind not in CITY_KINDS:
            continue
        asked.setdefault(day, []).append((evaluation, agency))
    for day, pairs in asked.items():
        heads = set(
            _AGENCY_HEADS.run(
                shape=day,
                staff=[ev.staff_id for ev, _agency in pairs],
                units=[agency for _ev, agency in pairs],
            )
        )
        for evaluation, agency in pairs:
            if (evaluation.staff_id, agency) in heads:
                found[evaluation.pk] = (
                    CollectiveBody.PARTY_STANDING_BOARD
                    if snap.units[agency].kind in PARTY_KINDS
                    else CollectiveBody.CITY_COMMITTEE
                )
    return found
