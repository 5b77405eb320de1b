"""Writes of the evaluation workflow: periods, self-assessment, review, approval, the collective
decision for heads of departments, the head's quota choices and the packs' parameters.

Keyword-only, atomic, audited; who may act is re-checked inside the transaction on the locked
row. Every refusal raises `DomainError` (or `OutOfScope`, `ConcurrentUpdate`) before anything is
written, so a refusal changes nothing. The close and the reopening live in `closing.py`.

Who rates whom (rules.md): the direct manager reviews — the head of the person's unit (or of a
unit above it inside the agency) on the day, or a `division_manager`/`unit_head` grant covering
the person's unit; the unit head approves — the head of the agency (or of a unit above it), or a
`unit_head` grant covering the agency. Nobody reviews or approves their own evaluation: a head's
own evaluation goes to the level above, and heads of departments and of units directly under the
City are rated by a recorded collective decision of the City leadership.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.accounts.choices import Role
from thenchot.accounts.models import RoleGrant
from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import (
    REVIEWABLE,
    SELF_EDITABLE,
    EvaluationStatus,
    Level,
    PeriodKind,
    PeriodStatus,
)
from thenchot.appraisal.models import (
    CollectiveDecision,
    Evaluation,
    EvaluationPeriod,
    PackParameterSet,
)
from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, HeadAssignment, Staff

# *default* step deadlines, in days after the period's last day (the texts leave them to the
# agency; an administrator changes a period's dates).
SELF_DAYS = 3
REVIEW_DAYS = 5
APPROVAL_DAYS = 7
ASSESSABLE_LEVELS = {Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE}
CITY_KINDS = {"city"}


class PeriodClosed(DomainError):
    default_message = _lazy("The period is closed: its evaluations can no longer change.")
    code = "period_closed"
    status = 409


def today() -> dt.date:
    return timezone.localdate()


def _refuse(message: Any, field_name: str | None = None) -> DomainError:
    if field_name:
        return DomainError(message, field_errors={field_name: [message]})
    return DomainError(message)


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


# -- who may act ---------------------------------------------------------------------------------
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
    """The user's managing line on `on` (default today): two queries and the tree."""
    on = on or today()
    if user is None or not getattr(user, "is_authenticated", False):
        return Line(user_id=None, staff_id=None)
    snap = tree()
    staff_id = _staff_id(user)
    reviews: set[int] = set()
    approves: set[int] = set()
    grants = list(RoleGrant.objects.filter(user_id=user.pk).values_list("role", "unit_id"))
    roles = {role for role, _unit in grants}
    for role, unit_id in grants:
        if unit_id is None or unit_id not in snap.units:
            continue
        if role in (Role.DIVISION_MANAGER, Role.UNIT_HEAD):
            reviews |= snap.subtree_on(unit_id, on)
        if role == Role.UNIT_HEAD:
            approves |= snap.subtree_on(unit_id, on)
    if staff_id is not None:
        for unit_id, role in HeadAssignment.objects.filter(
            valid_on_q(on), staff_id=staff_id
        ).values_list("unit_id", "role"):
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


def rated_collectively(evaluation: Evaluation, on: dt.date | None = None) -> bool:
    """A head of a department or of a unit directly under the City: rated by the collective
    decision of the City leadership, not approved by one person."""
    if not evaluation.is_head:
        return False
    snap = tree()
    on = on or min(evaluation.period.ends_on, today())
    parent = snap.parent_on(evaluation.period.agency_id, on)
    return parent is not None and snap.units[parent].kind in CITY_KINDS


# -- periods -------------------------------------------------------------------------------------
@dataclass
class Opened:
    period: EvaluationPeriod
    created: int  # evaluations created now


def _reference_day(period: rules.Period) -> dt.date:
    return min(period.end, max(period.start, today()))


