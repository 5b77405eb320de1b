"""The login page speaks Vietnamese by default and English when the visitor chooses it."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_says_dang_nhap_in_vietnamese_by_default():
    html = Client().get("/login/").content.decode()
    assert '<html lang="vi">' in html
    assert "<title>Đăng nhập · Then Chốt</title>" in html
    assert "Log in" not in html


def test_it_says_log_in_when_english_is_selected():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert response["Location"] == "/login/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    html = client.get("/login/").content.decode()
    assert '<html lang="en">' in html
    assert "<title>Log in · Then Chốt</title>" in html
    assert "Đăng nhập" not in html


def test_it_stays_vietnamese_when_the_browser_asks_for_english():
    # Vietnamese is the product's default; only the language switch changes it.
    html = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9").get("/login/").content.decode()
    assert "<title>Đăng nhập · Then Chốt</title>" in html


def test_it_shows_dates_day_first_in_both_languages(client_for, world):
    import datetime as dt

    from django.utils import formats, translation

    day = dt.date(2023, 1, 31)
    for lang in ("vi", "en"):
        with translation.override(lang):
            assert formats.date_format(day, "SHORT_DATE_FORMAT") == "31/01/2023"
