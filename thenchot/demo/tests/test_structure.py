"""The Hanoi shape itself: 30 districts and 579 communes in 2023, 126 communes/wards in 2025."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from thenchot.demo.departments import MERGE_DAY
from thenchot.demo.places import TWO_LEVEL_DAY
from thenchot.demo.structure import CITY_CODE, build_structure

D2023 = dt.date(2023, 6, 1)
D2026 = dt.date(2026, 1, 1)


def test_it_builds_the_three_level_city_of_2023():
    s = build_structure()
    top = Counter(s.units[c].kind for c in s.children(CITY_CODE, D2023))
    assert top == {"department": 20, "district": 30}
    communes = [
        c
        for d in s.children(CITY_CODE, D2023)
        if s.units[d].kind == "district"
        for c in s.children(d, D2023)
        if s.units[c].kind in {"commune", "ward"}
    ]
    assert len(communes) == 579


def test_it_builds_the_two_level_city_of_2026():
    s = build_structure()
    top = Counter(s.units[c].kind for c in s.children(CITY_CODE, D2026))
    assert top["district"] == 0
    assert top["ward"] == 51
    assert top["commune"] == 75
    assert top["department"] == 15  # 20, less six merged, plus Sở Nông nghiệp và Môi trường


def test_it_gives_every_new_commune_its_predecessors():
    s = build_structure()
    new = {c for c, u in s.units.items() if u.kind in {"commune", "ward"} and u.valid_from}
    preds: dict[str, list[str]] = {c: [] for c in new}
    for sc in s.successions:
        if sc.successor in new and s.units[sc.predecessor].kind in {"commune", "ward"}:
            preds[sc.successor].append(sc.predecessor)
            assert sc.effective_on == TWO_LEVEL_DAY
    assert all(preds.values()), [c for c, p in preds.items() if not p]
    assert sum(len(p) for p in preds.values()) == 579
    assert max(len(p) for p in preds.values()) <= 12


def test_it_links_each_district_to_the_new_communes_of_its_territory():
    s = build_structure()
    succ = Counter(sc.predecessor for sc in s.successions if sc.predecessor.startswith("Q-"))
    assert succ["Q-BADINH"] == 3
    assert {sc.successor for sc in s.successions if sc.predecessor == "Q-BADINH"} >= {
        "P-BADINH",
        "P-NGOCHA",
        "P-GIANGVO",
    }


def test_it_merges_departments_on_the_first_of_march_2025():
    s = build_structure()
    assert s.units["SKHDT"].valid_to == MERGE_DAY - dt.timedelta(days=1)
    assert s.units["STC"].valid_to is None
    pairs = {(sc.predecessor, sc.successor) for sc in s.successions}
    assert {("SKHDT", "STC"), ("STNMT", "SNNMT"), ("SNNPTNT", "SNNMT")} <= pairs
    # A public service unit changes parent instead of ending.
    before = s.children("SKHDT", MERGE_DAY - dt.timedelta(days=1))
    after = s.children("STC", MERGE_DAY)
    assert "SKHDT-XTDT" in before
    assert "SKHDT-XTDT" in after


def test_it_keeps_codes_unique_and_short():
    s = build_structure()
    assert len(s.units) == len({c.upper() for c in s.units})
    assert max(len(c) for c in s.units) <= 40
    assert all(len(u.name) <= 255 for u in s.units.values())
