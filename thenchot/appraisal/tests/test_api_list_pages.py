"""The evaluation list pages through exactly the rows the reader may see (issue 18: the ids
first, then the page), whether the rows come from their own line or from what their agency
published, and whatever the number of rows."""

from __future__ import annotations

import pytest

from thenchot.appraisal import closing
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)
from thenchot.core.api.pagination import IdsFirstPagination

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    add_staff(world, 3)  # SNV-CC: colleagues whose results An reads as published
    code = month_before(this_month())
    period = open_period(world, code)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="50")
    closing.close_period(unit=world.snv, period=code, by=world.user("son"))
    open_period(world)  # this month, open: only An's own row of it is An's to read
    return period


def _pages(client, url: str, size: int) -> tuple[int, list[int]]:  # type: ignore[no-untyped-def]
    seen: list[int] = []
    page = 1
    while True:
        body = client.get(f"{url}&page_size={size}&page={page}").json()
        seen += [r["id"] for r in body["results"]]
        if not body["next"]:
            return body["count"], seen
        page += 1


@pytest.mark.parametrize("cap", [5_000, 2])  # the ids first; beyond the cap, count and page
def test_it_pages_through_the_published_and_own_rows_exactly(
    world, closed, api_for, monkeypatch, cap
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(IdsFirstPagination, "ids_cap", cap)
    client = api_for("an")
    agency_rows = set(Evaluation.objects.filter(period=closed).values_list("pk", flat=True))
    count, seen = _pages(client, f"/api/v1/evaluations/?period={closed.code}", 2)
    assert count == len(agency_rows) == len(seen) and set(seen) == agency_rows
    mine = set(Evaluation.objects.filter(staff=world.staff["an"]).values_list("pk", flat=True))
    count, seen = _pages(client, "/api/v1/evaluations/?status=closed", 2)
    assert set(seen) == agency_rows and count == len(seen)
    count, seen = _pages(client, f"/api/v1/evaluations/?period={this_month()}", 2)
    assert set(seen) == mine - agency_rows and count == 1


def test_it_keeps_the_list_order_on_every_page(world, closed, api_for):  # type: ignore[no-untyped-def]
    client = api_for("son")  # the approver: every SNV row, this month's and last month's
    whole = client.get("/api/v1/evaluations/?page_size=500").json()
    _count, paged = _pages(client, "/api/v1/evaluations/?ordering=staff__full_name", 3)
    ordered = client.get("/api/v1/evaluations/?ordering=staff__full_name&page_size=500").json()
    assert paged == [r["id"] for r in ordered["results"]]
    assert whole["count"] == len(paged) == Evaluation.objects.count()


def test_it_lists_nothing_of_another_agency(world, closed, api_for):  # type: ignore[no-untyped-def]
    body = api_for("minh").get(f"/api/v1/evaluations/?period={closed.code}").json()
    assert body["count"] == 0 and body["results"] == []
