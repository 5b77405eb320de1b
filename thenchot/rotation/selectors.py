"""Reads for periodic rotation: the due list, postponements from existing records, plan figures.

The due list is set-based for a city's 200,000 staff: one query for the listed positions, one
for the people holding them, then one each for the records that postpone a move (open
discipline cases, leaves, children, recorded postponements); everything else is Python over
tuples (`rotation.rules.evaluate`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from thenchot.accounts.scoping import Scope
from thenchot.core.collation import name_sort_key
from thenchot.core.registry import RecordAccess
from thenchot.discipline.selectors import can_read_discipline, discipline_access, open_cases_on
from thenchot.org.tree import tree
from thenchot.people.models import Child, JobPosition, Leave, Staff
from thenchot.people.selectors import can_read_staff
from thenchot.rotation import rules
from thenchot.rotation.choices import DueStatus, PostponementReason
from thenchot.rotation.models import PlanItem, Postponement, Rotation, RotationPlan

STATUS_ORDER = {rules.DUE: 0, rules.UPCOMING: 1, rules.POSTPONED: 2, rules.EXEMPT: 3}
ROTATING_CATEGORIES = ("cadre", "civil_servant", "public_employee")


@dataclass(frozen=True)
class DueLine:
    staff_id: int
    code: str
    full_name: str
    unit_id: int
    unit_code: str
    unit_name: str
    job_code: str
    job_name: str
    period_months: int
    in_position_since: dt.date
    retirement_on: dt.date | None
    entry: rules.Entry

    @property
    def status(self) -> str:
        return self.entry.status

    @property
    def status_label(self) -> str:
        return str(dict(DueStatus.choices).get(self.status, self.status))

    @property
    def due_on(self) -> dt.date:
        return self.entry.due_on

    @property
    def reasons(self) -> list[dict[str, Any]]:
        labels = dict(PostponementReason.choices)
        return [
            {
                "reason": b.reason,
                "label": labels.get(b.reason, b.reason),
                "from": b.start,
                "to": b.end,
                "source": b.source,
            }
            for b in self.entry.blockers
        ]


def blockers_for(staff_ids: Iterable[int] | None, on: dt.date) -> dict[int, list[rules.Blocker]]:
    """Postponing reasons holding on `on`, per person, from the records that already say so.

    `staff_ids` None: everyone (a few bounded queries; the tables hold only live reasons).
    """

    wanted = None if staff_ids is None else set(staff_ids)
    out: dict[int, list[rules.Blocker]] = defaultdict(list)

    def keep(staff_id: int) -> bool:
        return wanted is None or staff_id in wanted

    def restrict(qs: QuerySet[Any]) -> QuerySet[Any]:
        if wanted is not None and len(wanted) <= 500:
            return qs.filter(staff_id__in=sorted(wanted))
        return qs

    # 1. Under disciplinary review: from detection until the case closes.
    for staff_id, code, detected, closed in restrict(open_cases_on(on)).values_list(
        "staff_id", "code", "detected_on", "closed_on"
    ):
        if keep(staff_id):
            out[staff_id].append(
                rules.Blocker(PostponementReason.DISCIPLINARY_REVIEW, detected, closed, code)
            )
    # 2. Leaves that postpone: serious illness, long study, secondment, maternity.
    leave_reason = {
        "sick": PostponementReason.SERIOUS_ILLNESS,
        "secondment": PostponementReason.SECONDMENT,
        "maternity": PostponementReason.PREGNANCY,
        "study": PostponementReason.LONG_STUDY,
    }
    for staff_id, code, kind, start, end in restrict(
        Leave.objects.filter(kind__in=sorted(leave_reason), date_from__lte=on, date_to__gte=on)
    ).values_list("staff_id", "code", "kind", "date_from", "date_to"):
        if not keep(staff_id):
            continue
        if kind == "study" and not rules.study_is_long(start, end):
            continue
        out[staff_id].append(rules.Blocker(leave_reason[kind], start, end, code))
    # 3. A child under 36 months: a mother (her maternity leave covers the birth), or a father
    #    recorded as sole carer. Staff records hold no sex: the maternity leave is the record
    #    that says who bore the child.
    born_after = rules.add_months(on, -rules.CHILD_MONTHS)
    children = [
        row
        for row in restrict(
            Child.objects.filter(born_on__gt=born_after, born_on__lte=on)
        ).values_list("staff_id", "born_on", "sole_carer")
        if keep(row[0])
    ]
    if children:
        parents = sorted({c[0] for c in children})
        maternity: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)
        for start in range(0, len(parents), 900):
            for staff_id, d_from, d_to in Leave.objects.filter(
                kind="maternity",
                staff_id__in=parents[start : start + 900],
                date_to__gte=born_after,
            ).values_list("staff_id", "date_from", "date_to"):
                maternity[staff_id].append((d_from, d_to))
        for staff_id, born_on, sole in children:
            mother = any(a <= born_on <= b for a, b in maternity.get(staff_id, ()))
            blocker = rules.child_blocker(
                born_on=born_on, sole_carer=sole, mother=mother, source=born_on.isoformat()
            )
            if blocker is not None and blocker.active_on(on):
                out[staff_id].append(blocker)
    # 4. Recorded postponements (inspection, prosecution, pregnancy before leave, ...).
    for staff_id, pk, reason, start, end in restrict(
        Postponement.objects.filter(date_from__lte=on).filter(
            Q(date_to__isnull=True) | Q(date_to__gte=on)
        )
    ).values_list("staff_id", "pk", "reason", "date_from", "date_to"):
        if keep(staff_id):
            out[staff_id].append(rules.Blocker(reason, start, end, f"#{pk}"))
    return out


def due_list(
    *,
    scope: Scope | None,
    unit_id: int | None,
    on: dt.date,
    within_months: int = 0,
    staff_ids: Iterable[int] | None = None,
) -> list[DueLine]:
    """People in listed positions due for rotation on `on` or within `within_months`, in the
    subtree of `unit_id` (None: the city), read through `scope` (None: the system) with the
    discipline access rule (the reasons shown are as sensitive as discipline records).

    Leaders are not in it (their moves are cadre rotation); people without a start date in
    their position cannot be placed and are left out.
    """

    snap = tree()
    jobs = {
        pk: (code, name, months)
        for pk, code, name, months in JobPosition.objects.filter(
            rotation_subject=True, rotation_period_months__isnull=False
        ).values_list("id", "code", "name", "rotation_period_months")
        if months is not None  # always (filtered above): narrows the type
    }
    if not jobs:
        return []
    qs = Staff.objects.filter(
        job_position_id__in=sorted(jobs),
        is_leader=False,
        in_position_since__isnull=False,
        category__in=ROTATING_CATEGORIES,
    )
    units: set[int] | None = None
    if unit_id is not None:
        units = snap.subtree_on(unit_id, on)
    if scope is not None:
        # Postponement reasons reveal discipline and health: the list is for those who may
        # read discipline records (personnel officers and leaders in scope).

        access = discipline_access(scope)
        if not access.everything:
            units = set(access.units) if units is None else units & access.units
    if units is not None:
        qs = qs.filter(unit_id__in=sorted(units))
    if staff_ids is not None:
        qs = qs.filter(pk__in=sorted(set(staff_ids)))
    horizon = rules.add_months(on, within_months)
    candidates = []
    for row in qs.values_list(
        "id",
        "code",
        "full_name",
        "unit_id",
        "job_position_id",
        "in_position_since",
        "retirement_on",
    ).iterator(chunk_size=5000):
        if row[5] is not None and rules.add_months(row[5], jobs[row[4]][2]) <= horizon:
            candidates.append(row)
    blockers = blockers_for({r[0] for r in candidates}, on) if candidates else {}
    lines: list[DueLine] = []
    for pk, code, name, unit, job_id, since, retires in candidates:
        if since is None:  # never: filtered above
            continue
        job_code, job_name, months = jobs[job_id]
        entry = rules.evaluate(
            in_position_since=since,
            period_months=months,
            retirement_on=retires,
            blockers=blockers.get(pk, ()),
            on=on,
            within_months=within_months,
        )
        if entry is None:
            continue
        info = snap.units.get(unit)
        lines.append(
            DueLine(
                staff_id=pk,
                code=code,
                full_name=name,
                unit_id=unit,
                unit_code=info.code if info else "",
                unit_name=info.name if info else "",
                job_code=job_code,
                job_name=job_name,
                period_months=months,
                in_position_since=since,
                retirement_on=retires,
                entry=entry,
            )
        )
    # Within a day and a unit, people in the order of official lists (`core.collation`).
    lines.sort(
        key=lambda ln: (
            STATUS_ORDER[ln.status],
            ln.due_on,
            ln.unit_code,
            name_sort_key(ln.full_name),
            ln.code,
        )
    )
    return lines


def due_summary(lines: list[DueLine]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for line in lines:
        counts[line.status] += 1
    return counts


# -- plans ----------------------------------------------------------------------------------------
def plans_queryset(scope: Scope) -> QuerySet[RotationPlan]:
    """Plans of agencies the user may read (published inside the agency: anyone there)."""
    qs = RotationPlan.objects.select_related("agency").annotate(
        item_count=Count("items", distinct=True),
        done_count=Count("items", filter=Q(items__rotation__isnull=False), distinct=True),
    )
    if scope.city_wide:
        return qs
    return qs.filter(agency_id__in=sorted(scope.read_units))


def can_see_draft(scope: Scope, plan: RotationPlan) -> bool:
    return scope.can_write_unit(plan.agency_id) or scope.has_role("unit_head", "city_leadership")


@dataclass(frozen=True)
class Completion:
    planned: int
    executed: int

    @property
    def percent(self) -> float | None:
        return round(100.0 * self.executed / self.planned, 1) if self.planned else None


def plan_completion(plan: RotationPlan) -> Completion:
    items = plan.items.aggregate(n=Count("id"), done=Count("id", filter=Q(rotation__isnull=False)))
    return Completion(items["n"] or 0, items["done"] or 0)


def completion_for_year(*, year: int, unit_id: int | None = None) -> Completion:
    qs = PlanItem.objects.filter(plan__year=year)
    if unit_id is not None:
        qs = qs.filter(plan__agency_id__in=sorted(tree().subtree_on(unit_id, dt.date(year, 1, 1))))
    agg = qs.aggregate(n=Count("id"), done=Count("id", filter=Q(rotation__isnull=False)))
    return Completion(agg["n"] or 0, agg["done"] or 0)


def listed_positions_in(agency_id: int, on: dt.date) -> set[str]:
    """Codes of listed job positions held by non-leaders in the agency's subtree on `on`."""

    units = tree().subtree_on(agency_id, on)
    return set(
        Staff.objects.filter(
            unit_id__in=sorted(units), is_leader=False, job_position__rotation_subject=True
        )
        .values_list("job_position__code", flat=True)
        .distinct()
    )


