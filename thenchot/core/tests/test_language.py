"""Vietnamese by default, whatever the browser asks for; English only by choice."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_ignores_the_browsers_accept_language(client):
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "Đăng nhập" in response.content.decode()
    assert response["Content-Language"] == "vi"


def test_it_follows_the_language_the_person_chose(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    response = client.get("/login/", HTTP_ACCEPT_LANGUAGE="vi")
    assert "Log in" in response.content.decode()
