"""Pickers on the task form (issue 11, point 4): units, assignees and documents searched by
name without diacritics; the picked codes submitted as the form always took them; new tasks
numbered after the highest task of their year."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from thenchot.directives.models import Task
from thenchot.directives.testing import DocumentFactory, TaskFactory, sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def _codes(response) -> list[str]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return re.findall(r'data-value="([^"]+)"', response.content.decode())


def test_it_offers_any_existing_unit_to_whoever_may_assign(client_for) -> None:  # type: ignore[no-untyped-def]
    # Minh (head of STC) assigns to SNV, which he does not read: the form always accepted it.
    assert _codes(client_for("minh").get("/directives/pick/units/", {"q": "so noi vu"})) == ["SNV"]


def test_it_refuses_the_unit_search_to_whoever_may_not_assign(client_for) -> None:  # type: ignore[no-untyped-def]
    assert client_for("an").get("/directives/pick/units/", {"q": "so"}).status_code == 403


def test_it_suggests_readable_assignees_of_the_lead_units_subtree(client_for, world) -> None:  # type: ignore[no-untyped-def]
    lan = client_for("lan")
    found = _codes(lan.get("/directives/pick/assignees/", {"q": "nguyen", "lead_unit": "SNV-TC"}))
    assert found == ["P005"]  # Nguyễn Văn An; Nguyễn Thị Lan works in SNV itself
    found = _codes(lan.get("/directives/pick/assignees/", {"q": "nguyen", "lead_unit": "SNV"}))
    assert set(found) == {"P002", "P005"}
    # Minh reads STC only: SNV's people are never suggested to him.
    minh = client_for("minh")
    assert _codes(minh.get("/directives/pick/assignees/", {"q": "an", "lead_unit": "SNV"})) == []
    subtask_form = {"q": "le quang", "sub-lead_unit": str(world.stc.pk)}
    assert _codes(minh.get("/directives/pick/assignees/", subtask_form)) == ["P003"]


def test_it_finds_a_document_by_its_title_without_diacritics(client_for) -> None:  # type: ignore[no-untyped-def]
    DocumentFactory(code="CT-07", title="Chỉ thị về tinh giản biên chế")
    DocumentFactory(code="KL-9", title="Kết luận thanh tra")
    assert _codes(client_for("an").get("/directives/pick/documents/", {"q": "tinh gian"})) == [
        "CT-07"
    ]
    assert _codes(client_for("an").get("/directives/pick/documents/", {"q": "kl-9"})) == ["KL-9"]


def test_it_renders_the_task_form_with_pickers(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for("minh").get("/directives/tasks/new/").content.decode()
    assert 'data-picker-url="/directives/pick/units/"' in page
    assert "data-picker-multiple" in page  # coordinating units
    assert 'data-picker-include="[name=lead_unit]"' in page
    assert "<datalist" not in page


def test_it_assigns_a_task_with_picked_codes_and_numbers_it_after_the_highest(
    client_for, world
) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    TaskFactory(code=f"NV-{today.year}-00908", assigned_on=today - 5 * DAY)
    TaskFactory(code=f"NV-{today.year - 1}-01500", assigned_on=today - 400 * DAY)
    response = client_for("minh").post(
        "/directives/tasks/new/",
        {
            "title": "Rà soát vị trí việc làm",
            "assigner_unit": world.stc.pk,
            "lead_unit": "SNV",
            # The multi-pick's hidden input: the chosen codes joined by spaces.
            "coordinating_units": "STC-NS P-BADINH",
            "assignee": "P005",
            "assigned_on": (today - 1 * DAY).isoformat(),
            "deadline": (today + 10 * DAY).isoformat(),
            "priority": "normal",
            "weight": "1",
        },
    )
    assert response.status_code == 302
    task = Task.objects.get(title="Rà soát vị trí việc làm")
    assert task.code == f"NV-{today.year}-00909"
    assert sorted(u.code for u in task.coordinating_units.all()) == ["P-BADINH", "STC-NS"]
    assert task.assignee == world.staff["an"]


def test_it_numbers_subtasks_under_their_parent(world) -> None:  # type: ignore[no-untyped-def]
    from thenchot.directives.services import subtask_create

    parent = sample_task(world, lead_unit=world.stc, assignee=None)
    assert re.fullmatch(r"NV-\d{4}-\d{5}", parent.code)
    codes = [
        subtask_create(
            by=world.user("minh"),
            parent=parent,
            title=f"Phần {i}",
            lead_unit=world.stc_ns,
            deadline=parent.deadline,
        ).code
        for i in (1, 2)
    ]
    assert codes == [f"{parent.code}.01", f"{parent.code}.02"]
