"""Request types for annotations: what the middleware adds to Django's `HttpRequest`."""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """A request that went through `HtmxMiddleware` (every page view's request does).

    Only for annotations: views take it in place of `HttpRequest` so that `request.htmx` is
    typed; no instance of this class is ever created.
    """

    htmx: HtmxDetails
