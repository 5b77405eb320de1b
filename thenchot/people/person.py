"""The person page: one place with a person's record over time, from every app's panel.

Each app registers a `core.panels.PersonPanel` (title, template, `context(scope, staff) -> dict |
None`, optionally `visible(scope, staff) -> bool`). A panel whose context is None (the reader may not see it, or there is nothing
to show) is left out: no placeholder for apps that are not there yet.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.panels import render_panels
from thenchot.core.registry import person_panels
from thenchot.core.views import login_required
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_queryset


def rendered_panels(
    scope: Scope, staff: Staff, request: HttpRequest | None = None
) -> list[dict[str, Any]]:
    """Every registered panel the reader may see, rendered, in registry order."""
    shown = {
        key: panel
        for key, panel in person_panels.items()
        if panel.visible is None or panel.visible(scope, staff)
    }
    return render_panels(shown, request, scope, staff, staff=staff)


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