def period_open(
    *,
    agency: Unit,
    code: str,
    self_due: dt.date | None = None,
    review_due: dt.date | None = None,
    approval_due: dt.date | None = None,
) -> Opened:
    """Open `code` ("2026-03", or "2026-Q1" where the agency rates by quarter) for `agency` and
    create a draft evaluation for each person assigned inside it on the period's reference day
    (its last day, or today while it runs) who has none for that period yet, under the pack
    binding their category. Idempotent: run again, it only adds newcomers."""
    try:
        period = rules.Period.parse(code)
    except rules.RuleInputError as exc:
        raise _refuse(str(exc), "period") from None
    if period.kind is rules.PeriodKind.YEAR:
        raise _refuse(_("A year is rolled up from its periods, not opened."), "period")
    if period.start > today():
        raise _refuse(_("The period %(period)s has not begun.") % {"period": code}, "period")
    snap = tree()
    if snap.units[agency.pk].kind == "division":
        raise _refuse(_("Periods are opened per agency; a division is part of one."), "unit")
    with transaction.atomic():
        row, made = EvaluationPeriod.objects.get_or_create(
            agency=agency,
            code=str(period),
            defaults={
                "kind": PeriodKind(period.kind.value),
                "starts_on": period.start,
                "ends_on": period.end,
                "self_due": self_due or period.end + dt.timedelta(days=SELF_DAYS),
                "review_due": review_due or period.end + dt.timedelta(days=REVIEW_DAYS),
                "approval_due": approval_due or period.end + dt.timedelta(days=APPROVAL_DAYS),
            },
        )
        if made:
            auditing.record(row, action=auditing.CREATE)
        if row.is_closed:
            return Opened(row, 0)
        created = _create_evaluations(row, period)
    return Opened(row, created)


def _create_evaluations(row: EvaluationPeriod, period: rules.Period) -> int:
    snap = tree()
    on = _reference_day(period)
    units = {
        u for u in snap.subtree_on(row.agency_id, on) if snap.agency_of(u, on) == row.agency_id
    }
    assigned = list(
        Assignment.objects.filter(valid_on_q(on), unit_id__in=sorted(units))
        .order_by("staff_id", "-valid_from")
        .values_list("staff_id", "unit_id")
    )
    unit_of: dict[int, int] = {}
    for staff_id, unit_id in assigned:
        unit_of.setdefault(staff_id, unit_id)
    have = set(
        inputs_in_batches(
            list(unit_of),
            lambda b: Evaluation.objects.filter(
                staff_id__in=b, period_code=str(period)
            ).values_list("staff_id", flat=True),
        )
    )
    todo = sorted(set(unit_of) - have)
    heads = set(
        inputs_in_batches(
            todo,
            lambda b: HeadAssignment.objects.filter(
                valid_on_q(on), staff_id__in=b, role="head"
            ).values_list("staff_id", flat=True),
        )
    )
    people = inputs_in_batches(
        todo,
        lambda b: Staff.objects.filter(pk__in=b).values_list("pk", "category", "is_leader"),
    )
    new: list[Evaluation] = []
    for staff_id, category, is_leader in people:
        try:
            pack = inputs.resolve_pack(category, period)
        except rules.RuleInputError:
            continue  # no pack rates this category for this period
        if period.kind not in pack.classified_kinds:
            continue  # this pack rolls the period up from its months (rollup.py)
        new.append(
            Evaluation(
                period=row,
                period_code=str(period),
                staff_id=staff_id,
                unit_id=unit_of[staff_id],
                category=category,
                is_leader=bool(is_leader) or staff_id in heads,
                is_head=staff_id in heads,
                rule_pack=pack.id,
                pack_version=pack.version,
            )
        )
    Evaluation.objects.bulk_create(new, batch_size=2000)
    auditing.record_many(
        auditing.Change(e, auditing.CREATE, None, auditing.snapshot(e)) for e in new
    )
    return len(new)


def inputs_in_batches(ids: Sequence[int], fetch: Any) -> list[Any]:
    out: list[Any] = []
    for chunk in inputs.chunks(ids):
        out.extend(fetch(chunk))
    return out


def open_current_periods(*, on: dt.date | None = None) -> int:
    """Open this month's period of every agency that has people (the hourly job); returns the
    number of evaluations created. Safe to run twice and with several workers (the unique
    constraints refuse a duplicate; the loser's transaction is retried next hour)."""
    on = on or today()
    code = f"{on.year:04d}-{on.month:02d}"
    snap = tree()
    unit_ids = set(
        Assignment.objects.filter(valid_on_q(on)).values_list("unit_id", flat=True).distinct()
    )
    agencies = {snap.agency_of(u, on) for u in unit_ids if u in snap.units}
    created = 0
    for agency_id in sorted(agencies):
        if snap.units[agency_id].kind == "division":
            continue
        agency = Unit(pk=agency_id)
        created += period_open(agency=agency, code=code).created
    return created


