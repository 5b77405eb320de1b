"""What the service layer of every app shares: a refusal tied to a form field, a model's
validation turned into a refusal, and the day a package's workflow runs on.

Apps keep their own names for these (`_refuse`, `_full_clean`, `_today`) by importing them from
here, so each rule of the shape of a refusal exists once."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core.errors import DomainError


def refuse(message: Any, field: str | None = None) -> DomainError:
    """The error to raise for a refused change; with `field`, the form shows it on that field."""
    return DomainError(message, field_errors={field: [message]} if field else None)


def require_new_code(model: type[models.Model], code: str, message: Any) -> None:
    """Refuse `code` when a `model` row already has it: `message` names the record, and the
    code field says the code is taken. (The unique constraint still holds under a race.)"""
    if model._default_manager.filter(code=code).exists():
        raise DomainError(message, field_errors={"code": [_("This code is already used.")]})


def full_clean(
    instance: Any, *, exclude: Iterable[str] = (), validate_constraints: bool = True
) -> None:
    """`instance.full_clean()` with its `ValidationError` raised as a `DomainError`, so the pages
    and the API render it like any other refusal. Uniqueness is left to the database
    constraints: checking it here would race with a concurrent writer anyway. A caller that has
    itself checked what the model's check constraints say may skip them
    (`validate_constraints=False`: each costs a query; the database still holds them)."""
    try:
        instance.full_clean(
            exclude=list(exclude),
            validate_unique=False,
            validate_constraints=validate_constraints,
        )
    except ValidationError as exc:
        fields = {k: list(v) for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()))[0] if fields else _("The change was refused.")
        raise DomainError(first, field_errors=fields) from exc


def today() -> dt.date:
    """The local date the services of a package run on (a package exposes it as its own name,
    which tests replace)."""
    return timezone.localdate()


def package_today(package: str, name: str = "today") -> dt.date:
    """`<package>.<name>()` looked up when called, not bound at import: a test that freezes the
    day by replacing the package's function must move it for every module of the package."""
    day: dt.date = getattr(importlib.import_module(package), name)()
    return day
