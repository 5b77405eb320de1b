"""Rule packs: the legal core of evaluation and classification, as pure Python.

One module per legal text (`hanoi_monthly_2018`, `decree_90_2020`, `decree_335_2025`), shared
types in `base`/`inputs`/`params`/`pack`, the Decree 335 task formula in `tasks`, the unit
result in `unit_result`, quotas in `quota`, the pack lookup in `registry`. No Django import
anywhere (a test greps the sources); mypy --strict clean. It encodes
`/shared/domain/rules.md`; items marked *default* there are parameters, flagged `default=True`
in `params.py` and listed by `params.describe()`.

How to use it (the workflow, the close command, imports)
--------------------------------------------------------
1. Pick the pack::

       from thenchot.appraisal import rules
       period = rules.Period.parse("2026-03")               # or "2026-Q1", "2026"
       pack = rules.registry.resolve("civil_servant", period)            # the binding pack
       pack = rules.registry.resolve(cat, period, pack_id="hanoi-monthly-2018")  # named: checked

   `registry.pack_for` applies the precedence of rules.md; `registry.packs_for` lists every pack
   covering the period (Hanoi kept in parallel for công chức); a pack that does not cover the
   category or the period raises `RuleInputError`.

2. Build the input, one `PersonPeriod` per person and period::

       person = rules.PersonPeriod(
           staff_id=42, category=rules.Category.CIVIL_SERVANT, period=period,
           is_leader=False, is_head=False,
           points={"general": "27.5", "tasks": "63"},          # ids: [c.id for c in pack.criteria]
           work=(rules.WorkItem(completed=True, major_errors=1),),  # when task points are absent
           discipline=(rules.DisciplineFact(form="reprimand", effective_on=date(2026, 3, 2)),),
           unit_result=None,                                   # heads: unit_result(...).level
       )

   Points are checked against each criterion's maximum, must not be negative and carry at most
   2 decimals (`RuleInputError`, with every problem in `.messages`). Criteria: hanoi
   `discipline_ethics` ≤ 20, `tasks` ≤ 70, `bonus` ≤ 10; decree-335 `general` ≤ 30, `tasks` ≤ 70;
   decree-90 has no points but `decree90=Decree90Facts(...)` shares, plus `months_worked`,
   `lawful_leave_months`, `maternity`. Discipline decisions come as plain dated records (the
   discipline app's selector builds them); `violation` links a Party and an administrative
   decision on one act. For a head, compute the unit's result first::

       ceiling = rules.unit_result(rules.UnitTaskCounts(due=10, completed=9, on_time=8,
                                                      exceeded=2), managed_levels=[...]).level

3. Classify (steps 1-3 of rules.md: score → overrides → head ceiling)::

       result = pack.classify(person)              # or pack.classify(person, params)
       result.level, result.score, result.proposed_level, result.task   # task: the calculation
       for step in result.trace: step.rule, step.detail, step.level_before, step.level_after

   `pack.display_grade(level)` gives the Hanoi letter (A-D), None for other packs.

4. Apply the quota per pack over a whole agency (step 4), then lock::

       agency = rules.agency_of([("SNV-TC", "division"), ("SNV", "department")], params.quota)
       candidates = [rules.QuotaCandidate.of(c, agency=agency) for c in results]
       outcome = rules.apply_quota(candidates, params.quota, resolve="refuse",   # or "by-score"
                                   overrides={"STC": rules.QuotaOverride(decision="QĐ 12",
                                                                         ratio=Decimal("0.3"))},
                                   chosen={staff_ids the head moves down}, on=period.end)
       if not outcome.ok:  # nothing changed; show c.describe(), c.holders, c.would_move
           ...
       final = [outcome.apply(c) for c in results]     # adds the quota lines to the trace

   `outcome.groups` is the use of the quota per agency and group (for the personnel view).
   Applying the quota to its own output changes nothing (closing twice changes nothing).

5. Roll up a quarter or a year from its periods (including a former unit's periods)::

       year = pack.rollup(month_results, person=PersonPeriod(..., period=Period.parse("2026")))

   hanoi: quarter/year = graded mean of the monthly scores; decree-335: year = mean of the
   period scores, with the year's overrides and ceiling; decree-90 rates the year directly.

6. Parameters: `pack.defaults()` gives the texts' values; an administrator's change is
   `params.replace({"bands.excellent_from": "92"})` → a new validated set (`ParameterError`
   lists overlapping thresholds, ratios outside [0, 1]...); `to_dict()` / `Params.from_dict(data,
   base=pack.defaults())` for storage. A closed period keeps the parameters it was closed with
   (the caller stores them with the period).

7. Store and show: `result.to_dict()` is JSON (levels as codes, points as strings, the trace
   with rule ids and params). The UI translates a line with `step.render(gettext)`; the English
   templates are in `base.TEMPLATES`, marked for makemessages by `gettext_noop`.
"""

