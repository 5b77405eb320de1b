"""Helpers shared by the product's commands."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _


def cli_language(option: str | None = None) -> str:
    """The language of a command's messages: `--lang`, else LANG/LC_ALL, else Vietnamese."""
    if option in {"vi", "en"}:
        return option
    for var in ("LC_ALL", "LANG"):
        value = os.environ.get(var, "")
        if value.lower().startswith("en"):
            return "en"
        if value.lower().startswith("vi"):
            return "vi"
    return "vi"


def date_option(value: str, flag: str) -> dt.date:
    """The date given to `flag` (YYYY-MM-DD); anything else stops the command with a message
    that names the flag."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            _("%(flag)s: '%(value)s' is not a date (YYYY-MM-DD)") % {"flag": flag, "value": value}
        ) from None


def optional_date_option(value: str | None, flag: str) -> dt.date | None:
    """`date_option`, or None when the flag was not given (or given empty)."""
    return date_option(value, flag) if value else None


class LocalizedCommand(BaseCommand):
    """A product command that speaks the user's language (`--lang`, else the environment, see
    `cli_language`). Subclasses add their arguments before calling `super().add_arguments`
    and do their work in `run`."""

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--lang", choices=["vi", "en"])

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(cli_language(options.get("lang"))):
            self.run(options)

    def run(self, options: dict[str, Any]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


def acting_user(username: str | None) -> Any:
    """The user a command acts as: `--as USERNAME`, else the first administrator; a name that
    does not exist stops the command with a message naming it."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    user = (
        users.filter(username=username).first()
        if username
        else users.filter(is_superuser=True).order_by("pk").first()
    )
    if user is None:
        raise CommandError(_("unknown user '%(value)s'") % {"value": username or "admin"})
    return user


def year_option(value: str) -> int:
    """The year a command is given (YYYY); anything else stops it with a message naming it."""
    if not (len(value) == 4 and value.isdigit()):
        raise CommandError(_("'%(value)s' is not a year (YYYY)") % {"value": value})
    return int(value)
