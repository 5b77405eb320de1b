"""The case page: a personnel officer opens a case, pauses it and decides it; a refused form
comes back with the reason and nothing written; others may not post."""

from __future__ import annotations

import pytest

from thenchot.discipline.models import DisciplineCase, DisciplineDecision

pytestmark = pytest.mark.django_db


def test_it_opens_pauses_and_decides_a_case_from_its_page(client_for, world) -> None:  # type: ignore[no-untyped-def]
    lan = client_for("lan")
    response = lan.post(
        "/discipline/cases/new/",
        {"staff": "P005", "detected_on": "2025-08-01", "summary": "Đi muộn nhiều lần"},
    )
    case = DisciplineCase.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{case.code}/")
    lan.post(
        f"/discipline/cases/{case.code}/pause/",
        {
            "pause-reason": "serious_illness",
            "pause-date_from": "2025-08-05",
            "pause-date_to": "2025-08-14",
        },
    )
    assert case.pauses.count() == 1
    refused = lan.post(
        f"/discipline/cases/{case.code}/decide/",
        {
            "decision-form": "salary_step_down",
            "decision-track": "administrative",
            "decision-decided_on": "2025-09-01",
            "decision-effective_on": "2025-09-01",
        },
    )
    assert refused.status_code == 400 and 'id="form-errors"' in refused.content.decode()
    assert not DisciplineDecision.objects.exists()
    ok = lan.post(
        f"/discipline/cases/{case.code}/decide/",
        {
            "decision-form": "reprimand",
            "decision-track": "administrative",
            "decision-decided_on": "2025-09-01",
            "decision-effective_on": "2025-09-01",
        },
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.status == "decided" and DisciplineDecision.objects.get().case == case


def test_it_refuses_posts_from_those_who_may_not_write(client_for, world) -> None:  # type: ignore[no-untyped-def]
    assert client_for("hoa").get("/discipline/cases/new/").status_code == 403
    assert client_for("minh").post("/discipline/cases/new/", {"staff": "P005"}).status_code == 403
    case = DisciplineCase.objects.create(
        code="KL-X", staff=world.staff["an"], detected_on="2025-08-01", summary="x"
    )
    assert client_for("an").get(f"/discipline/cases/{case.code}/").status_code == 200
    assert client_for("an").post(f"/discipline/cases/{case.code}/decide/", {}).status_code == 403
    assert not DisciplineDecision.objects.exists()
