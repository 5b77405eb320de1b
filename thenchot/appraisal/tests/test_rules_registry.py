"""The pack lookup: the precedence of rules.md, packs named explicitly, refusals."""

from __future__ import annotations

import pytest

from thenchot.appraisal.rules import Category, Period, RuleInputError, registry

CS, CADRE, PE, CW = (
    Category.CIVIL_SERVANT,
    Category.CADRE,
    Category.PUBLIC_EMPLOYEE,
    Category.CONTRACT_WORKER,
)


@pytest.mark.parametrize(
    ("category", "period", "pack_id"),
    [
        (CS, "2026-01", "decree-335-2025"),
        (CS, "2026-Q2", "decree-335-2025"),
        (CS, "2026", "decree-335-2025"),
        (CS, "2025-12", "hanoi-monthly-2018"),
        (CS, "2025", "decree-90-2020"),
        (CS, "2020", "decree-90-2020"),
        (CADRE, "2026-03", "hanoi-monthly-2018"),
        (CADRE, "2026", "decree-90-2020"),
        (PE, "2030-Q1", "hanoi-monthly-2018"),
        (PE, "2027", "decree-90-2020"),
        (CW, "2026-03", "hanoi-monthly-2018"),
        (CW, "2026", "hanoi-monthly-2018"),
        (CW, "2018-07", "hanoi-monthly-2018"),
    ],
)
def test_it_finds_the_binding_pack(category, period, pack_id):
    """rules.md: packs.hanoi-monthly-2018, packs.decree-90-2020,
    packs.decree-335-2025, packs.in-force, packs.precedence."""
    assert registry.pack_for(category, Period.parse(period)).id == pack_id
    assert registry.resolve(category.value, Period.parse(period)).id == pack_id


@pytest.mark.parametrize(
    ("category", "period"),
    [(CW, "2018-06"), (CS, "2019"), (CADRE, "2018"), (PE, "2017-12")],
)
def test_it_refuses_a_period_no_pack_covers(category, period):
    """rules.md: packs.in-force."""
    with pytest.raises(registry.NoPackInForce):
        registry.pack_for(category, Period.parse(period))


def test_it_lists_hanoi_in_parallel_for_civil_servants_binding_first():
    """rules.md: packs.precedence."""
    packs = registry.packs_for(CS, Period.parse("2026-03"))
    assert [p.id for p in packs] == ["decree-335-2025", "hanoi-monthly-2018"]
    assert [p.id for p in registry.packs_for(CADRE, Period.parse("2025"))] == [
        "decree-90-2020",
        "hanoi-monthly-2018",
    ]


@pytest.mark.parametrize(
    ("pack_id", "category", "period", "ok"),
    [
        ("hanoi-monthly-2018", CS, "2026-03", True),  # kept in parallel, named explicitly
        ("decree-335-2025", CADRE, "2026-03", False),  # not a civil servant
        ("decree-335-2025", CS, "2025-11", False),  # before the decree
        ("decree-90-2020", CS, "2026", False),  # civil servants moved to Decree 335
        ("decree-90-2020", PE, "2024-05", False),  # no monthly results
        ("decree-90-2020", CW, "2024", False),  # contract workers are not covered
    ],
)
def test_it_checks_a_pack_named_by_an_evaluation(pack_id, category, period, ok):
    """rules.md: packs.named."""
    if ok:
        assert registry.resolve(category, Period.parse(period), pack_id=pack_id).id == pack_id
    else:
        with pytest.raises(RuleInputError):
            registry.resolve(category, Period.parse(period), pack_id=pack_id)


def test_it_refuses_unknown_packs_and_categories():
    with pytest.raises(RuleInputError, match="unknown rule pack"):
        registry.get("decree-56-2015")
    with pytest.raises(RuleInputError, match="unknown category"):
        registry.pack_for("intern", Period.parse("2026-03"))


def test_it_describes_each_pack():
    for pack in registry.all_packs():
        assert pack.categories and pack.period_kinds and pack.basis
        assert pack.defaults().validate() == pack.defaults()
    assert registry.get("decree-90-2020").categories == (CS, CADRE, PE)
