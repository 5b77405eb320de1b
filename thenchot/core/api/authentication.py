"""Token authentication as DRF's, with the token's read compiled once per process.

Every token call reads the token and its user: DRF's `TokenAuthentication` compiles that query
anew each time (1.4 ms of a self-assessment's CPU on the load benchmark's machine, issue 18).
The answer is the same: an unknown key and an inactive user are refused with DRF's messages, a
deleted token is refused on the next call (nothing is kept between requests but the SQL).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework.authtoken.models import Token

from thenchot.core.prepared import PreparedRead

_TOKEN = PreparedRead(lambda key: Token.objects.select_related("user").filter(key=key), "key")


class TokenAuthentication(authentication.TokenAuthentication):
    def authenticate_credentials(self, key: str) -> tuple[Any, Any]:
        if self.get_model() is not Token:  # a subclass with its own model: DRF's own read
            return super().authenticate_credentials(key)  # pragma: no cover
        found = _TOKEN.run(key=key)
        if not found:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        token = found[0]
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        return token.user, token


def with_prepared_token(classes: list[Any]) -> list[Any]:
    """The authentication classes of the settings with DRF's token authentication replaced by
    this one (same behaviour); any other class is kept as it is."""
    return [TokenAuthentication if c is authentication.TokenAuthentication else c for c in classes]
