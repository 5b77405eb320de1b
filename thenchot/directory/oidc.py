"""Signing in with the agency's OpenID Connect provider ("Đăng nhập bằng tài khoản cơ quan").

mozilla-django-oidc runs the authorization-code flow (state, nonce, PKCE, the ID token's
signature checked against the provider's JWKS); this module says who the person is from the
claims (`sub`, the user-name and groups claims, e-mail, names) and hands them to
`services.sign_in`, as the LDAP backend does. Settings: THENCHOT_OIDC_* (conf.oidc_settings).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from thenchot.directory.models import DirectorySource
from thenchot.directory.services import (
    REFUSAL_ATTRIBUTE,
    DirectoryIdentity,
    SignInRefused,
    sign_in,
)

log = logging.getLogger(__name__)


def _conf() -> dict[str, Any]:
    return dict(getattr(settings, "THENCHOT_OIDC", None) or {})


def oidc_enabled() -> bool:
    return bool(getattr(settings, "THENCHOT_OIDC_ENABLED", False))


class DirectoryOIDCBackend(OIDCAuthenticationBackend):
    """The person is found by the provider's `sub` (stable), not by e-mail as the library does
    by default; their roles come from the groups claim at every sign-in."""

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        payload = super().verify_token(token, **kwargs)
        issuer = _conf().get("issuer")
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if (issuer and payload.get("iss") != issuer) or self.OIDC_RP_CLIENT_ID not in audiences:
            # Refused like any failed sign-in (back to the login page), and logged.
            log.warning(
                "OIDC: ID token refused (iss %r, aud %r)", payload.get("iss"), payload.get("aud")
            )
            raise PermissionDenied("The ID token is from another issuer or for another client")
        return payload

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(claims.get("sub"))

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> Any:
        claims = {**payload, **self.get_userinfo(access_token, id_token, payload)}
        if not self.verify_claims(claims) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("The user information does not match the ID token")
        conf = _conf()
        username_claim = conf.get("username_claim") or "preferred_username"
        groups_claim = conf.get("groups_claim") or "groups"
        groups = claims.get(groups_claim) or []
        if isinstance(groups, str):
            groups = [groups]
        identity = DirectoryIdentity(
            source=DirectorySource.OIDC,
            subject=str(claims["sub"]),
            username=str(claims.get(username_claim) or ""),
            email=str(claims.get("email") or ""),
            first_name=str(claims.get("given_name") or ""),
            last_name=str(claims.get("family_name") or ""),
            groups=tuple(str(g) for g in groups),
        )
        try:
            return sign_in(identity=identity)
        except SignInRefused as exc:
            setattr(self.request, REFUSAL_ATTRIBUTE, exc.message)
            raise PermissionDenied(str(exc.message)) from None


class SignInView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider; 404 when OIDC is not configured."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # The library reads its settings here; without them (OIDC off) dispatch says 404.
        if oidc_enabled():
            super().__init__(*args, **kwargs)
        else:
            super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: signed in, or back to the login page saying why not."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not oidc_enabled():
            raise Http404
        return super().dispatch(request, *args, **kwargs)  # type: ignore[no-any-return]

    @property
    def failure_url(self) -> str:
        return reverse("accounts:login")

    def login_failure(self) -> HttpResponse:
        refusal = getattr(self.request, REFUSAL_ATTRIBUTE, None)
        messages.error(
            self.request,
            refusal or _("Signing in with the agency account did not succeed. Try again."),
        )
        return HttpResponseRedirect(self.failure_url)


sign_in_view = SignInView.as_view()
callback_view = CallbackView.as_view()
