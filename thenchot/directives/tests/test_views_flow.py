"""The issue's "Done when", through the pages: Minh (head of STC) assigns SNV a task from a
directive, Lan (personnel of SNV) reports progress and asks for an extension, Minh approves it,
reminders arrive on the right days, and the task page and the statistics show all of it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.testing import DocumentFactory
from thenchot.notifications.models import Notification
from thenchot.notifications.reminders import run_reminders

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _kinds(response):  # type: ignore[no-untyped-def]
    return [row["kind"] for row in response.context["timeline"]]


def test_it_runs_the_whole_flow_through_the_pages(client_for, world):
    today = timezone.localdate()
    directive = DocumentFactory(
        code="CT-07", kind="directive", number="07/CT-UBND", issued_on=today - 30 * DAY
    )
    minh, lan = client_for("minh"), client_for("lan")

    # Minh opens "assign a task" from the directive's page and assigns it to SNV.
    doc_page = minh.get(f"/directives/documents/{directive.code}/")
    assert doc_page.status_code == 200
    assert b"assign-from-document" in doc_page.content
    form_page = minh.get("/directives/tasks/new/", {"document": directive.code})
    assert form_page.context["form"].initial["document"] == "CT-07"
    assert form_page.context["form"].initial["assigner_unit"] == world.stc.pk
    response = minh.post(
        "/directives/tasks/new/",
        {
            "title": "Rà soát vị trí việc làm các phòng chuyên môn",
            "document": "CT-07",
            "assigner_unit": world.stc.pk,
            "lead_unit": "SNV",
            "coordinating_units": "STC-NS, P-BADINH",
            "assignee": world.staff["lan"].code,
            "assigned_on": (today - 10 * DAY).isoformat(),
            "deadline": (today + 10 * DAY).isoformat(),
            "priority": "high",
            "weight": "2",
            "expected_product": "Báo cáo rà soát",
        },
    )
    task = Task.objects.get(document=directive)
    assert response.status_code == 302
    assert response["Location"] == f"/directives/tasks/{task.code}/"
    assert task.assigned_by == world.user("minh")
    assert sorted(u.code for u in task.coordinating_units.all()) == ["P-BADINH", "STC-NS"]
    assert task.code in [t.code for t in minh.get("/directives/assigned/").context["page"]]
    assert task.code in [t.code for t in lan.get("/directives/").context["page"]]

    # Lan reports progress, then asks for two more weeks.
    page = lan.get(f"/directives/tasks/{task.code}/")
    assert "progress_form" in page.context and "extension_form" in page.context
    assert "decide_form" not in page.context
    response = lan.post(
        f"/directives/tasks/{task.code}/progress/",
        {
            "progress-percent": "40",
            "progress-reported_on": today.isoformat(),
            "progress-note": "Đã rà soát 4/10 phòng",
        },
    )
    assert response.status_code == 302
    response = lan.post(
        f"/directives/tasks/{task.code}/extension/",
        {
            "extension-new_deadline": (today + 24 * DAY).isoformat(),
            "extension-reason": "Chờ số liệu của các phường",
        },
    )
    assert response.status_code == 302
    pending = ExtensionRequest.objects.get(task=task)
    assert pending.status == "pending"

    # Minh sees the request on the page and approves it.
    page = minh.get(f"/directives/tasks/{task.code}/")
    assert page.context["pending"] == pending
    assert page.context["decide_form"].initial["version"] == pending.version
    response = minh.post(
        f"/directives/tasks/{task.code}/extensions/{pending.pk}/decide/",
        {"decide-decision": "approve", "decide-comment": "Đồng ý", "decide-version": "1"},
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decided_by == world.user("minh")

    # Reminders: seven days before the new deadline Lan is reminded; nothing the day before.
    new_deadline = today + 24 * DAY
    assert run_reminders(on=new_deadline - 8 * DAY).created == 0
    assert run_reminders(on=new_deadline - 7 * DAY).created == 1
    reminder = Notification.objects.get(kind="reminder_before")
    assert reminder.recipient == world.user("lan") and reminder.due_on == new_deadline

    # The "3 rõ" page shows all of it.
    page = lan.get(f"/directives/tasks/{task.code}/")
    ctx = page.context
    assert ctx["task"].effective_deadline == new_deadline
    assert ctx["extended"] is True
    assert ctx["task"].progress == 40
    assert [r.percent for r in ctx["reports"]] == [40]
    assert ctx["parties"].assignee == world.staff["lan"]
    assert ctx["assigner_unit_label"] == "Sở Tài chính (STC)"
    assert ctx["names"][world.user("minh").pk] == "Lê Quang Minh"
    kinds = _kinds(page)
    for kind in ("progress", "extension_requested", "extension_approved", "reminder_before"):
        assert kind in kinds
    assert b'id="task-history-link"' in page.content
    assert new_deadline.strftime("%d/%m/%Y").encode() in page.content

    # The statistics of the city count it under SNV, with the extension requested and approved.
    stats = client_for("hung").get(
        "/directives/statistics/",
        {"from": (today - 30 * DAY).isoformat(), "to": (today + 60 * DAY).isoformat()},
    )
    snv = next(r for r in stats.context["stats"].rows if r.code == "SNV")
    assert snv.counts["assigned"] == 1
    assert snv.counts["in_progress"] == 1
    assert snv.counts["extensions_requested"] == 1
    assert snv.counts["extensions_approved"] == 1
