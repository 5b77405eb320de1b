"""Signing in with the agency's LDAP or Active Directory password, on the usual login form.

Search, then bind (the usual way with Active Directory): a service account (or an anonymous
connection) finds the person's entry under THENCHOT_LDAP_USER_BASE, then a second connection
binds as that entry with the password typed. Or, with THENCHOT_LDAP_USER_DN_TEMPLATE, bind
directly as the DN (or UPN, "{username}@hanoi.gov.vn") built from the user name and read the
entry as the person. Groups come from the entry's group attribute (memberOf), plus, with
THENCHOT_LDAP_GROUP_BASE, the groups a search finds with the person as member. ldap3 is pure
Python (nothing to compile).
"""

from __future__ import annotations

import logging
import ssl
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from ldap3 import BASE, SUBTREE, SYNC, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from thenchot.directory.models import DirectorySource
from thenchot.directory.services import (
    REFUSAL_ATTRIBUTE,
    DirectoryIdentity,
    SignInRefused,
    sign_in,
)

log = logging.getLogger(__name__)


class LDAPBackend(ModelBackend):
    """A Django authentication backend over ldap3 (settings: `THENCHOT_LDAP`, docs/sso.md)."""

    #: ldap3's client strategy; the tests use MOCK_SYNC with a server of their own
    client_strategy: Any = SYNC

    def server(self, conf: Mapping[str, Any]) -> Server:
        tls = None
        if conf["url"].lower().startswith("ldaps://") or conf["start_tls"]:
            tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=conf["ca_file"] or None)
        return Server(conf["url"], connect_timeout=conf["timeout"], tls=tls)

    def connect(self, conf: Mapping[str, Any], user: str | None, password: str | None) -> Any:
        """A bound connection, or None when the directory refuses the credentials."""
        conn = Connection(
            self.server(conf),
            user=user,
            password=password,
            client_strategy=self.client_strategy,
            receive_timeout=conf["timeout"],
            raise_exceptions=False,
        )
        conn.open()
        if conf["start_tls"]:
            conn.start_tls()
        if not conn.bind():
            conn.unbind()
            return None
        return conn

    def authenticate(
        self,
        request: Any,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        conf = getattr(settings, "THENCHOT_LDAP", None)
        if not conf or not username or not password:
            # No password: an LDAP bind with an empty password is an anonymous bind, which
            # most servers accept; it must never count as a sign-in.
            return None
        username = username.strip().lower()
        try:
            found = self._find_and_bind(conf, username, password)
        except LDAPException as exc:
            log.warning("LDAP sign-in of %s failed: %s", username, exc)
            _refuse(request, _("The agency directory cannot be reached now. Try again later."))
            return None
        if found is None:
            return None
        dn, attributes, groups = found
        identity = DirectoryIdentity(
            source=DirectorySource.LDAP,
            subject=dn,
            username=username,
            email=_first(attributes.get(conf["email_attribute"])),
            first_name=_first(attributes.get(conf["first_name_attribute"])),
            last_name=_first(attributes.get(conf["last_name_attribute"])),
            groups=tuple(groups),
        )
        try:
            return sign_in(identity=identity)
        except SignInRefused as exc:
            _refuse(request, exc.message)
            # Stops Django trying the other backends: the directory knows this person.
            raise PermissionDenied(str(exc.message)) from None

    def _find_and_bind(
        self, conf: Mapping[str, Any], username: str, password: str
    ) -> tuple[str, dict[str, Any], list[str]] | None:
        attributes = [
            conf["group_attribute"],
            conf["email_attribute"],
            conf["first_name_attribute"],
            conf["last_name_attribute"],
        ]
        user_filter = conf["user_filter"].format(username=escape_filter_chars(username))
        if conf["user_dn_template"]:
            dn = conf["user_dn_template"].format(username=escape_rdn(username))
            conn = self.connect(conf, dn, password)
            if conn is None:
                return None
            try:
                if conf["user_base"]:
                    entry = _one(conn, conf["user_base"], user_filter, attributes, SUBTREE)
                else:
                    entry = _one(conn, dn, "(objectClass=*)", attributes, BASE)
                if entry is None:
                    return None
                groups = self._groups(conf, conn, entry)
            finally:
                conn.unbind()
            return entry[0], entry[1], groups
        finder = self.connect(conf, conf["bind_dn"] or None, conf["bind_password"] or None)
        if finder is None:
            raise LDAPException("the service account (THENCHOT_LDAP_BIND_DN) was refused")
        try:
            entry = _one(finder, conf["user_base"], user_filter, attributes, SUBTREE)
            if entry is None:
                return None
            person = self.connect(conf, entry[0], password)
            if person is None:
                return None
            person.unbind()
            groups = self._groups(conf, finder, entry)
        finally:
            finder.unbind()
        return entry[0], entry[1], groups

    def _groups(
        self, conf: Mapping[str, Any], conn: Any, entry: tuple[str, dict[str, Any]]
    ) -> list[str]:
        groups = _all(entry[1].get(conf["group_attribute"]))
        if conf["group_base"]:
            group_filter = conf["group_filter"].format(user_dn=escape_filter_chars(entry[0]))
            conn.search(conf["group_base"], group_filter, search_scope=SUBTREE, attributes=[])
            groups += [r["dn"] for r in conn.response or [] if r.get("type") == "searchResEntry"]
        return groups


def _one(
    conn: Any, base: str, search_filter: str, attributes: list[str], scope: Any
) -> tuple[str, dict[str, Any]] | None:
    """The one entry the search finds; None for none or several (an ambiguous name)."""
    conn.search(base, search_filter, search_scope=scope, attributes=attributes)
    found = [r for r in conn.response or [] if r.get("type") == "searchResEntry"]
    if len(found) != 1:
        return None
    return found[0]["dn"], dict(found[0].get("attributes") or {})


def _all(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value if v]
    return [str(value)] if value else []


def _first(value: Any) -> str:
    values = _all(value)
    return values[0] if values else ""


def _refuse(request: Any, message: Any) -> None:
    if request is not None:
        setattr(request, REFUSAL_ATTRIBUTE, message)