# -- locking and checks --------------------------------------------------------------------------
def _locked(evaluation: Evaluation, expected_version: int | None) -> Evaluation:
    fresh = (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("period", "period__agency", "staff", "unit")
        .get(pk=evaluation.pk)
    )
    if expected_version is not None and fresh.version != expected_version:
        raise ConcurrentUpdate()
    return fresh


def _require_open(evaluation: Evaluation) -> None:
    if evaluation.period.status == PeriodStatus.CLOSED or evaluation.status == "closed":
        raise PeriodClosed()


def _require_begun(evaluation: Evaluation) -> None:
    if evaluation.period.starts_on > today():
        raise _refuse(
            _("The period %(period)s has not begun yet.") % {"period": evaluation.period_code},
            "period",
        )


def pack_of(evaluation: Evaluation) -> Any:
    return rules.registry.get(evaluation.rule_pack)


def check_points(evaluation: Evaluation, values: Mapping[str, Any]) -> dict[str, Decimal]:
    """The points (keys general/tasks/bonus) checked against the evaluation's pack: negative,
    above a criterion's maximum, more than 2 decimals or missing general points are refused
    with every problem at once."""
    pack = pack_of(evaluation)

    def _field(name: str) -> str:
        return {"general": "general_points", "tasks": "task_points"}.get(name, f"{name}_points")

    limits = inputs.criteria_limits(pack)
    errors: dict[str, list[str]] = {}
    out: dict[str, Decimal] = {}
    for name, raw in values.items():
        if raw is None or raw == "":
            continue
        if name not in limits:
            errors.setdefault(_field(name), []).append(
                _("The rule pack %(pack)s has no %(name)s points.")
                % {"pack": pack.id, "name": name}
            )
            continue
        try:
            value = rules.base.to_decimal(raw, field=name)
        except rules.RuleInputError:
            errors.setdefault(_field(name), []).append(
                _("'%(value)s' is not a number.") % {"value": raw}
            )
            continue
        if value < 0:
            errors.setdefault(_field(name), []).append(_("Points cannot be negative."))
        elif value > limits[name]:
            errors.setdefault(_field(name), []).append(
                _("At most %(max)s points.") % {"max": rules.base.fmt(limits[name])}
            )
        elif value != rules.base.q2(value):
            errors.setdefault(_field(name), []).append(_("At most 2 decimal places."))
        else:
            out[name] = value
    if "general" not in out and "general_points" not in errors:
        errors["general_points"] = [_("This field is required.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, field_errors=errors)
    return out


def _check_level(value: str, field_name: str) -> str:
    if value and value not in ASSESSABLE_LEVELS:
        raise _refuse(_("'%(value)s' is not a level.") % {"value": value}, field_name)
    return value


def _save(evaluation: Evaluation, before: dict[str, Any], fields: list[str]) -> Evaluation:
    from thenchot.core.concurrency import save_versioned

    save_versioned(evaluation, expected_version=evaluation.version, fields=fields)
    auditing.record(evaluation, action=auditing.UPDATE, before=before)
    return evaluation


# -- self-assessment -----------------------------------------------------------------------------
def task_points_prefill(evaluation: Evaluation) -> tuple[Decimal | None, dict[str, Any]]:
    """The person's task points computed from their tasks of the period with the pack's formula,
    and the calculation shown to them (the self-assessment form pre-fills with it)."""
    pack = pack_of(evaluation)
    params, _number = inputs.current_params(pack.id)
    period = evaluation.period
    work = inputs.work_of([evaluation.staff_id], period.starts_on, period.ends_on)
    return inputs.task_prefill(pack=pack, params=params, work=work.get(evaluation.staff_id, []))


def self_assess(
    *,
    evaluation: Evaluation,
    by: Any,
    general_points: Any,
    task_points: Any = None,
    bonus_points: Any = None,
    evidence: str = "",
    achievements: str = "",
    proposed_level: str = "",
    expected_version: int | None = None,
) -> Evaluation:
    """The person's own assessment. Task points, when not given, are pre-filled from their tasks
    of the period (the calculation is stored). After the deadline it is still accepted and
    flagged late; never once the period is closed, nor for a period that has not begun."""
    with transaction.atomic():
        ev = _locked(evaluation, expected_version)
        if _staff_id(by) != ev.staff_id:
            raise OutOfScope(_("Only the person evaluated can self-assess."))
        _require_open(ev)
        _require_begun(ev)
        if ev.status not in SELF_EDITABLE:
            raise _refuse(_("The evaluation has already been reviewed."), "status")
        calculation = ev.task_calculation
        if task_points is None or task_points == "":
            prefilled, calculation = task_points_prefill(ev)
            task_points = prefilled
        points = check_points(
            ev, {"general": general_points, "tasks": task_points, "bonus": bonus_points}
        )
        if "tasks" not in points:
            raise _refuse(
                _("No task of the period to compute the task points from: enter them."),
                "task_points",
            )
        level = _check_level(proposed_level, "proposed_level")
        before = auditing.snapshot(ev)
        ev.general_points = points["general"]
        ev.task_points = points["tasks"]
        ev.bonus_points = points.get("bonus")
        ev.task_calculation = calculation or {}
        ev.evidence = evidence
        ev.achievements = achievements
        ev.proposed_level = level
        ev.self_assessed_at = timezone.now()
        ev.submitted_late = today() > ev.period.self_due
        ev.status = EvaluationStatus.SELF_ASSESSED
        return _save(ev, before, SELF_FIELDS)


SELF_FIELDS = [
    "general_points",
    "task_points",
    "bonus_points",
    "task_calculation",
    "evidence",
    "achievements",
    "proposed_level",
    "self_assessed_at",
    "submitted_late",
    "status",
]
REVIEW_FIELDS = [
    "reviewed_general_points",
    "reviewed_task_points",
    "reviewed_bonus_points",
    "reviewed_level",
    "review_comment",
    "reviewed_by",
    "reviewed_at",
    "handled_by_manager",
    "status",
]
APPROVE_FIELDS = ["approved_by", "approved_at", "approval_comment", "status"]


# -- review ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReviewChange:
    """One person's review: adjusted points (None keeps the person's), a level, a comment."""

    general_points: Any = None
    task_points: Any = None
    bonus_points: Any = None
    level: str = ""
    comment: str = ""
    return_for_revision: bool = False


def _apply_review(ev: Evaluation, change: ReviewChange, user: Any, *, missing: bool) -> None:
    if change.return_for_revision:
        if not change.comment.strip():
            raise _refuse(_("Say what to revise."), "comment")
        ev.status = EvaluationStatus.RETURNED
        ev.review_comment = change.comment
        ev.reviewed_by = user
        ev.reviewed_at = timezone.now()
        return
    given = {
        "general": change.general_points,
        "tasks": change.task_points,
        "bonus": change.bonus_points,
    }
    merged = {
        "general": _first(change.general_points, ev.general_points),
        "tasks": _first(change.task_points, ev.task_points),
        "bonus": _first(change.bonus_points, ev.bonus_points),
    }
    points = check_points(ev, merged)
    if "tasks" not in points:
        raise _refuse(_("Task points are required."), "task_points")
    own = {"general": ev.general_points, "tasks": ev.task_points, "bonus": ev.bonus_points}
    adjusted = any(
        given[k] not in (None, "") and (own[k] is None or points.get(k) != own[k])
        for k in ("general", "tasks", "bonus")
    )
    if (adjusted or missing) and not change.comment.strip():
        raise _refuse(_("An adjustment needs a comment."), "comment")
    ev.reviewed_general_points = points["general"] if given["general"] not in (None, "") else None
    ev.reviewed_task_points = points["tasks"] if given["tasks"] not in (None, "") else None
    ev.reviewed_bonus_points = points.get("bonus") if given["bonus"] not in (None, "") else None
    ev.reviewed_level = _check_level(change.level, "level")
    ev.review_comment = change.comment
    ev.reviewed_by = user
    ev.reviewed_at = timezone.now()
    ev.handled_by_manager = ev.handled_by_manager or missing
    ev.status = EvaluationStatus.REVIEWED


def _first(a: Any, b: Any) -> Any:
    return a if a not in (None, "") else b


def review(
    *,
    evaluation: Evaluation,
    by: Any,
    general_points: Any = None,
    task_points: Any = None,
    bonus_points: Any = None,
    level: str = "",
    comment: str = "",
    return_for_revision: bool = False,
    expected_version: int | None = None,
) -> Evaluation:
    """The direct manager's review: adjust the points (with a comment), propose a level, or
    return the assessment for revision (with a comment)."""
    change = ReviewChange(
        general_points, task_points, bonus_points, level, comment, return_for_revision
    )
    with transaction.atomic():
        ev = _locked(evaluation, expected_version)
        _check_reviewer(ev, line_for(by))
        if ev.status not in REVIEWABLE:
            raise _refuse(_("There is no self-assessment to review."), "status")
        before = auditing.snapshot(ev)
        _apply_review(ev, change, by, missing=False)
        return _save(ev, before, REVIEW_FIELDS)


def _check_reviewer(ev: Evaluation, line: Line) -> None:
    if line.staff_id is not None and line.staff_id == ev.staff_id:
        raise OutOfScope(_("Nobody reviews their own evaluation."))
    if not line.may_review(ev):
        raise OutOfScope(_("Only the person's direct manager reviews this evaluation."))
    _require_open(ev)


def manager_handle_missing(
    *,
    evaluation: Evaluation,
    by: Any,
    general_points: Any,
    task_points: Any = None,
    bonus_points: Any = None,
    level: str = "",
    comment: str,
    expected_version: int | None = None,
) -> Evaluation:
    """The manager assesses someone who did not self-assess by the deadline; the record says so
    (`handled_by_manager`). Task points default to those computed from the person's tasks."""
    with transaction.atomic():
        ev = _locked(evaluation, expected_version)
        _check_reviewer(ev, line_for(by))
        if ev.status not in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED):
            raise _refuse(_("The person has self-assessed: review it instead."), "status")
        if today() <= ev.period.self_due:
            raise _refuse(
                _("The self-assessment deadline (%(date)s) has not passed.")
                % {"date": ev.period.self_due.strftime("%d/%m/%Y")},
                "status",
            )
        before = auditing.snapshot(ev)
        if task_points in (None, ""):
            task_points, ev.task_calculation = task_points_prefill(ev)
        change = ReviewChange(general_points, task_points, bonus_points, level, comment)
        _apply_review(ev, change, by, missing=True)
        return _save(ev, before, [*REVIEW_FIELDS, "task_calculation"])


# -- approval ----------------------------------------------------------------------------------------
def approve(
    *, evaluation: Evaluation, by: Any, comment: str = "", expected_version: int | None = None
) -> Evaluation:
    """The unit head's approval of a reviewed evaluation (never one's own; a head of a department
    is rated by the collective decision instead)."""
    with transaction.atomic():
        ev = _locked(evaluation, expected_version)
        _check_approver(ev, line_for(by))
        before = auditing.snapshot(ev)
        ev.approved_by = by
        ev.approved_at = timezone.now()
        ev.approval_comment = comment
        ev.status = EvaluationStatus.APPROVED
        return _save(ev, before, APPROVE_FIELDS)


def _check_approver(ev: Evaluation, line: Line) -> None:
    if line.staff_id is not None and line.staff_id == ev.staff_id:
        raise OutOfScope(_("Nobody approves their own evaluation."))
    if rated_collectively(ev):
        raise OutOfScope(
            _("A head of a department is rated by the collective decision of the City leadership.")
        )
    if not line.may_approve(ev):
        raise OutOfScope(_("Only the head of the unit approves this evaluation."))
    _require_open(ev)
    if ev.status != EvaluationStatus.REVIEWED:
        raise _refuse(_("Only a reviewed evaluation can be approved."), "status")


# -- bulk -----------------------------------------------------------------------------------------------
@dataclass
class BulkOutcome:
    changed: list[Evaluation] = field(default_factory=list)


def _bulk_locked(ids: Iterable[int]) -> list[Evaluation]:
    wanted = sorted(set(ids))
    rows = list(
        Evaluation.objects.select_for_update()
        .select_related("period", "staff", "unit")
        .filter(pk__in=wanted)
        .order_by("pk")
    )
    if len(rows) != len(wanted):
        raise _refuse(_("Some evaluations no longer exist."))
    return rows


def _bulk_refusal(errors: list[tuple[Evaluation, str]], *, scope: bool = False) -> DomainError:
    """One refusal listing everyone refused (an `OutOfScope` when `scope`: all were outside)."""
    lines = [f"{ev.staff.full_name} ({ev.staff.code}): {msg}" for ev, msg in errors]
    kind = OutOfScope if scope else DomainError
    return kind(
        _("Nothing was changed: %(list)s") % {"list": "; ".join(lines)},
        field_errors={str(ev.pk): [msg] for ev, msg in errors},
    )


def bulk_review(
    *,
    evaluations: Iterable[Evaluation | int],
    by: Any,
    comment: str = "",
    overrides: Mapping[int, ReviewChange] | None = None,
) -> BulkOutcome:
    """Review many evaluations at once (one transaction, one audit batch): each keeps the
    person's points unless `overrides[evaluation id]` adjusts them. Any refusal refuses all."""
    overrides = overrides or {}
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    line = line_for(by)
    with transaction.atomic():
        rows = _bulk_locked(ids)
        errors: list[tuple[Evaluation, str]] = []
        changes: list[auditing.Change] = []
        outside = True
        for ev in rows:
            try:
                _check_reviewer(ev, line)
                if ev.status not in REVIEWABLE:
                    raise _refuse(_("There is no self-assessment to review."))
                before = auditing.snapshot(ev)
                change = overrides.get(ev.pk) or ReviewChange(comment=comment)
                _apply_review(ev, change, by, missing=False)
                changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
            except DomainError as exc:
                errors.append((ev, str(exc.message)))
                outside = outside and isinstance(exc, OutOfScope)
        if errors:
            raise _bulk_refusal(errors, scope=outside)
        _bulk_write(rows, REVIEW_FIELDS, changes)
    return BulkOutcome(changed=rows)


def bulk_approve(
    *,
    evaluations: Iterable[Evaluation | int],
    by: Any,
    comment: str = "",
    exclude: Iterable[int] = (),
) -> BulkOutcome:
    """Approve many reviewed evaluations at once (one transaction, one audit batch), leaving out
    `exclude` (the per-person override). Any refusal refuses all."""
    skip = set(exclude)
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    ids = [i for i in ids if i not in skip]
    line = line_for(by)
    now = timezone.now()
    with transaction.atomic():
        rows = _bulk_locked(ids)
        errors: list[tuple[Evaluation, str]] = []
        changes: list[auditing.Change] = []
        outside = True
        for ev in rows:
            try:
                _check_approver(ev, line)
                before = auditing.snapshot(ev)
                ev.approved_by = by
                ev.approved_at = now
                ev.approval_comment = comment
                ev.status = EvaluationStatus.APPROVED
                changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
            except DomainError as exc:
                errors.append((ev, str(exc.message)))
                outside = outside and isinstance(exc, OutOfScope)
        if errors:
            raise _bulk_refusal(errors, scope=outside)
        _bulk_write(rows, APPROVE_FIELDS, changes)
    return BulkOutcome(changed=rows)


def _bulk_write(rows: list[Evaluation], fields: list[str], changes: list[auditing.Change]) -> None:
    now = timezone.now()
    for ev in rows:
        ev.version += 1
        ev.updated_at = now
    Evaluation.objects.bulk_update(rows, [*fields, "version", "updated_at"], batch_size=500)
    auditing.record_many(
        auditing.Change(c.instance, c.action, c.before, auditing.snapshot(c.instance))
        for c in changes
    )


# -- collective decision (heads of departments) -------------------------------------------------
def collective_decision_record(
    *,
    number: str,
    decided_on: dt.date,
    chaired_by: str,
    by: Any,
    ratings: Mapping[int, ReviewChange],
    summary: str = "",
) -> CollectiveDecision:
    """Record the City leadership's collective decision rating heads of departments (and of units
    directly under the City): each rated evaluation (by id) is approved under the decision, with
    the points the leadership set (a comment is required for a change, as in a review)."""
    roles = _roles(by)
    if not roles & {Role.CITY_LEADERSHIP.value, Role.ADMIN.value}:
        raise OutOfScope(_("Only the City leadership records its collective decision."))
    if not number.strip():
        raise _refuse(_("This field is required."), "number")
    if decided_on > today():
        raise _refuse(_("A decision cannot be dated in the future."), "decided_on")
    if not ratings:
        raise _refuse(_("The decision rates nobody."), "ratings")
    with transaction.atomic():
        if CollectiveDecision.objects.filter(number=number).exists():
            raise _refuse(_("A decision with this number is already recorded."), "number")
        rows = _bulk_locked(ratings)
        errors: list[tuple[Evaluation, str]] = []
        for ev in rows:
            if not rated_collectively(ev):
                errors.append((ev, _("not a head rated by the City leadership")))
            elif ev.period.is_closed:
                errors.append((ev, str(PeriodClosed.default_message)))
            elif _staff_id(by) == ev.staff_id:
                errors.append((ev, _("nobody rates their own evaluation")))
        if errors:
            raise _bulk_refusal(errors)
        decision = CollectiveDecision.objects.create(
            number=number,
            decided_on=decided_on,
            chaired_by=chaired_by,
            summary=summary,
            recorded_by=by,
        )
        auditing.record(decision, action=auditing.CREATE)
        changes: list[auditing.Change] = []
        now = timezone.now()
        for ev in rows:
            before = auditing.snapshot(ev)
            change = ratings[ev.pk]
            if ev.general_points is None and change.general_points in (None, ""):
                raise _bulk_refusal([(ev, _("general points are required"))])
            missing = ev.status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
            _apply_review(ev, change, by, missing=missing)
            ev.collective_decision = decision
            ev.approved_by = by
            ev.approved_at = now
            ev.status = EvaluationStatus.APPROVED
            changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
        _bulk_write(rows, [*REVIEW_FIELDS, *APPROVE_FIELDS, "collective_decision"], changes)
    return decision


# -- quota: the head's choice ---------------------------------------------------------------------
def quota_choose(
    *, evaluations: Iterable[Evaluation | int], by: Any, demoted: bool = True
) -> list[Evaluation]:
    """The head resolves a quota conflict by naming who moves down one level at the close (or,
    with `demoted=False`, withdraws the choice). Checked again at the close on final levels."""
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    line = line_for(by)
    with transaction.atomic():
        rows = _bulk_locked(ids)
        errors = []
        changes = []
        for ev in rows:
            if not (line.may_approve(ev) or line.admin):
                errors.append((ev, str(OutOfScope.default_message)))
            elif ev.period.is_closed:
                errors.append((ev, str(PeriodClosed.default_message)))
            else:
                before = auditing.snapshot(ev)
                ev.quota_demoted = demoted
                changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
        if errors:
            raise _bulk_refusal(errors, scope=not changes)
        _bulk_write(rows, ["quota_demoted"], changes)
    return rows


# -- rule-pack parameters --------------------------------------------------------------------------
def params_update(
    *, pack_id: str, changes: Mapping[str, Any], reason: str, by: Any
) -> PackParameterSet:
    """A new version of a pack's parameters (`{"bands.excellent_from": "92"}`), validated by the
    pack (overlapping thresholds, ratios outside [0, 1] are refused with every problem). Closed
    periods keep the parameters they were closed with."""
    if Role.ADMIN.value not in _roles(by):
        raise OutOfScope(_("Only an administrator changes rule-pack parameters."))
    if not reason.strip():
        raise _refuse(_("Give the reason for the change."), "reason")
    try:
        pack = rules.registry.get(pack_id)
    except rules.RuleInputError as exc:
        raise _refuse(str(exc), "pack") from None
    with transaction.atomic():
        base, number = inputs.current_params(pack.id)
        try:
            new = base.replace(dict(changes))
        except rules.ParameterError as exc:
            raise DomainError(
                "; ".join(exc.messages), field_errors={"params": list(exc.messages)}
            ) from None
        row = PackParameterSet.objects.create(
            pack=pack.id,
            number=(number or 0) + 1,
            params=new.to_dict(),
            reason=reason,
            created_by=by,
        )
        auditing.record(row, action=auditing.CREATE, reason=reason)
    return row
