from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's scope for menus (computed lazily, once per request)."""
    from thenchot.accounts.scoping import scope_for

    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"scope": scope_for(request)}
