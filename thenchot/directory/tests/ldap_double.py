"""An in-process LDAP directory for the tests: ldap3's MOCK_SYNC strategy over entries the
test adds (the backend's code runs unchanged, only the connection's strategy differs)."""

from __future__ import annotations

from typing import Any

from ldap3 import MOCK_SYNC, Connection, Server

from thenchot.directory.ldap import LDAPBackend

BASE = "dc=hanoi,dc=gov,dc=vn"
PEOPLE = f"ou=people,{BASE}"
GROUPS = f"ou=groups,{BASE}"
SERVICE_DN = f"cn=thenchot,ou=system,{BASE}"
SERVICE_PASSWORD = "dich-vu#2026"


class MockLDAPBackend(LDAPBackend):
    client_strategy = MOCK_SYNC
    mock_server: Server | None = None

    def server(self, conf: Any) -> Server:
        assert self.mock_server is not None, "the test's directory fixture sets the server"
        return self.mock_server


class Directory:
    """The test's directory: people with a password and groups (memberOf), and groups."""

    def __init__(self) -> None:
        self.server = Server("thu-muc-gia-lap")
        self.admin = Connection(self.server, client_strategy=MOCK_SYNC)
        self.passwords: dict[str, str] = {}
        self.admin.strategy.add_entry(
            SERVICE_DN, {"objectClass": ["person"], "userPassword": SERVICE_PASSWORD}
        )

    @staticmethod
    def group_dn(cn: str) -> str:
        return f"cn={cn},{GROUPS}"

    def add_person(
        self, uid: str, password: str, *, groups: tuple[str, ...] = (), mail: str = ""
    ) -> str:
        dn = f"uid={uid},{PEOPLE}"
        self.passwords[uid] = password
        self.admin.strategy.add_entry(
            dn,
            {
                "objectClass": ["inetOrgPerson", "person"],
                "uid": uid,
                "userPassword": password,
                "mail": mail or f"{uid}@hanoi.gov.vn",
                "givenName": "Thu",
                "sn": "Nguyễn",
                "memberOf": [self.group_dn(g) for g in groups] or [],
            },
        )
        return dn

    def set_groups(self, uid: str, groups: tuple[str, ...]) -> None:
        """The directory's administrator moves the person to other groups."""
        self.admin.strategy.remove_entry(f"uid={uid},{PEOPLE}")
        self.add_person(uid, self.passwords[uid], groups=groups)

    def add_group(self, cn: str, members: list[str]) -> str:
        dn = self.group_dn(cn)
        self.admin.strategy.add_entry(dn, {"objectClass": ["groupOfNames"], "member": members})
        return dn
