"""Closing a quarter or a year that a pack rolls up from its months (rules.md "Settled points"
3): the roll-up is a period that closes like a month.

Before the ordinary close runs (`closing`), `prepare`:
1. refuses, naming them, while a month of the rolled period is still open in an agency of the
   subtree, or a person concerned has a month still open elsewhere (their months in another
   agency count: the person's months, not the agency's);
2. finds the people: those with a month of the period in an agency of the subtree and those
   assigned in it on the period's last day, each counted in the agency of their unit on that
   day ("Settled points" 11);
3. creates the agencies' period rows and one evaluation per person-period (approved: nothing is
   entered by hand in a roll-up) under the pack in force for their category and the period —
   decree-90 for the year of cán bộ and viên chức (and công chức until 2025), which is
   classified on its criteria with the months beside it as evidence;
4. computes the roll-ups set-based (`rollup.rollup_many`: the mean of the closed months graded
   unrounded, the year's overrides and the head's ceiling), which the close then treats as the
   classification of steps 1-3 before the quota, the lock and the export.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from thenchot.appraisal import inputs, rollup, rules, services
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.rules.batch import Graded, trace_json
from thenchot.core import auditing, bulk
from thenchot.core.errors import DomainError
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment

D90 = "decree-90-2020"


class MonthsOpen(DomainError):
    code = "months_open"
    status = 409


@dataclass
class Prepared:
    """What the roll-up close adds to the ordinary close."""

    created: int = 0
    # staff id -> the roll-up as the close stores it, or why it cannot be made
    rolled: dict[int, Graded | str] = field(default_factory=dict)
    # staff id -> the monthly results beside a decree-90 year (a line of its reasons: params)
    evidence: dict[int, dict[str, object]] = field(default_factory=dict)


def rolls_up(pack: Any, period: rules.Period) -> bool:
    return period.kind in pack.period_kinds and period.kind not in pack.classified_kinds


def prepare(*, unit_id: int, parsed: rules.Period) -> Prepared:
    """Steps 1-3 of the module docstring (inside the close's transaction)."""
    out = Prepared()
    if parsed.kind is rules.PeriodKind.MONTH:
        return out
    snap = tree()
    end = parsed.end
    subtree = snap.subtree_on(unit_id, end)
    agencies = {snap.agency_of(u, end) for u in subtree}
    months = [str(m) for m in parsed.months()]
    open_months = sorted(
        EvaluationPeriod.objects.filter(code__in=months, agency_id__in=sorted(agencies))
        .exclude(status=PeriodStatus.CLOSED)
        .values_list("code", "agency__code")
    )
    month_rows = list(
        Evaluation.objects.filter(period_code__in=months, period__agency_id__in=sorted(agencies))
        .order_by()
        .values_list("staff_id", flat=True)
        .distinct()
    )
    if not month_rows and not open_months:
        return out  # no month in the subtree: nothing is rolled up (a directly rated year)
    if open_months:
        lines = [f"{code} ({agency})" for code, agency in open_months]
        raise MonthsOpen(
            _("%(period)s is rolled up from its months; still open: %(list)s")
            % {"period": str(parsed), "list": ", ".join(lines)},
            field_errors={"period": lines},
        )
    assigned = set(
        Assignment.objects.filter(valid_on_q(end), unit_id__in=sorted(subtree)).values_list(
            "staff_id", flat=True
        )
    )
    candidates = sorted(set(month_rows) | assigned)
    standings = services.evaluation_standings(pairs=[(s, parsed) for s in candidates])
    code = str(parsed)
    here = {
        s: st
        for s in candidates
        if (st := standings.get((s, code))) is not None
        and st.unit_id in subtree
        and snap.agency_of(st.unit_id, end) in agencies
    }
    _refuse_open_months_elsewhere(list(here), months)
    closed_months = _closed_month_staff(list(here), months)
    existing: dict[int, str] = {}
    for chunk in inputs.chunks(here):
        existing.update(
            Evaluation.objects.filter(staff_id__in=chunk, period_code=code).values_list(
                "staff_id", "rule_pack"
            )
        )
    packs: dict[int, Any] = {}
    for staff_id, standing in here.items():
        if staff_id in existing:
            packs[staff_id] = rules.registry.get(existing[staff_id])
            continue
        try:
            packs[staff_id] = inputs.resolve_pack(standing.category, parsed)
        except rules.RuleInputError:
            continue  # no pack rates this category for this period
    # A row for each person whose pack rolls the period up from their closed months, and for
    # the year of those the pack in force rates on its criteria (decree-90), months beside it.
    year90 = parsed.kind is rules.PeriodKind.YEAR
    new = [
        s
        for s, pack in packs.items()
        if s not in existing
        and ((rolls_up(pack, parsed) and s in closed_months) or (year90 and pack.id == D90))
    ]
    if new:
        out.created = _create_rows(new, here, packs, parsed)
    # The roll-ups (rows of packs that roll the period up) and the months beside a decree-90 year.
    by_pack: dict[str, list[int]] = defaultdict(list)
    for staff_id, pack in packs.items():
        if staff_id in existing or staff_id in new:
            by_pack[pack.id].append(staff_id)
    for pack_id, ids in sorted(by_pack.items()):
        pack = rules.registry.get(pack_id)
        if rolls_up(pack, parsed):
            for staff_id, found in rollup.rollup_many(ids, code, pack_id=pack_id).items():
                out.rolled[staff_id] = _graded(found)
        elif pack_id == D90 and parsed.kind is rules.PeriodKind.YEAR:
            out.evidence.update(_evidence(ids, parsed))
    return out


def _refuse_open_months_elsewhere(staff_ids: list[int], months: list[str]) -> None:
    """The months of these people, in any agency, that are not closed yet: refused by name."""
    found: list[str] = []
    for chunk in inputs.chunks(staff_ids):
        found += [
            f"{name} ({staff}): {month} ({agency})"
            for name, staff, month, agency in Evaluation.objects.filter(
                staff_id__in=chunk, period_code__in=months
            )
            .exclude(status=EvaluationStatus.CLOSED)
            .order_by("staff__code", "period_code")
            .values_list("staff__full_name", "staff__code", "period_code", "period__agency__code")
        ]
    if found:
        raise MonthsOpen(
            _("months still open: %(list)s") % {"list": "; ".join(found[:50])},
            field_errors={"period": found[:50]},
        )


def _closed_month_staff(staff_ids: list[int], months: list[str]) -> set[int]:
    out: set[int] = set()
    for chunk in inputs.chunks(staff_ids):
        out |= set(
            Evaluation.objects.filter(
                staff_id__in=chunk, period_code__in=months, status=EvaluationStatus.CLOSED
            ).values_list("staff_id", flat=True)
        )
    return out


def _create_rows(
    new: Sequence[int],
    standings: dict[int, Any],
    packs: dict[int, Any],
    parsed: rules.Period,
) -> int:
    """The agencies' period rows (when missing) and one approved evaluation per person."""
    snap = tree()
    code = str(parsed)
    agency_of = {s: snap.agency_of(standings[s].unit_id, parsed.end) for s in new}
    periods = {
        p.agency_id: p
        for p in EvaluationPeriod.objects.filter(
            code=code, agency_id__in=sorted(set(agency_of.values()))
        )
    }
    made = [
        EvaluationPeriod(agency_id=agency_id, code=code, **services.period_defaults(parsed))
        for agency_id in sorted(set(agency_of.values()) - set(periods))
    ]
    if made:
        EvaluationPeriod.objects.bulk_create(made)
        if made[0].pk is None:  # a backend that returns no ids: read them back
            made = list(
                EvaluationPeriod.objects.filter(
                    code=code, agency_id__in=[p.agency_id for p in made]
                )
            )
        auditing.record_many(
            auditing.Change(p, auditing.CREATE, None, auditing.snapshot(p)) for p in made
        )
        periods.update({p.agency_id: p for p in made})
    rows = [
        services.evaluation_draft(
            period_row=periods[agency_of[s]],
            staff_id=s,
            standing=standings[s],
            rule_pack=packs[s].id,
            pack_version=packs[s].version,
            status=EvaluationStatus.APPROVED,
        )
        for s in new
        if periods[agency_of[s]].status != PeriodStatus.CLOSED
    ]
    # Through `core.bulk` (no ORM compile per row): a city's year is tens of thousands of rows.
    bulk.insert_instances(Evaluation, rows)
    return len(rows)


def _graded(found: rollup.Rollup) -> Graded | str:
    c = found.classification
    if c is None:
        return found.error or _("no closed month to roll up")
    return Graded(c.level, c.score, c.is_leader, trace_json(c.trace))


def _evidence(staff_ids: list[int], parsed: rules.Period) -> dict[int, dict[str, object]]:
    """The closed months beside a decree-90 year: their mean (unrounded, shown to two decimals)
    and levels, as one trace line of the year's reasons (rules.md "Settled points" 3)."""
    out: dict[int, dict[str, object]] = {}
    months = [str(m) for m in parsed.months()]
    for chunk in inputs.chunks(staff_ids):
        rows: dict[int, list[tuple[str, str, Decimal | None]]] = defaultdict(list)
        for staff_id, _month, pack, level, score in (
            Evaluation.objects.filter(
                staff_id__in=chunk, period_code__in=months, status=EvaluationStatus.CLOSED
            )
            .exclude(final_level="")
            .order_by("staff_id", "period_code")
            .values_list("staff_id", "period_code", "rule_pack", "final_level", "score")
        ):
            rows[staff_id].append((pack, level, score))
        for staff_id, found in rows.items():
            scores = [s for _p, _l, s in found if s is not None]
            mean = sum(scores, Decimal(0)) / len(scores) if scores else None
            counts: dict[str, int] = defaultdict(int)
            for _p, level, _s in found:
                counts[level] += 1
            levels = ", ".join(
                f"{counts[lv.value]} {lv.value}" for lv in rules.Level if counts.get(lv.value)
            )
            out[staff_id] = {
                "count": len(found),
                "pack": found[0][0],
                # graded nowhere: shown to two decimals (rules.md "Settled points" 3)
                "score": f"{rules.base.q2(mean):.2f}" if mean is not None else "—",
                "levels": levels,
            }
    return out
