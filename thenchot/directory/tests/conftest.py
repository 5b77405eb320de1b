from __future__ import annotations

import pytest

from thenchot.directory.conf import LOCAL_BACKEND, ldap_settings
from thenchot.directory.tests import ldap_double
from thenchot.directory.tests.ldap_double import Directory, MockLDAPBackend

MOCK_BACKEND = "thenchot.directory.tests.ldap_double.MockLDAPBackend"

LDAP_ENV = {
    "THENCHOT_LDAP_URL": "ldap://thu-muc.hanoi.gov.vn",
    "THENCHOT_LDAP_BIND_DN": ldap_double.SERVICE_DN,
    "THENCHOT_LDAP_BIND_PASSWORD": ldap_double.SERVICE_PASSWORD,
    "THENCHOT_LDAP_USER_BASE": ldap_double.PEOPLE,
}


def use_ldap(settings, env: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    conf = ldap_settings(env)
    assert conf is not None
    settings.THENCHOT_LDAP = conf["THENCHOT_LDAP"]
    settings.AUTHENTICATION_BACKENDS = [LOCAL_BACKEND, MOCK_BACKEND]


@pytest.fixture
def directory(settings, world):  # type: ignore[no-untyped-def]
    """An LDAP directory (in process) configured for search-then-bind with a service account;
    the persona world beside it keeps its local accounts."""
    d = Directory()
    MockLDAPBackend.mock_server = d.server
    use_ldap(settings, LDAP_ENV)
    yield d
    MockLDAPBackend.mock_server = None
