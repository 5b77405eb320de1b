from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from thenchot.org.tree import request_scope


class TreeSnapshotMiddleware:
    """One check of the unit tree's version per request, however many scope and subtree
    questions the request asks (decisions/0002)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)
