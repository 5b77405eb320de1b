"""The person page: every registered panel the reader may see, scoped; the discipline panel
only for personnel officers, leaders in scope and the person."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.panels import PersonPanel
from thenchot.core.registry import person_panels
from thenchot.discipline.models import DisciplineDecision

pytestmark = pytest.mark.django_db


@pytest.fixture
def an_disciplined(world):  # type: ignore[no-untyped-def]
    return DisciplineDecision.objects.create(
        code="KL-AN",
        staff=world.staff["an"],
        form="warning",
        decision_number="7/QĐ-SNV",
        decided_on=dt.date(2025, 9, 1),
        effective_on=dt.date(2025, 9, 1),
    )


def test_it_shows_the_discipline_panel_to_personnel_and_the_person(
    client_for, an_disciplined
) -> None:  # type: ignore[no-untyped-def]
    for who in ("lan", "an", "quan", "hung"):
        html = client_for(who).get("/staff/P005/person/").content.decode()
        assert 'id="person-panel-discipline"' in html, who
        assert "7/QĐ-SNV" in html


@pytest.mark.parametrize("who", ["hoa"])
def test_it_hides_the_discipline_panel_from_a_division_manager(
    client_for, an_disciplined, who
) -> None:  # type: ignore[no-untyped-def]
    response = client_for(who).get("/staff/P005/person/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="person-panel-discipline"' not in html and "7/QĐ-SNV" not in html


def test_it_hides_the_person_from_outsiders_and_anonymous(
    client, client_for, an_disciplined
) -> None:  # type: ignore[no-untyped-def]
    assert client_for("minh").get("/staff/P005/person/").status_code == 404
    assert client_for("binh").get("/staff/P005/person/").status_code == 404
    assert client.get("/staff/P005/person/").status_code == 302


def test_it_renders_registered_panels_and_leaves_out_those_without_context(
    client_for, world
) -> None:  # type: ignore[no-untyped-def]
    template = "rotation/_person_panel.html"
    panels = {
        "shown": PersonPanel(
            title="Shown",
            template=template,
            context=lambda scope, staff: {"rotations": [], "clock": None},
        ),
        "hidden": PersonPanel(title="Hidden", template=template, context=lambda scope, staff: None),
        "invisible": PersonPanel(
            title="Invisible",
            template=template,
            visible=lambda scope, staff: False,
            context=lambda scope, staff: {},
        ),
    }
    with person_panels.overridden(panels):
        html = client_for("lan").get("/staff/P005/person/").content.decode()
    assert 'id="person-panel-shown"' in html
    assert 'id="person-panel-hidden"' not in html and 'id="person-panel-invisible"' not in html
    with person_panels.overridden({}):
        html = client_for("lan").get("/staff/P005/person/").content.decode()
    assert 'id="person-no-panels"' in html


def test_it_links_the_person_page_from_the_staff_record(client_for, world) -> None:  # type: ignore[no-untyped-def]
    html = client_for("lan").get("/staff/P005/").content.decode()
    assert 'href="/staff/P005/person/"' in html
