"""What several page modules of `directives.views` share: page sizes, status badges, the unit
helpers behind the pickers, and the checked file download.

Kept in one place so the task lists, the task page, the documents and the statistics show the
same labels and colours, and offer the same assigning units.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.utils import timezone

from thenchot.accounts.scoping import Scope
from thenchot.directives import selectors
from thenchot.directives.choices import TaskStatus
from thenchot.org.selectors import visible_roots
from thenchot.org.tree import TreeSnapshot, tree
from thenchot.people.models import Staff

PAGE_SIZES = (10, 25, 50, 100)
SHOWN_PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25
STATUS_LABELS = dict(TaskStatus.choices)
# Badge colours: overdue red, in progress blue, on time green, late orange (issue, point 7).
STATUS_CLASSES = {
    TaskStatus.OVERDUE.value: "text-bg-danger",
    TaskStatus.IN_PROGRESS.value: "text-bg-primary",
    TaskStatus.COMPLETED_ON_TIME.value: "text-bg-success",
    TaskStatus.COMPLETED_LATE.value: "text-bg-warning",
}
SUGGESTION_LIMIT = 500


def unit_label(snap: TreeSnapshot, unit_id: int | None) -> str:
    info = snap.units.get(unit_id) if unit_id is not None else None
    return f"{info.name} ({info.code})" if info else ""


def default_unit(scope: Scope, on: dt.date, snap: TreeSnapshot) -> int | None:
    """The user's top readable unit, else their own unit."""
    roots = visible_roots(scope, on, snap)
    if roots:
        return roots[0]
    if scope.own_staff_id is not None:
        return Staff.objects.filter(pk=scope.own_staff_id).values_list("unit_id", flat=True).first()
    return None


def can_assign(auth: selectors.Authority) -> bool:
    """Whether to offer "assign a task" / "record a document" (the services re-check)."""
    return auth.admin or auth.city_leader or bool(auth.managed)


def assigner_choices(auth: selectors.Authority, on: dt.date) -> list[tuple[int, str]]:
    """Units the user may assign from: the city for its leadership and administrators, and the
    units they manage (the top of each managed subtree first)."""
    snap = tree()
    ids: list[int] = []
    if auth.admin or auth.city_leader:
        ids.extend(snap.roots_on(on))
    managed = [u for u in auth.managed if u in snap.units and snap.units[u].valid_on(on)]
    managed.sort(key=lambda u: (len(snap.ancestors_on(u, on)), snap.units[u].name))
    ids.extend(u for u in managed if u not in ids)
    return [(u, unit_label(snap, u)) for u in ids[:SUGGESTION_LIMIT]]


def assigning_units(user: Any, on: dt.date | None = None) -> list[tuple[int, str]]:
    """`assigner_choices` of the user on `on` (today), for a page that assigns or records a
    source document; a user who may assign from no unit may not open it (403)."""
    day = on or timezone.localdate()
    choices = assigner_choices(selectors.authority_for(user, day), day)
    if not choices:
        raise PermissionDenied
    return choices


def file_response(field: Any, name: str, content_type: str | None = None) -> FileResponse:
    """A stored file as a download; a missing file is a 404, and `nosniff` keeps a browser
    from running an upload as a page."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name)
    if content_type:
        response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
