"""Issue 16, the other pages of a large agency or city: "my results" pages its agency's
published results (thousands in a large agency), counted by level in the database; the
collective decision asks who rates a head only of the agencies' heads, not of every head of a
division."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from thenchot.appraisal import closing
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import (
    add_staff,
    approved,
    evaluation_of,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)
from thenchot.org.testing import EPOCH
from thenchot.people.models import HeadAssignment

RESULTS = reverse("appraisal:results")


@pytest.fixture
def closed(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    add_staff(world, 5, unit=world.snv_tc, prefix="TC")
    code = month_before(this_month())
    period = open_period(world, code)
    for i, ev in enumerate(Evaluation.objects.filter(period=period).order_by("pk")):
        approved(ev, general=str(15 + i), tasks=str(40 + 2 * i))
    closing.close_period(
        unit=world.snv, period=code, by=world.user("son"), resolve_quota="by-score"
    )
    return period


def test_my_agencys_published_results_come_a_page_at_a_time(client_for, world, closed, monkeypatch):  # type: ignore[no-untyped-def]
    from thenchot.appraisal.views import personal

    monkeypatch.setattr(personal, "PUBLISHED_ROWS", 3)
    client = client_for("an", lang="en")
    first = client.get(RESULTS).content.decode()
    everyone = Evaluation.objects.filter(period=closed)
    total = everyone.count()
    assert first.count('class="published-row"') == 3 and 'id="published-pages"' in first
    assert f"Results 1–3 of {total}" in first
    seen = []
    for number in range(1, (total + 2) // 3 + 1):
        html = client.get(RESULTS + f"?page={number}").content.decode()
        seen += re.findall(r'<tr class="published-row"><td>([^<]+)</td>', html)
    assert sorted(seen) == sorted(everyone.values_list("staff__full_name", flat=True))
    # The counts by level are the whole agency's, on every page.
    counts = vs.level_counts(everyone)
    assert vs.level_counts_of(everyone) == counts
    last = client.get(RESULTS + f"?page={(total + 2) // 3}").content.decode()
    for code, _label, n in counts:
        if n:
            assert f'data-level="{code}">' in last.split('id="published"')[1]


def test_the_collective_list_asks_only_about_the_agencies_heads(world):  # type: ignore[no-untyped-def]
    """The head of SNV is rated by the City; the heads of its divisions are not, and asking
    about them costs no query each."""
    with_snv_head(world)
    period = open_period(world)
    rows = vs.collective_rows(period.code)
    assert [ev.staff_id for ev in rows] == [world.staff["son"].pk]
    with CaptureQueriesContext(connection) as few:
        vs.collective_rows(period.code)
    # More heads of divisions: the same number of queries.
    for i, staff in enumerate(add_staff(world, 4, unit=world.snv_tc, prefix="HD")):
        HeadAssignment.objects.create(
            unit=world.snv_tc, staff=staff, role="deputy" if i else "head", valid_from=EPOCH
        )
    services_period = open_period(world)
    Evaluation.objects.filter(period=services_period).update(is_head=True)
    Evaluation.objects.filter(period=services_period, staff=world.staff["son"]).update(is_head=True)
    with CaptureQueriesContext(connection) as many:
        again = vs.collective_rows(period.code)
    assert [ev.staff_id for ev in again] == [world.staff["son"].pk]
    assert len(many.captured_queries) == len(few.captured_queries)
    assert evaluation_of(world, "son").is_head
