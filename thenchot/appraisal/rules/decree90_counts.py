"""Decree 90/2020 inputs counted from the tasks (rules.md "Settled points" 2).

A person's own tasks for a year are those whose assignee is the person and whose effective
deadline (taken on the year's last day) falls in the year, their statuses on that day:
- completed: completed on or before the year's last day;
- on time: completed on or before the effective deadline;
- exceeded: completed with quality `exceeds`, on time or not;
- short on quality or time: due − (completed on time with quality meets or exceeds); a completed
  task with no quality counts as meets.
A leader's unit targets are the tasks led by the unit they head (a deputy: the unit they are
deputy of), counted the same way. Shares are these counts over the tasks due.

Counts given by an evaluation itself (interchange `own_tasks_*`, where the tasks are not in the
system) must satisfy on time ≤ completed ≤ due and exceeded ≤ completed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .base import Level, RuleInputError
from .inputs import Decree90Facts

D = Decimal


@dataclass(frozen=True)
class TaskFact:
    """One task due in the year, as of the year's last day."""

    completed: bool
    on_time: bool
    exceeded: bool
    short: bool  # not completed on time with quality meets or exceeds

    @classmethod
    def of(
        cls,
        *,
        completed_on: dt.date | None,
        effective_deadline: dt.date,
        quality: str | None,
        year_end: dt.date,
    ) -> TaskFact:
        done = completed_on is not None and completed_on <= year_end
        on_time = done and completed_on is not None and completed_on <= effective_deadline
        # Settled point 2: a completed task with no quality counts as meets.
        good_enough = (quality or "meets") in ("meets", "exceeds")
        key = (cls, done, on_time, done and quality == "exceeds", not (on_time and good_enough))
        # One of sixteen values, shared (immutable): a city's year counts 300,000 tasks, and a
        # frozen dataclass made for each cost more than the comparisons.
        found = _FACTS.get(key)
        if found is None:
            found = _FACTS[key] = cls(
                completed=key[1], on_time=key[2], exceeded=key[3], short=key[4]
            )
        return found


_FACTS: dict[tuple[type[TaskFact], bool, bool, bool, bool], TaskFact] = {}


@dataclass(frozen=True)
class TaskCounts:
    """A person's (or a unit's) tasks of a year: due, completed, on time, exceeded, short."""

    due: int
    completed: int
    on_time: int
    exceeded: int
    short: int

    @classmethod
    def of(cls, facts: Iterable[TaskFact]) -> TaskCounts:
        due = completed = on_time = exceeded = short = 0
        for fact in facts:
            due += 1
            completed += fact.completed
            on_time += fact.on_time
            exceeded += fact.exceeded
            short += fact.short
        return cls(due, completed, on_time, exceeded, short)

    @classmethod
    def given(cls, *, due: int, completed: int, on_time: int, exceeded: int) -> TaskCounts:
        """Counts an evaluation gives itself; the tasks on time are taken as of acceptable
        quality (the counts carry no quality), so those short are the due not on time."""
        problems = given_count_problems(
            due=due, completed=completed, on_time=on_time, exceeded=exceeded
        )
        if problems:
            raise RuleInputError([f"{name}: {text}" for name, text in problems], field="decree90")
        return cls(due, completed, on_time, exceeded, due - on_time)

    def shares(self) -> tuple[Decimal, Decimal, Decimal, Decimal]:
        """(completed, on time, exceeded, short) as shares of the tasks due."""
        if self.due <= 0:
            raise RuleInputError("decree90: no task due: no share", field="decree90")
        due = D(self.due)
        return (
            D(self.completed) / due,
            D(self.on_time) / due,
            D(self.exceeded) / due,
            D(self.short) / due,
        )


def given_count_problems(
    *, due: int, completed: int, on_time: int, exceeded: int
) -> list[tuple[str, str]]:
    """What is wrong with counts given by hand: (field, message) pairs, empty when sound."""
    problems: list[tuple[str, str]] = []
    values = {"due": due, "completed": completed, "on_time": on_time, "exceeded": exceeded}
    for name, value in values.items():
        if value < 0:
            problems.append((f"own_tasks_{name}", f"{value} is negative"))
    if problems:
        return problems
    if due < 1:
        problems.append(("own_tasks_due", f"{due}: no own task due, nothing to rate on"))
    if completed > due:
        problems.append(("own_tasks_completed", f"{completed} is more than the {due} due"))
    if on_time > completed:
        problems.append(("own_tasks_on_time", f"{on_time} is more than the {completed} completed"))
    if exceeded > completed:
        problems.append(
            ("own_tasks_exceeded", f"{exceeded} is more than the {completed} completed")
        )
    return problems


def decree90_facts(
    own: TaskCounts,
    *,
    leads: bool,
    unit: TaskCounts | None = None,
    managed_levels: tuple[Level, ...] = (),
) -> Decree90Facts:
    """A person-year's Decree 90 facts from the counts. A leader's unit with no target due in
    the year has missed none: its completed and on-time shares are 1 and its exceeded share
    unknown (0), as the unit result reads "no task due" (no ceiling)."""
    _c, on_time, exceeded, short = own.shares()
    if not leads:
        return Decree90Facts(own_on_time=on_time, own_exceeded=exceeded, own_short=short)
    if unit is None or unit.due == 0:
        completed_u, on_time_u, exceeded_u = D(1), D(1), None
    else:
        completed_u, on_time_u, exceeded_u, _s = unit.shares()
    return Decree90Facts(
        own_on_time=on_time,
        own_exceeded=exceeded,
        own_short=short,
        unit_completed=completed_u,
        unit_on_time=on_time_u,
        unit_exceeded=exceeded_u,
        managed_levels=managed_levels,
    )
