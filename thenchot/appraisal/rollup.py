"""Quarterly and annual results from the closed periods, as each pack defines them.

- `hanoi-monthly-2018`: quarter and year = the graded mean of the monthly scores (the annual
  result of contract workers; for cán bộ and viên chức the monthly results are the evidence
  beside the Decree 90 classification);
- `decree-335-2025`: year = the mean of the period scores of the year, including the periods a
  former unit closed before a transfer (evaluations are keyed by person and period, whichever
  agency held them), with the year's discipline and the unit-result ceiling for heads;
- `decree-90-2020`: the year is classified on its criteria, from the person's tasks of the year
  (shares done on time and exceeded), for leaders and every cán bộ the targets of the unit they
  head (else the unit they belong to) and the year's results of the units directly under it,
  the year's discipline, months worked and lawful leave (under 6 months worked → not
  rated; leave of 3 to under 6 months → at most complete, maternity rated on the time worked);
  the monthly results travel beside it as evidence.

Reads are set-based: `rollup_many` takes many people at once with a fixed number of queries.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.directives.models import Task
from thenchot.directives.status import effective_deadline_expr
from thenchot.org.tree import tree
from thenchot.people.models import Staff
from thenchot.people.selectors import assignment_units


@dataclass(frozen=True)
class PeriodLine:
    """One closed period used (or shown as evidence): code, agency, level, score."""

    period: str
    agency: str
    pack: str
    level: str
    score: Decimal | None


@dataclass
class Rollup:
    staff_id: int
    period: str
    classification: rules.Classification | None
    periods: list[PeriodLine] = field(default_factory=list)  # the months used or shown
    error: str = ""

    @property
    def level(self) -> str | None:
        return self.classification.level.value if self.classification else None


def _closed_months(staff_ids: Iterable[int], rolled: rules.Period) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = defaultdict(list)
    codes = [str(m) for m in rolled.months()]
    if rolled.kind is rules.PeriodKind.YEAR:
        codes += [str(rules.Period.quarter(rolled.year, q)) for q in range(1, 5)]
    for chunk in inputs.chunks(staff_ids):
        for row in (
            Evaluation.objects.filter(
                staff_id__in=chunk, period_code__in=codes, status=EvaluationStatus.CLOSED
            )
            .exclude(final_level="")
            .values_list(
                "staff_id",
                "period_code",
                "period__agency__code",
                "rule_pack",
                "pack_version",
                "final_level",
                "score",
                "is_leader",
                "is_head",
                "category",
            )
            .order_by("staff_id", "period_code")
        ):
            out[row[0]].append(row)
    return out


def rollup_many(
    staff_ids: Iterable[int], period: str, *, pack_id: str | None = None
) -> dict[int, Rollup]:
    """The quarter or year `period` ("2026-Q1", "2026") of each person, under the pack in force
    for their category (or `pack_id`, checked)."""
    rolled = rules.Period.parse(period)
    if rolled.kind is rules.PeriodKind.MONTH:
        raise rules.RuleInputError("a month is closed, not rolled up", field="period")
    ids = sorted(set(staff_ids))
    people = {
        pk: (category, is_leader, unit_id)
        for pk, category, is_leader, unit_id in inputs_in(
            ids,
            lambda b: Staff.objects.filter(pk__in=b).values_list(
                "pk", "category", "is_leader", "unit_id"
            ),
        )
    }
    start, end = rolled.start, rolled.end
    months = _closed_months(ids, rolled)
    discipline = inputs.discipline_facts(ids, start, end)
    presence = inputs.presence_in(ids, start, end)
    heads = inputs.head_units(ids, end)
    out: dict[int, Rollup] = {}
    d90: list[int] = []
    packs: dict[int, Any] = {}
    for staff_id in ids:
        if staff_id not in people:
            continue
        category = people[staff_id][0]
        try:
            pack = rules.registry.resolve(category, rolled, pack_id=pack_id)
        except rules.RuleInputError as exc:
            out[staff_id] = Rollup(staff_id, str(rolled), None, error="; ".join(exc.messages))
            continue
        packs[staff_id] = pack
        if rolled.kind not in pack.classified_kinds or pack.id != "decree-90-2020":
            continue
        d90.append(staff_id)
    # Unit results for heads (the ceiling), and for Decree 90 leaders' unit criteria.
    head_unit_ids = {heads[s] for s in ids if s in heads}
    leaders = [s for s in d90 if _leads(people[s][0], people[s][1], s in heads)]
    worked_in = assignment_units(leaders, start, end) if leaders else {}
    # The unit a leader answered for in the period: the one they head, else their unit then.
    led = {s: heads.get(s, worked_in.get(s, people[s][2])) for s in leaders}
    snapshot = tree()
    managed = {u: snapshot.children_on(u, end) for u in set(led.values())}
    wanted = head_unit_ids | set(managed) | {c for kids in managed.values() for c in kids}
    # Each pack's own unit-result thresholds (an administrator may have changed them).
    results_by_pack = {
        pack_id: inputs.unit_results(wanted, start, end, inputs.current_params(pack_id)[0].unit)
        if wanted
        else {}
        for pack_id in {pack.id for pack in packs.values()}
    }
    own = _own_shares(d90, start, end) if d90 else {}
    unit_shares = _unit_shares(set(managed), start, end) if managed else {}
    for staff_id, pack in packs.items():
        category, is_leader, unit_id = people[staff_id]
        params, _n = inputs.current_params(pack.id)
        rows = months.get(staff_id, [])
        lines = [PeriodLine(r[1], r[2], r[3], r[5], r[6]) for r in rows]
        is_head = staff_id in heads
        results = results_by_pack[pack.id]
        head_result = results.get(heads[staff_id]) if is_head else None
        stay = presence.get(staff_id)
        person_kwargs: dict[str, Any] = {
            "staff_id": staff_id,
            "category": rules.Category(category),
            "period": rolled,
            "is_leader": bool(is_leader),
            "is_head": is_head,
            "discipline": discipline.get(staff_id, ()),
            "unit_result": head_result.level if head_result else None,
        }
        if stay is not None:
            person_kwargs.update(
                months_worked=stay.months_worked,
                lawful_leave_months=stay.lawful_leave_months if stay.lawful_leave_months else None,
                maternity=stay.maternity,
            )
        try:
            if pack.id == "decree-90-2020":
                shares = own.get(staff_id)
                facts = None
                if shares is not None:
                    unit = led.get(staff_id)
                    facts = _decree90_facts(
                        shares,
                        unit_shares.get(unit) if unit is not None else None,
                        _managed_levels(managed.get(unit, ()), results),
                        leads=unit is not None,
                    )
                found = pack.classify(rules.PersonPeriod(decree90=facts, **person_kwargs), params)
            else:
                used = [
                    _stored(r, staff_id)
                    for r in rows
                    if r[3] == pack.id and rules.Period.parse(r[1]).within(rolled)
                ]
                used = _no_overlap(used)
                found = pack.rollup(used, person=rules.PersonPeriod(**person_kwargs), params=params)
        except rules.RuleInputError as exc:
            out[staff_id] = Rollup(staff_id, str(rolled), None, lines, "; ".join(exc.messages))
            continue
        out[staff_id] = Rollup(staff_id, str(rolled), found, lines)
    return out


def rollup_for(*, staff: Staff, period: str, pack_id: str | None = None) -> Rollup:
    return rollup_many([staff.pk], period, pack_id=pack_id).get(
        staff.pk, Rollup(staff.pk, period, None, error="unknown staff")
    )


def _leads(category: str, is_leader: bool, is_head: bool) -> bool:
    return bool(is_leader or is_head or category == "cadre")


def _decree90_facts(
    own: tuple[Decimal, Decimal],
    unit: tuple[Decimal, Decimal, Decimal] | None,
    managed_levels: tuple[rules.Level, ...],
    *,
    leads: bool,
) -> rules.Decree90Facts:
    """A person-year's Decree 90 inputs. A leader (and every cán bộ) is judged on the unit they
    head, else the unit they belong to: a deputy answers for their unit's targets too (art. 4-6,
    8-10, 12-14), not for a blank 100%. A unit with no target due in the year has missed none,
    so its completed and on-time shares are 1 (the reading of rules.md's "no task due, no
    ceiling"); it has exceeded none either, so its exceeded share stays unknown (counted 0)."""
    if not leads:
        return rules.Decree90Facts(own_on_time=own[0], own_exceeded=own[1])
    completed, on_time, exceeded = unit if unit else (Decimal(1), Decimal(1), None)
    return rules.Decree90Facts(
        own_on_time=own[0],
        own_exceeded=own[1],
        unit_completed=completed,
        unit_on_time=on_time,
        unit_exceeded=exceeded,
        managed_levels=managed_levels,
    )


def _managed_levels(
    child_units: Iterable[int], results: dict[int, rules.UnitResult]
) -> tuple[rules.Level, ...]:
    """The year's levels of the units directly under a leader's unit; a unit with no task due
    has no result and is left out (as in `rules.unit_results_tree`)."""
    levels = (results[c].level for c in child_units if c in results)
    return tuple(level for level in levels if level is not None)


def _stored(row: Any, staff_id: int) -> rules.Classification:
    """A closed period's stored result as the packs' `Classification` (for a roll-up)."""
    level = rules.Level(row[5])
    return rules.Classification(
        staff_id=staff_id,
        pack_id=row[3],
        pack_version=row[4] or "1",
        period=rules.Period.parse(row[1]),
        category=rules.Category(row[9]),
        is_leader=bool(row[7]),
        is_head=bool(row[8]),
        level=level,
        proposed_level=level,
        score=row[6],
        trace=(),
    )


def _no_overlap(items: list[rules.Classification]) -> list[rules.Classification]:
    """Months win over a quarter that contains them (an agency that changed its rhythm)."""
    months = [c for c in items if c.period.kind is rules.PeriodKind.MONTH]
    quarters = [
        c
        for c in items
        if c.period.kind is rules.PeriodKind.QUARTER
        and not any(m.period.within(c.period) for m in months)
    ]
    return sorted(months + quarters, key=lambda c: c.period.start)


def inputs_in(ids: list[int], fetch: Any) -> list[Any]:
    out: list[Any] = []
    for chunk in inputs.chunks(ids):
        out.extend(fetch(chunk))
    return out


def _own_shares(
    staff_ids: list[int], start: dt.date, end: dt.date
) -> dict[int, tuple[Decimal, Decimal]]:
    """Per person, the shares of their tasks due in the year done on time, and exceeded."""

    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for chunk in inputs.chunks(staff_ids):
        for staff_id, completed_on, eff, quality in (
            Task.objects.filter(assignee_id__in=chunk, assigned_on__lte=end)
            .annotate(eff=effective_deadline_expr(end))
            .filter(eff__gte=start, eff__lte=end)
            .values_list("assignee_id", "completed_on", "eff", "quality")
        ):
            c = counts[staff_id]
            c[0] += 1
            if completed_on is not None and completed_on <= min(eff, end):
                c[1] += 1
                c[2] += quality == "exceeds"
    return {s: (Decimal(c[1]) / c[0], Decimal(c[2]) / c[0]) for s, c in counts.items() if c[0]}


def _unit_shares(
    unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, tuple[Decimal, Decimal, Decimal]]:
    """Per unit with a task due in the year, the shares of those tasks completed, on time and
    exceeded (the same counts as the unit's result, so criteria and ceiling cannot disagree)."""
    return {
        u: (Decimal(c.completed) / c.due, Decimal(c.on_time) / c.due, Decimal(c.exceeded) / c.due)
        for u, c in inputs.unit_task_counts(unit_ids, start, end).items()
        if c.due
    }
