"""The packs by id, and which one binds a person's period (rules.md "Rule packs").

*Default* precedence where two packs cover the same person and period:
- công chức: from 2026-01-01 months, quarters and the year under `decree-335-2025`; before, the
  months under `hanoi-monthly-2018` and the year under `decree-90-2020`;
- cán bộ and viên chức: months and quarters under `hanoi-monthly-2018`, the year under
  `decree-90-2020` (still in force for them, *default*);
- contract workers: everything under `hanoi-monthly-2018` (the graded mean is their annual result).
An administrator may keep `hanoi-monthly-2018` in parallel for công chức after 2026 (both results
shown, the national one binding): `packs_for` lists every pack covering the period, binding first.
An evaluation may name its pack (an import of history): `resolve(..., pack_id=...)` refuses a pack
that does not cover the person's category or the period.
"""

from __future__ import annotations

from typing import Any

from .base import Category, Period, PeriodKind, RuleInputError
from .decree_90_2020 import Decree90
from .decree_335_2025 import Decree335
from .hanoi_monthly_2018 import HanoiMonthly2018
from .pack import RulePack

HANOI_MONTHLY_2018 = HanoiMonthly2018()
DECREE_90_2020 = Decree90()
DECREE_335_2025 = Decree335()

PACKS: dict[str, RulePack[Any]] = {
    pack.id: pack for pack in (HANOI_MONTHLY_2018, DECREE_90_2020, DECREE_335_2025)
}


class NoPackInForce(RuleInputError):
    """No pack binds this category and period."""


def _category(value: Category | str) -> Category:
    try:
        return Category(value)
    except ValueError:
        known = ", ".join(Category)
        raise RuleInputError(
            f"unknown category {value!r} (known: {known})", field="category"
        ) from None


def get(pack_id: str) -> RulePack[Any]:
    try:
        return PACKS[pack_id]
    except KeyError:
        known = ", ".join(sorted(PACKS))
        raise RuleInputError(
            f"unknown rule pack {pack_id!r} (known: {known})", field="rule_pack"
        ) from None


def all_packs() -> tuple[RulePack[Any], ...]:
    return tuple(PACKS.values())


def pack_for(category: Category | str, period: Period) -> RulePack[Any]:
    """The pack that binds `category` for `period`."""
    category = _category(category)
    if DECREE_335_2025.covers(category, period):
        return DECREE_335_2025
    if period.kind is PeriodKind.YEAR and category is not Category.CONTRACT_WORKER:
        if DECREE_90_2020.covers(category, period):
            return DECREE_90_2020
        raise NoPackInForce(
            f"no annual rule pack for {category} in {period} (before Decree 90/2020)",
            field="rule_pack",
        )
    if HANOI_MONTHLY_2018.covers(category, period):
        return HANOI_MONTHLY_2018
    raise NoPackInForce(f"no rule pack in force for {category} in {period}", field="rule_pack")


def packs_for(category: Category | str, period: Period) -> tuple[RulePack[Any], ...]:
    """Every pack that covers `category` for `period`, the binding one first (may be empty)."""
    category = _category(category)
    covering = [pack for pack in PACKS.values() if pack.covers(category, period)]
    try:
        binding = pack_for(category, period)
    except NoPackInForce:
        return tuple(covering)
    return (binding, *(pack for pack in covering if pack is not binding))


def check_covers(pack: RulePack[Any], category: Category | str, period: Period) -> None:
    pack.check_covers(_category(category), period)


def resolve(
    category: Category | str, period: Period, *, pack_id: str | None = None
) -> RulePack[Any]:
    """The pack an evaluation is computed under: the one it names (checked), else the binding
    one."""
    if pack_id is None:
        return pack_for(category, period)
    pack = get(pack_id)
    check_covers(pack, category, period)
    return pack
