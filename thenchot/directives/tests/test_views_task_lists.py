"""The three task lists: whose tasks each shows, the unit picker, filters (status on a date,
document, deadline range, priority, diacritic-free search), sorting, badges and htmx refresh."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.directives.models import ExtensionRequest
from thenchot.directives.testing import DocumentFactory, TaskFactory

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _codes(response):  # type: ignore[no-untyped-def]
    return [t.code for t in response.context["page"].object_list]


@pytest.fixture
def tasks(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    doc = DocumentFactory(code="KL-15", issued_on=today - 100 * DAY)
    minh = world.user("minh")
    common = {"assigner_unit": world.stc, "assigned_by": minh, "assigned_on": today - 40 * DAY}
    return {
        "an_open": TaskFactory(
            code="T-AN",
            title="Tổng hợp báo cáo biên chế",
            lead_unit=world.snv_tc,
            assignee=world.staff["an"],
            deadline=today + 5 * DAY,
            document=doc,
            **common,
        ),
        "snv_overdue": TaskFactory(
            code="T-SNV",
            title="Rà soát quy chế làm việc",
            lead_unit=world.snv,
            deadline=today - 3 * DAY,
            priority="urgent",
            **common,
        ),
        "tc_done": TaskFactory(
            code="T-TC",
            title="Đề án vị trí việc làm",
            lead_unit=world.snv_tc,
            deadline=today - 10 * DAY,
            completed_on=today - 12 * DAY,
            progress=100,
            **common,
        ),
        "stc_own": TaskFactory(
            code="T-STC",
            title="Dự toán ngân sách",
            lead_unit=world.stc_ns,
            assigner_unit=world.city,
            assigned_on=today - 40 * DAY,
            deadline=today - 1 * DAY,
            completed_on=today,
            progress=100,
        ),
    }


def test_it_lists_my_tasks_by_name_and_as_head_of_the_lead_unit(client_for, world, tasks):
    assert _codes(client_for("an").get("/directives/")) == ["T-AN"]
    # Hoa heads SNV-TC: tasks of SNV-TC with no named assignee are hers.
    assert _codes(client_for("hoa").get("/directives/")) == ["T-TC"]
    assert _codes(client_for("binh").get("/directives/")) == []


def test_it_lists_the_units_tasks_over_its_subtree(client_for, world, tasks):
    lan = client_for("lan").get("/directives/unit/")
    assert lan.context["unit_code"] == "SNV"  # her top readable unit by default
    assert sorted(_codes(lan)) == ["T-AN", "T-SNV", "T-TC"]
    tc = client_for("lan").get("/directives/unit/", {"unit": "SNV-TC"})
    assert sorted(_codes(tc)) == ["T-AN", "T-TC"]
    city = client_for("hung").get("/directives/unit/")
    assert sorted(_codes(city)) == ["T-AN", "T-SNV", "T-STC", "T-TC"]


def test_it_refuses_a_unit_outside_the_readers_scope_in_the_picker(client_for, world, tasks):
    response = client_for("lan").get("/directives/unit/", {"unit": "STC"})
    assert response.status_code == 400
    assert response.context["unit_error"]
    assert _codes(response) == []


def test_it_lists_the_tasks_i_assigned(client_for, world, tasks):
    assert sorted(_codes(client_for("minh").get("/directives/assigned/"))) == [
        "T-AN",
        "T-SNV",
        "T-TC",
    ]
    assert _codes(client_for("lan").get("/directives/assigned/")) == []


def test_it_filters_by_status_on_a_date(client_for, world, tasks):
    today = timezone.localdate()
    client = client_for("hung")
    assert _codes(client.get("/directives/unit/", {"status": "overdue"})) == ["T-SNV"]
    late = client.get("/directives/unit/", {"status": "completed_late"})
    assert _codes(late) == ["T-STC"]
    # Two weeks ago nothing was overdue yet and T-STC was still open.
    past = client.get(
        "/directives/unit/",
        {"status": "in_progress", "as_of": (today - 14 * DAY).isoformat()},
    )
    assert sorted(_codes(past)) == ["T-AN", "T-SNV", "T-STC", "T-TC"]
    assert past.context["on"] == today - 14 * DAY


def test_it_counts_an_approved_extension_in_the_deadline_and_status(client_for, world, tasks):
    today = timezone.localdate()
    task = tasks["snv_overdue"]
    ExtensionRequest.objects.create(
        task=task,
        requested_on=today - 5 * DAY,
        previous_deadline=task.deadline,
        new_deadline=today + 20 * DAY,
        status="approved",
        decided_on=today - 4 * DAY,
        reason="Chờ ý kiến",
    )
    response = client_for("hung").get("/directives/unit/", {"status": "in_progress"})
    row = next(t for t in response.context["page"].object_list if t.code == "T-SNV")
    assert row.effective_deadline == today + 20 * DAY
    assert (today + 20 * DAY).strftime("%d/%m/%Y").encode() in response.content


def test_it_filters_by_document_deadline_priority_and_search(client_for, world, tasks):
    today = timezone.localdate()
    client = client_for("hung")
    assert _codes(client.get("/directives/unit/", {"document": "KL-15"})) == ["T-AN"]
    assert _codes(client.get("/directives/unit/", {"priority": "urgent"})) == ["T-SNV"]
    window = client.get(
        "/directives/unit/",
        {
            "deadline_from": (today - 4 * DAY).isoformat(),
            "deadline_to": (today - 1 * DAY).isoformat(),
        },
    )
    assert sorted(_codes(window)) == ["T-SNV", "T-STC"]
    assert _codes(client.get("/directives/unit/", {"q": "bien che"})) == ["T-AN"]
    assert _codes(client.get("/directives/unit/", {"q": "QUY CHẾ"})) == ["T-SNV"]


def test_it_sorts_by_whitelisted_keys_only(client_for, world, tasks):
    client = client_for("hung")
    by_deadline = _codes(client.get("/directives/unit/", {"sort": "deadline"}))
    assert by_deadline == ["T-TC", "T-SNV", "T-STC", "T-AN"]
    assert _codes(client.get("/directives/unit/", {"sort": "-deadline"})) == by_deadline[::-1]
    assert _codes(client.get("/directives/unit/", {"sort": "code"}))[0] == "T-AN"
    fallback = client.get("/directives/unit/", {"sort": "password"})
    assert fallback.context["sort"] == "deadline" and _codes(fallback) == by_deadline


def test_it_shows_status_badges_in_their_colours(client_for, world, tasks):
    content = client_for("hung").get("/directives/unit/").content.decode()
    assert 'class="badge text-bg-danger task-status" data-status="overdue"' in content
    assert 'class="badge text-bg-primary task-status" data-status="in_progress"' in content
    assert 'class="badge text-bg-success task-status" data-status="completed_on_time"' in content
    assert 'class="badge text-bg-warning task-status" data-status="completed_late"' in content


def test_it_refreshes_only_the_table_for_htmx(client_for, world, tasks):
    response = client_for("hung").get(
        "/directives/unit/",
        {"status": "overdue"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="task-table",
    )
    content = response.content.decode()
    assert content.lstrip().startswith('<div id="task-table">')
    assert "<html" not in content
    assert "T-SNV" in content


def test_it_paginates(client_for, world, tasks):
    first = client_for("hung").get("/directives/unit/", {"page_size": 10})
    assert first.context["page_size"] == 10
    assert first.context["page"].paginator.count == 4
    odd = client_for("hung").get("/directives/unit/", {"page_size": 7})
    assert odd.context["page_size"] == 25  # only the offered sizes
