"""The two audited writes every service makes: a new record inserted with its creation line,
and a record changed over the version its writer read, with its before and after.

Each service still decides, before calling these, what is allowed and how the record is
validated (`instance.full_clean()`, or `core.services.full_clean` for a refusal): these only
write, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django.db import models

from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned

M = TypeVar("M", bound=models.Model)


def create(instance: M, *, snap: Callable[[M], dict[str, Any]] | None = None) -> M:
    """Insert `instance` (validated by the caller) and audit its creation, as `snap` shows the
    saved row (default: `auditing.snapshot`)."""
    instance.save()
    auditing.record(instance, action=auditing.CREATE, after=snap(instance) if snap else None)
    return instance


def update(
    instance: M,
    changes: Mapping[str, Any],
    *,
    expected_version: int,
    clean: Callable[[M], Any] | None = None,
) -> M:
    """Set `changes` on `instance`, validate it with `clean` (if given), save those fields only
    if nobody changed the record since `expected_version` (`save_versioned`) and audit the
    change against the instance as it was on entry."""
    before = auditing.snapshot(instance)
    for name, value in changes.items():
        setattr(instance, name, value)
    if clean is not None:
        clean(instance)
    return save(instance, before=before, expected_version=expected_version, fields=list(changes))


def save(instance: M, *, before: dict[str, Any], expected_version: int, fields: list[str]) -> M:
    """Save `fields` of an instance the caller changed and validated, if nobody changed the
    record since `expected_version` (`save_versioned`), and audit it against `before`."""
    save_versioned(instance, expected_version=expected_version, fields=fields)
    auditing.record(instance, action=auditing.UPDATE, before=before)
    return instance
