"""The person's own assessment, the first step of the workflow."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal.choices import SELF_EDITABLE, EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.base import _refuse, _today
from thenchot.appraisal.services.points import _check_level, check_points, task_points_prefill
from thenchot.appraisal.services.records import (
    SELF_FIELDS,
    _locked,
    _require_begun,
    _require_open,
    _save,
)
from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import OutOfScope


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
    locked: bool = False,
) -> Evaluation:
    """The person's own assessment. Task points, when not given, are pre-filled from their tasks
    of the period (the calculation is stored). After the deadline it is still accepted and
    flagged late; never once the period is closed, nor for a period that has not begun.

    `locked`: the caller read `evaluation` with SELECT … FOR UPDATE (its period, agency, person
    and unit joined) inside the transaction this runs in, so it is not read again."""
    # Locked by the caller: its transaction is the one to roll back, no savepoint of our own.
    with transaction.atomic(savepoint=not locked):
        if locked:
            ev = _already_locked(evaluation, expected_version)
        else:
            ev = _locked(evaluation, expected_version)
        if not _is_the_person(by, ev):
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
        ev.submitted_late = _today() > ev.period.self_due
        ev.status = EvaluationStatus.SELF_ASSESSED
        return _save(ev, before, SELF_FIELDS)


def _already_locked(evaluation: Evaluation, expected_version: int | None) -> Evaluation:
    # Called inside this module's `atomic()`: when that block is the outermost one (no
    # savepoint below it), the caller's transaction, and the lock it took, have already ended.
    if not transaction.get_connection().savepoint_ids:
        raise RuntimeError("self_assess(locked=True) outside the transaction of the lock")
    if expected_version is not None and evaluation.version != expected_version:
        raise ConcurrentUpdate()
    return evaluation


def _is_the_person(by: Any, evaluation: Evaluation) -> bool:
    """Whether `by` is the person evaluated: their login is the staff record's (read with the
    row: `staff` is joined), so no query for the user's staff record."""
    if by is None or not getattr(by, "is_authenticated", False) or by.pk is None:
        return False
    return bool(evaluation.staff.user_id == by.pk)
