"""The task lists run a fixed number of SQL queries whatever the page size (no N+1).

The committed baselines are below. A change that adds a query per row fails here; a change that
legitimately adds a query per page updates the baseline in the same commit.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from thenchot.directives.models import ExtensionRequest
from thenchot.directives.testing import DocumentFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
BASELINES = {
    "directives:unit city-wide": 9,
    "directives:unit personnel": 9,
    "directives:mine assignee": 9,
    "directives:assigned head": 9,
    "directives:documents": 9,
}


@pytest.fixture
def crowd(world):  # type: ignore[no-untyped-def]
    """120 tasks over SNV and its divisions, with documents, assignees and extensions."""
    today = timezone.localdate()
    docs = [DocumentFactory(code=f"KL-{i}", issued_on=today - 200 * DAY) for i in range(3)]
    units = [world.snv, world.snv_tc, world.snv_cc]
    for i in range(120):
        task = TaskFactory(
            code=f"Q-{i:04d}",
            lead_unit=units[i % 3],
            assigner_unit=world.stc,
            assigned_by=world.user("minh"),
            assignee=world.staff["an"] if i % 3 == 1 else None,
            document=docs[i % 3] if i % 2 else None,
            assigned_on=today - 60 * DAY,
            deadline=today + (i % 40 - 20) * DAY,
            completed_on=today - DAY if i % 5 == 0 else None,
        )
        if i % 7 == 0:
            ExtensionRequest.objects.create(
                task=task,
                requested_on=today - 50 * DAY,
                previous_deadline=task.deadline,
                new_deadline=task.deadline + 30 * DAY,
                status="approved",
                decided_on=today - 49 * DAY,
            )
    return 120


def _count(client, url, params):  # type: ignore[no-untyped-def]
    client.get(url, params)  # warm the session and the tree snapshot
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


@pytest.mark.parametrize(
    "persona,url,key",
    [
        ("hung", "/directives/unit/", "directives:unit city-wide"),
        ("lan", "/directives/unit/", "directives:unit personnel"),
        ("an", "/directives/", "directives:mine assignee"),
        ("minh", "/directives/assigned/", "directives:assigned head"),
    ],
)
def test_it_runs_the_same_queries_for_10_and_100_rows(client_for, crowd, persona, url, key):
    client = client_for(persona)
    small, small_page = _count(client, url, {"page_size": 10, "sort": "unit"})
    large, large_page = _count(client, url, {"page_size": 100, "sort": "unit"})
    assert len(small_page.context["page"].object_list) == 10
    assert len(large_page.context["page"].object_list) > 10
    assert small == large, f"{key}: {small} queries for 10 rows, {large} for 100"
    assert large == BASELINES[key], (
        f"{key}: {large} queries, baseline {BASELINES[key]} "
        "(update BASELINES in this module if the change is intended)"
    )


def test_it_runs_the_same_queries_with_every_filter(client_for, crowd):
    today = timezone.localdate()
    params = {
        "q": "bao cao",
        "status": ["overdue", "in_progress"],
        "document": "KL-1",
        "deadline_from": (today - 30 * DAY).isoformat(),
        "deadline_to": (today + 60 * DAY).isoformat(),
        "priority": "normal",
        "page_size": 100,
    }
    count, response = _count(client_for("hung"), "/directives/unit/", params)
    assert response.context["page"].paginator.count > 10
    assert count == BASELINES["directives:unit city-wide"]


def test_it_runs_the_same_queries_for_documents(client_for, crowd):
    for i in range(40):
        DocumentFactory(code=f"CT-{i:03d}")
    small, _r = _count(client_for("lan"), "/directives/documents/", {"page_size": 10})
    large, page = _count(client_for("lan"), "/directives/documents/", {"page_size": 100})
    assert len(page.context["page"].object_list) == 43
    assert small == large == BASELINES["directives:documents"]
