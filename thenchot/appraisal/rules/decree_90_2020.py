"""`decree-90-2020`: Decree 90/2020/NĐ-CP (in force 20/08/2020), the annual, criteria-based rating
of cán bộ, công chức and viên chức, as amended by Decree 48/2023/NĐ-CP from 15/09/2023.

Step 1, criteria (no points), on shares in [0, 1] of the person's year:
- non-leader (công chức art. 8–11, viên chức art. 12–15): excellent = 100% of tasks done on time
  and ≥ 50% exceeded; good = 100% on time; complete = at most 20% of result criteria short on
  quality or time; otherwise not complete (*default*: a share short between 20% and 50% meets
  neither the decree's "complete" nor its "not complete"; we read it as not complete);
- leader or manager, and every cán bộ (art. 4–7): the non-leader criteria and also — excellent:
  the unit completes all targets with ≥ 50% exceeded, and 100% of directly managed units are
  complete or better with ≥ 70% good or better; good: all targets, ≥ 80% on time, the same
  managed-unit rule; complete: > 70% of targets and ≥ 70% of managed units complete or better
  (confirmed for viên chức, art. 14; *default* the same for cán bộ and công chức).
Step 2, overrides (art. 2 and Decree 48/2023 art. 1):
- from 15/09/2023: any Party or administrative discipline effective in the year → not complete,
  the same violation counting in one year only (cl. 5b, 5c); results finalised before 15/09/2023
  are not re-examined (Decree 48 art. 2);
- concluded degradation; for leaders, corruption or waste in a unit under their charge;
- lawful leave of 3 to < 6 months → at most complete;
- under 6 months worked in the year → not rated (a review is still recorded), except maternity
  leave: rated on the time worked.
Quota (Decree 48/2023 cl. 6): excellent ≤ the Party ratio, *default* 20% of those rated good (HD
21-HD/BTCTW 2019), per agency × group, none before 15/09/2023 — `quota.apply_quota`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from .base import (
    ONE,
    Category,
    Level,
    PeriodKind,
    RuleInputError,
    TraceStep,
    check_share,
    fmt,
    gettext_noop,
    to_decimal,
)
from .inputs import Decree90Facts, DisciplineFact, PersonPeriod
from .pack import Classification, Coverage, RulePack, check_discipline, discipline_step
from .params import Decree90Criteria, PackParameters, QuotaBase, QuotaRule
from .unit_result import managed_rule_met

D = Decimal
_SINCE = dt.date(2020, 8, 20)
_DECREE_48 = dt.date(2023, 9, 15)


@dataclass(frozen=True, kw_only=True)
class Decree90Parameters(PackParameters):
    criteria: Decree90Criteria = Decree90Criteria()
    quota: QuotaRule = QuotaRule(
        ratio=D("0.20"), base=QuotaBase.GOOD_OR_BETTER, by_group=True, in_force_from=_DECREE_48
    )


class Decree90(RulePack[Decree90Parameters]):
    id = "decree-90-2020"
    title = gettext_noop("Decree 90/2020 (with Decree 48/2023): annual rating")
    basis = "Decree 90/2020/NĐ-CP; Decree 48/2023/NĐ-CP from 15/09/2023"
    effective_from = _SINCE
    coverage = (
        # công chức move to Decree 335/2025 from 2026-01-01
        Coverage(Category.CIVIL_SERVANT, _SINCE, dt.date(2025, 12, 31)),
        # *default*: still in force for cán bộ and viên chức (Decree 335 covers only công chức)
        Coverage(Category.CADRE, _SINCE, None, default=True),
        Coverage(Category.PUBLIC_EMPLOYEE, _SINCE, None, default=True),
    )
    period_kinds = (PeriodKind.YEAR,)
    classified_kinds = (PeriodKind.YEAR,)
    parameters_class = Decree90Parameters
    scored = False  # criteria, no points: no quota "by score" (rules.md "Settled points" 1)

    def defaults(self) -> Decree90Parameters:
        return Decree90Parameters()

    def _classify(self, person: PersonPeriod, p: Decree90Parameters) -> Classification:
        c = p.criteria
        check_discipline(person.discipline)
        months = _months(person.months_worked, "months_worked")
        leave = _months(person.lawful_leave_months, "lawful_leave_months")
        too_short = months is not None and months < c.min_months_worked
        steps: list[TraceStep] = []
        if person.decree90 is not None:
            level, reason = self._criteria(person, person.decree90, c)
            steps.append(TraceStep.make("decree-90.criteria", None, level, reason=reason))
        elif not (too_short and not person.maternity):
            raise RuleInputError("decree90: the year's task shares are missing", field="decree90")
        if steps:
            # Decree 48/2023 art. 1 cl. 5 (from 15/09/2023; earlier results stand, art. 2).
            if self._decree_48(person, c):
                discipline_step(steps, _counted_in(person.discipline, person.period.year))
            self._conduct(steps, person, leader_rules=self._leader_rules(person))
            # Decree 90 art. 2: lawful leave of 3 to under 6 months caps the level at complete.
            if leave is not None and c.leave_cap_from <= leave < c.leave_cap_below:
                self._lower(
                    steps,
                    "override.leave",
                    Level.COMPLETE,
                    months=leave,
                    low=c.leave_cap_from,
                    high=c.leave_cap_below,
                )
        if too_short:
            # Decree 90 art. 2: under 6 months worked, not rated (the review is still recorded);
            # maternity leave is rated on the time actually worked.
            current = steps[-1].level_after if steps else None
            if person.maternity and current is not None:
                steps.append(TraceStep.make("override.maternity", current, current, months=months))
            else:
                steps.append(
                    TraceStep.make(
                        "override.months_worked",
                        current,
                        Level.NOT_RATED,
                        months=months,
                        minimum=c.min_months_worked,
                    )
                )
        if steps[-1].level_after.rated:
            self._ceiling(steps, person, p)
        return self._result(person, steps, None)

    # -- step 1 ----------------------------------------------------------------------------------
    @staticmethod
    def _leader_rules(person: PersonPeriod) -> bool:
        # Art. 4–7: every cán bộ is rated on the leader criteria.
        return person.leads or person.category is Category.CADRE

    def _criteria(
        self, person: PersonPeriod, facts: Decree90Facts, c: Decree90Criteria
    ) -> tuple[Level, str]:
        on_time = check_share(facts.own_on_time, field="decree90.own_on_time")
        exceeded = check_share(facts.own_exceeded, field="decree90.own_exceeded")
        short = (
            ONE - on_time
            if facts.own_short is None
            else check_share(facts.own_short, field="decree90.own_short")
        )
        own = f"own tasks {_pct(on_time)} on time, {_pct(exceeded)} exceeded, {_pct(short)} short"
        # What the person's own results reach (non-leader articles 8-10, 12-14).
        if on_time == ONE and exceeded >= c.excellent_exceeded:
            own_level = Level.EXCELLENT
        elif on_time == ONE:
            own_level = Level.GOOD
        elif short <= c.complete_max_short:
            own_level = Level.COMPLETE
        else:
            own_level = c.gap_level if short <= c.not_complete_over_short else Level.NOT_COMPLETE
        if not self._leader_rules(person):
            return own_level, own
        if facts.unit_completed is None or facts.unit_on_time is None:
            raise RuleInputError(
                "decree90: a leader (and every cán bộ) needs the unit's targets completed and"
                " on time",
                field="decree90",
            )
        completed = check_share(facts.unit_completed, field="decree90.unit_completed")
        unit_on_time = check_share(facts.unit_on_time, field="decree90.unit_on_time")
        unit_exceeded = check_share(facts.unit_exceeded or 0, field="decree90.unit_exceeded")
        managed = [level for level in facts.managed_levels if level.rated]
        managed_ok = managed_rule_met(managed, c.managed_good_share)
        complete_share = (
            D(sum(1 for x in managed if x.rank >= Level.COMPLETE.rank)) / len(managed)
            if managed
            else ONE
        )
        # Leader articles 4-6, 8-10, 12-14: the unit's own criteria for each level.
        if completed == ONE and unit_exceeded >= c.unit_exceeded and managed_ok:
            unit_level = Level.EXCELLENT
        elif completed == ONE and unit_on_time >= c.unit_on_time and managed_ok:
            unit_level = Level.GOOD
        elif completed > c.unit_targets_over and complete_share >= c.managed_complete_share:
            unit_level = Level.COMPLETE
        else:
            unit_level = Level.NOT_COMPLETE
        reason = (
            f"{own}; unit targets {_pct(completed)} completed, {_pct(unit_on_time)} on time,"
            f" {_pct(unit_exceeded)} exceeded; {len(managed)} managed units,"
            f" {_pct(complete_share)} complete or better"
        )
        return own_level.at_most(unit_level), reason

    @staticmethod
    def _decree_48(person: PersonPeriod, c: Decree90Criteria) -> bool:
        if person.period.end < c.decree_48_from:
            return False
        return person.finalised_on is None or person.finalised_on >= c.decree_48_from


def _counted_in(facts: Sequence[DisciplineFact], year: int) -> list[DisciplineFact]:
    """The decisions whose violation counts in `year`: a violation counts once, in the year it was
    already used (cl. 5b) or else the year of its first decision in force (cl. 5c)."""
    by_violation: dict[str, list[DisciplineFact]] = {}
    for fact in facts:
        by_violation.setdefault(fact.key, []).append(fact)
    counted: list[DisciplineFact] = []
    for decisions in by_violation.values():
        used = [f.counted_year for f in decisions if f.counted_year is not None]
        first = min(decisions, key=lambda f: f.effective_on)
        year_counted = min(used) if used else first.effective_on.year
        if year_counted == year:
            in_year = [f for f in decisions if f.effective_on.year == year]
            counted.append(min(in_year, key=lambda f: f.effective_on) if in_year else first)
    return counted


def _months(value: object, name: str) -> Decimal | None:
    if value is None:
        return None
    months = to_decimal(value, field=name)
    if not D(0) <= months <= D(12):
        raise RuleInputError(f"{name}: {fmt(months)} is not within 0-12 months", field=name)
    return months


def _pct(share: Decimal) -> str:
    return fmt((share * 100).quantize(D("0.1"))) + "%"
