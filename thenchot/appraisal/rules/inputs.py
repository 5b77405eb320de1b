"""What a pack needs to know about one person for one period (`PersonPeriod`) and its parts.

The caller (the workflow, the close command, an import) builds these from the database: points
from the evaluation, work items from the person's tasks of the period, discipline decisions from
the discipline app's selector, months worked and leave from the `leaves` records, the unit result
from `unit_result.unit_result()`. Nothing here reads a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .base import Category, Level, Period, RuleInputError, StaffKey

# Discipline forms, lightest first; values equal `thenchot.discipline.rules.FORM_ORDER` (tested).
# Every form is "reprimand or heavier" (Decree 335/2025), reprimand being the lightest.
DISCIPLINE_FORMS: tuple[str, ...] = (
    "reprimand",
    "warning",
    "salary_step_down",
    "demotion",
    "removal_from_post",
    "dismissal_from_office",
    "forced_dismissal",
)


@dataclass(frozen=True)
class DisciplineFact:
    """One disciplinary decision, as the discipline app records it."""

    form: str
    effective_on: dt.date
    track: str = "administrative"  # or "party"
    # Links the Party and the administrative decision on one act (Decree 48/2023 art. 1 cl. 5c);
    # empty: the decision is its own violation.
    violation: str = ""
    duty_related: bool = True  # Decree 335/2025: a violation in the performance of duties
    # Decree 48/2023 cl. 5b: the violation was already used to rate year N before the decision.
    counted_year: int | None = None

    @property
    def key(self) -> str:
        return self.violation or f"{self.track}:{self.form}:{self.effective_on.isoformat()}"


@dataclass(frozen=True)
class WorkItem:
    """One product or work item of the period, in converted units (Decree 335/2025)."""

    completed: bool
    weight: Decimal = Decimal(1)
    major_errors: int = 0
    delays: int = 0
    # Errors or delays excused for an objective cause approved by the competent level: not counted.
    excused_errors: int = 0
    excused_delays: int = 0


class Organising(StrEnum):
    """A leader's organising ability (Decree 335/2025; the lower tiers are *default*)."""

    ALL_ON_TIME = "all_on_time"  # all planned tasks on time, with quality and initiatives: 100%
    ALL_DONE_SOME_LATE = "all_done_some_late"  # *default* 75%
    OTHER = "other"  # *default* 50%


@dataclass(frozen=True)
class LeaderWork:
    """The two leader components of Decree 335/2025 task results."""

    subordinate_levels: tuple[Level, ...]  # period levels of the civil servants under them
    organising: Organising


@dataclass(frozen=True)
class Decree90Facts:
    """Decree 90/2020 inputs for one person-year, as shares in [0, 1]."""

    own_on_time: Decimal  # own tasks done on time with quality
    own_exceeded: Decimal = Decimal(0)  # own tasks exceeded
    own_short: Decimal | None = None  # result criteria short on quality or time (1 - on time)
    # leaders and every cán bộ: the unit's (or field's) targets and the managed units' levels
    unit_completed: Decimal | None = None
    unit_exceeded: Decimal | None = None
    unit_on_time: Decimal | None = None
    managed_levels: tuple[Level, ...] = ()


@dataclass(frozen=True)
class PersonPeriod:
    """Everything a pack classifies, for one person and one period.

    `points` maps a criterion id of the pack (`pack.criteria`) to the points given; values are
    checked (not negative, not above the maximum). Under Decree 335 and the Hanoi pack, missing
    task points are computed from `work` with the pack's formula.
    """

    staff_id: StaffKey
    category: Category
    period: Period
    is_leader: bool = False
    is_head: bool = False
    points: Mapping[str, object] = field(default_factory=dict, hash=False)
    work: tuple[WorkItem, ...] = ()
    leader_work: LeaderWork | None = None
    decree90: Decree90Facts | None = None
    discipline: tuple[DisciplineFact, ...] = ()
    degradation: bool = False  # concluded degradation of ideology, ethics or lifestyle
    prohibition_breach: bool = False  # Party-member prohibitions or the duty to set an example
    corruption_in_charge: bool = False  # leaders: corruption or waste in a unit under their charge
    months_worked: Decimal | None = None  # of the year (Decree 90 art. 2)
    lawful_leave_months: Decimal | None = None
    maternity: bool = False
    unit_result: Level | None = None  # the result of the unit the person heads (ceiling)
    finalised_on: dt.date | None = None  # Decree 48/2023: results finalised before are kept

    def __post_init__(self) -> None:
        # Plain codes from a form or a file are accepted and normalised (`"civil_servant"`).
        try:
            object.__setattr__(self, "category", Category(self.category))
            if self.unit_result is not None:
                object.__setattr__(self, "unit_result", Level(self.unit_result))
        except ValueError as exc:
            raise RuleInputError(str(exc), field="category") from None
        if not isinstance(self.period, Period):
            raise RuleInputError(f"period: expected a Period, got {self.period!r}", field="period")

    @property
    def leads(self) -> bool:
        return self.is_leader or self.is_head
