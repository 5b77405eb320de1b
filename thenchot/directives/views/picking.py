"""Suggestions of the pickers on the task and document forms (core.picker).

- units: a task may go to any existing unit (a department assigns to communes it does not
  manage), so whoever may assign is offered every existing unit, as the form always accepted;
  the others are refused;
- assignees: the staff the user may read in the lead unit's subtree (the input's value: a
  unit code, or a unit id from the sub-task form's select);
- documents: documents are city-wide references (`selectors.document_queryset`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.core.picker import Suggestion, picker_response, query_of, ranked_in_memory
from thenchot.core.views import login_required
from thenchot.directives import selectors
from thenchot.directives.views.common import can_assign
from thenchot.org.selectors import pick_units
from thenchot.org.tree import tree
from thenchot.people.selectors import pick_staff

# Documents have no folded search column: the most recent ones are folded here. Enough for the
# documents a task or an inspection names (recent ones); older ones are typed by code.
DOCUMENT_WINDOW = 5000


@login_required
@require_GET
def unit_pick(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if not can_assign(selectors.authority_for(request.user, today)):
        raise PermissionDenied
    found = pick_units(None, query_of(request), today)
    return picker_response(request, (Suggestion(u.code, u.name) for u in found))


@login_required
@require_GET
def assignee_pick(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    code = (request.GET.get("lead_unit") or request.GET.get("sub-lead_unit") or "").strip()
    snap = tree()
    unit_id = snap.by_code.get(code)
    if unit_id is None and code.isdigit() and int(code) in snap.units:
        unit_id = int(code)
    # No lead unit chosen yet: the readable staff at large (the service checks the subtree).
    units = snap.subtree_on(unit_id, today) if unit_id is not None else None
    found = pick_staff(scope_for(request), query_of(request), unit_ids=units)
    return picker_response(request, (Suggestion(s.code, s.full_name, s.unit.name) for s in found))


@login_required
@require_GET
def document_pick(request: HttpRequest) -> HttpResponse:
    rows = (
        selectors.document_queryset(scope_for(request))
        .order_by("-issued_on", "-pk")
        .values_list("code", "title", "number")[:DOCUMENT_WINDOW]
    )
    return picker_response(request, ranked_in_memory(rows, query_of(request)))
