"""Administrators and personnel officers give a one-time code after their password."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from thenchot.accounts.testing import PASSWORD
from thenchot.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _required(settings):  # type: ignore[no-untyped-def]
    settings.THENCHOT_SECOND_FACTOR = True


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift):06d}"


def _logged_in(username: str) -> Client:
    client = Client()
    response = client.post("/login/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return client


def _enrolled(world, username: str) -> TOTPDevice:  # type: ignore[no-untyped-def]
    return TOTPDevice.objects.create(user=world.user(username), name="app", confirmed=True)


def test_an_administrator_enrols_then_reaches_the_site(world):
    client = _logged_in("quan")
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/login/code/?next=%2Fstaff%2F"
    response = client.get(response["Location"])
    assert response.status_code == 302 and response["Location"].startswith("/login/code/setup/")
    page = client.get(response["Location"])
    html = page.content.decode()
    assert page.status_code == 200 and "<svg" in html and 'id="second-factor-secret"' in html
    device = TOTPDevice.objects.get(user=world.user("quan"))
    assert not device.confirmed
    # The same secret on reload: one unconfirmed device per account.
    client.get("/login/code/setup/")
    assert TOTPDevice.objects.filter(user=world.user("quan")).count() == 1

    wrong = client.post("/login/code/setup/", {"code": "000000", "next": "/staff/"})
    assert wrong.status_code == 422
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/staff/").status_code == 302

    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post("/login/code/setup/", {"code": _code(device), "next": "/staff/"})
    assert done.status_code == 302 and done["Location"] == "/staff/"
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/staff/").status_code == 200
    line = AuditEntry.objects.filter(object_id=str(device.pk)).get()
    assert "key" not in (line.after or {})  # the secret never reaches the audit log


def test_a_personnel_officer_gives_the_code_at_each_sign_in(world):
    device = _enrolled(world, "lan")
    client = _logged_in("lan")
    held = client.get("/")
    assert held.status_code == 302 and held["Location"].startswith("/login/code/")
    page = client.get(held["Location"])
    assert page.status_code == 200 and 'id="second-factor-form"' in page.content.decode()
    response = client.post("/login/code/", {"code": _code(device), "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    # A new sign-in asks again.
    again = _logged_in("lan")
    assert again.get("/").status_code == 302


def test_a_wrong_code_is_refused_and_the_next_try_must_wait(world):
    _enrolled(world, "lan")
    client = _logged_in("lan")
    first = client.post("/login/code/", {"code": "123456", "next": "/"})
    assert first.status_code == 422
    assert "not right" in first.content.decode() or "không đúng" in first.content.decode()
    second = client.post("/login/code/", {"code": "123456", "next": "/"})
    assert second.status_code == 422
    html = second.content.decode()
    assert re.search(r"Too many wrong codes|Nhập sai mã quá nhiều lần", html)
    assert client.get("/").status_code == 302


def test_a_code_that_is_not_six_digits_is_refused_with_a_clear_message(world):
    _enrolled(world, "lan")
    client = _logged_in("lan")
    response = client.post("/login/code/", {"code": "12ab", "next": "/"})
    assert response.status_code == 422
    assert "6" in response.context["form"].errors["code"][0]


def test_other_roles_sign_in_with_the_password_alone(world):
    for username in ("an", "hoa", "minh", "hung", "binh"):
        client = _logged_in(username)
        assert client.get("/").status_code == 200, username


def test_the_api_answers_403_to_an_unverified_session_and_serves_tokens(world, api_for):
    client = _logged_in("quan")
    response = client.get("/api/v1/units/")
    assert response.status_code == 403
    assert "detail" in response.json()
    assert api_for("quan").get("/api/v1/units/").status_code == 200


def test_the_next_address_stays_inside_the_site(world):
    device = _enrolled(world, "lan")
    client = _logged_in("lan")
    response = client.post("/login/code/", {"code": _code(device), "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_it_is_off_when_the_installation_says_so(world, settings):
    settings.THENCHOT_SECOND_FACTOR = False
    client = _logged_in("quan")
    assert client.get("/").status_code == 200


def test_the_code_pages_speak_the_readers_language(world, settings):
    device = _enrolled(world, "lan")
    client = _logged_in("lan")
    vi = client.get("/login/code/").content.decode()
    assert "Mã dùng một lần" in vi and "One-time code" not in vi
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    en = client.get("/login/code/").content.decode()
    assert "One-time code" in en and "Mã dùng một lần" not in en
    device.delete()
    setup_en = client.get("/login/code/setup/").content.decode()
    assert "Set up your one-time codes" in setup_en
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    setup_vi = client.get("/login/code/setup/").content.decode()
    assert "Thiết lập mã dùng một lần" in setup_vi
