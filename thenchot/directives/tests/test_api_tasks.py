"""`/api/v1/tasks/` and friends: scoping, the one error format, 403/404/409, the full flow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.testing import DocumentFactory, TaskFactory, sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)
TASKS = "/api/v1/tasks/"


def iso(d: dt.date) -> str:
    return d.isoformat()


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def task(world):
    return sample_task(world, code="KL12-NV01")


def test_it_refuses_the_anonymous_with_401(world, task):
    client = APIClient()
    for url in (TASKS, f"{TASKS}{task.code}/", "/api/v1/documents/"):
        response = client.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
    assert client.post(f"{TASKS}{task.code}/progress/", {"percent": 5}).status_code == 401


def test_it_lists_tasks_with_status_on_the_as_of_date(api_for, task):
    body = api_for("lan").get(TASKS).json()
    assert [r["code"] for r in body["results"]] == ["KL12-NV01"]
    row = body["results"][0]
    assert (row["status"], row["lead_unit"], row["assigner_unit"]) == ("in_progress", "SNV", "STC")
    later = api_for("lan").get(TASKS, {"as_of": iso(today() + 11 * DAY)}).json()
    assert later["results"][0]["status"] == "overdue"
    bad = api_for("lan").get(TASKS, {"as_of": "31/12/2025"})
    assert bad.status_code == 400 and "as_of" in bad.json()["error"]["fields"]


def test_it_hides_a_sibling_units_task_with_404(world, api_for):
    TaskFactory(code="WARD-1", lead_unit=world.ward, assigner_unit=world.city)
    assert api_for("minh").get(f"{TASKS}WARD-1/").status_code == 404
    assert api_for("lan").get(f"{TASKS}WARD-1/progress/").status_code == 404
    response = api_for("lan").post(f"{TASKS}WARD-1/progress/", {"percent": 5}, format="json")
    assert response.status_code == 404
    assert [r["code"] for r in api_for("minh").get(TASKS).json()["results"]] == []


def test_it_filters_by_status_unit_document_and_text(world, api_for, task):
    doc = DocumentFactory(code="KL-99", issued_on=today() - 60 * DAY)
    TaskFactory(
        code="OLD",
        title="Báo cáo tổng kết công tác cải cách hành chính",
        lead_unit=world.snv_tc,
        document=doc,
        assigned_on=today() - 50 * DAY,
        deadline=today() - 5 * DAY,
    )
    api = api_for("lan")

    def codes(**params):
        response = api.get(TASKS, params)
        assert response.status_code == 200, response.content
        return sorted(r["code"] for r in response.json()["results"])

    assert codes(status="overdue") == ["OLD"]
    assert codes(unit="SNV-TC") == ["OLD"]
    assert codes(unit="SNV") == ["KL12-NV01", "OLD"]
    assert codes(document="KL-99") == ["OLD"]
    assert codes(q="cai cach hanh chinh") == ["OLD"]
    assert codes(deadline_from=iso(today())) == ["KL12-NV01"]
    assert codes(assignee="P005") == ["KL12-NV01"]


def test_it_runs_the_whole_flow_assign_report_extend_approve_complete(world, api_for):
    doc = DocumentFactory(code="CT-05", kind="directive", issued_on=today() - 30 * DAY)
    created = api_for("minh").post(
        TASKS,
        {
            "title": "Triển khai Chỉ thị 05 về chuyển đổi số",
            "document": "CT-05",
            "lead_unit": "P-BADINH",
            "assigner_unit": "STC",
            "coordinating_units": ["SNV"],
            "assigned_on": iso(today() - 10 * DAY),
            "deadline": iso(today() + 5 * DAY),
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    code = created.json()["code"]
    assert created.json()["coordinating_units"] == ["SNV"]
    # The ward's people are not personas; lan (SNV, coordinating) may read but not report.
    refused = api_for("lan").post(f"{TASKS}{code}/progress/", {"percent": 20}, format="json")
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "out_of_scope"
    # The admin corrects on behalf of the ward.
    quan = api_for("quan")
    assert quan.post(f"{TASKS}{code}/progress/", {"percent": 40}, format="json").status_code == 201
    ext = quan.post(
        f"{TASKS}{code}/extensions/",
        {"new_deadline": iso(today() + 20 * DAY), "reason": "Chờ kinh phí"},
        format="json",
    )
    assert ext.status_code == 201, ext.content
    ext_id = ext.json()["id"]
    decided = api_for("minh").post(
        f"/api/v1/extensions/{ext_id}/decide/",
        {"approve": True, "comment": "Đồng ý", "version": 1},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["status"] == "approved"
    detail = api_for("minh").get(f"{TASKS}{code}/").json()
    assert (detail["effective_deadline"], detail["progress"]) == (iso(today() + 20 * DAY), 40)
    done = api_for("minh").post(
        f"{TASKS}{code}/complete/",
        {
            "completed_on": iso(today()),
            "product": "Kế hoạch số 10",
            "quality": "meets",
            "major_errors": 0,
            "version": detail["version"],
        },
        format="json",
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "completed_on_time"
    assert doc.tasks.count() == 1


def test_it_answers_409_to_a_stale_decision(world, api_for, task):
    ext = ExtensionRequest.objects.create(
        task=task,
        requested_on=today(),
        previous_deadline=task.deadline,
        new_deadline=task.deadline + 10 * DAY,
        reason="x",
    )
    url = f"/api/v1/extensions/{ext.pk}/decide/"
    first = api_for("minh").post(url, {"approve": True, "version": 1}, format="json")
    assert first.status_code == 200
    second = api_for("minh").post(
        url, {"approve": False, "comment": "Không", "version": 1}, format="json"
    )
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "concurrent_update"
    assert ExtensionRequest.objects.get(pk=ext.pk).status == "approved"


def test_it_answers_403_to_a_decision_from_the_lead_side(api_for, task):
    ext = ExtensionRequest.objects.create(
        task=task,
        requested_on=today(),
        previous_deadline=task.deadline,
        new_deadline=task.deadline + 10 * DAY,
        reason="x",
    )
    response = api_for("lan").post(
        f"/api/v1/extensions/{ext.pk}/decide/", {"approve": True, "version": 1}, format="json"
    )
    assert response.status_code == 403
    assert ExtensionRequest.objects.get(pk=ext.pk).status == "pending"


def test_it_reports_bad_input_in_the_one_error_format(api_for, task):
    response = api_for("minh").post(
        TASKS,
        {
            "title": "Sai hạn",
            "lead_unit": "SNV",
            "assigner_unit": "STC",
            "assigned_on": iso(today()),
            "deadline": iso(today() - DAY),
            "typo": 1,
        },
        format="json",
    )
    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"typo"}
    response = api_for("minh").post(
        TASKS,
        {
            "title": "Sai hạn",
            "lead_unit": "SNV",
            "assigner_unit": "STC",
            "assigned_on": iso(today()),
            "deadline": iso(today() - DAY),
        },
        format="json",
    )
    assert response.status_code == 400
    assert "deadline" in response.json()["error"]["fields"]
    assert Task.objects.count() == 1
    twice = api_for("lan").post(
        f"{TASKS}{task.code}/extensions/",
        {"new_deadline": iso(task.deadline - DAY), "reason": "sớm hơn"},
        format="json",
    )
    assert twice.status_code == 400
    assert "new_deadline" in twice.json()["error"]["fields"]


def test_it_delegates_a_sub_task_through_the_parent_field(world, api_for, task):
    response = api_for("lan").post(
        TASKS,
        {
            "parent": task.code,
            "title": "Tổng hợp số liệu",
            "lead_unit": "SNV-TC",
            "deadline": iso(today() + 3 * DAY),
            "assignee": "P005",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["parent"] == task.code
    assert response.json()["assigner_unit"] == "SNV"


def test_it_lists_the_progress_history_and_comments(api_for, task):
    api = api_for("lan")
    api.post(f"{TASKS}{task.code}/progress/", {"percent": 20, "note": "Bắt đầu"}, format="json")
    api.post(f"{TASKS}{task.code}/progress/", {"percent": 50}, format="json")
    history = api_for("minh").get(f"{TASKS}{task.code}/progress/").json()
    assert [r["percent"] for r in history] == [20, 50]
    assert (
        api_for("binh")
        .post(f"{TASKS}{task.code}/comments/", {"text": "Đề nghị đẩy nhanh"}, format="json")
        .status_code
        == 201
    )
    assert [c["author"] for c in api.get(f"{TASKS}{task.code}/comments/").json()] == ["binh"]
