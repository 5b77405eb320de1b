"""The settings come from the environment, off by default; a half-configured directory stops
the start-up naming the variable."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from thenchot.directory.conf import (
    DJANGO_BACKEND,
    LDAP_BACKEND,
    LOCAL_BACKEND,
    OIDC_BACKEND,
    directory_settings,
)

OIDC = {
    "THENCHOT_OIDC_CLIENT_ID": "thenchot",
    "THENCHOT_OIDC_CLIENT_SECRET": "s",
    "THENCHOT_OIDC_AUTHORIZATION_ENDPOINT": "https://sso.hanoi.gov.vn/authorize",
    "THENCHOT_OIDC_TOKEN_ENDPOINT": "https://sso.hanoi.gov.vn/token",
    "THENCHOT_OIDC_USERINFO_ENDPOINT": "https://sso.hanoi.gov.vn/userinfo",
    "THENCHOT_OIDC_JWKS_ENDPOINT": "https://sso.hanoi.gov.vn/jwks",
}
LDAP = {"THENCHOT_LDAP_URL": "ldaps://ad.hanoi.gov.vn", "THENCHOT_LDAP_USER_BASE": "dc=hanoi"}


def test_it_is_off_by_default() -> None:
    conf = directory_settings({})
    assert conf.backends == [DJANGO_BACKEND] and not conf.oidc and not conf.ldap
    assert conf.settings == {"THENCHOT_OIDC_ENABLED": False}


def test_it_puts_local_accounts_first() -> None:
    conf = directory_settings({**OIDC, **LDAP})
    assert conf.backends == [LOCAL_BACKEND, LDAP_BACKEND, OIDC_BACKEND]
    assert conf.settings["OIDC_RP_SIGN_ALGO"] == "RS256" and conf.settings["OIDC_USE_PKCE"]
    assert conf.settings["THENCHOT_LDAP"]["user_filter"] == "(uid={username})"
    assert conf.settings["THENCHOT_OIDC_ENABLED"] is True


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({**OIDC, "THENCHOT_OIDC_CLIENT_SECRET": ""}, "THENCHOT_OIDC_CLIENT_SECRET"),
        ({**OIDC, "THENCHOT_OIDC_JWKS_ENDPOINT": ""}, "THENCHOT_OIDC_JWKS_ENDPOINT"),
        ({**OIDC, "THENCHOT_OIDC_SIGN_ALGO": "none"}, "THENCHOT_OIDC_SIGN_ALGO"),
        ({**OIDC, "THENCHOT_OIDC_SCOPES": "email"}, "THENCHOT_OIDC_SCOPES"),
        ({**OIDC, "THENCHOT_OIDC_TOKEN_ENDPOINT": "sso/token"}, "THENCHOT_OIDC_TOKEN_ENDPOINT"),
        ({**OIDC, "THENCHOT_OIDC_TIMEOUT": "soon"}, "THENCHOT_OIDC_TIMEOUT"),
        ({"THENCHOT_LDAP_URL": "ldaps://ad"}, "THENCHOT_LDAP_USER_BASE"),
        ({**LDAP, "THENCHOT_LDAP_URL": "http://ad"}, "THENCHOT_LDAP_URL"),
        ({**LDAP, "THENCHOT_LDAP_BIND_DN": "cn=svc"}, "THENCHOT_LDAP_BIND_PASSWORD"),
        ({**LDAP, "THENCHOT_LDAP_USER_FILTER": "(uid=x)"}, "THENCHOT_LDAP_USER_FILTER"),
        ({**LDAP, "THENCHOT_LDAP_START_TLS": "true"}, "THENCHOT_LDAP_START_TLS"),
        ({**LDAP, "THENCHOT_LDAP_START_TLS": "maybe"}, "THENCHOT_LDAP_START_TLS"),
    ],
)
def test_it_names_the_variable_that_is_wrong(env: dict[str, str], named: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=named):
        directory_settings(env)