from __future__ import annotations

from . import registry
from .agency_rating import AgencyRating, AgencyTasks, rate_agency
from .base import (
    RATED_LEVELS,
    Category,
    Criterion,
    Level,
    ParameterError,
    Period,
    PeriodKind,
    RuleError,
    RuleInputError,
    StaffKey,
    Trace,
    TraceStep,
)
from .decree90_counts import TaskCounts, TaskFact, decree90_facts, given_count_problems
from .decree_90_2020 import Decree90, Decree90Parameters
from .decree_335_2025 import Decree335, Decree335Parameters
from .hanoi_monthly_2018 import GRADES, HanoiMonthly2018, HanoiParameters
from .inputs import (
    Decree90Facts,
    DisciplineFact,
    LeaderWork,
    Organising,
    PersonPeriod,
    WorkItem,
)
from .pack import Classification, Coverage, RulePack
from .params import (
    Bands,
    Decree90Criteria,
    PackParameters,
    QuotaBase,
    QuotaRule,
    TaskFormula,
    UnitResultRule,
)
from .quota import (
    QuotaCandidate,
    QuotaConflict,
    QuotaGroup,
    QuotaOutcome,
    QuotaOverride,
    agency_of,
    apply_quota,
    check_quota,
)
from .tasks import TaskResult, task_result
from .timing import days_late, year_deadline
from .unit_result import (
    UnitResult,
    UnitTaskCounts,
    UnitTaskFact,
    unit_result,
    unit_results_tree,
)

__all__ = [
    "AgencyRating",
    "AgencyTasks",
    "rate_agency",
    "days_late",
    "year_deadline",
    "TaskCounts",
    "TaskFact",
    "decree90_facts",
    "given_count_problems",
    "GRADES",
    "RATED_LEVELS",
    "Bands",
    "Category",
    "Classification",
    "Coverage",
    "Criterion",
    "Decree90",
    "Decree90Criteria",
    "Decree90Facts",
    "Decree90Parameters",
    "Decree335",
    "Decree335Parameters",
    "DisciplineFact",
    "HanoiMonthly2018",
    "HanoiParameters",
    "LeaderWork",
    "Level",
    "Organising",
    "PackParameters",
    "ParameterError",
    "Period",
    "PeriodKind",
    "PersonPeriod",
    "QuotaBase",
    "QuotaCandidate",
    "QuotaConflict",
    "QuotaGroup",
    "QuotaOutcome",
    "QuotaOverride",
    "QuotaRule",
    "RuleError",
    "RuleInputError",
    "RulePack",
    "StaffKey",
    "TaskFormula",
    "TaskResult",
    "Trace",
    "TraceStep",
    "UnitResult",
    "UnitResultRule",
    "UnitTaskCounts",
    "UnitTaskFact",
    "WorkItem",
    "agency_of",
    "apply_quota",
    "check_quota",
    "registry",
    "task_result",
    "unit_result",
    "unit_results_tree",
]
