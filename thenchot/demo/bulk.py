"""Fast inserts for the demo's large tables, through the shared bulk writer (`core.bulk`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db import models

from thenchot.core import auditing
from thenchot.core.bulk import insert_instances, reset_sequences, write_audit

__all__ = ["audit_created", "insert", "next_id", "reset_sequences"]


def next_id(model: type[models.Model]) -> int:
    last = model._default_manager.aggregate(m=models.Max("pk"))["m"]
    return int(last or 0) + 1


def insert(
    model: type[models.Model], objs: Sequence[models.Model], *, first_id: int | None = None
) -> None:
    """INSERT `objs`; with `first_id`, primary keys are assigned from it and set on them."""
    insert_instances(model, objs, first_id=first_id)


def audit_created(objs: Iterable[models.Model], *, batch: str | None = None) -> int:
    """Audit the creation of `objs` (already saved), in one audit batch."""
    return write_audit(
        (auditing.Change(obj, auditing.CREATE, None, auditing.snapshot(obj)) for obj in objs),
        batch=batch,
    )
