from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from thenchot.core.menu import menu_html
from thenchot.core.scope import scope_for_request


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The user's scope and the main menu, each computed only when a template reads it."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    # Templates call a callable they are given: the menu is built only by pages that draw it
    # (not by htmx fragments), and at most once per render.
    return {"scope": scope_for_request(request), "main_menu_html": lambda: menu_html(request)}
