"""Opening evaluation periods: one agency's period on demand, and this month's period of every
agency from the hourly job, each creating the draft evaluations of the people assigned."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import PeriodKind
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.services.base import _refuse, _today
from thenchot.core import auditing
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, HeadAssignment, Staff

# *default* step deadlines, in days after the period's last day (the texts leave them to the
# agency; an administrator changes a period's dates).
SELF_DAYS = 3
REVIEW_DAYS = 5
APPROVAL_DAYS = 7


@dataclass
class Opened:
    period: EvaluationPeriod
    created: int  # evaluations created now


def _reference_day(period: rules.Period) -> dt.date:
    return min(period.end, max(period.start, _today()))


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
    if period.start > _today():
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
    on = on or _today()
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
