"""Shared checks of a roll-up: the periods given must be the person's, under the same pack, inside
the rolled period and not overlapping (a month and its quarter together would count twice)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from .base import ZERO, PeriodKind, RuleInputError
from .inputs import PersonPeriod
from .pack import Classification, RulePack


def check_periods(
    pack: RulePack[Any],
    periods: Sequence[Classification],
    *,
    person: PersonPeriod,
    kinds: Sequence[PeriodKind],
) -> list[Classification]:
    errors: list[str] = []
    for i, item in enumerate(periods):
        place = f"periods[{i}] ({item.period})"
        if item.staff_id != person.staff_id:
            errors.append(f"{place}: belongs to staff {item.staff_id}, not {person.staff_id}")
        if item.pack_id != pack.id:
            errors.append(f"{place}: classified under {item.pack_id}, not {pack.id}")
        if item.period.kind not in kinds:
            errors.append(f"{place}: a {item.period.kind} cannot be rolled up under {pack.id}")
        if not item.period.within(person.period):
            errors.append(f"{place}: outside {person.period}")
    ordered = sorted(periods, key=lambda c: (c.period.start, c.period.end))
    for before, after in zip(ordered, ordered[1:], strict=False):
        if after.period.start <= before.period.end:
            errors.append(f"periods {before.period} and {after.period} overlap")
    if errors:
        raise RuleInputError(errors, field="periods")
    return ordered


def mean_score(periods: Sequence[Classification]) -> Decimal | None:
    """The mean of the scores of the rated periods, unrounded (None: no score at all). Someone
    absent part of the year is rated on the periods actually worked (Decree 335/2025 art. 21;
    Decree 90/2020 art. 2 for maternity). The mean is graded unrounded and shown to two
    decimals (rules.md "Settled points" 3: 90, 90, 89.99 → 89.997 → good, shown 90.00): the
    packs grade this value and keep `q2` of it as the score."""
    scores = [c.score for c in periods if c.score is not None and c.level.rated]
    if not scores:
        return None
    return sum(scores, ZERO) / len(scores)
