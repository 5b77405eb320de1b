"""The records page: its count is the figure it stands behind (and the length of its list, for
any window, not only the dashboard's), and its pages read from either end give the same rows
in the same order as one pass from the start."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.accounts.scoping import compute_scope
from thenchot.dashboards import selectors
from thenchot.dashboards.metrics import METRICS
from thenchot.dashboards.paging import page_number, page_of
from thenchot.directives.models import Task

pytestmark = pytest.mark.django_db

WINDOWS = [
    ("2025-01-01", "2025-12-31", "2025-12-31"),
    ("2025-03-15", "2025-04-10", "2025-06-30"),  # not whole months, statuses later
    ("2025-02-01", "2025-05-31", "2025-03-31"),  # statuses inside the window
    ("2024-11-01", "2025-02-28", "2025-02-28"),  # across two years
]


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("unit", ["HN", "SNV", "STC-NS"])
def test_the_count_is_the_length_of_the_list(world, year, window, unit):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    start, end, as_of = window
    for key in sorted(METRICS):
        params = {"metric": key, "unit": unit, "from": start, "to": end, "as_of": as_of}
        query = selectors.parse_records_query(scope, params)
        listed = selectors.records_queryset(scope, query).count()
        assert selectors.records_count(scope, query) == listed, (key, window, unit)


def test_the_count_of_a_staff_members_own_records(world, year):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("an"))
    params = {"metric": "tasks.due", "mine": "1", "from": "2025-01-01", "to": "2025-12-31"}
    query = selectors.parse_records_query(scope, {**params, "as_of": "2025-12-31"})
    assert selectors.records_count(scope, query) == 3


@pytest.mark.parametrize("per_page", [1, 2, 3, 4, 7])
def test_pages_from_either_end_keep_the_order(world, year, per_page):  # type: ignore[no-untyped-def]
    qs = Task.objects.all()
    order = ("deadline", "pk")
    everything = list(qs.order_by(*order))
    count = len(everything)
    seen = []
    pages = -(-count // per_page)
    for n in range(1, pages + 1):
        page = page_of(qs, order=order, count=count, per_page=per_page, raw=str(n))
        assert page.number == n and page.num_pages == pages
        seen += page.object_list
    assert seen == everything
    last = page_of(qs, order=order, count=count, per_page=per_page, raw="last")
    assert last.object_list == everything[(pages - 1) * per_page :]


def test_a_page_number_out_of_range_is_clamped():  # type: ignore[no-untyped-def]
    assert page_number("9999", 5) == 5
    assert page_number("0", 5) == 1
    assert page_number("x", 5) == 1
    assert page_number("last", 5) == 5


def test_the_page_names_the_count_and_pages_through(world, year, client_for):  # type: ignore[no-untyped-def]
    url = reverse("dashboards:records")
    params = {
        "metric": "tasks.due",
        "unit": "HN",
        "from": "2025-01-01",
        "to": "2025-12-31",
        "as_of": "2025-12-31",
    }
    c = client_for("hung")
    html = c.get(url, params).content.decode()
    assert 'data-count="7"' in html
    codes = {"NV-A1", "NV-A2", "NV-A3", "NV-A4", "NV-B1", "NV-B2", "NV-C1"}
    assert all(reverse("directives:task", args=[code]) in html for code in codes)
    # An outsider gets nothing, whatever the page.
    assert client_for("minh").get(url, {**params, "page": "last"}).status_code == 404


@pytest.mark.parametrize("key", sorted(METRICS))
def test_a_list_is_in_the_order_of_its_dates(world, year, key):  # type: ignore[no-untyped-def]
    # A metric listed by a plain column (an index) keeps the series' order: bucket, then key.
    scope = compute_scope(world.user("hung"))
    params = {"metric": key, "unit": "HN", "from": "2024-01-01", "to": "2025-12-31"}
    query = selectors.parse_records_query(scope, {**params, "as_of": "2025-12-31"})
    rows = list(selectors.records_queryset(scope, query))
    assert [(r._bucket, r.pk) for r in rows] == sorted((r._bucket, r.pk) for r in rows)


@pytest.mark.parametrize("key", ["tasks.due", "cases.received", "cases.completed_on_time"])
@pytest.mark.parametrize("per_page", [1, 2, 3])
def test_pages_that_skip_whole_months_are_the_same_pages(world, year, key, per_page):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    params = {"metric": key, "unit": "HN", "from": "2024-11-01", "to": "2025-12-31"}
    query = selectors.parse_records_query(scope, {**params, "as_of": "2025-12-31"})
    qs = selectors.records_queryset(scope, query)
    order = query.metric.list_order
    count = selectors.records_count(scope, query)
    segments = selectors.records_segments(scope, query)
    assert sum(n for _f, _l, n in segments) == count
    pages = -(-count // per_page)
    for raw in [*map(str, range(1, pages + 1)), "last"]:
        plain = page_of(qs, order=order, count=count, per_page=per_page, raw=raw)
        skipping = page_of(
            qs, order=order, count=count, per_page=per_page, raw=raw, segments=segments
        )
        assert [o.pk for o in skipping.object_list] == [o.pk for o in plain.object_list], raw
        assert len(plain.object_list) == min(per_page, count - (plain.number - 1) * per_page)
