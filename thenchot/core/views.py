"""Generic view helpers shared by the pages of every app.

The auth pages live under the `accounts` namespace, so views name the login page explicitly
(`accounts:login`) instead of relying on a global URL name.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from django.contrib.auth.decorators import login_required as django_login_required
from django.http import HttpRequest, HttpResponseBase
from django.utils import formats, timezone

LOGIN_URL = "accounts:login"
HOME_URL = "home:index"

_View = TypeVar("_View", bound=Callable[..., HttpResponseBase])


def login_required(view: _View) -> _View:
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
