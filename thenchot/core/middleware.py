from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from thenchot.core.context import acting, new_request_id
from thenchot.core.scope import request_memo

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The API and its schema: what a program calls, in the language it asks for.
API_PREFIX = "/api/"


class RequestContextMiddleware:
    """Gives every request an id (kept from X-Request-ID when sane) and an audit context."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        source = "api" if request.path.startswith("/api/") else "web"
        user = getattr(request, "user", None)
        actor = user if user is not None and user.is_authenticated else None
        with acting(actor=actor, source=source, request_id=request_id, reason=""), request_memo():
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class LanguageMiddleware:
    """Vietnamese unless the person chose otherwise (the language switch sets a cookie);
    the API also follows the caller's Accept-Language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, so a civil servant
    with an English-language browser would land in English; the product's default is
    Vietnamese (settings.LANGUAGE_CODE) and only an explicit choice changes it.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.conf import settings
        from django.utils import translation

        api = request.path_info.startswith(API_PREFIX)
        if api:
            # A program says which language it reads in its Accept-Language header (docs/api.md);
            # Django's own negotiation: the language cookie, then that header, then Vietnamese.
            language = translation.get_language_from_request(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie", "Accept-Language") if api else ("Cookie",))
        return response
