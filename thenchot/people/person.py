"""The person page: one place with a person's record over time, from every app's panel.

Each app registers a `core.panels.PersonPanel` (title, template, `context(scope, staff) -> dict |
None`, optionally `visible(scope, staff) -> bool`). A panel whose context is None (the reader may not see it, or there is nothing
to show) is left out: no placeholder for apps that are not there yet.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.registry import person_panels
from thenchot.core.views import login_required
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_queryset


def rendered_panels(
    scope: Scope, staff: Staff, request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """Every registered panel the reader may see, rendered, in registry order."""
    out = []
    for key, panel in person_panels.items():
        if panel.visible is not None and not panel.visible(scope, staff):
            continue
        context = panel.context(scope, staff)
        if context is None:
            continue
        html = render_to_string(
            panel.template, {**context, "staff": staff, "scope": scope}, request=request
        )
        out.append({"key": key, "title": panel.title, "html": html})
    return out


@login_required
@require_GET
def person_page(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    # Out of scope reads as "not found": the page does not reveal that the person exists.
    staff = get_object_or_404(staff_queryset(scope), code=code)
    return render(
        request,
        "people/person.html",
        {"staff": staff, "panels": rendered_panels(scope, staff, request)},
    )
