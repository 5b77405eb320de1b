"""The single sign-on settings, read from the environment (docs/sso.md).

Pure readers over a mapping (the process environment in settings.py, a dict in the tests): no
Django model is imported here, since settings.py calls it. Both directories are off unless their
variables are set; a half-configured directory stops the start-up with a message naming the
variable, rather than failing at someone's first login.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ImproperlyConfigured

LOCAL_BACKEND = "thenchot.directory.backends.LocalAccountBackend"
LDAP_BACKEND = "thenchot.directory.ldap.LDAPBackend"
OIDC_BACKEND = "thenchot.directory.oidc.DirectoryOIDCBackend"
DJANGO_BACKEND = "django.contrib.auth.backends.ModelBackend"

SIGN_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256")


@dataclass(frozen=True)
class DirectoryConf:
    """What settings.py takes: extra settings, and the authentication backends in order."""

    settings: dict[str, Any] = field(default_factory=dict)
    backends: list[str] = field(default_factory=lambda: [DJANGO_BACKEND])
    oidc: bool = False
    ldap: bool = False


def _str(env: Mapping[str, str], name: str, default: str = "") -> str:
    return env.get(name, default).strip() or default


def _required(env: Mapping[str, str], name: str, because: str) -> str:
    value = _str(env, name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when {because} is set")
    return value


def _bool(env: Mapping[str, str], name: str, default: bool) -> bool:
    raw = env.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in {"1", "true", "yes", "on"}:
        return True
    if raw in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {raw!r}")


def _int(env: Mapping[str, str], name: str, default: int, *, minimum: int = 1) -> int:
    raw = env.get(name, "").strip()
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {value}")
    return value


def _url(env: Mapping[str, str], name: str, because: str, schemes: tuple[str, ...]) -> str:
    value = _required(env, name, because)
    if not value.lower().startswith(schemes):
        raise ImproperlyConfigured(f"{name} must start with {' or '.join(schemes)}, got {value!r}")
    return value


def oidc_settings(env: Mapping[str, str]) -> dict[str, Any] | None:
    """mozilla-django-oidc's settings, or None when THENCHOT_OIDC_CLIENT_ID is not set."""
    client_id = _str(env, "THENCHOT_OIDC_CLIENT_ID")
    if not client_id:
        return None
    because = "THENCHOT_OIDC_CLIENT_ID"
    http = ("https://", "http://")
    algo = _str(env, "THENCHOT_OIDC_SIGN_ALGO", "RS256").upper()
    if algo not in SIGN_ALGORITHMS:
        raise ImproperlyConfigured(
            f"THENCHOT_OIDC_SIGN_ALGO must be one of {', '.join(SIGN_ALGORITHMS)}, got {algo!r}"
        )
    jwks = _str(env, "THENCHOT_OIDC_JWKS_ENDPOINT")
    if algo != "HS256" and not jwks:
        raise ImproperlyConfigured(
            f"THENCHOT_OIDC_JWKS_ENDPOINT must be set for THENCHOT_OIDC_SIGN_ALGO={algo}"
        )
    scopes = _str(env, "THENCHOT_OIDC_SCOPES", "openid email profile")
    if "openid" not in scopes.split():
        raise ImproperlyConfigured(f"THENCHOT_OIDC_SCOPES must include openid, got {scopes!r}")
    out: dict[str, Any] = {
        "OIDC_RP_CLIENT_ID": client_id,
        "OIDC_RP_CLIENT_SECRET": _required(env, "THENCHOT_OIDC_CLIENT_SECRET", because),
        "OIDC_OP_AUTHORIZATION_ENDPOINT": _url(
            env, "THENCHOT_OIDC_AUTHORIZATION_ENDPOINT", because, http
        ),
        "OIDC_OP_TOKEN_ENDPOINT": _url(env, "THENCHOT_OIDC_TOKEN_ENDPOINT", because, http),
        "OIDC_OP_USER_ENDPOINT": _url(env, "THENCHOT_OIDC_USERINFO_ENDPOINT", because, http),
        "OIDC_RP_SIGN_ALGO": algo,
        "OIDC_RP_SCOPES": scopes,
        "OIDC_USE_PKCE": _bool(env, "THENCHOT_OIDC_USE_PKCE", True),
        "OIDC_VERIFY_SSL": _bool(env, "THENCHOT_OIDC_VERIFY_SSL", True),
        "OIDC_TIMEOUT": _int(env, "THENCHOT_OIDC_TIMEOUT", 10),
        # Our routes live in the `directory` namespace (core.plugins mounts them at /oidc/).
        "OIDC_AUTHENTICATION_CALLBACK_URL": "directory:oidc_callback",
        "THENCHOT_OIDC": {
            "issuer": _str(env, "THENCHOT_OIDC_ISSUER"),
            "username_claim": _str(env, "THENCHOT_OIDC_USERNAME_CLAIM", "preferred_username"),
            "groups_claim": _str(env, "THENCHOT_OIDC_GROUPS_CLAIM", "groups"),
        },
    }
    if jwks:
        out["OIDC_OP_JWKS_ENDPOINT"] = jwks
    return out


