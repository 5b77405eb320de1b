"""Log in at /login/, come back to where you were going, log out with a POST."""

from __future__ import annotations

import pytest
from django.test import Client

from thenchot.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_it_shows_the_login_form(world):
    response = Client().get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="login-form"' in html
    assert 'name="username"' in html and 'name="password"' in html
    assert 'href="/password/reset/"' in html


def test_it_logs_in_and_goes_home(world):
    client = Client()
    response = client.post("/login/", {"username": "lan", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_it_follows_next_inside_the_site_only(world):
    client = Client()
    response = client.post(
        "/login/", {"username": "lan", "password": PASSWORD, "next": "/staff/?q=an"}
    )
    assert response["Location"] == "/staff/?q=an"
    client = Client()
    response = client.post(
        "/login/", {"username": "lan", "password": PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_it_refuses_a_wrong_password(world):
    client = Client()
    response = client.post("/login/", {"username": "lan", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert response.context["form"].errors
    assert client.get("/").status_code == 302


def test_it_redirects_a_logged_in_user_away_from_the_login_page(client_for):
    response = client_for("lan").get("/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_it_logs_out_only_with_a_post(client_for):
    client = client_for("lan")
    assert client.get("/logout/").status_code == 405
    assert client.get("/").status_code == 200
    response = client.post("/logout/")
    assert response.status_code == 302
    assert response["Location"] == "/login/"
    assert client.get("/").status_code == 302
