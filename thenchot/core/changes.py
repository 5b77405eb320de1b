"""The shape of one change to one record, as the audit log stores it.

Both audit writers build on this: `core.auditing` (one record, or `record_many`) and
`core.bulk` (rows written without model instances). It sits below both so that `auditing` can
hand batches to `bulk` without the two importing each other.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

CREATE = "create"
UPDATE = "update"
DELETE = "delete"

# Bookkeeping columns that change on every write and say nothing to a reader of the history.
SKIPPED_FIELDS = frozenset(
    {"version", "updated_at", "search_text", "name_key", "password", "last_login"}
)


def jsonable(value: Any) -> Any:
    """`value` as the audit log's JSON stores it: dates in ISO form, decimals as text."""
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The concrete field values of `instance`, foreign keys as ids, ready for JSON."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in SKIPPED_FIELDS:
            continue
        data[field.attname] = jsonable(getattr(instance, field.attname))
    return data


def diff(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[str]:
    before = before or {}
    after = after or {}
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


@dataclass(frozen=True)
class Change:
    """One change to one record, for `record_many`."""

    instance: models.Model
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
