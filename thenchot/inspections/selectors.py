"""Reads of inspections, always through the user's scope, with a fixed number of queries.

Who may read an inspection:
- a city-wide user (administrator, city leadership);
- the conducting side: anyone whose readable units hold the conducting unit, and the members of
  its team;
- the target side: anyone whose readable units hold the target unit, one of the other target
  units or the responsible unit of one of its recommendations — EXCEPT a surprise inspection
  before its `started_on`: an unannounced inspection must not be seen by the people it is
  going to inspect, so for them it does not exist (not in lists, not by code, not in counts).

Who may act (`InspectionAuthority`):
- *manages* a unit: holds an inspector, personnel, unit_head or division_manager grant over it
  (its subtree on the date), or heads/deputises it; administrators manage everything;
- the *conducting side* of an inspection (records it, its team, findings, conclusion and
  recommendations; accepts or returns remediation reports): whoever manages its conducting unit;
- the *remedying side* of a recommendation (reports remediation): whoever manages its
  responsible unit.
A new inspection's targets must lie within the units its author manages ("the inspector's
reach"): an inspector granted on the city unit reaches the whole city.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from thenchot.accounts.choices import Role
from thenchot.accounts.models import RoleGrant
from thenchot.accounts.scoping import Scope
from thenchot.core.registry import RecordAccess, signed_in
from thenchot.inspections.choices import InspectionKind, Topic
from thenchot.inspections.models import (
    ChecklistAnswer,
    ChecklistItem,
    Finding,
    Inspection,
    InspectionPlan,
    Recommendation,
    RemediationReport,
    TeamMember,
)
from thenchot.inspections.status import annotate_status
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import HeadAssignment, Staff

if TYPE_CHECKING:
    from thenchot.inspections.status import RecommendationWithStatus

MANAGER_ROLES = {
    Role.INSPECTOR.value,
    Role.PERSONNEL.value,
    Role.UNIT_HEAD.value,
    Role.DIVISION_MANAGER.value,
}


# -- who may act --------------------------------------------------------------------------------
@dataclass(frozen=True)
class InspectionAuthority:
    user_id: int | None
    on: dt.date
    admin: bool = False
    staff_id: int | None = None
    managed: frozenset[int] = frozenset()

    def manages(self, unit_id: int) -> bool:
        return self.user_id is not None and (self.admin or unit_id in self.managed)

    def is_conducting_side(self, inspection: Inspection) -> bool:
        return self.manages(inspection.conducted_by_id)

    def is_remedying_side(self, recommendation: Recommendation) -> bool:
        return self.manages(recommendation.responsible_unit_id)


def authority_for(
    user: Any, on: dt.date | None = None, *, scope: Scope | None = None
) -> InspectionAuthority:
    """The user's authority over inspections on `on` (default today): three small queries, one
    when the user's `scope` of the request is given (its grants and staff record)."""
    on = on or timezone.localdate()
    if user is None or not getattr(user, "is_authenticated", False):
        return InspectionAuthority(user_id=None, on=on)
    grants: list[tuple[str, int | None]]
    if scope is not None and scope.user_id == user.pk:
        grants, staff_id = list(scope.grants), scope.own_staff_id
    else:
        grants = list(RoleGrant.objects.filter(user_id=user.pk).values_list("role", "unit_id"))
        staff_id = Staff.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    roles = {role for role, _unit in grants}
    snapshot = tree()
    managed: set[int] = set()
    for role, unit_id in grants:
        if role in MANAGER_ROLES and unit_id is not None and unit_id in snapshot.units:
            managed |= snapshot.subtree_on(unit_id, on)
    if staff_id is not None:
        for unit_id in HeadAssignment.objects.filter(valid_on_q(on), staff_id=staff_id).values_list(
            "unit_id", flat=True
        ):
            if unit_id in snapshot.units:
                managed |= snapshot.subtree_on(unit_id, on)
    return InspectionAuthority(
        user_id=user.pk,
        on=on,
        admin=bool(user.is_superuser) or Role.ADMIN.value in roles,
        staff_id=staff_id,
        managed=frozenset(managed),
    )


# -- who may read -------------------------------------------------------------------------------
def secret_q(on: dt.date, prefix: str = "") -> Q:
    """Surprise inspections not yet started on `on`: hidden from their target side."""
    return Q(**{f"{prefix}kind": InspectionKind.SURPRISE, f"{prefix}started_on__gt": on})


def inspection_read_q(scope: Scope, prefix: str = "") -> Q:
    """Q over Inspection rows (at `prefix`, e.g. "inspection__") readable with `scope`."""
    if scope.is_anonymous:
        return Q(pk__in=[])
    if scope.city_wide:
        return Q()
    p = prefix
    q = Q(pk__in=[])
    if scope.own_staff_id is not None:
        q |= Q(
            **{
                f"{p}pk__in": TeamMember.objects.filter(staff_id=scope.own_staff_id).values(
                    "inspection_id"
                )
            }
        )
    if scope.read_units:
        units = sorted(scope.read_units)
        q |= Q(**{f"{p}conducted_by_id__in": units})
        through = Inspection.other_targets.through
        target_side = (
            Q(**{f"{p}target_unit_id__in": units})
            | Q(**{f"{p}pk__in": through.objects.filter(unit_id__in=units).values("inspection_id")})
            | Q(
                **{
                    f"{p}pk__in": Recommendation.objects.filter(
                        responsible_unit_id__in=units
                    ).values("inspection_id")
                }
            )
        )
        q |= target_side & ~secret_q(scope.on, p)
    return q


