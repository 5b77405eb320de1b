"""Searches count at most the cap (core.paging): a common word must not cost a full count."""

from __future__ import annotations

import pytest

from thenchot.core.paging import CappedCountPaginator
from thenchot.people.models import Staff

pytestmark = pytest.mark.django_db


def test_it_counts_exactly_below_the_cap(world):
    paginator = CappedCountPaginator(Staff.objects.order_by("code"), 2, cap=100)
    assert paginator.count == Staff.objects.count()
    assert not paginator.capped


def test_it_stops_counting_at_the_cap(world):
    paginator = CappedCountPaginator(Staff.objects.order_by("code"), 2, cap=3)
    assert paginator.count == 3
    assert paginator.capped
    assert paginator.num_pages == 2


def test_it_says_so_on_the_staff_page_and_in_the_api(world, client_for, api_for, monkeypatch):
    monkeypatch.setattr("thenchot.people.views.SEARCH_COUNT_CAP", 2)
    monkeypatch.setattr("thenchot.core.api.pagination.SEARCH_COUNT_CAP", 2)
    from django.utils import translation

    with translation.override("en"):
        page = client_for("hung").get("/staff/", {"q": "n"}, HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    body = api_for("hung").get("/api/v1/staff/", {"q": "n"}).json()
    assert body["count"] == 2 and body["count_capped"] is True
    plain = api_for("hung").get("/api/v1/staff/").json()
    assert plain["count"] == Staff.objects.count() and plain["count_capped"] is False
