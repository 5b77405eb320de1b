"""The pages: the list with its counts, a procedure's page, receiving a case in the browser,
the case page showing who holds it now, and the outsider's 404."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from thenchot.processes.models import Case


def test_it_lists_procedures_with_counts_in_force(client_for, procedure):
    response = client_for("minh", lang="en").get(reverse("processes:list"), {"on": "2025-02-01"})
    assert response.status_code == 200
    assert "QT-01" in response.content.decode()
    assert response.context["total"] == 1


def test_it_hides_other_units_procedures(client_for, procedure):
    response = client_for("lan").get(reverse("processes:list"), {"on": "2025-02-01"})
    assert "QT-01" not in response.content.decode()
    assert client_for("lan").get(reverse("processes:detail", args=["QT-01"])).status_code == 404


def test_it_receives_a_case_and_shows_who_holds_it(client, procedure, officer):
    client.force_login(officer)
    response = client.post(
        reverse("processes:case_new", args=["QT-01"]),
        {"number": 1, "received_on": "2025-01-24", "applicant": "Trần Thị Mai"},
    )
    case = Case.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("processes:case", args=[case.code]))
    assert page.status_code == 200
    assert "Phòng Ngân sách" in page.content.decode()
    assert page.context["can_move"]


def test_it_refuses_a_move_by_someone_not_responsible(client_for, procedure, officer):
    from thenchot.accounts.scoping import compute_scope
    from thenchot.processes import services

    case = services.case_start(
        scope=compute_scope(officer, dt.date(2025, 1, 24)),
        by=officer,
        process=procedure,
        received_on=dt.date(2025, 1, 24),
    )
    response = client_for("minh").post(
        reverse("processes:case_advance", args=[case.code]),
        {"version": case.version, "position": 1, "on": "2025-02-03"},
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.current_position == 1


def test_the_case_list_counts_up_to_its_cap_and_says_so(
    client_for, monkeypatch, procedure, officer
):  # type: ignore[no-untyped-def]
    """A city's million cases are not counted for each page: past the cap the list says so."""
    from thenchot.accounts.scoping import compute_scope
    from thenchot.processes import services, views

    for _ in range(3):
        services.case_start(
            scope=compute_scope(officer, dt.date(2025, 1, 24)),
            by=officer,
            process=procedure,
            received_on=dt.date(2025, 1, 24),
        )
    monkeypatch.setattr(views, "CASES_COUNTED", 2)
    html = client_for("quan").get("/processes/cases/").content.decode()
    assert 'id="case-capped"' in html
    monkeypatch.setattr(views, "CASES_COUNTED", 10_000)
    assert 'id="case-capped"' not in client_for("quan").get("/processes/cases/").content.decode()
