"""The self-assessment page: pre-filled task points shown with their calculation, a submit that
reaches the manager, errors next to the fields with nothing changed, and a closed period shown
read-only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from thenchot.appraisal import closing
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.testing import (
    approved,
    evaluation_of,
    open_period,
    this_month,
    with_snv_head,
)
from thenchot.directives.models import Task


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def _task(world, code: str, *, done: bool, errors: int = 0) -> Task:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    start = today.replace(day=1)
    return Task.objects.create(
        code=code,
        title=f"Báo cáo {code}",
        lead_unit=world.snv_tc,
        assignee=world.staff["an"],
        assigned_on=start,
        deadline=start,
        completed_on=start if done else None,
        major_errors=errors,
    )


def test_it_prefills_task_points_with_their_calculation(client_for, world, month):  # type: ignore[no-untyped-def]
    _task(world, "T-1", done=True)
    _task(world, "T-2", done=True, errors=1)
    _task(world, "T-3", done=False)
    with translation.override("en"):
        html = client_for("an", lang="en").get(reverse("appraisal:me")).content.decode()
    assert 'id="calc-tasks"' in html and html.count("calc-task") >= 3
    assert "T-2" in html and "1 major error" in html
    assert 'id="calc-quantity">66.67%' in html
    # 70 × mean(66.67%, 58.33%, 66.67%) = 44.72
    assert 'name="task_points"' in html and 'value="44.72"' in html


def test_it_submits_and_reaches_the_manager(client_for, world, month):  # type: ignore[no-untyped-def]
    response = client_for("an").post(
        reverse("appraisal:me"),
        {
            "general_points": "27.5",
            "task_points": "61",
            "evidence": "Báo cáo tháng",
            "proposed_level": "good",
            "version": evaluation_of(world, "an").version,
        },
    )
    assert response.status_code == 302
    ev = evaluation_of(world, "an")
    assert ev.status == EvaluationStatus.SELF_ASSESSED
    assert ev.general_points == Decimal("27.5") and ev.task_points == Decimal("61")
    board = client_for("hoa").get(reverse("appraisal:board") + "?unit=SNV-TC").content.decode()
    assert f'id="row-{ev.pk}"' in board and 'data-status="self_assessed"' in board


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"general_points": "31", "task_points": "60"}, "general_points"),  # above max 30
        ({"general_points": "-1", "task_points": "60"}, "general_points"),
        ({"general_points": "20", "task_points": "70.5"}, "task_points"),
        ({"general_points": "", "task_points": "60"}, "general_points"),
        ({"general_points": "20", "task_points": "60", "proposed_level": "best"}, "proposed_level"),
    ],
)
def test_it_refuses_bad_points_next_to_the_field(client_for, world, month, data, field):  # type: ignore[no-untyped-def]
    before = evaluation_of(world, "an")
    response = client_for("an").post(reverse("appraisal:me"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="id_{field}-errors"' in html or "invalid-feedback" in html
    after = evaluation_of(world, "an")
    assert after.status == EvaluationStatus.DRAFT and after.version == before.version
    assert after.general_points is None


def test_it_shows_a_closed_period_read_only(client_for, world, month):  # type: ignore[no-untyped-def]
    for name in ("an", "lan", "quan", "hoa", "son"):
        approved(evaluation_of(world, name), general="25", tasks="55")
    closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))
    url = reverse("appraisal:me_period", args=[month.code])
    html = client_for("an").get(url).content.decode()
    assert 'id="closed-notice"' in html and 'id="self-form"' not in html
    assert 'id="final-result"' in html and 'class="mb-0 ps-3 small reasons"' in html
    response = client_for("an").post(url, {"general_points": "30", "task_points": "70"})
    assert response.status_code == 409
    ev = evaluation_of(world, "an")
    assert ev.status == EvaluationStatus.CLOSED and ev.general_points == Decimal("25")


def test_it_refuses_a_period_of_the_future(client_for, world, month):  # type: ignore[no-untyped-def]
    future = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).strftime("%Y-%m")
    assert client_for("an").get(reverse("appraisal:me_period", args=[future])).status_code == 404
    assert client_for("an").get(reverse("appraisal:me_period", args=["2026-13"])).status_code == 404


def test_it_refuses_someone_elses_self_assessment(client_for, world, month):  # type: ignore[no-untyped-def]
    # The page always shows the reader's own evaluation: hoa posting lands on hers, not an's.
    client_for("hoa").post(reverse("appraisal:me"), {"general_points": "20", "task_points": "50"})
    assert evaluation_of(world, "an").general_points is None
    assert evaluation_of(world, "hoa").general_points == Decimal("20")


def test_it_says_when_nothing_is_open(client_for, world):  # type: ignore[no-untyped-def]
    html = client_for("an").get(reverse("appraisal:me")).content.decode()
    assert 'id="no-evaluation"' in html
    assert this_month()  # the helper the other tests use