def ldap_settings(env: Mapping[str, str]) -> dict[str, Any] | None:
    """The LDAP / Active Directory settings (`THENCHOT_LDAP`), or None when THENCHOT_LDAP_URL
    is not set."""
    url = _str(env, "THENCHOT_LDAP_URL")
    if not url:
        return None
    because = "THENCHOT_LDAP_URL"
    _url(env, "THENCHOT_LDAP_URL", because, ("ldap://", "ldaps://"))
    dn_template = _str(env, "THENCHOT_LDAP_USER_DN_TEMPLATE")
    user_base = _str(env, "THENCHOT_LDAP_USER_BASE")
    if not dn_template and not user_base:
        raise ImproperlyConfigured(
            "THENCHOT_LDAP_USER_BASE (search, then bind) or THENCHOT_LDAP_USER_DN_TEMPLATE "
            "(bind directly) must be set when THENCHOT_LDAP_URL is set"
        )
    if dn_template and "{username}" not in dn_template:
        raise ImproperlyConfigured("THENCHOT_LDAP_USER_DN_TEMPLATE must contain {username}")
    user_filter = _str(env, "THENCHOT_LDAP_USER_FILTER", "(uid={username})")
    if "{username}" not in user_filter:
        raise ImproperlyConfigured("THENCHOT_LDAP_USER_FILTER must contain {username}")
    bind_dn = _str(env, "THENCHOT_LDAP_BIND_DN")
    bind_password = env.get("THENCHOT_LDAP_BIND_PASSWORD", "")
    if bind_dn and not bind_password:
        raise ImproperlyConfigured(
            "THENCHOT_LDAP_BIND_PASSWORD must be set when THENCHOT_LDAP_BIND_DN is set"
        )
    group_filter = _str(env, "THENCHOT_LDAP_GROUP_FILTER", "(member={user_dn})")
    if "{user_dn}" not in group_filter:
        raise ImproperlyConfigured("THENCHOT_LDAP_GROUP_FILTER must contain {user_dn}")
    start_tls = _bool(env, "THENCHOT_LDAP_START_TLS", False)
    if start_tls and url.lower().startswith("ldaps://"):
        raise ImproperlyConfigured(
            "THENCHOT_LDAP_START_TLS is for ldap:// URLs; ldaps:// is already encrypted"
        )
    return {
        "THENCHOT_LDAP": {
            "url": url,
            "bind_dn": bind_dn,
            "bind_password": bind_password,
            "user_base": user_base,
            "user_filter": user_filter,
            "user_dn_template": dn_template,
            "group_attribute": _str(env, "THENCHOT_LDAP_GROUP_ATTRIBUTE", "memberOf"),
            "group_base": _str(env, "THENCHOT_LDAP_GROUP_BASE"),
            "group_filter": group_filter,
            "email_attribute": _str(env, "THENCHOT_LDAP_EMAIL_ATTRIBUTE", "mail"),
            "first_name_attribute": _str(env, "THENCHOT_LDAP_FIRST_NAME_ATTRIBUTE", "givenName"),
            "last_name_attribute": _str(env, "THENCHOT_LDAP_LAST_NAME_ATTRIBUTE", "sn"),
            "start_tls": start_tls,
            "ca_file": _str(env, "THENCHOT_LDAP_CA_FILE"),
            "timeout": _int(env, "THENCHOT_LDAP_TIMEOUT", 5),
        }
    }


def directory_settings(env: Mapping[str, str]) -> DirectoryConf:
    """Everything settings.py adds for single sign-on. With neither directory configured the
    backends stay Django's default. With one, local accounts are checked first (no network,
    and they keep working when the directory is down) by a backend that refuses accounts the
    directory owns, so a directory account never signs in with a local password."""
    oidc = oidc_settings(env)
    ldap = ldap_settings(env)
    extra: dict[str, Any] = {"THENCHOT_OIDC_ENABLED": oidc is not None}
    if oidc is None and ldap is None:
        return DirectoryConf(settings=extra)
    backends = [LOCAL_BACKEND]
    if ldap is not None:
        extra.update(ldap)
        backends.append(LDAP_BACKEND)
    if oidc is not None:
        extra.update(oidc)
        backends.append(OIDC_BACKEND)
    return DirectoryConf(
        settings=extra, backends=backends, oidc=oidc is not None, ldap=ldap is not None
    )
