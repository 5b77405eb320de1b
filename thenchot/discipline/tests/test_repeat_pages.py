"""The case page and the API while another decision is running: the minimum form shown as help
(and offered), a lighter form refused with the reason and nothing written."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db


def _running(world: Any, number: str = "7/QĐ-SNV") -> DisciplineDecision:
    """A reprimand of An on another act, in effect since a month ago (window runs 11 more)."""
    start = timezone.localdate() - dt.timedelta(days=30)
    return decision(
        world.staff["an"],
        "QD-RUN",
        "reprimand",
        violation="V-RUN",
        decided_on=start,
        effective_on=start,
        decision_number=number,
    )


def _case(world: Any, violation: str = "V-NEW") -> DisciplineCase:
    return DisciplineCase.objects.create(
        code="KL-NEW",
        staff=world.staff["an"],
        detected_on=timezone.localdate() - dt.timedelta(days=5),
        summary="Vi phạm mới",
        violation=violation,
    )


def test_it_shows_the_minimum_form_as_help_and_offers_it(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _running(world)
    case = _case(world)
    page = client_for("lan", lang="en").get(f"/discipline/cases/{case.code}/").content.decode()
    assert "is running until" in page and "7/QĐ-SNV" in page
    assert "Warning (cảnh cáo)" in page.split("is running until")[1].split("</div>")[0]
    assert '<option value="warning" selected>' in page


def test_it_shows_no_minimum_for_the_same_act_or_without_a_running_decision(
    client_for, world
) -> None:  # type: ignore[no-untyped-def]
    case = _case(world, violation="V-RUN")
    lan = client_for("lan", lang="en")
    assert "is running until" not in lan.get(f"/discipline/cases/{case.code}/").content.decode()
    _running(world)
    assert "is running until" not in lan.get(f"/discipline/cases/{case.code}/").content.decode()


def test_it_escapes_the_decision_number_in_the_help(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _running(world, number="<b>x</b>")
    case = _case(world)
    page = client_for("lan", lang="en").get(f"/discipline/cases/{case.code}/").content.decode()
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "<b>x</b>" not in page


def test_it_refuses_a_lighter_form_from_the_page_and_writes_nothing(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _running(world)
    case = _case(world)
    today = timezone.localdate().isoformat()
    body = {
        "decision-form": "reprimand",
        "decision-track": "administrative",
        "decision-decided_on": today,
        "decision-effective_on": today,
    }
    lan = client_for("lan", lang="en")
    response = lan.post(f"/discipline/cases/{case.code}/decide/", body)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="form-errors"' in html and "Still serving discipline decision 7/QĐ-SNV" in html
    assert DisciplineDecision.objects.filter(case=case).count() == 0
    case.refresh_from_db()
    assert case.status == "open"
    ok = lan.post(f"/discipline/cases/{case.code}/decide/", {**body, "decision-form": "warning"})
    assert ok.status_code == 302 and DisciplineDecision.objects.get(case=case).form == "warning"


def test_it_hides_the_decision_form_from_those_who_may_not_write(client_for, world) -> None:  # type: ignore[no-untyped-def]
    _running(world)
    case = _case(world)
    page = client_for("an", lang="en").get(f"/discipline/cases/{case.code}/")
    assert page.status_code == 200 and "is running until" not in page.content.decode()
    assert client_for("minh").get(f"/discipline/cases/{case.code}/").status_code == 404


def test_the_api_refuses_a_lighter_form_with_the_form_field(api_for, world) -> None:  # type: ignore[no-untyped-def]
    _running(world)
    today = timezone.localdate().isoformat()
    body = {
        "staff": "P005",
        "form": "reprimand",
        "violation": "V-NEW",
        "decided_on": today,
        "effective_on": today,
    }
    refused = api_for("lan").post("/api/v1/discipline/decisions/", body, format="json")
    assert refused.status_code == 400 and "form" in refused.json()["error"]["fields"]
    assert DisciplineDecision.objects.count() == 1
    ok = api_for("lan").post(
        "/api/v1/discipline/decisions/", {**body, "form": "warning"}, format="json"
    )
    assert ok.status_code == 201
