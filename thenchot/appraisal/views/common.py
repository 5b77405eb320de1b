"""What every page of the package shares: the level and status labels, the navigation flags,
the render that adds both, the status of a refusal and the reading of a review line's inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.appraisal import services
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.forms import ReviewRowForm
from thenchot.core.errors import DomainError
from thenchot.org.tree import tree

LABELS = {
    "levels": vs.LEVEL_LABELS,
    "statuses": vs.STATUS_LABELS,
    "level_classes": vs.LEVEL_CLASSES,
    "status_classes": vs.STATUS_CLASSES,
}


def _status_of(exc: DomainError) -> int:
    return int(getattr(exc, "status", 400) or 400)


def _blank(value: Any) -> Any:
    return None if value in (None, "") else value


def _nav(request: HttpRequest, scope: Scope, line: services.Line) -> dict[str, bool]:
    return {
        "nav_board": bool(line.reviews) or bool(scope.read_units) or scope.city_wide,
        # Only where the close screen opens: a division manager reads their division, but a
        # division is never closed alone, and the link led to a 403.
        "nav_close": bool(vs.close_units(scope, line)),
        "nav_collective": scope.city_wide,
        "nav_agencies": scope.city_wide or "personnel" in scope.roles,
    }


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    scope = scope_for(request)
    line = context.get("line") or services.line_for(request.user)
    return render(
        request,
        template,
        {**LABELS, **_nav(request, scope, line), **context},
        status=status,
    )


def _row_change(form: ReviewRowForm, *, return_for_revision: bool = False) -> services.ReviewChange:
    data = form.cleaned_data
    return services.ReviewChange(
        general_points=_blank(data.get("general_points")),
        task_points=_blank(data.get("task_points")),
        bonus_points=_blank(data.get("bonus_points")),
        level=data.get("level") or "",
        comment=data.get("comment") or "",
        return_for_revision=return_for_revision,
    )


def _unit_and_period(
    request: HttpRequest,
    *,
    may_see: Callable[[int], bool],
    units: Callable[[], list[int]],
    default_period: str,
) -> tuple[int, str, str]:
    """The unit and period a page is asked for (the form's `unit` code and `period`, in the GET
    or the POST): a unit the reader may not see is a 404, as a missing one; none asked for is
    the first of `units()` (none: 403). Returns the unit, the period and the code asked for."""
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("unit") or "").strip()
    if code:
        unit_id = tree().by_code.get(code)
        if unit_id is None or not may_see(unit_id):
            raise Http404
    else:
        found = units()
        if not found:
            raise PermissionDenied
        unit_id = found[0]
    return unit_id, vs.valid_period(source.get("period")) or default_period, code
