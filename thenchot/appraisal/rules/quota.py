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
lowest score first (no score counts as lowest), each with a trace line. Ties are never broken
silently (rules.md "Settled points" 1): when those who would move and those who would stay
share the boundary score, the group is refused, naming the tied people, the score and how many
of them must move; the head names who moves (`chosen`: the close screen's choice, `close_period
--move`). A pack without scores (`scored=False`: decree-90) has no "by score": its groups are
refused until the head names who moves. The head's choice is checked: each named person must be
at the top level, and a group takes no more than it needs (refused, naming them and the number
needed); fewer is completed by score under "by-score" (ties refused again) and refused under
"refuse". Idempotent: applied to its own output it changes nothing.

A quota override (rules.md "Settled points" 14: an exceptional collective, a decision for an
outstanding organisation) replaces the pack's ratio and, when it says so, its base (those rated,
the headcount, those rated good or better) for one agency — one group of it, or all — and the
trace names its decision.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, Protocol

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
# Why a group is refused: "exceeded" (nobody named who moves, or too few, and no "by score"),
# "tie" (by score, the boundary score is shared by who would move and who would stay),
# "no_score" (by score asked of a pack without scores), "too_many" (the head named more than the
# group needs, or anyone in a group that needs nobody), "not_top" (the head named someone not at
# the top level).
ConflictReason = Literal["exceeded", "tie", "no_score", "too_many", "not_top"]
ALL = "all"
LEADERS = "leaders"
NON_LEADERS = "non_leaders"
TOP = Level.EXCELLENT

_BASE_LABELS = {
    QuotaBase.RATED: "those rated",
    QuotaBase.GOOD_OR_BETTER: "those rated good or better",
    QuotaBase.GOOD_ONLY: "those rated good",
    QuotaBase.HEADCOUNT: "the headcount",
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
    """A different rate for one agency (one group of it, or all), by a recorded decision of the
    competent authority (rules.md "Settled points" 14). `apply_quota` takes them keyed by the
    agency's code (every group) or by (agency, group)."""

    decision: str  # the decision's number or reference, shown in the trace
    ratio: Decimal | None = None  # Decree 48/2023 cl. 6; Decree 335/2025: another rate
    exceptional_collective: bool = False  # QĐ 3814: up to the exceptional ratio of the headcount
    headcount: int | None = None  # the group's headcount, when not every member is a candidate
    base: QuotaBase | None = None  # what the ratio is a share of; None: the pack's
    decided_on: dt.date | None = None  # the decision's date, shown in the trace


def override_for(
    overrides: Mapping[Any, QuotaOverride], agency: str, group: str
) -> QuotaOverride | None:
    """The override of one agency's group: its own, else the agency's for every group."""
    found = overrides.get((agency, group))
    return found if found is not None else overrides.get(agency)


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
    decided_on: str = ""  # dd/mm/yyyy, as the trace shows it


@dataclass(frozen=True)
class QuotaConflict:
    group: QuotaGroup  # as found, before any move
    holders: tuple[StaffKey, ...]  # everyone at the top level, lowest score first
    would_move: tuple[StaffKey, ...]  # who by-score would move down
    reason: ConflictReason = "exceeded"
    # How many must (still) move: among `tied` for a tie, else in the group after the named.
    needed: int = 0
    tied: tuple[StaffKey, ...] = ()  # a tie: everyone at the boundary score, in staff order
    tie_score: Decimal | None = None
    named: tuple[StaffKey, ...] = ()  # the head's choice in this group (for "not_top": those)

    @property
    def excess(self) -> int:
        """How many must still move down (the head's named aside)."""
        return self.needed if self.reason in ("exceeded", "no_score") else len(self.would_move)

    def describe(self) -> str:
        g = self.group
        text = (
            f"{g.agency} / {g.group}: {g.top} excellent, {g.allowed} allowed"
            f" ({fmt(g.ratio * HUNDRED)}% of {g.base} {g.base_label}"
            f"{f' by decision {g.decision}' if g.decision else ''})"
        )
        names = ", ".join(str(s) for s in self.named)
        if self.reason == "tie":
            score = "no score" if self.tie_score is None else f"score {fmt(self.tie_score)}"
            return (
                f"{text}; tie at {score}: {', '.join(str(s) for s in self.tied)};"
                f" {self.needed} of them must move, named by the head"
            )
        if self.reason == "no_score":
            return f"{text}; no scores: the head names {self.needed} who move"
        if self.reason == "too_many":
            return f"{text}; named {names}: {self.needed} needed"
        if self.reason == "not_top":
            return f"{text}; named {names}: not at the top level"
        return f"{text}; would move {', '.join(str(s) for s in self.would_move)}"


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


def _score_key(candidate: Candidate) -> tuple[bool, Decimal]:
    """The score as the quota compares it: no score is the lowest, and equal to no score."""
    score = candidate.score
    return (False, Decimal(0)) if score is None else (True, score)


def by_score_order(candidate: Candidate) -> tuple[bool, Decimal, tuple[int, int, str]]:
    """Who moves first: the lowest score (no score first); equal scores in staff order, which
    only lists them — a tie at the boundary is refused, never broken by it."""
    has, score = _score_key(candidate)
    return (has, score, _staff_order(candidate.staff_id))


@dataclass
class _Group:
    agency: str
    name: str
    members: list[Candidate] = field(default_factory=list)


@dataclass(frozen=True)
class _Counts:
    """The levels of a group that its measure needs; a move down from the top updates them
    without recounting (a large agency would otherwise be quadratic)."""

    rated: int
    good: int  # exactly good
    top: int
    headcount: int  # every member, rated or not

    @classmethod
    def of(cls, levels: Iterable[Level]) -> _Counts:
        counted = Counter(levels)
        everyone = sum(counted.values())
        return cls(everyone - counted[Level.NOT_RATED], counted[Level.GOOD], counted[TOP], everyone)

    def moved_down(self) -> _Counts:
        # TOP.one_below() is good
        return _Counts(self.rated, self.good + 1, self.top - 1, self.headcount)

    def base(self, base: QuotaBase) -> int:
        if base is QuotaBase.RATED:
            return self.rated
        if base is QuotaBase.GOOD_OR_BETTER:
            return self.good + self.top
        if base is QuotaBase.HEADCOUNT:
            return self.headcount
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
    """The allowance of a group. An override replaces the pack's ratio and, when it names one,
    its base (rules.md "Settled points" 14); `headcount` is the agency's (QĐ 3814)."""
    ratio, kind = rule.ratio, rule.base
    if override is not None:
        ratio = override.ratio if override.ratio is not None else ratio
        kind = override.base if override.base is not None else kind
    if kind is QuotaBase.HEADCOUNT and override is not None and override.headcount is not None:
        base = override.headcount
    else:
        base = counts.base(kind)
    label = _BASE_LABELS[kind]
    allowed = floor_int(ratio * base)
    if override and override.exceptional_collective and rule.exceptional_ratio is not None:
        count = override.headcount if override.headcount is not None else headcount
        exceptional = floor_int(rule.exceptional_ratio * count)
        if exceptional > allowed:
            ratio, base, label, allowed = (
                rule.exceptional_ratio,
                count,
                _BASE_LABELS[QuotaBase.HEADCOUNT],
                exceptional,
            )
    decided_on = ""
    if override is not None and override.decided_on is not None:
        decided_on = override.decided_on.strftime("%d/%m/%Y")
    return QuotaGroup(
        agency=group.agency,
        group=group.name,
        ratio=ratio,
        base_label=label,
        base=base,
        allowed=allowed,
        top=counts.top,
        decision=override.decision if override else "",
        decided_on=decided_on,
    )


def _needed(
    group: _Group, counts: _Counts, rule: QuotaRule, override: QuotaOverride | None, headcount: int
) -> list[QuotaGroup]:
    """How many must move down for the group to satisfy the quota on its final levels: the
    measure that makes each move necessary, in order. Each move takes one person from the top
    to good, so the number does not depend on who moves."""
    moves: list[QuotaGroup] = []
    while counts.top > 0:
        measure = _measure_counts(group, counts, rule, override, headcount)
        if measure.top <= measure.allowed:
            break
        moves.append(measure)
        counts = counts.moved_down()
    return moves


def _step(rule_id: str, measure: QuotaGroup) -> TraceStep:
    if measure.decision:
        rule_id += "_decision"
    return TraceStep.make(
        rule_id,
        TOP,
        TOP.one_below(),
        ratio=fmt(measure.ratio * HUNDRED),
        base_label=measure.base_label,
        base=measure.base,
        allowed=measure.allowed,
        quota_level=TOP,
        agency=measure.agency,
        group=measure.group,
        decision=measure.decision,
        decided_on=measure.decided_on or "—",
    )


def apply_quota(
    candidates: Sequence[Candidate],
    rule: QuotaRule,
    *,
    resolve: Resolve = "refuse",
    overrides: Mapping[Any, QuotaOverride] | None = None,
    chosen: Collection[StaffKey] = (),
    on: dt.date | None = None,
    scored: bool = True,
) -> QuotaOutcome:
    """Step 4 over the candidates of one pack (one or several agencies). `on` is the date of the
    classification (the period's end): before `rule.in_force_from` there is no quota. `chosen`:
    the people the head names to move down; `scored`: the pack gives scores ("by score" is
    refused otherwise)."""
    overrides = overrides or {}
    levels: dict[StaffKey, Level] = {c.staff_id: c.level for c in candidates}
    if len(levels) != len(candidates):
        counted = Counter(c.staff_id for c in candidates)
        twice = next(key for key, n in counted.items() if n > 1)
        raise RuleInputError(f"staff {twice} appears twice", field="candidates")
    unknown = [s for s in chosen if s not in levels]
    if unknown:
        raise RuleInputError(
            f"chosen: not among the candidates: {', '.join(map(str, unknown))}", field="chosen"
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
        found = _resolve_group(
            group,
            final,
            steps,
            rule,
            override_for(overrides, *key),
            headcounts[group.agency],
            resolve=resolve,
            chosen=chosen,
            scored=scored,
        )
        if found is not None:
            conflicts.append(found)
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


def _resolve_group(
    group: _Group,
    final: dict[StaffKey, Level],
    steps: dict[StaffKey, list[TraceStep]],
    rule: QuotaRule,
    override: QuotaOverride | None,
    headcount: int,
    *,
    resolve: Resolve,
    chosen: Collection[StaffKey],
    scored: bool,
) -> QuotaConflict | None:
    """One group: the head's choice first, then "by score" for the rest (rules.md "Settled
    points" 1). Returns what refuses the group, or None (its moves are in `final`/`steps`)."""
    counts = _Counts.of(final[m.staff_id] for m in group.members)
    named = sorted((m for m in group.members if m.staff_id in chosen), key=by_score_order)
    if counts.top == 0 and not named:
        return None
    moves = _needed(group, counts, rule, override, headcount)
    holders = sorted((m for m in group.members if final[m.staff_id] is TOP), key=by_score_order)
    found = _measure_counts(group, counts, rule, override, headcount)

    def refused(
        reason: ConflictReason,
        needed: int,
        would: Sequence[Candidate] | None = None,
        **extra: Any,
    ) -> QuotaConflict:
        moving = holders[: len(moves)] if would is None else would
        return QuotaConflict(
            group=found,
            holders=tuple(m.staff_id for m in holders),
            would_move=tuple(m.staff_id for m in moving),
            reason=reason,
            needed=needed,
            named=tuple(m.staff_id for m in named),
            **extra,
        )

    outside = [m for m in named if final[m.staff_id] is not TOP]
    if outside:
        return dataclasses.replace(
            refused("not_top", len(moves)), named=tuple(m.staff_id for m in outside)
        )
    if len(named) > len(moves):
        return refused("too_many", len(moves))
    picked = {m.staff_id for m in named}
    for member, measure in zip(named, moves, strict=False):
        final[member.staff_id] = TOP.one_below()
        steps.setdefault(member.staff_id, []).append(_step("quota.named_by_head", measure))
    left = len(moves) - len(named)
    if left == 0:
        return None
    rest = [m for m in holders if m.staff_id not in picked]
    if not scored:  # nobody "would move by score": the head names them all
        return refused("exceeded" if resolve == "refuse" else "no_score", left, would=())
    boundary = _score_key(rest[left - 1])
    if left < len(rest) and _score_key(rest[left]) == boundary:
        tied = [m for m in rest if _score_key(m) == boundary]
        below = [m for m in rest if _score_key(m) < boundary]
        return refused(
            "exceeded" if resolve == "refuse" else "tie",
            left if resolve == "refuse" else left - len(below),
            would=below,  # by score, only those below the tie would move
            tied=tuple(sorted((m.staff_id for m in tied), key=_staff_order)),
            tie_score=rest[left - 1].score,
        )
    if resolve == "refuse":
        return refused("exceeded", left, would=rest[:left])
    for member, measure in zip(rest[:left], moves[len(named) :], strict=True):
        final[member.staff_id] = TOP.one_below()
        steps.setdefault(member.staff_id, []).append(_step("quota.excellent_share", measure))
    return None


def _all_measures(
    groups: Mapping[tuple[str, str], _Group],
    levels: Mapping[StaffKey, Level],
    rule: QuotaRule,
    overrides: Mapping[Any, QuotaOverride],
    headcounts: Mapping[str, int],
) -> tuple[QuotaGroup, ...]:
    return tuple(
        _measure(groups[key], levels, rule, override_for(overrides, *key), headcounts[key[0]])
        for key in sorted(groups)
    )


def check_quota(
    candidates: Sequence[Candidate],
    rule: QuotaRule,
    *,
    overrides: Mapping[Any, QuotaOverride] | None = None,
    on: dt.date | None = None,
) -> tuple[QuotaConflict, ...]:
    """The conflicts of a final state (empty: it satisfies the quota)."""
    return apply_quota(candidates, rule, resolve="refuse", overrides=overrides, on=on).conflicts
