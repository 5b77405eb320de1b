"""`decree-335-2025`: Decree 335/2025/NĐ-CP (21/12/2025, in force 01/01/2026) on rating state
administrative agencies and công chức, under the Law on Cadres and Civil Servants 80/2025/QH15.

- Period (month or quarter) score = general criteria (≤ 30) + task results (≤ 70); task points
  come from the work items of the period (`tasks.py`) unless entered.
- Excellent ≥ 90; good 70 to < 90; complete 50 to < 70; not complete < 50.
- Not complete whatever the score: a duty-related violation disciplined at reprimand or heavier
  in the evaluation period; a concluded degradation of political ideology, ethics or lifestyle;
  a breach of Party-member prohibitions or of the duty to set an example; for leaders, corruption
  or waste handled in a unit under their direct charge. The decree states these for the year;
  for a month or quarter we apply the facts effective in that period, and the year applies
  every fact effective in the year.
- Annual score (art. 21) = mean of the period scores of the year, including those a former unit
  sends after a transfer; someone absent at rating time is rated on the periods worked.
- Quota: excellent ≤ 20% of those rated good, per agency × group of similar tasks (*default*
  groups: leaders and non-leaders; *default* base: those good or better) — `quota.apply_quota`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .base import Category, Criterion, PeriodKind, RuleInputError, TraceStep, gettext_noop
from .inputs import LeaderWork, PersonPeriod
from .pack import Coverage, Grade, ScoredPack, check_discipline, discipline_step
from .params import QuotaBase, QuotaRule, ScoredParameters

D = Decimal
_SINCE = dt.date(2026, 1, 1)
_BASIS = "Decree 335/2025/NĐ-CP"


@dataclass(frozen=True, kw_only=True)
class Decree335Parameters(ScoredParameters):
    quota: QuotaRule = QuotaRule(ratio=D("0.20"), base=QuotaBase.GOOD_OR_BETTER, by_group=True)


class Decree335(ScoredPack[Decree335Parameters]):
    id = "decree-335-2025"
    title = gettext_noop("Decree 335/2025: 100-point rating of civil servants")
    basis = _BASIS
    effective_from = _SINCE
    coverage = (Coverage(Category.CIVIL_SERVANT, _SINCE),)
    period_kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    classified_kinds = (PeriodKind.MONTH, PeriodKind.QUARTER)
    not_rolled_up = "{id}: months and quarters are classified; only a year is rolled up"
    rollup_rule = "decree-335.rollup"
    criteria = (
        Criterion("general", gettext_noop("General criteria"), D(30), _BASIS),
        Criterion("tasks", gettext_noop("Results of assigned tasks"), D(70), _BASIS),
    )
    parameters_class = Decree335Parameters
    required_points = ("general",)

    def defaults(self) -> Decree335Parameters:
        return Decree335Parameters()

    def _check_inputs(self, person: PersonPeriod) -> None:
        check_discipline(person.discipline)

    def _leader_work(self, person: PersonPeriod) -> LeaderWork | None:
        if person.leader_work is not None and not person.leads:
            raise RuleInputError(
                "leader_work: given for someone who is not a leader", field="leader_work"
            )
        return person.leader_work

    def _grade(self, given: Mapping[str, Decimal], p: Decree335Parameters) -> Grade:
        score = given["general"] + given["tasks"]
        level = p.bands.level_for(score)
        values = {"score": score, "general": given["general"], "tasks": given["tasks"]}
        return Grade(score, level, "decree-335.grade", values)

    def _adjust(self, steps: list[TraceStep], person: PersonPeriod, p: Decree335Parameters) -> None:
        # Decree 335/2025, "not complete" grounds: discipline of reprimand or heavier (every
        # form is) for a violation in the performance of duties, effective in the period.
        discipline_step(
            steps,
            (
                fact
                for fact in person.discipline
                if fact.duty_related and person.period.contains(fact.effective_on)
            ),
        )
        self._conduct(steps, person, leader_rules=person.leads)
        self._ceiling(steps, person, p)
