"""Classifying many people under one parameter set: what closing a period does.

`pack.classify` checks everything on every call (the period's coverage, the parameters, each
point) and returns rich objects; over a whole city that is most of a close's time. A
`BatchClassifier` (from `pack.batch(params)`) validates the parameters once, remembers which
(category, period) the pack covers, and returns only what the close stores: the level, the
score, whether the person leads (the quota group) and the trace as JSON text.

Its fast path serves the common monthly case of a pack scored by points: every criterion's
points entered (task points included), no discipline, at most the head's unit ceiling. It
builds the same trace lines with the pack's own `_grade` and `_ceiling`, so the rules live in
one place; anything else — missing task points to compute from work items, discipline, bad
points — goes through the pack's full `_classify`, which also raises the errors. A property
test holds the two paths equal, level, score and trace text alike.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from .base import (
    CENT,
    ZERO,
    Category,
    Level,
    Period,
    RuleInputError,
    StaffKey,
    TraceStep,
)
from .inputs import Decree90Facts, DisciplineFact, PersonPeriod
from .params import PackParameters


def trace_json(steps: Iterable[TraceStep]) -> str:
    """The trace as the evaluation record stores it (a JSON array of `TraceStep.to_dict()`)."""
    return "[" + ", ".join(step.to_json() for step in steps) + "]"


class Graded(NamedTuple):
    """One person's result as the close stores it (a named tuple: a city's month makes one
    per distinct input, and a frozen dataclass costs twice as much to build)."""

    level: Level
    score: Decimal | None
    is_leader: bool  # leads (leader or head): the quota group
    reasons: str  # the trace, JSON text


class BatchClassifier:
    """`pack.classify` for many people under one validated parameter set (module docstring)."""

    def __init__(self, pack: Any, params: PackParameters) -> None:
        self.pack = pack
        self.params = params
        self._covered: dict[tuple[Category | str, Period], RuleInputError | None] = {}
        self._limits: dict[str, Decimal] = {c.id: c.max_points for c in pack.criteria}
        self._fast = bool(pack.grades_points)
        self._capped = bool(params.unit.heads_capped)

    def classify(
        self,
        *,
        staff_id: StaffKey,
        category: Category | str,
        period: Period,
        is_leader: bool = False,
        is_head: bool = False,
        points: Mapping[str, object],
        discipline: Sequence[DisciplineFact] = (),
        unit_result: Level | None = None,
        decree90: Decree90Facts | None = None,
        months_worked: Decimal | None = None,
        lawful_leave_months: Decimal | None = None,
        maternity: bool = False,
    ) -> Graded:
        """Steps 1-3 for one person, as `pack.classify(PersonPeriod(...), params)` would give
        them; raises the same `RuleInputError` for input the pack refuses."""
        # Checked once per (category, period); a StrEnum hashes as its value, so the plain
        # code read from the database finds the entry without making the enum member.
        if self._covered.get((category, period), 0) is not None:
            self._check_covers(Category(category), period)
        if self._fast and not discipline and decree90 is None and months_worked is None:
            given = self._given(points)
            if given is not None:
                grade = self.pack._grade(given, self.params)
                level = grade.level
                reasons = TraceStep.json_of(grade.rule, None, level, grade.params)
                if is_head and unit_result is not None and self._capped:
                    capped = level.at_most(unit_result)
                    if capped is not level:  # as `RulePack._ceiling` writes it
                        reasons += ", " + TraceStep.json_of(
                            "ceiling.unit_result", level, capped, {"unit_level": unit_result}
                        )
                        level = capped
                return Graded(level, grade.score, is_leader or is_head, f"[{reasons}]")
        person = PersonPeriod(
            staff_id=staff_id,
            category=Category(category),
            period=period,
            is_leader=is_leader,
            is_head=is_head,
            points=points,
            discipline=tuple(discipline),
            unit_result=unit_result,
            decree90=decree90,
            months_worked=months_worked,
            lawful_leave_months=lawful_leave_months,
            maternity=maternity,
        )
        found = self.pack._classify(person, self.params)
        return Graded(found.level, found.score, found.is_leader, trace_json(found.trace))

    def _check_covers(self, category: Category, period: Period) -> None:
        key = (category, period)
        if key not in self._covered:
            try:
                self.pack.check_covers(category, period)
                if period.kind not in self.pack.classified_kinds:
                    self.pack._check_classify(
                        PersonPeriod(staff_id=0, category=category, period=period)
                    )
                self._covered[key] = None
            except RuleInputError as exc:
                self._covered[key] = exc
        error = self._covered[key]
        if error is not None:
            raise error

    def _given(self, points: Mapping[str, object]) -> dict[str, Decimal] | None:
        """The points as the pack's `_grade` takes them, when every one is a valid Decimal and
        every criterion without a default is present; None sends the person down the full path
        (which computes missing task points, or refuses bad ones with the pack's message)."""
        limits = self._limits
        given: dict[str, Decimal] = {}
        for key, value in points.items():
            limit = limits.get(key)
            if (
                limit is None
                or type(value) is not Decimal
                or not value.is_finite()
                or not ZERO <= value <= limit
                or value != value.quantize(CENT)
            ):
                return None
            given[key] = value
        for key, default in self.pack.default_points.items():
            given.setdefault(key, default)
        if len(given) != len(limits):
            return None
        return given
