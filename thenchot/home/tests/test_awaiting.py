"""The home page lists what awaits each person — their own self-assessment, the rows they review
or approve, their tasks falling due, the requests they decide — each a link to exactly those
records with its count; a person with nothing waiting is told so, and nobody sees another's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.testing import open_period
from thenchot.directives.testing import ExtensionFactory, TaskFactory

pytestmark = pytest.mark.django_db


def _awaiting(client_for, name: str) -> dict[str, tuple[int, str]]:  # type: ignore[no-untyped-def]
    response = client_for(name).get("/")
    assert response.status_code == 200
    return {item.key: (item.count, item.url) for item in response.context["awaiting"]}


def test_it_asks_a_staff_member_for_their_self_assessment(client_for, world) -> None:  # type: ignore[no-untyped-def]
    open_period(world)
    items = _awaiting(client_for, "an")
    assert items["appraisal.self_assessment"] == (1, "/appraisal/me/")
    html = client_for("an").get("/").content.decode()
    assert 'id="awaiting-appraisalself_assessment"' in html and 'href="/appraisal/me/"' in html


def test_it_drops_the_self_assessment_once_submitted(client_for, world) -> None:  # type: ignore[no-untyped-def]
    open_period(world)
    Evaluation.objects.filter(staff=world.staff["an"]).update(status=EvaluationStatus.SELF_ASSESSED)
    assert "appraisal.self_assessment" not in _awaiting(client_for, "an")


def test_it_gives_the_division_manager_the_rows_to_review(client_for, world) -> None:  # type: ignore[no-untyped-def]
    open_period(world)
    Evaluation.objects.filter(staff=world.staff["an"]).update(status=EvaluationStatus.SELF_ASSESSED)
    items = _awaiting(client_for, "hoa")
    assert items["appraisal.review"] == (1, "/appraisal/board/")
    # An's own list holds no row to review: he reviews nobody.
    assert "appraisal.review" not in _awaiting(client_for, "an")


def test_it_never_counts_a_managers_own_row(client_for, world) -> None:  # type: ignore[no-untyped-def]
    open_period(world)
    Evaluation.objects.filter(staff=world.staff["hoa"]).update(
        status=EvaluationStatus.SELF_ASSESSED
    )
    assert "appraisal.review" not in _awaiting(client_for, "hoa")


def test_it_lists_my_overdue_tasks_and_those_due_within_a_week(client_for, world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    an = world.staff["an"]
    common = {"lead_unit": world.snv_tc, "assignee": an, "assigned_on": today - dt.timedelta(30)}
    TaskFactory.create(code="NV-LATE", deadline=today - dt.timedelta(2), **common)
    TaskFactory.create(code="NV-SOON", deadline=today + dt.timedelta(3), **common)
    TaskFactory.create(code="NV-LATER", deadline=today + dt.timedelta(30), **common)
    items = _awaiting(client_for, "an")
    assert items["directives.overdue"][0] == 1
    assert items["directives.due_soon"][0] == 1
    listed = client_for("an").get(items["directives.overdue"][1]).content.decode()
    assert "NV-LATE" in listed and "NV-SOON" not in listed
    listed = client_for("an").get(items["directives.due_soon"][1]).content.decode()
    assert "NV-SOON" in listed and "NV-LATER" not in listed and "NV-LATE" not in listed
    # Nobody else is asked about An's tasks.
    assert "directives.overdue" not in _awaiting(client_for, "binh")


def test_it_asks_the_assigner_to_decide_extension_requests(client_for, world) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    task = TaskFactory.create(
        code="NV-EXT",
        lead_unit=world.snv,
        assigner_unit=world.stc,
        assigned_by=world.user("minh"),
        assigned_on=today - dt.timedelta(20),
        deadline=today + dt.timedelta(10),
    )
    ExtensionFactory.create(task=task, requested_on=today, requested_by=world.user("lan"))
    assert _awaiting(client_for, "minh")["directives.extensions"] == (1, "/directives/assigned/")
    assert "directives.extensions" not in _awaiting(client_for, "lan")


def test_it_tells_a_person_with_nothing_waiting(client_for, world) -> None:  # type: ignore[no-untyped-def]
    html = client_for("hung").get("/").content.decode()
    assert 'id="awaiting-nothing"' in html


def test_it_shows_a_staff_member_no_units_in_scope(client_for, world) -> None:  # type: ignore[no-untyped-def]
    html = client_for("an").get("/").content.decode()
    assert 'id="home-units"' not in html
    assert 'id="home-units"' in client_for("lan").get("/").content.decode()
