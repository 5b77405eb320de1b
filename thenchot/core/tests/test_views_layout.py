"""The page frame: local assets only, navigation, POST-only logout and language switch, errors."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_serves_every_asset_locally(client_for, world):
    html = client_for("lan").get("/").content.decode()
    sources = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert any("vendor/bootstrap/bootstrap.min.css" in s for s in sources)
    assert any("vendor/htmx/htmx.min.js" in s for s in sources)
    assert all(s.startswith("/static/") for s in sources), sources
    assert "//cdn" not in html and "https://" not in html


def test_it_is_made_for_phone_screens(client_for, world):
    html = client_for("lan").get("/").content.decode()
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
    assert 'class="navbar-toggler"' in html
    assert 'data-bs-target="#main-nav"' in html


def test_it_links_the_sections_and_logs_out_with_a_post_form(client_for, world):
    html = client_for("lan").get("/").content.decode()
    for name in ("home:index", "org:tree", "people:list", "accounts:password_change"):
        assert f'href="{reverse(name)}"' in html
    assert re.search(r'<form method="post" action="/logout/"', html)


def test_it_switches_the_language_with_a_post_to_set_language(client_for, world):
    client = client_for("lan")
    html = client.get("/").content.decode()
    assert 'action="/i18n/setlang/"' in html
    assert '<html lang="vi">' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/staff/"})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert '<html lang="en">' in client.get("/").content.decode()


def test_it_renders_the_404_page_without_revealing_anything(client_for, world, settings):
    settings.DEBUG = False
    response = client_for("lan").get("/org/DOES-NOT-EXIST/")
    assert response.status_code == 404
    assert 'id="error-404"' in response.content.decode()


def test_it_renders_the_403_page(client_for, world):
    # Hoa reads SNV-TC but may not change it.
    response = client_for("hoa").post(
        reverse("org:unit", args=["SNV-TC"]), {"name": "X", "kind": "division", "version": 1}
    )
    assert response.status_code == 403
    assert 'id="error-403"' in response.content.decode()


def test_it_has_a_standalone_500_page():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert 'id="error-500"' in html
    assert "/static/vendor/bootstrap/bootstrap.min.css" in html


def test_anonymous_pages_show_no_navigation(world):
    html = Client().get("/login/").content.decode()
    assert 'id="main-nav"' not in html
    assert 'id="language-switch"' in html
