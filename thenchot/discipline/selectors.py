"""Reads of discipline records, always through the discipline access rule.

Who sees discipline: personnel officers and leaders (unit heads) over the person's unit, the
city leadership and administrators, and the person themself. Division managers, inspectors and
other staff do not, even where they may read the staff record.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, QuerySet

from thenchot.accounts.choices import Role
from thenchot.accounts.scoping import Scope
from thenchot.core.id_sets import InIds
from thenchot.core.prepared import PreparedRows
from thenchot.core.registry import RecordAccess
from thenchot.discipline import rules
from thenchot.discipline.choices import CaseStatus
from thenchot.discipline.models import CasePause, DisciplineCase, DisciplineDecision
from thenchot.org.tree import tree
from thenchot.people.models import HeadAssignment

READER_ROLES = {Role.PERSONNEL.value, Role.UNIT_HEAD.value}
WRITER_ROLES = {Role.PERSONNEL.value, Role.ADMIN.value}


@dataclass(frozen=True)
class DisciplineAccess:
    everything: bool
    units: frozenset[int]
    own_staff_id: int | None

    @property
    def nothing(self) -> bool:
        return not self.everything and not self.units and self.own_staff_id is None

    def staff_q(self, staff_path: str = "staff") -> Q:
        """Rows about staff (at `staff_path`) this access may read; unit = the current unit."""
        if self.everything:
            return Q()
        q = Q(pk__in=[])
        if self.units:
            q |= Q(**{f"{staff_path}__unit_id__in": sorted(self.units)})
        if self.own_staff_id is not None:
            q |= Q(**{f"{staff_path}_id": self.own_staff_id})
        return q

    def can_read(self, staff: Any) -> bool:
        return (
            self.everything
            or staff.unit_id in self.units
            or (self.own_staff_id is not None and staff.pk == self.own_staff_id)
        )


def discipline_access(scope: Scope) -> DisciplineAccess:
    """Computed once per scope (one query for the grants), kept on the scope object."""
    cached = getattr(scope, "_discipline_access", None)
    if cached is not None:
        return cached
    if scope.user_id is None:  # anonymous (written so that the type checker narrows it)
        access = DisciplineAccess(False, frozenset(), None)
    elif scope.city_wide:
        access = DisciplineAccess(True, frozenset(), scope.own_staff_id)
    else:
        snap = tree()
        units: set[int] = set()
        # The grants the scope was computed from (read once per request): no second query.
        for role, unit_id in scope.grants:
            if role in READER_ROLES and unit_id is not None and unit_id in snap.units:
                units |= snap.readable_from(unit_id, scope.on)
        access = DisciplineAccess(False, frozenset(units), scope.own_staff_id)
    scope._discipline_access = access  # type: ignore[attr-defined]
    return access


def can_read_discipline(scope: Scope, staff: Any) -> bool:
    return discipline_access(scope).can_read(staff)


RECORD_ACCESS: dict[str, RecordAccess] = {
    "discipline.disciplinecase": lambda scope, obj: can_read_discipline(scope, obj.staff),
    "discipline.disciplinedecision": lambda scope, obj: can_read_discipline(scope, obj.staff),
    "discipline.casepause": lambda scope, obj: can_read_discipline(scope, obj.case.staff),
}


def can_write_discipline(scope: Scope, staff: Any) -> bool:
    """Personnel officers and administrators record discipline in the units they may write."""
    return scope.has_role(*WRITER_ROLES) and scope.can_write_unit(staff.unit_id)


def decisions_queryset(scope: Scope) -> QuerySet[DisciplineDecision]:
    access = discipline_access(scope)
    return DisciplineDecision.objects.select_related("staff", "staff__unit", "case").filter(
        access.staff_q()
    )


def cases_queryset(scope: Scope) -> QuerySet[DisciplineCase]:
    access = discipline_access(scope)
    return DisciplineCase.objects.select_related("staff", "staff__unit").filter(access.staff_q())


# -- deadlines ----------------------------------------------------------------------------------
def pauses_by_case(case_ids: Iterable[int]) -> dict[int, list[rules.Pause]]:
    out: dict[int, list[rules.Pause]] = defaultdict(list)
    ids = sorted(set(case_ids))
    for start in range(0, len(ids), 900):
        for case_id, reason, date_from, date_to in CasePause.objects.filter(
            case_id__in=ids[start : start + 900]
        ).values_list("case_id", "reason", "date_from", "date_to"):
            out[case_id].append(rules.Pause(date_from, date_to, reason))
    return out


def case_deadline(case: DisciplineCase, on: dt.date) -> rules.Deadline:
    pauses = [rules.Pause(p.date_from, p.date_to, p.reason) for p in case.pauses.all()]
    return rules.decision_deadline(
        detected_on=case.detected_on, extended=case.extended, pauses=pauses, on=on
    )


def open_cases_on(on: dt.date) -> QuerySet[DisciplineCase]:
    """Cases under review on `on`: detected by then and not closed before it."""
    return DisciplineCase.objects.filter(detected_on__lte=on).filter(
        Q(status=CaseStatus.OPEN) | Q(closed_on__gt=on)
    )


# -- for evaluation -----------------------------------------------------------------------------
@dataclass(frozen=True)
class DecisionFact:
    code: str
    form: str
    track: str
    decided_on: dt.date
    effective_on: dt.date
    decision_number: str


@dataclass(frozen=True)
class ViolationFact:
    """One act, with every decision on it (Party and administrative), counted once."""

    violation: str  # the violation code, or "#<decision code>" for a decision without one
    first_effective_on: dt.date
    heaviest_form: str
    decisions: tuple[DecisionFact, ...]


def _decisions_up_to(date_to: dt.date, *, staff: Any) -> QuerySet[DisciplineDecision, Any]:
    return DisciplineDecision.objects.filter(
        InIds(F("staff_id"), staff), effective_on__lte=date_to
    ).values_list(
        "staff_id",
        "violation",
        "code",
        "form",
        "track",
        "decided_on",
        "effective_on",
        "decision_number",
    )


_DECISIONS = PreparedRows(_decisions_up_to, arrays=("staff",), shaped=True)


def decisions_effective_for(
    *, staff_ids: Iterable[int], date_from: dt.date, date_to: dt.date
) -> dict[int, list[ViolationFact]]:
    """Per person, the violations whose discipline took effect in [date_from, date_to],
    counted once per violation: the Party and administrative decisions on the same act are one
    entry, and an act counts in the period of its first effective decision only (Decree
    48/2023: "the same violation counts in one year only"). People with none are absent.

    Evaluation applies its own rules to these facts; nothing here decides a level.
    """
    ids = sorted(set(staff_ids))
    grouped: dict[tuple[int, str], list[DecisionFact]] = defaultdict(list)
    # Everything up to date_to: an act's first decision may predate the period. The ids are
    # one parameter (`InIds`), the statement compiled once a day asked (`_DECISIONS`).
    rows = _DECISIONS.run(shape=date_to, staff=ids) if ids else []
    for staff_id, violation, code, form, track, decided, effective, number in rows:
        key = violation or f"#{code}"
        grouped[(staff_id, key)].append(DecisionFact(code, form, track, decided, effective, number))
    out: dict[int, list[ViolationFact]] = defaultdict(list)
    for (staff_id, key), facts in sorted(grouped.items()):
        facts.sort(key=lambda f: (f.effective_on, f.code))
        first = facts[0].effective_on
        if not date_from <= first <= date_to:
            continue
        heaviest = max(facts, key=lambda f: rules.severity(f.form)).form
        out[staff_id].append(ViolationFact(key, first, heaviest, tuple(facts)))
    return dict(out)


# -- restrictions on a person -------------------------------------------------------------------
@dataclass(frozen=True)
class ActiveRestriction:
    decision_code: str
    form: str
    restriction: rules.Restriction


def restrictions_for(staff_id: int, on: dt.date) -> list[ActiveRestriction]:
    """Restriction windows running on `on` for the person (latest end first)."""
    out: list[ActiveRestriction] = []
    # 24 months is the longest window: older decisions cannot still run.
    since = rules.add_months(on, -25)
    for code, form, effective in DisciplineDecision.objects.filter(
        staff_id=staff_id, effective_on__gte=since, effective_on__lte=on
    ).values_list("code", "form", "effective_on"):
        for r in rules.restrictions(form=form, effective_on=effective):
            if r.active_on(on):
                out.append(ActiveRestriction(code, form, r))
    out.sort(key=lambda a: (a.restriction.until, a.decision_code), reverse=True)
    return out


# -- the post on the decision date (rules.md Settled point 13) -------------------------------------
def headships_of(staff_ids: Iterable[int]) -> dict[int, list[rules.Headship]]:
    """Every dated headship and deputy headship of the people (set-based: one query per 900
    people); `rules.leader_on` picks those covering a date."""
    out: dict[int, list[rules.Headship]] = defaultdict(list)
    ids = sorted(set(staff_ids))
    for start in range(0, len(ids), 900):
        rows = HeadAssignment.objects.filter(staff_id__in=ids[start : start + 900]).values_list(
            "staff_id", "role", "valid_from", "valid_to"
        )
        for staff_id, role, valid_from, valid_to in rows:
            out[staff_id].append(rules.Headship(role, valid_from, valid_to))
    return dict(out)


def leader_status(*, staff: Any, on: dt.date) -> rules.LeaderStatus:
    """Leader (or manager) on `on`: a headship covering it, else the `is_leader` flag."""
    return rules.leader_on(
        on=on, headships=headships_of([staff.pk]).get(staff.pk, []), flag=staff.is_leader
    )


def allowed_forms_for(*, staff: Any, on: dt.date) -> rules.AllowedForms:
    """The forms a decision dated `on` may impose on `staff` (their post on that date)."""
    leader = leader_status(staff=staff, on=on)
    return rules.allowed_forms(category=staff.category, is_leader=leader.is_leader, on=on)


# -- a new violation while a decision is running --------------------------------------------------
def past_decisions(staff_ids: Iterable[int]) -> dict[int, list[rules.PastDecision]]:
    """Every decision of the people, as the pure rules see them (people with none absent)."""
    out: dict[int, list[rules.PastDecision]] = defaultdict(list)
    ids = sorted(set(staff_ids))
    for start in range(0, len(ids), 900):
        rows = DisciplineDecision.objects.filter(staff_id__in=ids[start : start + 900]).values_list(
            "staff_id", "code", "form", "violation", "decided_on", "effective_on", "decision_number"
        )
        for staff_id, code, form, act, decided_on, effective_on, number in rows:
            out[staff_id].append(
                rules.PastDecision(code, form, act, decided_on, effective_on, number)
            )
    return dict(out)


def repeat_minimum_for(*, staff: Any, act: str, on: dt.date) -> rules.RepeatMinimum:
    """The minimum form of a decision on `act` dated `on` for `staff`, given their decisions
    (for the person's category and post on `on`, as `services.check_form` does)."""
    allowed = allowed_forms_for(staff=staff, on=on)
    return rules.repeat_minimum(
        history=past_decisions([staff.pk]).get(staff.pk, []),
        act=act,
        on=on,
        allowed=allowed.forms,
    )
