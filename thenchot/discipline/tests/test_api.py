"""The discipline API: reads through the access rule, a refused form leaves one clear error."""

from __future__ import annotations

import pytest

from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.tests.conftest import decision

pytestmark = pytest.mark.django_db


def test_it_records_a_decision_and_refuses_a_form_abolished_that_day(api_for, world) -> None:  # type: ignore[no-untyped-def]
    body = {
        "staff": "P005",
        "form": "salary_step_down",
        "decided_on": "2025-07-01",
        "effective_on": "2025-07-01",
    }
    refused = api_for("lan").post("/api/v1/discipline/decisions/", body, format="json")
    assert refused.status_code == 400
    assert "form" in refused.json()["error"]["fields"]
    assert not DisciplineDecision.objects.exists()
    ok = api_for("lan").post(
        "/api/v1/discipline/decisions/", {**body, "form": "warning"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["form"] == "warning"
    assert (
        api_for("hoa")
        .post("/api/v1/discipline/decisions/", {**body, "form": "warning"}, format="json")
        .status_code
        == 403
    )


def test_it_lists_decisions_only_to_those_allowed(api_for, world) -> None:  # type: ignore[no-untyped-def]
    decision(world.staff["an"], "KL-AN")
    assert api_for("lan").get("/api/v1/discipline/decisions/").json()["count"] == 1
    assert api_for("an").get("/api/v1/discipline/decisions/KL-AN/").status_code == 200
    for who in ("hoa", "binh", "minh"):
        assert api_for(who).get("/api/v1/discipline/decisions/").json()["count"] == 0
        assert api_for(who).get("/api/v1/discipline/decisions/KL-AN/").status_code == 404
