"""Quotas on the top level, applied last, per agency and group (rules.md step 4).

- hanoi-monthly-2018 (QĐ 3814-QĐ/TU): A ≤ 30% of those rated in the agency, rounded down; an
  agency designated "exceptional collective" for the month may go to 40% of its headcount.
- decree-335-2025 (quota clause) and decree-90-2020 from 15/09/2023 (Decree 48/2023 art. 1
  cl. 6, with the Party ratio of HD 21-HD/BTCTW): excellent ≤ 20% of those rated good, per
  agency × group of similar tasks (*default* groups: leaders and non-leaders); another rate only
  by a recorded decision (`QuotaOverride`).

"Of those rated good" (*default* reading, `QuotaBase.GOOD_OR_BETTER`): the people whose level
after steps 2–3 is good or excellent — everyone the texts would rate at least good. Moving an
excellent person down to good leaves that base unchanged. The strict reading (`GOOD_ONLY`,
final good only) grows the base with each move; either way the check is made on the FINAL
levels, by moving one person at a time until `excellent ≤ ⌊ratio × base(final levels)⌋`: the
least number of moves, i.e. the fixed point where the final state satisfies the quota.
Since the count of excellent is an integer, "≤ ratio × base" and "≤ ratio × base rounded
down" are the same test.

`resolve="refuse"` changes nothing and lists each group in conflict (the people at the top
level and those who would move); `resolve="by-score"` moves down one level, one at a time, the
lowest score first (no score counts as lowest; ties: the smaller staff key first), each with a
trace line. The head may instead name who moves (`chosen`), each with a line of their own; the
group is then checked again: still over, it is refused ("refuse") or the rest move by score. Idempotent: applied to its own output it
changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, Protocol

from .base import (
    HUNDRED,
    Level,
    RuleInputError,
    StaffKey,
    Trace,
    TraceStep,
    floor_int,
    fmt,
)
from .pack import Classification
from .params import QuotaBase, QuotaRule

Resolve = Literal["refuse", "by-score"]
ALL = "all"
LEADERS = "leaders"
NON_LEADERS = "non_leaders"
TOP = Level.EXCELLENT

_BASE_LABELS = {
    QuotaBase.RATED: "those rated",
    QuotaBase.GOOD_OR_BETTER: "those rated good or better",
    QuotaBase.GOOD_ONLY: "those rated good",
}


@dataclass(frozen=True)
class QuotaCandidate:
    """One person of an agency after steps 1-3 (all under the same pack)."""

    staff_id: StaffKey
    agency: str  # the agency's code (rules.md step 4: nearest unit not a division)
    level: Level
    score: Decimal | None = None
    is_leader: bool = False

    @classmethod
    def of(cls, classification: Classification, *, agency: str) -> QuotaCandidate:
        return cls(
            staff_id=classification.staff_id,
            agency=agency,
            level=classification.level,
            score=classification.score,
            is_leader=classification.is_leader,
        )


class Candidate(Protocol):
    """What the quota reads of a person: a `QuotaCandidate`, or any record with these
    attributes (the close passes its own rows rather than copying 200,000 of them)."""

    @property
    def staff_id(self) -> StaffKey: ...
    @property
    def agency(self) -> str: ...
    @property
    def level(self) -> Level: ...
    @property
    def score(self) -> Decimal | None: ...
    @property
    def is_leader(self) -> bool: ...


@dataclass(frozen=True)
class QuotaOverride:
    """A different rate for one agency, by a recorded decision of the competent authority."""

    decision: str  # the decision's number or reference, shown in the trace
    ratio: Decimal | None = None  # Decree 48/2023 cl. 6; Decree 335/2025: another rate
    exceptional_collective: bool = False  # QĐ 3814: up to the exceptional ratio of the headcount
    headcount: int | None = None  # the agency's headcount, when not every member is a candidate


@dataclass(frozen=True)
class QuotaGroup:
    """The use of the quota in one agency and group (for the personnel officer's view)."""

    agency: str
    group: str
    ratio: Decimal
    base_label: str
    base: int
    allowed: int
    top: int  # at the top level, on the levels checked
    decision: str = ""


@dataclass(frozen=True)
class QuotaConflict:
    group: QuotaGroup  # as found, before any move
    holders: tuple[StaffKey, ...]  # everyone at the top level, lowest score first
    would_move: tuple[StaffKey, ...]  # who by-score would move down

    @property
    def excess(self) -> int:
        return len(self.would_move)

    def describe(self) -> str:
        g = self.group
        return (
            f"{g.agency} / {g.group}: {g.top} excellent, {g.allowed} allowed"
            f" ({fmt(g.ratio * HUNDRED)}% of {g.base} {g.base_label}); would move"
            f" {', '.join(str(s) for s in self.would_move)}"
        )


@dataclass(frozen=True)
class QuotaOutcome:
    levels: Mapping[StaffKey, Level]  # every candidate's final level
    steps: Mapping[StaffKey, Trace]  # the new trace lines of those who moved
    conflicts: tuple[QuotaConflict, ...] = ()
    groups: tuple[QuotaGroup, ...] = ()  # the use of the quota, on the final levels
    in_force: bool = True

    @property
    def ok(self) -> bool:
        return not self.conflicts

    def apply(self, classification: Classification) -> Classification:
        return classification.with_steps(self.steps.get(classification.staff_id, ()))


def agency_of(chain: Sequence[tuple[str, str]], rule: QuotaRule) -> str:
    """The agency whose quota a person counts in (rules.md step 4, *default*): the nearest unit at
    or above theirs whose kind is not `division` — or the unit itself when the pack parameter
    makes a division its own agency. `chain` is (code, kind) from the person's unit up to the
    root, on the period's date."""
    if not chain:
        raise RuleInputError("agency: the person's unit chain is empty", field="agency")
    if rule.agency_is_division:
        return chain[0][0]
    for code, kind in chain:
        if kind != "division":
            return code
    return chain[-1][0]


def _staff_order(staff_id: StaffKey) -> tuple[int, int, str]:
    return (0, staff_id, "") if isinstance(staff_id, int) else (1, 0, staff_id)


def by_score_order(candidate: Candidate) -> tuple[bool, Decimal, tuple[int, int, str]]:
    """Who moves first: the lowest score (no score first), then the smaller staff key."""
    score = candidate.score if candidate.score is not None else Decimal(0)
    return (candidate.score is not None, score, _staff_order(candidate.staff_id))


@dataclass
class _Group:
    agency: str
    name: str
    members: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class _Counts:
    """The levels of a group that its measure needs; a move down from the top updates them
    without recounting (`_fixed_point` would otherwise be quadratic in a large agency)."""

    rated: int
    good: int  # exactly good
    top: int

    @classmethod
    def of(cls, levels: Iterable[Level]) -> _Counts:
        counted = Counter(levels)
        rated = sum(counted.values()) - counted[Level.NOT_RATED]
        return cls(rated, counted[Level.GOOD], counted[TOP])

    def moved_down(self) -> _Counts:
        return _Counts(self.rated, self.good + 1, self.top - 1)  # TOP.one_below() is good

    def base(self, base: QuotaBase) -> int:
        if base is QuotaBase.RATED:
            return self.rated
        if base is QuotaBase.GOOD_OR_BETTER:
            return self.good + self.top
        return self.good


def _measure(
    group: _Group,
    levels: Mapping[StaffKey, Level],
    rule: QuotaRule,
    override: QuotaOverride | None,
    headcount: int,
) -> QuotaGroup:
    counts = _Counts.of(levels[m.staff_id] for m in group.members)
    return _measure_counts(group, counts, rule, override, headcount)


def _measure_counts(
    group: _Group,
    counts: _Counts,
    rule: QuotaRule,
    override: QuotaOverride | None,
    headcount: int,
) -> QuotaGroup:
    ratio = override.ratio if override and override.ratio is not None else rule.ratio
    base = counts.base(rule.base)
    label = _BASE_LABELS[rule.base]
    allowed = floor_int(ratio * base)
    if override and override.exceptional_collective and rule.exceptional_ratio is not None:
        count = override.headcount if override.headcount is not None else headcount
        exceptional = floor_int(rule.exceptional_ratio * count)
        if exceptional > allowed:
            ratio, base, label, allowed = (
                rule.exceptional_ratio,
                count,
                "the headcount",
                exceptional,
            )
    return QuotaGroup(
        agency=group.agency,
        group=group.name,
        ratio=ratio,
        base_label=label,
        base=base,
        allowed=allowed,
        top=counts.top,
        decision=override.decision if override else "",
    )


def _fixed_point(
    group: _Group,
    levels: dict[StaffKey, Level],
    rule: QuotaRule,
    override: QuotaOverride | None,
    headcount: int,
) -> list[tuple[Candidate, QuotaGroup]]:
    """Move the lowest holders down one at a time until the group satisfies the quota on its
    final levels; returns who moved, with the measure that made each move necessary."""
    moved: list[tuple[Candidate, QuotaGroup]] = []
    counts = _Counts.of(levels[m.staff_id] for m in group.members)
    if counts.top == 0:
        return moved
    holders = sorted((m for m in group.members if levels[m.staff_id] is TOP), key=by_score_order)
    for holder in holders:
        measure = _measure_counts(group, counts, rule, override, headcount)
        if measure.top <= measure.allowed:
            break
        levels[holder.staff_id] = TOP.one_below()
        counts = counts.moved_down()
        moved.append((holder, measure))
    return moved


def apply_quota(
    candidates: Sequence[Candidate],
    rule: QuotaRule,
    *,
    resolve: Resolve = "refuse",
    overrides: Mapping[str, QuotaOverride] | None = None,
    chosen: Collection[StaffKey] = (),
    on: dt.date | None = None,
) -> QuotaOutcome:
    """Step 4 over the candidates of one pack (one or several agencies). `on` is the date of the
    classification (the period's end): before `rule.in_force_from` there is no quota."""
    overrides = overrides or {}
    levels: dict[StaffKey, Level] = {c.staff_id: c.level for c in candidates}
    if len(levels) != len(candidates):
        counted = Counter(c.staff_id for c in candidates)
        twice = next(key for key, n in counted.items() if n > 1)
        raise RuleInputError(f"staff {twice} appears twice", field="candidates")
    unknown = [s for s in chosen if s not in levels or levels[s] is not TOP]
    if unknown:
        raise RuleInputError(
            f"chosen: not at the top level among the candidates: {', '.join(map(str, unknown))}",
            field="chosen",
        )
    if rule.in_force_from is not None and on is not None and on < rule.in_force_from:
        return QuotaOutcome(levels=dict(levels), steps={}, in_force=False)

    members: defaultdict[tuple[str, str], list[Candidate]] = defaultdict(list)
    if rule.by_group:
        for c in candidates:
            members[(c.agency, LEADERS if c.is_leader else NON_LEADERS)].append(c)
    else:
        for c in candidates:
            members[(c.agency, ALL)].append(c)
    groups = {key: _Group(key[0], key[1], found) for key, found in members.items()}
    headcounts = Counter(c.agency for c in candidates)

    final = dict(levels)
    steps: dict[StaffKey, list[TraceStep]] = {}
    conflicts: list[QuotaConflict] = []
    for key in sorted(groups):
        group = groups[key]
        override = overrides.get(group.agency)
        headcount = headcounts[group.agency]
        picked = [m for m in group.members if m.staff_id in chosen] if chosen else []
        for member in sorted(picked, key=by_score_order):
            final[member.staff_id] = TOP.one_below()
            steps.setdefault(member.staff_id, []).append(
                TraceStep.make(
                    "quota.head_choice",
                    TOP,
                    TOP.one_below(),
                    agency=group.agency,
                    group=group.name,
                )
            )
        before = {m.staff_id: final[m.staff_id] for m in group.members}
        moved = _fixed_point(group, final, rule, override, headcount)
        if not moved:
            continue
        if resolve == "refuse":
            found = _measure(group, before, rule, override, headcount)
            conflicts.append(
                QuotaConflict(
                    group=found,
                    holders=tuple(
                        m.staff_id
                        for m in sorted(group.members, key=by_score_order)
                        if before[m.staff_id] is TOP
                    ),
                    would_move=tuple(c.staff_id for c, _ in moved),
                )
            )
            continue
        for candidate, measure in moved:
            steps.setdefault(candidate.staff_id, []).append(
                TraceStep.make(
                    "quota.excellent_share",
                    TOP,
                    TOP.one_below(),
                    ratio=fmt(measure.ratio * HUNDRED),
                    base_label=measure.base_label,
                    base=measure.base,
                    allowed=measure.allowed,
                    quota_level=TOP,
                    agency=group.agency,
                    group=group.name,
                    decision=measure.decision,
                )
            )
    if conflicts:
        return QuotaOutcome(
            levels=dict(levels),
            steps={},
            conflicts=tuple(conflicts),
            groups=_all_measures(groups, levels, rule, overrides, headcounts),
        )
    return QuotaOutcome(
        levels=final,
        steps={k: tuple(v) for k, v in steps.items()},
        groups=_all_measures(groups, final, rule, overrides, headcounts),
    )


def _all_measures(
    groups: Mapping[tuple[str, str], _Group],
    levels: Mapping[StaffKey, Level],
    rule: QuotaRule,
    overrides: Mapping[str, QuotaOverride],
    headcounts: Mapping[str, int],
) -> tuple[QuotaGroup, ...]:
    return tuple(
        _measure(groups[key], levels, rule, overrides.get(key[0]), headcounts[key[0]])
        for key in sorted(groups)
    )


def check_quota(
    candidates: Sequence[Candidate],
    rule: QuotaRule,
    *,
    overrides: Mapping[str, QuotaOverride] | None = None,
    on: dt.date | None = None,
) -> tuple[QuotaConflict, ...]:
    """The conflicts of a final state (empty: it satisfies the quota)."""
    return apply_quota(candidates, rule, resolve="refuse", overrides=overrides, on=on).conflicts
