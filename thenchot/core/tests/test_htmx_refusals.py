"""Every htmx form shows a refusal where the person is looking, in their language (issue 11).

htmx swaps a 4xx fragment into its target (thenchot.js); a whole 4xx page goes to the alert at
the bottom of the window, which reads the page's <main>. So each refusal below must arrive
either as a fragment carrying the message or as a page whose <main> carries it.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _htmx(target: str) -> dict[str, str]:
    return {**HTMX, "HTTP_HX_TARGET": target}


def _fragment(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    assert "<html" not in html, "an htmx refusal must be the fragment htmx swaps in"
    return html


def _main(response) -> str:  # type: ignore[no-untyped-def]
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_it_lists_the_problems_of_a_bad_import_file(client_for, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from thenchot.exchange.tests.conftest import xlsx_file

    data = xlsx_file({"staff": [["code", "unit"], ["CB1", "SNV-P9"]]})
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    upload = SimpleUploadedFile("bad.xlsx", data, content_type=xlsx)
    response = client_for("lan").post(
        "/exchange/import/", {"file": upload}, **_htmx("import-result")
    )
    assert response.status_code == 400
    html = _fragment(response)
    assert 'id="import-errors"' in html
    assert "SNV-P9" in html


def test_it_says_why_an_import_without_a_file_is_refused(client_for, world):
    response = client_for("lan").post("/exchange/import/", {}, **_htmx("import-result"))
    assert response.status_code == 400
    assert 'data-result="invalid"' in _fragment(response)


def test_it_refuses_an_unknown_issuer_in_the_document_table(client_for, world):
    response = client_for("lan").get(
        "/directives/documents/", {"issuer": "NOPE"}, **_htmx("document-table")
    )
    assert response.status_code == 400
    html = _fragment(response)
    assert 'role="alert"' in html
    assert "NOPE" in html


def test_it_refuses_a_unit_out_of_reach_in_the_task_table(client_for, world):
    response = client_for("lan").get("/directives/unit/", {"unit": "STC"}, **_htmx("task-table"))
    assert response.status_code == 400
    html = _fragment(response)
    assert 'role="alert"' in html
    assert "STC" in html


def test_it_refuses_an_unknown_unit_in_the_staff_table(client_for, world):
    response = client_for("lan").get("/staff/", {"unit": "NOPE"}, **_htmx("staff-table"))
    assert response.status_code == 400
    html = _fragment(response)
    assert 'role="alert"' in html
    assert "NOPE" in html


def test_it_refuses_an_unknown_unit_in_the_inspection_table(client_for, world):
    response = client_for("hung").get(
        "/inspections/", {"conducted_by": "NOPE"}, **_htmx("inspection-table")
    )
    assert response.status_code == 400
    html = _fragment(response)
    assert 'role="alert"' in html
    assert "NOPE" in html


def test_it_explains_a_board_filter_out_of_reach_in_the_pages_main(client_for, world):
    response = client_for("an").get("/appraisal/board/", **_htmx("board"))
    assert response.status_code == 403
    assert 'id="error-403"' in _main(response)


def test_it_explains_a_tree_node_out_of_reach_in_the_pages_main(client_for, world):
    response = client_for("an").get(
        "/org/children/", {"parent": "999999", "on": dt.date.today().isoformat()}, **HTMX
    )
    assert response.status_code == 404
    assert 'id="error-404"' in _main(response)


def test_it_explains_marking_someone_elses_notification_in_the_pages_main(client_for, world):
    from thenchot.notifications import services

    note = services.notify(recipients=[world.user("minh")], title="Việc của Sở Tài chính")[0]
    response = client_for("an").post(f"/inbox/{note.pk}/read/", **_htmx(f"notification-{note.pk}"))
    assert response.status_code == 404
    assert 'id="error-404"' in _main(response)


def test_it_gives_every_page_the_translated_alert_for_failures(client_for, world):
    html = client_for("an").get("/").content.decode()
    assert 'id="request-problem"' in html
    english = client_for("an", lang="en").get("/").content.decode()
    assert "The server cannot be reached" in english
