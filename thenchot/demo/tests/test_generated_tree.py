"""The generated database holds both structures: the tree as of 2023 and as of 2026."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from thenchot.org.models import Unit, UnitLink
from thenchot.org.tree import tree

pytestmark = pytest.mark.django_db

D2023 = dt.date(2023, 6, 1)
D2026 = dt.date(2026, 1, 1)


def _kinds(snapshot, ids):  # type: ignore[no-untyped-def]
    return Counter(snapshot.units[i].kind for i in ids)


def test_it_has_districts_and_579_communes_under_them_in_2023(demo):
    snap = tree()
    city = snap.by_code["HN"]
    top = snap.children_on(city, D2023)
    assert _kinds(snap, top) == {"department": 20, "district": 30}
    communes = [
        c
        for d in top
        if snap.units[d].kind == "district"
        for c in snap.children_on(d, D2023)
        if snap.units[c].kind in {"commune", "ward"}
    ]
    assert len(communes) == 579


def test_it_has_no_district_and_126_communes_under_the_city_in_2026(demo):
    snap = tree()
    top = snap.children_on(snap.by_code["HN"], D2026)
    kinds = _kinds(snap, top)
    assert kinds["district"] == 0
    assert kinds["ward"] + kinds["commune"] == 126
    assert kinds["ward"] == 51


def test_it_gives_every_new_commune_predecessors(demo):
    snap = tree()
    new = Unit.objects.filter(kind__in=["commune", "ward"], valid_from=dt.date(2025, 7, 1))
    assert new.count() == 126
    for unit in new:
        assert snap.predecessors.get(unit.pk), unit.code


def test_it_dates_parent_links_and_moves_public_service_units_at_the_merge(demo):
    snap = tree()
    psu = snap.by_code["SKHDT-XTDT"]
    assert snap.parent_on(psu, dt.date(2025, 2, 28)) == snap.by_code["SKHDT"]
    assert snap.parent_on(psu, dt.date(2025, 3, 1)) == snap.by_code["STC"]
    assert UnitLink.objects.filter(unit__code="Q-BADINH", valid_to=dt.date(2025, 6, 30)).exists()


def test_it_fills_unit_search_text_without_diacritics(demo):
    unit = Unit.objects.get(code="P-VANMIEUQUOCTUGIAM")
    assert unit.name == "Phường Văn Miếu - Quốc Tử Giám"
    assert "van mieu" in unit.search_text
