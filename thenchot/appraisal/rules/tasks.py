"""Decree 335/2025 task points from the work items of a period (rules.md "decree-335-2025").

Over items in converted units (weight, default 1), of which `assigned` is the total weight:
- quantity = Σ weight of completed items ÷ assigned;
- quality  = Σ weight × max(0, 1 − 0.25 × counted major errors) over completed items ÷ assigned;
- progress = Σ weight × max(0, 1 − 0.25 × counted delays) over completed items ÷ assigned;
  an error or delay excused for an objective cause approved by the competent level is not counted;
- own share = weighted mean of the three (*default*: plain mean — the decree's formula is
  published only as an image);
- leaders and managers (deputies within their fields): the share is the weighted mean
  (*default*: a third each) of the own share, the operating result (100% when every civil
  servant under them is `complete` or above for the period, 50% when any is `not_complete`)
  and the organising ability (100% / *default* 75% / *default* 50%);
- task points = maximum task points (70) × share, rounded to 2 places half up.

A leader with no own item is scored on the other two components; a non-leader with no item
has no computed points (`None`): the manager enters them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from .base import ONE, ZERO, Level, RuleInputError, fmt, q2, to_decimal
from .inputs import LeaderWork, Organising, WorkItem
from .params import TaskFormula


@dataclass(frozen=True)
class TaskResult:
    """The calculation shown beside the pre-filled task points (shares in [0, 1])."""

    assigned: Decimal
    quantity: Decimal | None
    quality: Decimal | None
    progress: Decimal | None
    own: Decimal | None
    operating: Decimal | None
    organising: Decimal | None
    share: Decimal
    points: Decimal

    def as_params(self) -> dict[str, str]:
        def pct(value: Decimal | None) -> str:
            return "" if value is None else fmt(q2(value * 100))

        return {
            "assigned": fmt(self.assigned),
            "quantity": pct(self.quantity),
            "quality": pct(self.quality),
            "progress": pct(self.progress),
            "own": pct(self.own),
            "operating": pct(self.operating),
            "organising": pct(self.organising),
            "share": pct(self.share),
            "points": fmt(self.points),
        }


# (excused, recorded, what is counted): no more is excused than was recorded.
_EXCUSED = (("excused_errors", "major_errors", "errors"), ("excused_delays", "delays", "delays"))


def check_items(items: Sequence[WorkItem]) -> None:
    errors: list[str] = []
    for i, item in enumerate(items):
        place = f"work[{i}]"
        try:
            weight = to_decimal(item.weight, field=f"{place}.weight")
        except RuleInputError as exc:
            errors.extend(exc.messages)
            continue
        if weight <= ZERO:
            errors.append(f"{place}.weight: {fmt(weight)} must be positive")
        for name in ("major_errors", "delays", "excused_errors", "excused_delays"):
            value = getattr(item, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                errors.append(f"{place}.{name}: {value!r} must be a whole number ≥ 0")
        for excused, recorded, what in _EXCUSED:
            e, r = getattr(item, excused), getattr(item, recorded)
            if isinstance(e, int) and isinstance(r, int) and e > r:
                errors.append(f"{place}.{excused}: more than the {what} recorded")
    if errors:
        raise RuleInputError(errors, field="work")


def _w(item: WorkItem) -> Decimal:
    return to_decimal(item.weight, field="weight")


def _credit(count: int, deduction: Decimal) -> Decimal:
    return max(ZERO, ONE - deduction * count)


def _credited(
    done: Sequence[WorkItem],
    assigned: Decimal,
    deduction: Decimal,
    counted: Callable[[WorkItem], int],
) -> Decimal:
    """The share of the assigned weight credited once each item's `counted` errors or delays
    are deducted."""
    return sum((_w(i) * _credit(counted(i), deduction) for i in done), ZERO) / assigned


def _weighted(pairs: Sequence[tuple[Decimal, Decimal | None]]) -> Decimal:
    used = [(w, v) for w, v in pairs if v is not None and w > ZERO]
    total = sum((w for w, _ in used), ZERO)
    if total == ZERO:
        return ZERO
    return sum((w * v for w, v in used), ZERO) / total


def operating_share(levels: Sequence[Level], formula: TaskFormula) -> Decimal:
    """100% when every civil servant under the leader is `complete` or above, 50% otherwise."""
    if any(level is Level.NOT_COMPLETE for level in levels):
        return formula.operating_some_not_complete
    return formula.operating_all_complete


def organising_share(organising: Organising, formula: TaskFormula) -> Decimal:
    return {
        Organising.ALL_ON_TIME: formula.organising_all_on_time,
        Organising.ALL_DONE_SOME_LATE: formula.organising_all_done_some_late,
        Organising.OTHER: formula.organising_other,
    }[organising]


def task_result(
    items: Sequence[WorkItem],
    *,
    formula: TaskFormula,
    max_points: Decimal,
    leader: LeaderWork | None = None,
) -> TaskResult | None:
    """The task points of one person for one period, with their calculation; `None` when there
    is nothing to compute from (no item and not a leader)."""
    check_items(items)
    assigned = sum((_w(item) for item in items), ZERO)
    quantity = quality = progress = own = None
    if assigned > ZERO:
        done = [item for item in items if item.completed]
        quantity = sum((_w(i) for i in done), ZERO) / assigned
        quality = _credited(
            done, assigned, formula.error_deduction, lambda i: i.major_errors - i.excused_errors
        )
        progress = _credited(
            done, assigned, formula.delay_deduction, lambda i: i.delays - i.excused_delays
        )
        own = _weighted(
            [
                (formula.weight_quantity, quantity),
                (formula.weight_quality, quality),
                (formula.weight_progress, progress),
            ]
        )
    if leader is None:
        if own is None:
            return None
        share = own
        operating = organising = None
    else:
        operating = operating_share(leader.subordinate_levels, formula)
        organising = organising_share(leader.organising, formula)
        share = _weighted(
            [
                (formula.weight_own, own),
                (formula.weight_operating, operating),
                (formula.weight_organising, organising),
            ]
        )
    return TaskResult(
        assigned=assigned,
        quantity=quantity,
        quality=quality,
        progress=progress,
        own=own,
        operating=operating,
        organising=organising,
        share=share,
        points=min(q2(max_points * share), max_points),
    )