def plan_warnings(plan: RotationPlan, on: dt.date) -> list[str]:
    """What the plan page must say before anyone acts on it."""
    from django.utils.translation import gettext as _

    out = []
    positions = listed_positions_in(plan.agency_id, on)
    if len(positions) == 1:
        out.append(
            _(
                "The agency has a single listed position (%(code)s): rotation inside it is not "
                "possible; the head proposes it to the superior authority, which decides "
                "(Anti-Corruption Law 2018 art. 25)."
            )
            % {"code": next(iter(positions))}
        )
    if plan.published_on is not None:
        short = [
            item
            for item in plan.items.all()
            if (item.planned_on - plan.published_on).days < plan.notice_days
            and item.rotation_id is None
        ]
        if short:
            out.append(
                _("%(count)d planned moves give the person less than %(days)d days' notice.")
                % {"count": len(short), "days": plan.notice_days}
            )
    return out


def rotations_queryset(scope: Scope) -> QuerySet[Rotation]:
    qs = Rotation.objects.select_related("staff", "from_unit", "to_unit")
    if scope.city_wide:
        return qs
    units = sorted(scope.read_units)
    q = Q(from_unit_id__in=units) | Q(to_unit_id__in=units)
    if scope.own_staff_id is not None:
        q |= Q(staff_id=scope.own_staff_id)
    return qs.filter(q)


RECORD_ACCESS: dict[str, RecordAccess] = {
    "rotation.rotation": lambda scope, obj: can_read_staff(scope, obj.staff),
    # A postponement's reason reveals discipline or health: discipline's readers only.
    "rotation.postponement": lambda scope, obj: can_read_discipline(scope, obj.staff),
    "rotation.rotationplan": lambda scope, obj: scope.can_read_unit(obj.agency_id),
    "rotation.planitem": lambda scope, obj: scope.can_read_unit(obj.plan.agency_id),
}
