"""The "3 rõ" board and the urging and reassigning services behind its buttons."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.urging import task_reassign, task_urge, urges_of
from thenchot.notifications.models import Notification
from thenchot.people.testing import StaffFactory
from thenchot.processes.urging import case_step_reassign, case_urge

pytestmark = pytest.mark.django_db


def test_it_urges_a_task_and_records_it(world, year):  # type: ignore[no-untyped-def]
    task = year.tasks["NV-A3"]
    n = task_urge(task=task, by=world.user("hoa"), note="Báo cáo trước thứ Sáu")
    assert n >= 1
    assert Notification.objects.filter(
        recipient=world.user("an"), model_label="directives.task", object_id=task.pk
    ).exists()
    urges = urges_of("directives.task", [task.pk])[task.pk]
    assert [(u.actor, u.note) for u in urges] == [("hoa", "Báo cáo trước thứ Sáu")]


def test_a_head_cannot_urge_outside_their_subtree(world, year):  # type: ignore[no-untyped-def]
    with pytest.raises(OutOfScope):
        task_urge(task=year.tasks["NV-A3"], by=world.user("minh"))
    with pytest.raises(OutOfScope):
        case_urge(case=year.cases["HS-3"], by=world.user("minh"))
    assert not Notification.objects.exists()


def test_it_refuses_to_urge_a_completed_task(world, year):  # type: ignore[no-untyped-def]
    with pytest.raises(DomainError, match="NV-A1"):
        task_urge(task=year.tasks["NV-A1"], by=world.user("hoa"))


def test_it_reassigns_a_task_inside_the_lead_unit(world, year):  # type: ignore[no-untyped-def]
    colleague = StaffFactory.create(code="CB-TC2", full_name="Trần Thị Thu", unit=world.snv_tc)
    task = year.tasks["NV-A3"]
    task_reassign(
        task=task, assignee=colleague, by=world.user("hoa"), expected_version=task.version
    )
    task.refresh_from_db()
    assert task.assignee_id == colleague.pk and task.version == 2


def test_it_refuses_an_assignee_outside_the_lead_unit(world, year):  # type: ignore[no-untyped-def]
    task = year.tasks["NV-A3"]
    with pytest.raises(DomainError, match="P003"):  # Minh, of STC
        task_reassign(
            task=task, assignee=world.staff["minh"], by=world.user("hoa"), expected_version=1
        )
    task.refresh_from_db()
    assert task.assignee_id == world.staff["an"].pk


def test_a_stale_reassignment_is_refused(world, year):  # type: ignore[no-untyped-def]
    colleague = StaffFactory.create(code="CB-TC3", unit=world.snv_tc)
    task = year.tasks["NV-A3"]
    with pytest.raises(ConcurrentUpdate):
        task_reassign(task=task, assignee=colleague, by=world.user("hoa"), expected_version=7)


def test_a_head_cannot_reassign_outside_their_subtree(world, year):  # type: ignore[no-untyped-def]
    colleague = StaffFactory.create(code="CB-TC4", unit=world.snv_tc)
    with pytest.raises(OutOfScope):
        task_reassign(
            task=year.tasks["NV-A3"], assignee=colleague, by=world.user("minh"), expected_version=1
        )
    with pytest.raises(OutOfScope):
        case_step_reassign(
            case=year.cases["HS-3"], holder=colleague, by=world.user("minh"), expected_version=1
        )


def test_it_urges_a_case_and_hands_its_step_over(world, year):  # type: ignore[no-untyped-def]
    case = year.cases["HS-3"]
    case_urge(case=case, by=world.user("hoa"), note="Xử lý ngay")
    assert urges_of("processes.case", [case.pk])[case.pk][0].actor == "hoa"
    colleague = StaffFactory.create(code="CB-TC5", full_name="Lê Văn Bảo", unit=world.snv_tc)
    step = case_step_reassign(
        case=case, holder=colleague, by=world.user("hoa"), expected_version=case.version
    )
    assert step.held_by_name == "Lê Văn Bảo"
    with pytest.raises(ConcurrentUpdate):
        case_step_reassign(case=case, holder=colleague, by=world.user("hoa"), expected_version=1)


def test_the_board_shows_late_work_and_its_urging(world, year, client_for):  # type: ignore[no-untyped-def]
    c = client_for("hoa")
    r = c.post(reverse("dashboards:urge"), {"kind": "task", "code": "NV-A3", "unit": "SNV-TC"})
    assert r.status_code == 302
    html = c.get(reverse("dashboards:board")).content.decode()
    assert "NV-A3" in html and "HS-3" in html
    assert 'class="small urge"' in html
    assert "NV-B2" not in html  # STC's


def test_the_board_button_refuses_an_outsider(world, year, client_for):  # type: ignore[no-untyped-def]
    r = client_for("minh").post(reverse("dashboards:urge"), {"kind": "task", "code": "NV-A3"})
    assert r.status_code == 404
    assert not Notification.objects.exists()


def test_the_board_shows_the_heads_results_beside_the_units(world, year, client_for):  # type: ignore[no-untyped-def]
    html = client_for("hoa").get(reverse("dashboards:board")).content.decode()
    assert 'id="head-results"' in html
