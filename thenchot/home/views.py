"""The home page: who the user is, where their roles apply, and what is in reach."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from thenchot.accounts.choices import Role
from thenchot.accounts.models import User
from thenchot.accounts.scoping import Scope, scope_for
from thenchot.core.awaiting import awaiting_for
from thenchot.core.prepared import PreparedRead
from thenchot.core.views import login_required
from thenchot.org.tree import tree
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_queryset

# The person's own code, read on every home page: compiled once per process (a third of a
# millisecond of compiling for a one-column read, issue 18).
_OWN_CODE = PreparedRead(lambda pk: Staff.objects.filter(pk=pk).only("code")[:1], "pk")


def home_summary(*, scope: Scope, user: User) -> dict[str, Any]:
    """What the home page says about the user: roles, where they apply, what is in reach."""
    today = timezone.localdate()
    snap = tree()
    labels = dict(Role.choices)
    # The grants the scope was computed from (no second query), by role then unit code, the
    # grants without a unit (city-wide roles) after those with one, as the database sorted them.
    units = snap.units
    grants = [
        {"role": labels.get(role, role), "unit": units.get(unit_id) if unit_id else None}
        for role, unit_id in sorted(
            scope.grants,
            key=lambda g: (g[0], g[1] is None or g[1] not in units, _code(units, g[1])),
        )
    ]
    if scope.city_wide:
        unit_count = sum(1 for u in snap.units.values() if u.valid_on(today))
    else:
        unit_count = sum(
            1 for uid in scope.read_units if uid in snap.units and snap.units[uid].valid_on(today)
        )
    own_code = None
    if scope.own_staff_id is not None:
        found = _OWN_CODE.run(pk=scope.own_staff_id)
        own_code = found[0].code if found else None
    return {
        "roles": sorted(str(labels.get(r, r)) for r in scope.roles),
        "grants": grants,
        "city_wide": scope.city_wide,
        "can_write": scope.can_write_org,
        # A staff member reads their own record only: no "units in scope" to count.
        "manages": scope.city_wide or bool(scope.read_units),
        "unit_count": unit_count,
        "staff_count": _staff_count(scope),
        "own_code": own_code,
    }


def _code(units: Any, unit_id: int | None) -> str:
    info = units.get(unit_id) if unit_id is not None else None
    return info.code if info is not None else ""


def _staff_count(scope: Scope) -> int:
    """The staff the user may read: their own record alone needs no count."""
    if not scope.city_wide and not scope.read_units:
        return 1 if scope.own_staff_id is not None else 0
    return staff_queryset(scope).count()


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # signed in: `login_required`
    scope = scope_for(request)
    return render(
        request,
        "home/index.html",
        {
            "summary": home_summary(scope=scope, user=user),
            "awaiting": awaiting_for(scope=scope, user=user, on=timezone.localdate()),
        },
    )
