"""The audit writer: every service and every bulk path calls it explicitly.

Signals would miss `bulk_create` and `QuerySet.update()`, which imports and period closes use,
so nothing here relies on them. Entries are written in the caller's transaction: a rolled-back
change leaves no audit line, a committed one always has one.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from thenchot.core.bulk import write_audit

# The shape of a change is defined below both writers (`core.changes`) and re-exported here,
# where services have always found it (`auditing.Change`, `auditing.snapshot`, ...).
from thenchot.core.changes import CREATE, DELETE, UPDATE, Change, diff, snapshot
from thenchot.core.compiled import insert
from thenchot.core.context import current

__all__ = [
    "CREATE",
    "DELETE",
    "MEMBERS",
    "UPDATE",
    "Change",
    "diff",
    "history",
    "record",
    "record_many",
    "snapshot",
]

# Key of a bulk line's `after` holding its members' own changes, compactly (a city's close
# audits 200,000 of them):
#   {"fields": [names], "before": [the values most members had before],
#    "items": {"<pk>": [values after]}, "items_before": {"<pk>": [values before]} (the others)}
# A model whose records change in bulk through a parent names that parent's foreign key in
# `audit_parent`; its history then includes its part of the parent's bulk lines.
MEMBERS = "members"


def _entry_model() -> type[models.Model]:
    return apps.get_model("audit", "AuditEntry")


def _build(change: Change, *, batch: str, reason: str | None) -> models.Model | None:
    ctx = current()
    fields = diff(change.before, change.after)
    if change.action == UPDATE and not fields:
        return None
    actor = ctx.actor
    Entry = _entry_model()
    opts = change.instance._meta
    return Entry(
        at=timezone.now(),
        actor=actor if actor is not None and getattr(actor, "pk", None) else None,
        actor_name=str(getattr(actor, "username", "")) if actor is not None else "",
        request_id=ctx.request_id,
        source=ctx.source,
        action=change.action,
        content_type=ContentType.objects.get_for_model(change.instance.__class__),
        object_id=str(change.instance.pk),
        object_repr=str(change.instance)[:200],
        before=change.before,
        after=change.after,
        changed_fields=fields,
        reason=reason if reason is not None else ctx.reason,
        batch=batch,
        model_label=opts.label_lower,
    )


def record(
    instance: models.Model,
    *,
    action: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> None:
    """Audit one change. For updates pass the `snapshot` taken before the change."""
    if after is None and action != DELETE:
        after = snapshot(instance)
    entry = _build(Change(instance, action, before, after), batch="", reason=reason)
    if entry is not None:
        insert(entry)  # its INSERT compiled once per process (`core.compiled`)


def record_many(
    changes: Iterable[Change], *, reason: str | None = None, batch: str | None = None
) -> int:
    """Audit many changes in one batch (one statement per few thousand lines, `core.bulk`);
    unchanged updates are skipped. Returns the number of lines written."""
    return write_audit(changes, reason=reason, batch=batch)


def history(instance: models.Model) -> Sequence[models.Model]:
    """The audit lines of `instance`, newest first: its own, and its part of its parent's bulk
    lines (`audit_parent`, `MEMBERS`) shown as lines of its own."""
    Entry = _entry_model()
    ct = ContentType.objects.get_for_model(instance.__class__)
    entries = list(
        Entry._default_manager.filter(content_type=ct, object_id=str(instance.pk))
        .select_related("actor")
        .order_by("-at", "-id")
    )
    parent = getattr(instance.__class__, "audit_parent", None)
    if not parent:
        return entries
    field = instance._meta.get_field(parent)
    parent_id = getattr(instance, field.attname)  # type: ignore[union-attr]
    parent_ct = ContentType.objects.get_for_model(field.related_model)  # type: ignore[arg-type]
    key = str(instance.pk)
    # The member is picked in Python: JSON paths read digit keys as array indexes, and a
    # parent has few bulk lines (a close, a reopening, a close again).
    bulk = (
        Entry._default_manager.filter(
            content_type=parent_ct,
            object_id=str(parent_id),
            **{f"after__{MEMBERS}__has_key": "items"},
        )
        .select_related("actor")
        .order_by("id")
    )
    for line in bulk:
        members = (line.after or {}).get(MEMBERS) or {}  # type: ignore[attr-defined]
        now = (members.get("items") or {}).get(key)
        if now is None:
            continue
        names = list(members.get("fields") or [])
        was = (members.get("items_before") or {}).get(key, members.get("before") or [])
        before = dict(zip(names, was, strict=False))
        after = dict(zip(names, now, strict=False))
        entries.append(
            Entry(
                pk=line.pk,
                at=line.at,  # type: ignore[attr-defined]
                actor=line.actor,  # type: ignore[attr-defined]
                actor_name=line.actor_name,  # type: ignore[attr-defined]
                request_id=line.request_id,  # type: ignore[attr-defined]
                source=line.source,  # type: ignore[attr-defined]
                action=line.action,  # type: ignore[attr-defined]
                content_type=ct,
                model_label=instance._meta.label_lower,
                object_id=key,
                object_repr=str(instance)[:200],
                before=before,
                after=after,
                changed_fields=diff(before, after),
                reason=line.reason,  # type: ignore[attr-defined]
                batch=line.batch,  # type: ignore[attr-defined]
            )
        )
    entries.sort(key=lambda e: (e.at, e.pk), reverse=True)  # type: ignore[attr-defined]
    return entries
