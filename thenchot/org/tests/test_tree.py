"""The tree as of a date: Hanoi's three levels in 2023 and two levels in 2026, in one database."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.org.models import UnitSuccession
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate, tree

pytestmark = pytest.mark.django_db

D2023 = dt.date(2023, 6, 1)
D2026 = dt.date(2026, 1, 1)


@pytest.fixture
def hanoi():
    city = UnitFactory(code="HN", name="Thành phố Hà Nội", kind="city", valid_from=None)
    district = UnitFactory(
        code="Q-BD",
        name="Quận Ba Đình",
        kind="district",
        parent=city,
        valid_from=dt.date(1961, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    division = UnitFactory(
        code="Q-BD-NV",
        name="Phòng Nội vụ",
        kind="division",
        parent=district,
        valid_from=dt.date(1961, 1, 1),
        valid_to=dt.date(2025, 6, 30),
    )
    old_wards = [
        UnitFactory(
            code=f"P-OLD{i}",
            name=f"Phường cũ {i}",
            kind="ward",
            parent=district,
            valid_from=dt.date(1961, 1, 1),
            valid_to=dt.date(2025, 6, 30),
        )
        for i in range(3)
    ]
    new_ward = UnitFactory(
        code="P-BADINH",
        name="Phường Ba Đình",
        kind="ward",
        parent=city,
        valid_from=dt.date(2025, 7, 1),
    )
    for old in old_wards:
        UnitSuccession.objects.create(
            predecessor=old, successor=new_ward, effective_on=dt.date(2025, 7, 1)
        )
    invalidate()
    return {
        "city": city,
        "district": district,
        "division": division,
        "old": old_wards,
        "new": new_ward,
    }


def test_it_shows_three_levels_in_2023(hanoi):
    """rules.md: org-history.dated."""
    snap = tree()
    assert snap.children_on(hanoi["city"].pk, D2023) == [hanoi["district"].pk]
    sub = snap.subtree_on(hanoi["city"].pk, D2023)
    assert {u.pk for u in hanoi["old"]} <= sub
    assert hanoi["new"].pk not in sub


def test_it_shows_two_levels_in_2026(hanoi):
    """rules.md: org-history.dated."""
    snap = tree()
    assert snap.children_on(hanoi["city"].pk, D2026) == [hanoi["new"].pk]
    assert snap.subtree_on(hanoi["city"].pk, D2026) == {hanoi["city"].pk, hanoi["new"].pk}


def test_it_answers_boundary_days_exactly(hanoi):
    """rules.md: org-history.dated."""
    snap = tree()
    last_day, first_day = dt.date(2025, 6, 30), dt.date(2025, 7, 1)
    assert hanoi["district"].pk in snap.children_on(hanoi["city"].pk, last_day)
    assert hanoi["district"].pk not in snap.children_on(hanoi["city"].pk, first_day)
    assert hanoi["new"].pk in snap.children_on(hanoi["city"].pk, first_day)


def test_it_finds_the_agency_of_a_division(hanoi):
    snap = tree()
    assert snap.agency_of(hanoi["division"].pk, D2023) == hanoi["district"].pk
    assert snap.agency_of(hanoi["district"].pk, D2023) == hanoi["district"].pk


def test_it_lets_the_successor_read_what_it_succeeded(hanoi):
    """rules.md: org-history.successor."""
    readable = tree().readable_from(hanoi["new"].pk, D2026)
    assert {u.pk for u in hanoi["old"]} <= readable
    assert hanoi["district"].pk not in readable
    assert hanoi["division"].pk not in readable


def test_it_detects_a_would_be_cycle(hanoi):
    snap = tree()
    assert snap.would_cycle(hanoi["district"].pk, hanoi["old"][0].pk, D2023)
    assert snap.would_cycle(hanoi["city"].pk, hanoi["city"].pk, D2023)
    assert not snap.would_cycle(hanoi["old"][0].pk, hanoi["city"].pk, D2023)


def test_it_reloads_after_invalidate(hanoi):
    first = tree()
    UnitFactory(code="X-NEW", name="Đơn vị mới", kind="other", parent=hanoi["city"])
    assert "X-NEW" in tree().by_code
    assert "X-NEW" not in first.by_code
