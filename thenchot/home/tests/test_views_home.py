"""The home page: login required, the user's roles and what is in their reach."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_sends_an_anonymous_visitor_of_the_root_to_login(world):
    response = Client().get("/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/"


def test_it_shows_the_personnel_officers_roles_and_counts(client_for, world):
    response = client_for("lan").get(reverse("home:index"))
    assert response.status_code == 200
    summary = response.context["summary"]
    assert summary["city_wide"] is False
    assert [g["unit"].code for g in summary["grants"]] == ["SNV"]
    # SNV, SNV-TC and SNV-CC; staff of SNV and SNV-TC (lan, quan, hoa, an).
    assert summary["unit_count"] == 3
    assert summary["staff_count"] == 4
    html = response.content.decode()
    assert 'href="/org/SNV/"' in html
    assert 'id="home-staff"' in html


def test_it_counts_everything_for_city_leadership(client_for, world):
    summary = client_for("hung").get("/").context["summary"]
    assert summary["city_wide"] is True
    assert summary["unit_count"] == 7
    assert summary["staff_count"] == 7


def test_it_gives_a_plain_staff_member_only_their_own_record(client_for, world):
    response = client_for("an").get("/")
    summary = response.context["summary"]
    assert summary["grants"] == []
    assert summary["staff_count"] == 1
    assert summary["own_code"] == world.staff["an"].code
    assert reverse("people:detail", args=[world.staff["an"].code]) in response.content.decode()
