"""The satisfaction index of a unit's subtree over a date range (report.md, `satisfaction`).

Over the responses to the surveys of the units in the subtree of `unit` — the subtree on the day
each response was submitted, like every other block — submitted within [date_from, date_to]:

    element index = answers of 4 or 5 to the element's questions / all its non-null answers × 100
    index         = mean of the element indexes of the elements that have answers

The answers of an element are pooled across its questions and surveys (not a mean of
per-question shares). Values are unrounded `Decimal`s; they are rounded half up to two decimals
only where written (`rounded`).

Set-based: two grouped queries (answers by unit, *epoch* and element; responses by unit and
epoch). An epoch is a stretch of days within the range over which no unit or parent link began
or ended, so the tree is the same on every day of it; each row is credited to the unit and every
ancestor that contains it on its epoch's day, which serves 300 units as cheaply as one.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q

from thenchot.core.epochs import epoch_expression
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.surveys.choices import ELEMENTS, SATISFIED_FROM
from thenchot.surveys.models import Answer, Response

DAY = dt.timedelta(days=1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class Satisfaction:
    responses: int  # responses submitted within the range
    index: Decimal | None  # unrounded; None when no element has an answer
    by_element: dict[str, Decimal]  # element -> unrounded percent, only elements with answers


def rounded(value: Decimal) -> Decimal:
    """Half up to two decimals (report.md: only when written)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def element_share(satisfied: int, answered: int) -> Decimal:
    return Decimal(satisfied) * HUNDRED / Decimal(answered)


def from_counts(responses: int, counts: dict[str, tuple[int, int]]) -> Satisfaction:
    """The figure from pooled counts: element -> (answers of 4 or 5, non-null answers)."""
    by_element = {
        element: element_share(*counts[element])
        for element in ELEMENTS
        if element in counts and counts[element][1]
    }
    index = sum(by_element.values(), Decimal(0)) / len(by_element) if by_element else None
    return Satisfaction(responses=responses, index=index, by_element=by_element)


def breakpoints(snap: TreeSnapshot, date_from: dt.date, date_to: dt.date) -> list[dt.date]:
    """The days within (date_from, date_to] on which the tree changes."""
    return [p for p in snap.change_days() if date_from < p <= date_to]


class Containers:
    """`(unit, day) -> units whose subtree holds it that day`: the unit itself and, while it
    is valid and linked, its parent's containers (the converse of `TreeSnapshot.subtree_on`)."""

    def __init__(self, snap: TreeSnapshot) -> None:
        self.snap = snap
        self._memo: dict[tuple[int, dt.date], tuple[int, ...]] = {}

    def __call__(self, unit_id: int, on: dt.date) -> tuple[int, ...]:
        key = (unit_id, on)
        found = self._memo.get(key)
        if found is not None:
            return found
        chain = [unit_id]
        seen = {unit_id}
        current = unit_id
        while True:
            info = self.snap.units.get(current)
            if info is None or not info.valid_on(on):
                break
            parent = self.snap.parent_on(current, on)
            if parent is None or parent in seen:
                break
            chain.append(parent)
            seen.add(parent)
            current = parent
        found = self._memo[key] = tuple(chain)
        return found


def _grouped(
    *, date_from: dt.date, date_to: dt.date, snap: TreeSnapshot
) -> tuple[list[tuple[int, dt.date, int]], list[tuple[int, dt.date, str, int, int]]]:
    points = breakpoints(snap, date_from, date_to)

    def day_of(epoch: int) -> dt.date:
        return points[epoch - 1] if epoch else date_from

    responses = Response.objects.filter(submitted_on__range=(date_from, date_to))
    answers = Answer.objects.filter(response__submitted_on__range=(date_from, date_to))
    response_rows = [
        (unit_id, day_of(epoch), n)
        for unit_id, epoch, n in responses.annotate(epoch=epoch_expression("submitted_on", points))
        .values_list("survey__unit_id", "epoch")
        .annotate(n=Count("id"))
        .order_by()
    ]
    answer_rows = [
        (unit_id, day_of(epoch), element, satisfied, answered)
        for unit_id, epoch, element, satisfied, answered in answers.annotate(
            epoch=epoch_expression("response__submitted_on", points)
        )
        .values_list("response__survey__unit_id", "epoch", "question__element")
        .annotate(
            satisfied=Count("id", filter=Q(score__gte=SATISFIED_FROM)),
            answered=Count("id"),
        )
        .order_by()
    ]
    return response_rows, answer_rows


def _aggregate(
    units: Sequence[Any], date_from: dt.date, date_to: dt.date
) -> dict[int, tuple[int, dict[str, tuple[int, int]]]]:
    """unit.pk -> (responses, element -> (answers of 4 or 5, non-null answers)) of its subtree."""
    wanted = {unit.pk for unit in units}
    snap = tree()
    containers = Containers(snap)
    response_rows, answer_rows = _grouped(date_from=date_from, date_to=date_to, snap=snap)
    responses: dict[int, int] = defaultdict(int)
    counts: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for unit_id, day, n in response_rows:
        for holder in containers(unit_id, day):
            if holder in wanted:
                responses[holder] += n
    for unit_id, day, element, satisfied, answered in answer_rows:
        for holder in containers(unit_id, day):
            if holder in wanted:
                pair = counts[holder][element]
                pair[0] += satisfied
                pair[1] += answered
    return {
        pk: (
            responses.get(pk, 0),
            {element: (pair[0], pair[1]) for element, pair in counts.get(pk, {}).items()},
        )
        for pk in wanted
    }


def satisfaction_for_units(
    *, units: Sequence[Any], date_from: dt.date, date_to: dt.date
) -> dict[int, Satisfaction]:
    """`unit.pk` -> the figure of its subtree, for every unit given (two queries in all)."""
    return {
        pk: from_counts(responses, counts)
        for pk, (responses, counts) in _aggregate(units, date_from, date_to).items()
    }


def satisfaction_with_answers(
    *, unit: Any, date_from: dt.date, date_to: dt.date
) -> tuple[Satisfaction, int]:
    """The figure and the number of non-null answers behind it."""
    responses, counts = _aggregate([unit], date_from, date_to)[unit.pk]
    return from_counts(responses, counts), sum(answered for _s, answered in counts.values())


def satisfaction(*, unit: Any, date_from: dt.date, date_to: dt.date) -> Satisfaction:
    return satisfaction_for_units(units=[unit], date_from=date_from, date_to=date_to)[unit.pk]


def contained(unit_id: int, root_id: int, on: dt.date, snap: TreeSnapshot | None = None) -> bool:
    """Whether `unit_id` lies in the subtree of `root_id` on `on` (the per-record rule)."""
    return root_id in Containers(snap or tree())(unit_id, on)


def written(figure: Satisfaction) -> dict[str, Any]:
    """The figure as report.md writes it: numbers rounded half up to two decimals."""
    return {
        "responses": figure.responses,
        "index": float(rounded(figure.index)) if figure.index is not None else None,
        "by_element": {k: float(rounded(v)) for k, v in figure.by_element.items()},
    }
