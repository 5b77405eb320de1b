"""The City leadership's collective decision rating heads of departments: recorded with its
number, date and chair; refused for anyone else, or without a number, with nothing changed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import CollectiveDecision
from thenchot.appraisal.testing import evaluation_of, open_period

URL = reverse("appraisal:collective")


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    period = open_period(world, agency=world.stc)
    services.self_assess(
        evaluation=evaluation_of(world, "minh"), by=world.user("minh"), general_points="27",
        task_points="62", proposed_level="good",
    )  # fmt: skip
    return period


def _data(month, ev, **extra):  # type: ignore[no-untyped-def]
    return {
        "period": month.code,
        "selected": [ev.pk],
        "number": "88/QĐ-UBND",
        "decided_on": "25/11/2026",
        "chaired_by": "Chủ tịch UBND Thành phố",
        f"{ev.pk}-task_points": "60",
        f"{ev.pk}-comment": "Một nhiệm vụ chậm",
        **extra,
    }


def test_it_lists_the_heads_awaiting_the_decision(client_for, world, month):  # type: ignore[no-untyped-def]
    html = client_for("hung").get(URL + f"?period={month.code}").content.decode()
    assert html.count("collective-row") == 1 and world.staff["minh"].full_name in html


def test_it_records_the_decision(client_for, world, month):  # type: ignore[no-untyped-def]
    """rules.md: raters.collective."""
    ev = evaluation_of(world, "minh")
    assert client_for("hung").post(URL, _data(month, ev)).status_code == 302
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.APPROVED and ev.reviewed_task_points == Decimal("60")
    assert ev.collective_decision.number == "88/QĐ-UBND"
    assert ev.collective_decision.chaired_by == "Chủ tịch UBND Thành phố"


def test_it_refuses_a_decision_without_number(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "minh")
    response = client_for("hung").post(URL, _data(month, ev, number=""))
    assert response.status_code == 400
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SELF_ASSESSED and not CollectiveDecision.objects.exists()


def test_it_refuses_the_decision_to_anyone_else(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "minh")
    for user in ("minh", "lan", "binh"):
        assert client_for(user).post(URL, _data(month, ev)).status_code == 403, user
    ev.refresh_from_db()
    assert ev.status == EvaluationStatus.SELF_ASSESSED and not CollectiveDecision.objects.exists()


def test_it_refuses_approval_of_a_department_head_by_one_person(client_for, world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "minh")
    html = client_for("minh").get(reverse("appraisal:board") + "?unit=STC").content.decode()
    assert f'value="approve:{ev.pk}"' not in html
