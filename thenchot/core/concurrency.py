"""Optimistic concurrency: a write names the version it read; a stale write is refused."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.core.bulk import concrete_field
from thenchot.core.compiled import update_versioned
from thenchot.core.errors import DomainError


class ConcurrentUpdate(DomainError):
    default_message = _(
        "This record was changed by someone else after you opened it. "
        "Reload the page to see the current values, then make your change again."
    )
    code = "concurrent_update"


def save_versioned(instance: models.Model, *, expected_version: int, fields: list[str]) -> None:
    """UPDATE ... WHERE id = pk AND version = expected; raise ConcurrentUpdate when 0 rows.
    The statement is compiled once per process for each list of fields (`core.compiled`)."""
    model = instance.__class__
    attnames = [concrete_field(model, name).attname for name in fields]
    values: dict[str, Any] = {attname: getattr(instance, attname) for attname in attnames}
    if any(f.name == "updated_at" for f in model._meta.concrete_fields):
        values["updated_at"] = timezone.now()
    updated = update_versioned(
        model, pk=instance.pk, version=expected_version, values=values, counter="version"
    )
    if updated != 1:
        raise ConcurrentUpdate()
    instance.version = expected_version + 1  # type: ignore[attr-defined]
