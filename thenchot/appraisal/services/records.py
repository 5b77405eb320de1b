"""How every write of the workflow reads and writes evaluations: the locked row re-checked inside
the transaction, the fields each step writes, the versioned save with its audit line, and the
bulk path (lock all in id order, refuse all with one list, one bulk update, one audit batch)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.appraisal import summary
from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.base import PeriodClosed, _refuse, _today
from thenchot.core import auditing
from thenchot.core.concurrency import ConcurrentUpdate, save_versioned
from thenchot.core.errors import DomainError, OutOfScope


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
    if evaluation.period.starts_on > _today():
        raise _refuse(
            _("The period %(period)s has not begun yet.") % {"period": evaluation.period_code},
            "period",
        )


def _save(evaluation: Evaluation, before: dict[str, Any], fields: list[str]) -> Evaluation:
    save_versioned(evaluation, expected_version=evaluation.version, fields=fields)
    auditing.record(evaluation, action=auditing.UPDATE, before=before)
    return evaluation


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
    """One refusal listing everyone refused (an `OutOfScope` when `scope`: all were outside),
    one person a line ("name (code) — reason"): the reasons end with a full stop, and joined on
    one line they read as "approved. ; Name", which testers could not read."""
    lines = [refusal_line(ev, msg) for ev, msg in errors]
    kind = OutOfScope if scope else DomainError
    return kind(
        "\n".join([str(_("Nothing was changed. Refused:")), *lines]),
        field_errors={str(ev.pk): [msg] for ev, msg in errors},
    )


def refusal_line(evaluation: Evaluation, reason: str) -> str:
    """One person in a list of refusals or of rows left out: "name (code) — reason"."""
    return f"{evaluation.staff.full_name} ({evaluation.staff.code}) — {reason}"


def _bulk_write(rows: list[Evaluation], fields: list[str], changes: list[auditing.Change]) -> None:
    now = timezone.now()
    for ev in rows:
        ev.version += 1
        ev.updated_at = now
    with summary.writing({ev.period_id for ev in rows}):
        Evaluation.objects.bulk_update(rows, [*fields, "version", "updated_at"], batch_size=500)
        auditing.record_many(
            auditing.Change(c.instance, c.action, c.before, auditing.snapshot(c.instance))
            for c in changes
        )
