"""Every evaluation page: anonymous visitors go to the login page; the wrong person, a sibling
unit's head or a plain colleague get a 404 (or 403 for a role's page); the right user gets it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from thenchot.appraisal import services
from thenchot.appraisal.testing import evaluation_of, open_period, this_month, with_snv_head


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    with_snv_head(world)
    return open_period(world)


def _pages(world, month):  # type: ignore[no-untyped-def]
    ev = evaluation_of(world, "an")
    return {
        "me": reverse("appraisal:me"),
        "me_period": reverse("appraisal:me_period", args=[month.code]),
        "results": reverse("appraisal:results"),
        "evaluation": reverse("appraisal:evaluation", args=[ev.pk]),
        "board": reverse("appraisal:board") + "?unit=SNV-TC",
        "close": reverse("appraisal:close") + f"?unit=SNV&period={month.code}",
        "collective": reverse("appraisal:collective"),
    }


def test_it_sends_anonymous_visitors_to_the_login_page(client, world, month):  # type: ignore[no-untyped-def]
    for name, url in _pages(world, month).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/login/"), name


def test_it_shows_each_page_to_the_right_user(client_for, world, month):  # type: ignore[no-untyped-def]
    pages = _pages(world, month)
    expected = {
        "me": "an",
        "me_period": "an",
        "results": "an",
        "evaluation": "an",
        "board": "hoa",
        "close": "son",
        "collective": "hung",
    }
    for name, user in expected.items():
        response = client_for(user).get(pages[name])
        assert response.status_code == 200, (name, response.status_code)


def test_it_hides_an_evaluation_from_the_wrong_person(client_for, world, month):  # type: ignore[no-untyped-def]
    url = reverse("appraisal:evaluation", args=[evaluation_of(world, "an").pk])
    for outsider in ("minh", "binh"):  # the sibling department's head, an inspector over STC
        assert client_for(outsider).get(url).status_code == 404, outsider
    assert client_for("hoa").get(url).status_code == 200  # his manager
    assert client_for("lan").get(url).status_code == 200  # personnel of SNV


def test_it_hides_a_colleagues_open_evaluation(client_for, world, month):  # type: ignore[no-untyped-def]
    url = reverse("appraisal:evaluation", args=[evaluation_of(world, "hoa").pk])
    assert client_for("an").get(url).status_code == 404


def test_it_refuses_the_board_of_a_sibling_unit(client_for, world, month):  # type: ignore[no-untyped-def]
    url = reverse("appraisal:board") + "?unit=SNV-TC"
    assert client_for("minh").get(url).status_code == 404
    assert client_for("an").get(url).status_code == 404
    assert client_for("an").get(reverse("appraisal:board")).status_code == 403
    assert client_for("minh").get(reverse("appraisal:board") + "?unit=STC").status_code == 200


def test_it_refuses_the_close_screen_of_another_agency(client_for, world, month):  # type: ignore[no-untyped-def]
    url = reverse("appraisal:close") + f"?unit=SNV&period={month.code}"
    assert client_for("minh").get(url).status_code == 404
    assert client_for("an").get(url).status_code == 404
    assert client_for("an").get(reverse("appraisal:close")).status_code == 403


def test_it_keeps_the_collective_page_for_the_city_leadership(client_for, world, month):  # type: ignore[no-untyped-def]
    url = reverse("appraisal:collective")
    for user in ("minh", "lan", "an"):
        assert client_for(user).get(url).status_code == 403, user
    assert client_for("quan").get(url).status_code == 200


def test_it_refuses_writes_to_anonymous_and_outsiders(client, client_for, world, month):  # type: ignore[no-untyped-def]
    ev = services.self_assess(
        evaluation=evaluation_of(world, "an"), by=world.user("an"), general_points="28",
        task_points="60",
    )  # fmt: skip
    data = {"unit": "SNV-TC", "period": this_month(), "action": f"review:{ev.pk}"}
    assert client.post(reverse("appraisal:board_act"), data).status_code == 302
    response = client_for("minh").post(reverse("appraisal:board_act"), data)
    assert response.status_code == 404
    ev.refresh_from_db()
    assert ev.status == "self_assessed" and ev.reviewed_by_id is None


def test_it_shows_the_nav_link(client_for, world, month):  # type: ignore[no-untyped-def]
    html = client_for("an").get(reverse("people:list")).content.decode()
    assert 'id="nav-appraisal"' in html
