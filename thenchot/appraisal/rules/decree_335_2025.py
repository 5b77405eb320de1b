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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from .base import (
    Category,
    Criterion,
    Level,
    PeriodKind,
    RuleInputError,
    TraceStep,
    gettext_noop,
    q2,
)
from .inputs import PersonPeriod
from .pack import (
    Classification,
    Coverage,
    Grade,
    PeriodResult,
    RulePack,
    check_discipline,
    discipline_step,
    scored_points,
)
from .params import Bands, PackParameters, QuotaBase, QuotaRule, TaskFormula
from .rollup import check_periods, mean_score

D = Decimal
_SINCE = dt.date(2026, 1, 1)
_BASIS = "Decree 335/2025/NĐ-CP"


@dataclass(frozen=True, kw_only=True)
class Decree335Parameters(PackParameters):
    bands: Bands = Bands()
    quota: QuotaRule = field(
        default_factory=lambda: QuotaRule(
            ratio=D("0.20"), base=QuotaBase.GOOD_OR_BETTER, by_group=True
        )
    )
    tasks: TaskFormula = TaskFormula()


class Decree335(RulePack[Decree335Parameters]):
    id = "decree-335-2025"
    title = gettext_noop("Decree 335/2025: 100-point rating of civil servants")
    basis = _BASIS
    effective_from = _SINCE
    coverage = (Coverage(Category.CIVIL_SERVANT, _SINCE),)
    period_kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    classified_kinds = (PeriodKind.MONTH, PeriodKind.QUARTER)
    criteria = (
        Criterion("general", gettext_noop("General criteria"), D(30), _BASIS),
        Criterion("tasks", gettext_noop("Results of assigned tasks"), D(70), _BASIS),
    )
    parameters_class = Decree335Parameters
    grades_points = True
    required_points = ("general",)

    def defaults(self) -> Decree335Parameters:
        return Decree335Parameters()

    def _classify(self, person: PersonPeriod, p: Decree335Parameters) -> Classification:
        check_discipline(person.discipline)
        if person.leader_work is not None and not person.leads:
            raise RuleInputError(
                "leader_work: given for someone who is not a leader", field="leader_work"
            )
        given, task = scored_points(
            self, person, required=self.required_points, formula=p.tasks, leader=person.leader_work
        )
        grade = self._grade(given, p)
        score, steps = grade.score, [grade.step()]
        self._overrides(steps, person)
        self._ceiling(steps, person, p)
        return self._result(person, steps, score, task)

    def _grade(self, given: Mapping[str, Decimal], p: Decree335Parameters) -> Grade:
        score = given["general"] + given["tasks"]
        level = p.bands.level_for(score)
        values = {"score": score, "general": given["general"], "tasks": given["tasks"]}
        return Grade(score, level, "decree-335.grade", values)

    def rollup(
        self,
        periods: Sequence[PeriodResult],
        *,
        person: PersonPeriod,
        params: PackParameters | None = None,
    ) -> Classification:
        self.check_covers(person.category, person.period)
        if person.period.kind is not PeriodKind.YEAR:
            raise RuleInputError(
                f"{self.id}: months and quarters are classified; only a year is rolled up",
                field="period",
            )
        p = self.parameters(params)
        check_discipline(person.discipline)
        used = check_periods(
            self, periods, person=person, kinds=(PeriodKind.MONTH, PeriodKind.QUARTER)
        )
        mean = mean_score(used)
        score = None if mean is None else q2(mean)
        if mean is None or score is None:
            steps = [
                TraceStep.make("rollup.no_periods", None, Level.NOT_RATED, period=person.period)
            ]
        else:
            # Settled point 3: graded unrounded, shown to two decimals.
            level = p.bands.level_for(mean)
            steps = [TraceStep.make("decree-335.rollup", None, level, count=len(used), score=score)]
            self._overrides(steps, person)
            self._ceiling(steps, person, p)
        return self._result(person, steps, score)

    def _overrides(self, steps: list[TraceStep], person: PersonPeriod) -> None:
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