def restrict_inspections(scope: Scope, qs: QuerySet[Inspection]) -> QuerySet[Inspection]:
    if scope.is_anonymous:
        return qs.none()
    return qs.filter(inspection_read_q(scope))


def can_read_inspection(scope: Scope, inspection: Inspection) -> bool:
    if scope.is_anonymous:
        return False
    if scope.city_wide:
        return True
    return Inspection.objects.filter(inspection_read_q(scope), pk=inspection.pk).exists()


def _via_inspection(scope: Scope, record: Any) -> bool:
    return can_read_inspection(scope, record.inspection)


def _plan_readable(scope: Scope, plan: Any) -> bool:
    return scope.can_read_unit(plan.conducted_by_id)


RECORD_ACCESS: dict[str, RecordAccess] = {
    "inspections.inspection": can_read_inspection,
    "inspections.inspectionplan": _plan_readable,
    "inspections.planitem": lambda scope, obj: _plan_readable(scope, obj.plan),
    "inspections.finding": _via_inspection,
    "inspections.recommendation": _via_inspection,
    "inspections.teammember": _via_inspection,
    "inspections.checklistanswer": _via_inspection,
    "inspections.remediationreport": lambda scope, obj: _via_inspection(scope, obj.recommendation),
    "inspections.checklistitem": signed_in,
}


LIST_RELATED = ("conducted_by", "target_unit", "ordered_by")


def inspection_queryset(scope: Scope) -> QuerySet[Inspection]:
    return restrict_inspections(scope, Inspection.objects.select_related(*LIST_RELATED))


def inspection_detail(scope: Scope, code: str, on: dt.date | None = None) -> Inspection | None:
    """One inspection with everything its page shows, or None when it does not exist or is not
    readable — the caller answers 404 either way, so a hidden one is indistinguishable."""
    on = on or timezone.localdate()
    qs = inspection_queryset(scope).prefetch_related(
        "other_targets",
        Prefetch(
            "team",
            queryset=TeamMember.objects.select_related("staff", "staff__unit").order_by(
                "-is_lead", "staff__name_key", "id"
            ),
        ),
        Prefetch("findings", queryset=Finding.objects.order_by("position", "id")),
        Prefetch("checklist", queryset=ChecklistAnswer.objects.select_related("item")),
        Prefetch(
            "recommendations",
            queryset=annotate_status(
                Recommendation.objects.select_related("responsible_unit"), on
            ).order_by("due_on", "code"),
        ),
    )
    return qs.filter(code=code).first()


def reports_by_recommendation(rec_ids: list[int]) -> dict[int, list[RemediationReport]]:
    out: dict[int, list[RemediationReport]] = defaultdict(list)
    for report in (
        RemediationReport.objects.filter(recommendation_id__in=rec_ids)
        .select_related("reported_by", "decided_by")
        .order_by("reported_on", "id")
    ):
        out[report.recommendation_id].append(report)
    return dict(out)


def recommendation_queryset(
    scope: Scope, on: dt.date | None = None
) -> QuerySet[RecommendationWithStatus]:
    """Recommendations of readable inspections, with `status` on `on` annotated."""
    on = on or timezone.localdate()
    qs = Recommendation.objects.select_related(
        "inspection", "inspection__conducted_by", "inspection__target_unit", "responsible_unit"
    )
    if scope.is_anonymous:
        qs = qs.none()
    elif not scope.city_wide:
        qs = qs.filter(inspection_read_q(scope, prefix="inspection__"))
    return annotate_status(qs, on)


def plan_queryset(scope: Scope) -> QuerySet[InspectionPlan]:
    """Plans are published internally: readable by the conducting unit's subtree (and the city)."""
    qs = InspectionPlan.objects.select_related("conducted_by").prefetch_related(
        "items__target_unit"
    )
    if scope.is_anonymous:
        return qs.none()
    return qs.filter(scope.unit_filter("conducted_by_id"))


def taken_part_in(scope: Scope, staff: Staff) -> QuerySet[Inspection]:
    """Inspections `staff` was on the team of (for the person page), as readable by `scope`."""
    return inspection_queryset(scope).filter(
        Exists(TeamMember.objects.filter(inspection_id=OuterRef("pk"), staff_id=staff.pk))
    )


def checklist_questions(inspection: Inspection, answered: set[int]) -> list[ChecklistItem]:
    """The active checks under the inspection's topics, and the retired ones it already answered
    (their answers stay editable), in the documented topic order."""
    order = {value: index for index, value in enumerate(Topic.values)}
    items = ChecklistItem.objects.filter(topic__in=inspection.topics).filter(
        Q(active=True) | Q(pk__in=answered)
    )
    return sorted(items, key=lambda i: (order.get(i.topic, 99), i.position, i.code))
