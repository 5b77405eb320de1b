"""Generic view helpers shared by the pages of every app, and the home page.

The auth pages live under the `accounts` namespace, so views name the login page explicitly
(`accounts:login`) instead of relying on a global URL name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required as django_login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.views.decorators.http import require_GET

LOGIN_URL = "accounts:login"
HOME_URL = "core:home"


def login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """`login_required` that sends anonymous visitors to `/login/?next=...`."""
    return django_login_required(view, login_url=LOGIN_URL)


def parse_date(value: str | None) -> dt.date | None:
    """A date typed by a person or sent by a date input: dd/mm/yyyy or ISO; None if neither."""
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%Y-%m-%d", *formats.get_format("DATE_INPUT_FORMATS")):
        try:
            return dt.datetime.strptime(value, fmt).date()
        except (ValueError, TypeError):
            continue
    return None


def date_param(request: HttpRequest, name: str = "on") -> dt.date:
    """The date a page is looking at (`?on=`), today when absent or unreadable."""
    return parse_date(request.GET.get(name)) or timezone.localdate()


def int_choice(raw: str | None, allowed: tuple[int, ...], default: int) -> int:
    try:
        value = int(raw or "")
    except ValueError:
        return default
    return value if value in allowed else default


def home_summary(*, scope: Any, user: Any) -> dict[str, Any]:
    """What the home page says about the user: roles, where they apply, what is in reach.

    Imported lazily: the home page is the one place in `core` that looks at the domain apps.
    """
    from thenchot.accounts.choices import Role
    from thenchot.org.tree import tree
    from thenchot.people.selectors import staff_queryset

    today = timezone.localdate()
    snap = tree()
    labels = dict(Role.choices)
    grants = [
        {"role": labels.get(role, role), "unit": snap.units.get(unit_id) if unit_id else None}
        for role, unit_id in user.grants.order_by("role", "unit__code").values_list(
            "role", "unit_id"
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
        from thenchot.people.models import Staff

        own_code = (
            Staff.objects.filter(pk=scope.own_staff_id).values_list("code", flat=True).first()
        )
    return {
        "roles": sorted(str(labels.get(r, r)) for r in scope.roles),
        "grants": grants,
        "city_wide": scope.city_wide,
        "can_write": scope.can_write_org,
        "unit_count": unit_count,
        "staff_count": staff_queryset(scope).count(),
        "own_code": own_code,
    }


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    from thenchot.accounts.scoping import scope_for

    scope = scope_for(request)
    return render(
        request, "core/home.html", {"summary": home_summary(scope=scope, user=request.user)}
    )
