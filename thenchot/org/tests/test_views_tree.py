"""The unit tree browser: dated, scoped, lazily expanded, searchable without diacritics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from thenchot.core.testing import page_html
from thenchot.org.testing import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_district(world):  # type: ignore[no-untyped-def]
    """A district that ended with the 2025 reform (three levels → two)."""
    return UnitFactory(
        code="Q-HOANKIEM",
        name="Quận Hoàn Kiếm",
        kind="district",
        valid_from=dt.date(2008, 8, 1),
        valid_to=dt.date(2025, 6, 30),
        parent=world.city,
    )


def _codes(nodes):  # type: ignore[no-untyped-def]
    return [n["code"] for n in nodes]


def test_it_sends_anonymous_visitors_to_login(world):
    for url in (reverse("org:tree"), f"{reverse('org:children')}?parent={world.city.pk}"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")


def test_it_opens_the_city_for_city_leadership(client_for, world):
    response = client_for("hung").get(reverse("org:tree"))
    assert response.status_code == 200
    nodes = response.context["nodes"]
    assert _codes(nodes) == ["HN"]
    assert set(_codes(nodes[0]["children"])) == {"SNV", "STC", "P-BADINH"}
    html = response.content.decode()
    assert 'id="children-' in html and "hx-get" in html


def test_it_shows_only_the_personnel_officers_subtree(client_for, world):
    response = client_for("lan").get(reverse("org:tree"))
    assert _codes(response.context["nodes"]) == ["SNV"]
    html = page_html(response)
    assert "STC" not in html and "Sở Tài chính" not in html


def test_it_expands_a_node_lazily(client_for, world):
    response = client_for("lan").get(
        reverse("org:children"), {"parent": world.snv.pk, "on": "2026-01-01"}
    )
    assert response.status_code == 200
    assert set(_codes(response.context["nodes"])) == {"SNV-TC", "SNV-CC"}
    assert 'id="unit-' in response.content.decode()


def test_it_refuses_to_expand_a_sibling_unit(client_for, world):
    client = client_for("lan")
    assert client.get(reverse("org:children"), {"parent": world.stc.pk}).status_code == 404
    assert client.get(reverse("org:children"), {"parent": "x"}).status_code == 404
    assert client.get(reverse("org:children"), {"parent": 999999}).status_code == 404


def test_it_shows_the_tree_as_of_a_past_date_with_ended_units(client_for, world, old_district):
    client = client_for("hung")
    past = client.get(reverse("org:tree"), {"on": "2023-01-01"})
    children = {n["code"]: n for n in past.context["nodes"][0]["children"]}
    assert "Q-HOANKIEM" in children
    assert children["Q-HOANKIEM"]["ended"] is True
    assert past.context["is_past"] is True
    assert 'id="past-notice"' in past.content.decode()
    today = client.get(reverse("org:tree"))
    assert "Q-HOANKIEM" not in _codes(today.context["nodes"][0]["children"])


def test_it_reads_a_day_first_date_too(client_for, world, old_district):
    response = client_for("hung").get(reverse("org:tree"), {"on": "01/01/2023"})
    assert response.context["on"] == dt.date(2023, 1, 1)


def test_it_searches_units_ignoring_diacritics(client_for, world):
    response = client_for("hung").get(reverse("org:tree"), {"q": "so noi vu"})
    assert [r["code"] for r in response.context["results"]] == ["SNV"]
    assert response.context["results"][0]["path"] == ["Thành phố Hà Nội"]


def test_it_searches_only_inside_the_users_scope(client_for, world):
    response = client_for("lan").get(reverse("org:tree"), {"q": "tai chinh"})
    assert response.context["results"] == []


def test_it_returns_only_the_results_to_htmx(client_for, world):
    response = client_for("hung").get(
        reverse("org:tree"),
        {"q": "phong"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="tree-results",
    )
    html = response.content.decode()
    assert 'id="unit-search-results"' in html
    assert "<nav" not in html
