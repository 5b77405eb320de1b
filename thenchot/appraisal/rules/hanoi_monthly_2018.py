"""`hanoi-monthly-2018`: Hanoi's monthly evaluation, QĐ 3814-QĐ/TU of 16/05/2018 of the Standing
Committee of the Hanoi Party Committee (monthly assessment from 01/07/2018), as amended in August
2022 (authority over heads; heads rated together with the results of their unit).

- Score out of 100 = discipline & ethics (≤ 20) + task results (≤ 70) + bonus (≤ 10), capped at 100.
- A ≥ 90; B 70 to < 90; C 50 to < 70; D < 50 (the same four levels as every pack).
- Quota: A ≤ 30% of those rated in the agency (rounded down); an "exceptional collective" month
  may go to 40% of the agency's headcount (`quota.apply_quota`).
- Quarter and year (*default*, the texts give no roll-up): the mean of the monthly scores,
  graded with the same bands. That is the annual result of contract workers; cán bộ and viên
  chức are classified for the year under `decree-90-2020`, the months being evidence.
- Task points, when not entered, are pre-filled with the Decree 335 formula of `tasks.py`
  (*default*: QĐ 3814 gives no formula for its 70 task points).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from .base import ZERO, Category, Criterion, Level, PeriodKind, gettext_noop
from .pack import Coverage, Grade, ScoredPack
from .params import QuotaBase, QuotaRule, ScoredParameters

D = Decimal

SCORE_CAP = D(100)  # QĐ 3814: the score is out of 100, bonus included
GRADES: dict[Level, str] = {
    Level.EXCELLENT: "A",
    Level.GOOD: "B",
    Level.COMPLETE: "C",
    Level.NOT_COMPLETE: "D",
}


@dataclass(frozen=True, kw_only=True)
class HanoiParameters(ScoredParameters):
    """`tasks`: the *default* pre-fill formula (QĐ 3814 gives none for its task points)."""

    quota: QuotaRule = QuotaRule(
        ratio=D("0.30"), base=QuotaBase.RATED, by_group=False, exceptional_ratio=D("0.40")
    )


_SINCE = dt.date(2018, 7, 1)


class HanoiMonthly2018(ScoredPack[HanoiParameters]):
    id = "hanoi-monthly-2018"
    title = gettext_noop("Hanoi monthly evaluation (QĐ 3814-QĐ/TU, 2018, amended 2022)")
    basis = "QĐ 3814-QĐ/TU (16/05/2018) of the Hanoi Party Committee, amended 08/2022"
    effective_from = _SINCE
    coverage = tuple(Coverage(category, _SINCE) for category in Category)
    period_kinds = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
    classified_kinds = (PeriodKind.MONTH,)
    not_rolled_up = "a month is classified, not rolled up"
    rollup_rule = "hanoi-2018.rollup"  # its line shows the grade (`display_grade`)
    criteria = (
        Criterion(
            "discipline_ethics",
            gettext_noop("Organisational discipline and ethics"),
            D(20),
            "QĐ 3814-QĐ/TU",
        ),
        Criterion("tasks", gettext_noop("Results of assigned tasks"), D(70), "QĐ 3814-QĐ/TU"),
        Criterion("bonus", gettext_noop("Bonus points"), D(10), "QĐ 3814-QĐ/TU"),
    )
    parameters_class = HanoiParameters
    required_points = ("discipline_ethics",)
    default_points = {"bonus": ZERO}

    def defaults(self) -> HanoiParameters:
        return HanoiParameters()

    def display_grade(self, level: Level) -> str | None:
        return GRADES.get(level)

    def _grade(self, given: Mapping[str, Decimal], p: HanoiParameters) -> Grade:
        score = min(given["discipline_ethics"] + given["tasks"] + given["bonus"], SCORE_CAP)
        level = p.bands.level_for(score)
        values = {
            "score": score,
            "discipline_ethics": given["discipline_ethics"],
            "tasks": given["tasks"],
            "bonus": given["bonus"],
            "grade": GRADES[level],
        }
        return Grade(score, level, "hanoi-2018.grade", values)
