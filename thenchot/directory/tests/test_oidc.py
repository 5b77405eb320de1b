"""Signing in with the agency account (OpenID Connect), end to end: a real provider
(django-oauth-toolkit) runs in a subprocess on a loopback port with its own SQLite file; the
test plays the browser between it and Then Chốt (Django's test client) through the
authorization-code flow with PKCE, and ends signed in with the role the groups give."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from django.contrib.auth import get_user_model
from django.test import Client

from thenchot.accounts.models import RoleGrant
from thenchot.directory.conf import LOCAL_BACKEND, OIDC_BACKEND, oidc_settings
from thenchot.directory.models import DirectoryAccount, GroupMapping

CLIENT_ID = "thenchot-test"
CLIENT_SECRET = "bi-mat-cua-ung-dung-thu"
CALLBACK = "http://testserver/oidc/callback/"
PERSON, PASSWORD = "thu.nguyen", "Thu@HaNoi2026"
ROOT = Path(__file__).resolve().parents[3]


@dataclass
class Provider:
    url: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/o"

    def set_groups(self, *groups: str) -> None:
        r = requests.post(
            f"{self.url}/test/groups/",
            data={"username": PERSON, "groups": ",".join(groups)},
            timeout=30,
        )
        r.raise_for_status()


@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    data = tmp_path_factory.mktemp("oidc-provider")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "thenchot.directory.tests.oidc_provider.serve",
            str(data),
            CLIENT_ID,
            CLIENT_SECRET,
            CALLBACK,
            PERSON,
            PASSWORD,
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the provider is ready (or died)
        if not line.startswith("READY "):
            process.kill()
            raise RuntimeError(f"the test provider did not start: {process.stderr.read()}")
        yield Provider(url=f"http://127.0.0.1:{int(line.split()[1])}")
    finally:
        process.kill()
        process.wait(timeout=30)


@pytest.fixture
def oidc(settings, provider, monkeypatch, world):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    conf = oidc_settings(
        {
            "THENCHOT_OIDC_CLIENT_ID": CLIENT_ID,
            "THENCHOT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "THENCHOT_OIDC_ISSUER": provider.issuer,
            "THENCHOT_OIDC_AUTHORIZATION_ENDPOINT": f"{provider.issuer}/authorize/",
            "THENCHOT_OIDC_TOKEN_ENDPOINT": f"{provider.issuer}/token/",
            "THENCHOT_OIDC_USERINFO_ENDPOINT": f"{provider.issuer}/userinfo/",
            "THENCHOT_OIDC_JWKS_ENDPOINT": f"{provider.issuer}/.well-known/jwks.json",
        }
    )
    assert conf is not None
    for name, value in conf.items():
        setattr(settings, name, value)
    settings.THENCHOT_OIDC_ENABLED = True
    settings.AUTHENTICATION_BACKENDS = [LOCAL_BACKEND, OIDC_BACKEND]
    return provider


def _sign_in(provider: Provider, client: Client) -> object:
    """The browser's part: Then Chốt → provider (log in there) → back to Then Chốt."""
    start = client.get("/oidc/authenticate/?next=/staff/")
    assert start.status_code == 302 and start["Location"].startswith(provider.issuer)
    browser = requests.Session()
    answer = browser.get(start["Location"], allow_redirects=False, timeout=30)
    assert answer.status_code == 302 and "/login/" in answer.headers["Location"]
    login_next = urlsplit(answer.headers["Location"]).query.split("next=", 1)[1]
    from urllib.parse import unquote

    answer = browser.post(
        f"{provider.url}/login/",
        data={"username": PERSON, "password": PASSWORD, "next": unquote(login_next)},
        allow_redirects=False,
        timeout=30,
    )
    while answer.status_code == 302 and not answer.headers["Location"].startswith(CALLBACK):
        target = answer.headers["Location"]
        if target.startswith("/"):
            target = provider.url + target
        answer = browser.get(target, allow_redirects=False, timeout=30)
    assert answer.status_code == 302, answer.text[:500]
    back = urlsplit(answer.headers["Location"])
    return client.get(f"{back.path}?{back.query}")


def _grants() -> set[tuple[str, str | None]]:
    return {
        (g.role, g.unit.code if g.unit else None)
        for g in RoleGrant.objects.filter(user__username=PERSON).select_related("unit")
    }


def test_the_login_page_offers_the_agency_account(oidc, client):  # type: ignore[no-untyped-def]
    html = client.get("/login/?next=/staff/").content.decode()
    assert 'id="oidc-login"' in html and "/oidc/authenticate/?next=%2Fstaff%2F" in html


def test_without_oidc_there_is_no_button_and_no_route(client, world):  # type: ignore[no-untyped-def]
    assert 'id="oidc-login"' not in client.get("/login/").content.decode()
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404


def test_it_signs_in_through_the_provider_with_the_mapped_role(oidc, client, world):  # type: ignore[no-untyped-def]
    GroupMapping.objects.create(group="to-chuc-snv", role="personnel", unit=world.snv)
    GroupMapping.objects.create(group="thanh-tra", role="inspector", unit=world.stc)
    oidc.set_groups("to-chuc-snv", "thanh-tra")
    done = _sign_in(oidc, client)
    assert done.status_code == 302 and done["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200
    user = get_user_model().objects.get(username=PERSON)
    assert user.email == f"{PERSON}@hanoi.gov.vn" and not user.has_usable_password()
    assert DirectoryAccount.objects.get(user=user).source == "oidc"
    assert _grants() == {("personnel", "SNV"), ("inspector", "STC")}
    # The provider's administrator moves them out of a group: the next sign-in takes it back.
    oidc.set_groups("to-chuc-snv")
    second = Client()
    assert _sign_in(oidc, second).status_code == 302
    assert _grants() == {("personnel", "SNV")}
    assert DirectoryAccount.objects.filter(user=user).count() == 1


def test_a_person_whose_groups_give_no_role_is_sent_back_with_the_reason(oidc, client, world):  # type: ignore[no-untyped-def]
    oidc.set_groups("khong-dung")
    done = _sign_in(oidc, client)
    assert done.status_code == 302 and done["Location"] == "/login/"
    page = client.get("/login/", HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "no group that has a role" in text or "không thuộc nhóm" in text
    assert client.get("/staff/").status_code == 302
    assert not get_user_model().objects.filter(username=PERSON).exists()


def test_a_token_from_another_issuer_is_refused(oidc, client, world, settings):  # type: ignore[no-untyped-def]
    GroupMapping.objects.create(group="to-chuc-snv", role="personnel", unit=world.snv)
    oidc.set_groups("to-chuc-snv")
    settings.THENCHOT_OIDC = {**settings.THENCHOT_OIDC, "issuer": "https://sso.example.org/o"}
    done = _sign_in(oidc, client)
    assert done.status_code == 302 and done["Location"] == "/login/"
    assert client.get("/staff/").status_code == 302
    assert not get_user_model().objects.filter(username=PERSON).exists()
