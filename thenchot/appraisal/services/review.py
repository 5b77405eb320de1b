"""The direct manager's review (adjust, propose a level, return for revision, or assess someone
who missed the deadline) and the unit head's approval, one at a time or in bulk."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal.choices import REVIEWABLE, CollectiveBody, EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.base import _refuse, _today
from thenchot.appraisal.services.lines import Line, collective_body, line_for
from thenchot.appraisal.services.points import _check_level, check_points, task_points_prefill
from thenchot.appraisal.services.records import (
    APPROVE_FIELDS,
    REVIEW_FIELDS,
    _bulk_locked,
    _bulk_refusal,
    _bulk_write,
    _locked,
    _require_open,
    _save,
    refusal_line,
)
from thenchot.core import auditing
from thenchot.core.errors import DomainError, OutOfScope


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
    # A level other than the one the person proposed is an adjustment too (issue 11): the form's
    # placeholder asks for the reason, and the person reads it on their result.
    relevelled = change.level not in (None, "") and change.level != ev.proposed_level
    if (adjusted or relevelled or missing) and not change.comment.strip():
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
        if _today() <= ev.period.self_due:
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
    rater = collective_body(ev)
    if rater is not None:
        raise OutOfScope(
            _(
                "This head is rated by a collective decision of %(body)s, not approved by one person."
            )
            % {"body": CollectiveBody(rater).label}
        )
    if not line.may_approve(ev):
        raise OutOfScope(_("Only the head of the unit approves this evaluation."))
    _require_open(ev)
    if ev.status != EvaluationStatus.REVIEWED:
        raise _refuse(_("Only a reviewed evaluation can be approved."), "status")


@dataclass(frozen=True)
class BulkSkip:
    """A row a bulk action left as it was, and why."""

    evaluation: Evaluation
    reason: str

    def __str__(self) -> str:
        return refusal_line(self.evaluation, self.reason)


@dataclass
class BulkOutcome:
    """What a bulk action changed, and the rows it left as they were (each with its reason)."""

    changed: list[Evaluation] = field(default_factory=list)
    skipped: list[BulkSkip] = field(default_factory=list)


# The fields a review sets that a person reads: a bulk review that would leave them as they are
# does not rewrite the row (nor its reviewer, time and audit line).
_REVIEW_VALUES = (
    "reviewed_general_points",
    "reviewed_task_points",
    "reviewed_bonus_points",
    "reviewed_level",
    "review_comment",
    "status",
)


def _review_values(ev: Evaluation) -> tuple[Any, ...]:
    return tuple(getattr(ev, name) for name in _REVIEW_VALUES)


def _all_outside(rows: list[Evaluation], skipped: list[BulkSkip], outside: int) -> None:
    """Every row outside the user's line: the request was not theirs to make (403), as for one
    row; a mix of rows is acted on where it can be."""
    if rows and outside == len(rows):
        raise _bulk_refusal([(s.evaluation, s.reason) for s in skipped], scope=True)


def bulk_review(
    *,
    evaluations: Iterable[Evaluation | int],
    by: Any,
    comment: str = "",
    overrides: Mapping[int, ReviewChange] | None = None,
) -> BulkOutcome:
    """Review many evaluations at once (one transaction, one audit batch): each keeps the
    person's points unless `overrides[evaluation id]` adjusts them.

    Acts on the rows it can and reports the others in `skipped`, each with its reason: outside
    the reviewer's line, nothing to review, or already reviewed — a row already reviewed is
    changed only by an override that changes it (its line on the board), so a bulk review never
    resets an earlier adjustment, level or comment. A refused input (an adjustment without a
    comment, points above the maximum) refuses the whole batch with nothing changed: it is what
    the manager typed, to be corrected, not a row to leave out silently."""
    overrides = overrides or {}
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    line = line_for(by)
    outcome = BulkOutcome()
    with transaction.atomic():
        rows = _bulk_locked(ids)
        invalid: list[tuple[Evaluation, str]] = []
        changes: list[auditing.Change] = []
        outside = 0
        for ev in rows:
            try:
                _check_reviewer(ev, line)
                if ev.status not in REVIEWABLE:
                    raise _refuse(_("There is no self-assessment to review."))
            except DomainError as exc:
                outcome.skipped.append(BulkSkip(ev, str(exc.message)))
                outside += isinstance(exc, OutOfScope)
                continue
            change = overrides.get(ev.pk)
            if ev.status == EvaluationStatus.REVIEWED and change is None:
                outcome.skipped.append(BulkSkip(ev, _("Already reviewed: left as it is.")))
                continue
            before = auditing.snapshot(ev)
            kept, values = ev.__dict__.copy(), _review_values(ev)
            try:
                _apply_review(ev, change or ReviewChange(comment=comment), by, missing=False)
            except DomainError as exc:
                invalid.append((ev, str(exc.message)))
                continue
            if _review_values(ev) == values:
                ev.__dict__.update(kept)  # unchanged: keep its reviewer and time as they were
                outcome.skipped.append(BulkSkip(ev, _("Already reviewed: left as it is.")))
                continue
            changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
            outcome.changed.append(ev)
        if invalid:
            raise _bulk_refusal(invalid)
        _all_outside(rows, outcome.skipped, outside)
        if outcome.changed:
            _bulk_write(outcome.changed, REVIEW_FIELDS, changes)
    return outcome


def bulk_approve(
    *,
    evaluations: Iterable[Evaluation | int],
    by: Any,
    comment: str = "",
    exclude: Iterable[int] = (),
) -> BulkOutcome:
    """Approve many reviewed evaluations at once (one transaction, one audit batch), leaving out
    `exclude` (the per-person override). Approves the rows it can and reports the others in
    `skipped`, each with its reason (not reviewed yet, already approved, one's own, rated by the
    City leadership)."""
    skip = set(exclude)
    ids = [e if isinstance(e, int) else e.pk for e in evaluations]
    ids = [i for i in ids if i not in skip]
    line = line_for(by)
    now = timezone.now()
    outcome = BulkOutcome()
    with transaction.atomic():
        rows = _bulk_locked(ids)
        changes: list[auditing.Change] = []
        outside = 0
        for ev in rows:
            try:
                _check_approver(ev, line)
            except DomainError as exc:
                reason = str(exc.message)
                if ev.status == EvaluationStatus.APPROVED and not isinstance(exc, OutOfScope):
                    reason = _("Already approved.")
                outcome.skipped.append(BulkSkip(ev, reason))
                outside += isinstance(exc, OutOfScope)
                continue
            before = auditing.snapshot(ev)
            ev.approved_by = by
            ev.approved_at = now
            ev.approval_comment = comment
            ev.status = EvaluationStatus.APPROVED
            changes.append(auditing.Change(ev, auditing.UPDATE, before, None))
            outcome.changed.append(ev)
        _all_outside(rows, outcome.skipped, outside)
        if outcome.changed:
            _bulk_write(outcome.changed, APPROVE_FIELDS, changes)
    return outcome
