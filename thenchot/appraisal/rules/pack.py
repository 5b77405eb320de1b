"""The rule-pack interface, the classification it returns, and the steps every pack shares.

A pack classifies one person for one period in the order of rules.md "How a level is decided":
1. its score or criteria give the proposed level (one trace line);
2. overrides can only lower it (a line for each that does);
3. a head is capped at the unit's result (a line when it does);
4. quotas come last, over a whole agency: `quota.apply_quota`, not here.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from .base import (
    Category,
    Criterion,
    Level,
    Period,
    PeriodKind,
    RuleInputError,
    StaffKey,
    Trace,
    TraceStep,
    check_points,
    fmt,
    q2,
)
from .inputs import DISCIPLINE_FORMS, DisciplineFact, LeaderWork, PersonPeriod
from .params import PackParameters, ScoredParameters, TaskFormula
from .rollup import PeriodResult, check_periods, mean_score
from .tasks import TaskResult, task_result

if TYPE_CHECKING:
    from .batch import BatchClassifier

P = TypeVar("P", bound=PackParameters)
S = TypeVar("S", bound=ScoredParameters)


@dataclass(frozen=True)
class Coverage:
    """A category a pack covers, from/to a date (inclusive); `default`: our reading (rules.md)."""

    category: Category
    valid_from: dt.date
    valid_to: dt.date | None = None
    default: bool = False

    def covers(self, category: Category, on: dt.date) -> bool:
        return (
            self.category is category
            and self.valid_from <= on
            and (self.valid_to is None or on <= self.valid_to)
        )


@dataclass(frozen=True, slots=True)
class Grade:
    """Step 1 of a pack scored by points, before it becomes a trace line."""

    score: Decimal
    level: Level
    rule: str
    params: Mapping[str, object]

    def step(self) -> TraceStep:
        return TraceStep.make(self.rule, None, self.level, **self.params)


@dataclass(frozen=True)
class Classification:
    """The result for one person and one period: the level, the score (None under the
    criteria-based Decree 90), the level the pack's score or criteria proposed before overrides,
    and the trace (the reasons, in order). `task` holds the task-points calculation when the
    pack computed them from work items."""

    staff_id: StaffKey
    pack_id: str
    pack_version: str
    period: Period
    category: Category
    is_leader: bool
    is_head: bool
    level: Level
    proposed_level: Level
    score: Decimal | None
    trace: Trace
    task: TaskResult | None = None

    def with_steps(self, steps: Iterable[TraceStep]) -> Classification:
        """This classification with further trace lines (the quota's), level from the last."""
        extra = tuple(steps)
        if not extra:
            return self
        return dataclasses.replace(self, level=extra[-1].level_after, trace=self.trace + extra)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(step.detail for step in self.trace)

    def to_dict(self) -> dict[str, Any]:
        """JSON for the evaluation record and the interchange `reasons`."""
        return {
            "staff": self.staff_id,
            "period": str(self.period),
            "rule_pack": self.pack_id,
            "pack_version": self.pack_version,
            "level": self.level.value,
            "proposed_level": self.proposed_level.value,
            "score": fmt(self.score) if self.score is not None else None,
            "reasons": [step.to_dict() for step in self.trace],
            "task": self.task.as_params() if self.task else None,
        }


class RulePack(ABC, Generic[P]):
    """One legal text, versioned. Subclasses set the class attributes and the two methods."""

    id: ClassVar[str]
    version: ClassVar[str] = "1"
    title: ClassVar[str]
    basis: ClassVar[str]  # the legal text, for the UI
    effective_from: ClassVar[dt.date]
    effective_to: ClassVar[dt.date | None] = None
    coverage: ClassVar[tuple[Coverage, ...]]
    period_kinds: ClassVar[tuple[PeriodKind, ...]]  # the periods it has results for
    classified_kinds: ClassVar[tuple[PeriodKind, ...]]  # those `classify` takes (others roll up)
    # A pack that rolls periods up: the message refusing one it classifies ({id}: the pack's).
    not_rolled_up: ClassVar[str]
    criteria: ClassVar[tuple[Criterion, ...]] = ()
    parameters_class: ClassVar[type[PackParameters]]
    grades_points: ClassVar[bool] = False  # step 1 is `_grade` of the criteria's points
    # A pack whose results carry a score: the quota can move "by score" (rules.md "Settled
    # points" 1); under a pack without scores the head names who moves.
    scored: ClassVar[bool] = True
    required_points: ClassVar[tuple[str, ...]] = ()  # criteria that must be given
    default_points: ClassVar[Mapping[str, Decimal]] = {}  # criteria that default when absent
    _validated: PackParameters | None = None  # the last parameter set `parameters` checked

    @property
    def categories(self) -> tuple[Category, ...]:
        return tuple(dict.fromkeys(c.category for c in self.coverage))

    def __repr__(self) -> str:
        return f"<RulePack {self.id} v{self.version}>"

    # -- parameters ------------------------------------------------------------------------------
    @abstractmethod
    def defaults(self) -> P:
        """The parameters as the texts and rules.md give them."""

    def parameters(self, params: PackParameters | None = None) -> P:
        if params is None:
            return self.defaults()
        if params is self._validated:
            # Validated already: parameters are frozen, and the pack holds the last set it
            # validated (a roll-up over a city calls this once per person with the same set).
            return params  # type: ignore[return-value]
        if not isinstance(params, self.parameters_class):
            raise RuleInputError(
                f"{self.id} needs {self.parameters_class.__name__}, got {type(params).__name__}",
                field="params",
            )
        valid = params.validate()
        self._validated = valid
        return valid  # type: ignore[return-value]

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise KeyError(criterion_id)

    # -- coverage -------------------------------------------------------------------------------
    def covers(self, category: Category, period: Period) -> bool:
        """A period is under a pack when the pack covers the category on the period's last day
        (a year is rated at its end: Decree 90 art. 20, Decree 335 art. 21)."""
        return period.kind in self.period_kinds and any(
            c.covers(category, period.end) for c in self.coverage
        )

    def check_covers(self, category: Category, period: Period) -> None:
        if period.kind not in self.period_kinds:
            kinds = ", ".join(self.period_kinds)
            raise RuleInputError(
                f"{self.id} has no {period.kind} results (only {kinds}): {period}", field="period"
            )
        if not any(c.covers(category, period.end) for c in self.coverage):
            raise RuleInputError(
                f"{self.id} does not cover {category} for {period}", field="rule_pack"
            )

    def _check_classify(self, person: PersonPeriod) -> None:
        self.check_covers(person.category, person.period)
        if person.period.kind not in self.classified_kinds:
            raise RuleInputError(
                f"{self.id}: a {person.period.kind} is rolled up from its periods, not classified",
                field="period",
            )

    # -- the two operations --------------------------------------------------------------------
    def classify(
        self, person: PersonPeriod, params: PackParameters | None = None
    ) -> Classification:
        """Steps 1-3 for one person and one period."""
        self._check_classify(person)
        return self._classify(person, self.parameters(params))

    @abstractmethod
    def _classify(self, person: PersonPeriod, p: P) -> Classification:
        """`classify` once the period is known covered and the parameters are validated."""

    def _grade(self, given: Mapping[str, Decimal], p: P) -> Grade:
        """Step 1 of a pack scored by points: the score of checked points (every criterion
        present, defaults applied), the level and its trace line's rule and values. Packs
        that grade by points override it and set `grades_points`; `batch.BatchClassifier`
        uses it for its fast path."""
        raise NotImplementedError(f"{self.id} does not grade by points")

    def batch(self, params: PackParameters | None = None) -> BatchClassifier:
        """A classifier for many people under one parameter set, validated once (a close)."""
        from .batch import BatchClassifier

        return BatchClassifier(self, self.parameters(params))

    def rollup(
        self,
        periods: Sequence[PeriodResult],
        *,
        person: PersonPeriod,
        params: PackParameters | None = None,
    ) -> Classification:
        """The result of `person.period` (a quarter or a year) from the results of its periods
        (`_rollup`); a pack that classifies every kind of period it has has nothing to roll up."""
        self._check_rollup(person)
        return self._rollup(periods, person, self.parameters(params))

    def rollup_totals(
        self,
        *,
        count: int,
        rated: int,
        total: Decimal | None,
        person: PersonPeriod,
        params: PackParameters | None = None,
    ) -> Classification:
        """`rollup` of periods given summed up rather than one by one: `count` periods of
        `person`, checked already (theirs, under this pack, inside the rolled period, none
        overlapping: a close sums a city's months up in the database), `rated` of them rated
        with a score, the scores adding up to `total`. The same level, score and trace as
        `rollup` of those periods, without a record of each to check (`_rollup_totals`)."""
        self._check_rollup(person)
        return self._rollup_totals(count, rated, total, person, self.parameters(params))

    def _check_rollup(self, person: PersonPeriod) -> None:
        if self.classified_kinds == self.period_kinds:
            kinds = ", ".join(self.period_kinds)
            raise RuleInputError(f"{self.id} rates the {kinds} directly; it has nothing to roll up")
        self.check_covers(person.category, person.period)
        if person.period.kind in self.classified_kinds:
            raise RuleInputError(self.not_rolled_up.format(id=self.id), field="period")

    def _rollup(
        self, periods: Sequence[PeriodResult], person: PersonPeriod, p: P
    ) -> Classification:
        """`rollup` once the period is known covered and the parameters are validated."""
        raise NotImplementedError(f"{self.id} does not roll up")

    def _rollup_totals(
        self, count: int, rated: int, total: Decimal | None, person: PersonPeriod, p: P
    ) -> Classification:
        """`rollup_totals` once the period is known covered and the parameters validated."""
        raise NotImplementedError(f"{self.id} does not roll up")

    def display_grade(self, level: Level) -> str | None:
        """A display label beside the level (the Hanoi letters); None for other packs."""
        return None

    # -- shared steps ----------------------------------------------------------------------------
    def _result(
        self,
        person: PersonPeriod,
        steps: list[TraceStep],
        score: Decimal | None,
        task: TaskResult | None = None,
    ) -> Classification:
        return Classification(
            staff_id=person.staff_id,
            pack_id=self.id,
            pack_version=self.version,
            period=person.period,
            category=person.category,
            is_leader=person.leads,
            is_head=person.is_head,
            level=steps[-1].level_after,
            proposed_level=steps[0].level_after,
            score=score,
            trace=tuple(steps),
            task=task,
        )

    @staticmethod
    def _lower(steps: list[TraceStep], rule: str, cap: Level, **params: object) -> None:
        """Step 2/3: lower the current level to `cap`, with a line when it changes."""
        current = steps[-1].level_after
        lowered = current.at_most(cap)
        if lowered is not current:
            steps.append(TraceStep.make(rule, current, lowered, **params))

    def _ceiling(
        self, steps: list[TraceStep], person: PersonPeriod, params: PackParameters
    ) -> None:
        """Step 3: a head's level is no higher than the unit's result (rules.md "Unit result")."""
        if person.is_head and person.unit_result is not None and params.unit.heads_capped:
            self._lower(
                steps,
                "ceiling.unit_result",
                person.unit_result,
                unit_level=person.unit_result,
            )

    @staticmethod
    def _conduct(steps: list[TraceStep], person: PersonPeriod, *, leader_rules: bool) -> None:
        """The grounds for `not_complete` that are conclusions rather than scores (Decree 90
        art. 7/11/15 as rules.md reads them; Decree 335/2025 "not complete" grounds)."""
        if person.degradation:
            RulePack._lower(steps, "override.degradation", Level.NOT_COMPLETE)
        if person.prohibition_breach:
            RulePack._lower(steps, "override.prohibition", Level.NOT_COMPLETE)
        if leader_rules and person.corruption_in_charge:
            RulePack._lower(steps, "override.corruption", Level.NOT_COMPLETE)


class ScoredPack(RulePack[S]):
    """A pack scored out of 100 by its criteria's points (`_grade`), task points computed from
    the work items when not entered; its longer periods are the mean of its periods' scores,
    graded unrounded with the same bands (rules.md "Settled points" 3)."""

    grades_points = True
    rollup_rule: ClassVar[str]  # the rule of a roll-up's first line

    def _check_inputs(self, person: PersonPeriod) -> None:
        """What the pack refuses in a person's facts, before classifying or rolling up."""

    def _leader_work(self, person: PersonPeriod) -> LeaderWork | None:
        """The leader's work that enters the task points (None: the pack does not use it)."""
        return None

    def _adjust(self, steps: list[TraceStep], person: PersonPeriod, p: S) -> None:
        """Steps 2-3 after the graded line: the ceiling on a head's level."""
        self._ceiling(steps, person, p)

    def _classify(self, person: PersonPeriod, p: S) -> Classification:
        self._check_inputs(person)
        given, task = scored_points(
            self,
            person,
            required=self.required_points,
            formula=p.tasks,
            leader=self._leader_work(person),
        )
        for key, value in self.default_points.items():
            given.setdefault(key, value)
        grade = self._grade(given, p)
        steps = [grade.step()]
        self._adjust(steps, person, p)
        return self._result(person, steps, grade.score, task)

    def _rollup(
        self, periods: Sequence[PeriodResult], person: PersonPeriod, p: S
    ) -> Classification:
        self._check_inputs(person)
        used = check_periods(self.id, periods, person=person, kinds=self.classified_kinds)
        return self._graded_mean(person, p, len(used), mean_score(used))

    def _rollup_totals(
        self, count: int, rated: int, total: Decimal | None, person: PersonPeriod, p: S
    ) -> Classification:
        self._check_inputs(person)
        if not 0 <= rated <= count or (rated and total is None):
            raise RuleInputError(
                f"{count} periods, {rated} rated, total {total}: not a roll-up's totals",
                field="periods",
            )
        # `mean_score`'s mean: the sum of the rated periods' scores over their number.
        mean = total / rated if rated and total is not None else None
        return self._graded_mean(person, p, count, mean)

    def _graded_mean(
        self, person: PersonPeriod, p: S, count: int, mean: Decimal | None
    ) -> Classification:
        """A roll-up from the mean of its `count` periods' scores (None: none rated)."""
        if mean is None:
            steps = [
                TraceStep.make("rollup.no_periods", None, Level.NOT_RATED, period=person.period)
            ]
            return self._result(person, steps, None)
        # Settled point 3: graded unrounded, shown to two decimals.
        score = q2(mean)
        level = p.bands.level_for(mean)
        grade = self.display_grade(level)
        shown = {"grade": grade} if grade is not None else {}
        steps = [TraceStep.make(self.rollup_rule, None, level, count=count, score=score, **shown)]
        self._adjust(steps, person, p)
        return self._result(person, steps, score)


def scored_points(
    pack: RulePack[Any],
    person: PersonPeriod,
    *,
    required: Sequence[str],
    formula: TaskFormula,
    leader: LeaderWork | None = None,
) -> tuple[dict[str, Decimal], TaskResult | None]:
    """The checked points of `person`, with task points computed from the work items (and the
    calculation) when they were not entered."""
    values = check_points(person.points, pack.criteria, required=required)
    task = None
    if "tasks" not in values:
        task = task_result(
            person.work,
            formula=formula,
            max_points=pack.criterion("tasks").max_points,
            leader=leader,
        )
        if task is None:
            raise RuleInputError(
                "points.tasks: missing, and no work item to compute it from", field="points"
            )
        values["tasks"] = task.points
    return values, task


def check_discipline(facts: Sequence[DisciplineFact]) -> None:
    errors = [
        f"discipline[{i}].form: unknown form {fact.form!r}"
        for i, fact in enumerate(facts)
        if fact.form not in DISCIPLINE_FORMS
    ]
    errors += [
        f"discipline[{i}].track: unknown track {fact.track!r}"
        for i, fact in enumerate(facts)
        if fact.track not in ("administrative", "party")
    ]
    if errors:
        raise RuleInputError(errors, field="discipline")


def discipline_step(
    steps: list[TraceStep], facts: Iterable[DisciplineFact], *, rule: str = "override.discipline"
) -> None:
    """Lower to `not_complete` on the first (earliest) of `facts`, one line for it."""
    ordered = sorted(facts, key=lambda f: (f.effective_on, DISCIPLINE_FORMS.index(f.form)))
    if ordered:
        first = ordered[0]
        RulePack._lower(
            steps,
            rule,
            Level.NOT_COMPLETE,
            form=first.form,
            effective_on=first.effective_on,
            track=first.track,
        )
