"""Shared checks of a roll-up: the periods given must be the person's, under the same pack, inside
the rolled period and not overlapping (a month and its quarter together would count twice)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol

from .base import ZERO, Level, Period, PeriodKind, RuleInputError, StaffKey
from .inputs import PersonPeriod


class PeriodResult(Protocol):
    """What a roll-up reads of each period's result: a `Classification`, or a lighter record of
    a closed period's stored result (the close rolls up a city's 2.4M months: one object each)."""

    @property
    def staff_id(self) -> StaffKey: ...

    @property
    def pack_id(self) -> str: ...

    @property
    def period(self) -> Period: ...

    @property
    def level(self) -> Level: ...

    @property
    def score(self) -> Decimal | None: ...


def check_periods(
    pack_id: str,
    periods: Sequence[PeriodResult],
    *,
    person: PersonPeriod,
    kinds: Sequence[PeriodKind],
) -> list[PeriodResult]:
    """The periods in date order, or every problem with them at once. The messages are made
    only for the periods that fail: a city's year checks 2.4M periods."""
    errors: list[str] = []
    staff_id, period = person.staff_id, person.period
    for i, item in enumerate(periods):
        if (
            item.staff_id != staff_id
            or item.pack_id != pack_id
            or item.period.kind not in kinds
            or not item.period.within(period)
        ):
            errors += _problems(pack_id, i, item, person, kinds)
    ordered = sorted(periods, key=_span)
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.period.start <= before.period.end:
            errors.append(f"periods {before.period} and {after.period} overlap")
    if errors:
        raise RuleInputError(errors, field="periods")
    return ordered


def _span(item: PeriodResult) -> tuple[Any, Any]:
    return (item.period.start, item.period.end)


def _problems(
    pack_id: str,
    i: int,
    item: PeriodResult,
    person: PersonPeriod,
    kinds: Sequence[PeriodKind],
) -> list[str]:
    place = f"periods[{i}] ({item.period})"
    errors: list[str] = []
    if item.staff_id != person.staff_id:
        errors.append(f"{place}: belongs to staff {item.staff_id}, not {person.staff_id}")
    if item.pack_id != pack_id:
        errors.append(f"{place}: classified under {item.pack_id}, not {pack_id}")
    if item.period.kind not in kinds:
        errors.append(f"{place}: a {item.period.kind} cannot be rolled up under {pack_id}")
    if not item.period.within(person.period):
        errors.append(f"{place}: outside {person.period}")
    return errors


def mean_score(periods: Sequence[PeriodResult]) -> Decimal | None:
    """The mean of the scores of the rated periods, unrounded (None: no score at all). Someone
    absent part of the year is rated on the periods actually worked (Decree 335/2025 art. 21;
    Decree 90/2020 art. 2 for maternity). The mean is graded unrounded and shown to two
    decimals (rules.md "Settled points" 3: 90, 90, 89.99 → 89.997 → good, shown 90.00): the
    packs grade this value and keep `q2` of it as the score."""
    scores = [c.score for c in periods if c.score is not None and c.level.rated]
    if not scores:
        return None
    return sum(scores, ZERO) / len(scores)
