"""Invalidation of the dashboard's cache by the writes that change its figures (`freshness`)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save, pre_save

from thenchot.core.registry import bulk_written
from thenchot.dashboards import freshness

_BEFORE = "_dashboards_before"


def _values(instance: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(instance, name, None) for name in names}


def _before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    # The old dates hold the months the record leaves: read them before they are overwritten
    # (one query by primary key; none for a new record).
    if instance.pk is None or instance._state.adding:
        return
    label = sender._meta.label_lower
    names = freshness.tracked_fields(label)
    update_fields = kwargs.get("update_fields")
    if not names or (update_fields is not None and not set(update_fields) & set(names)):
        return
    old = sender._base_manager.filter(pk=instance.pk).values(*names).first()
    setattr(instance, _BEFORE, old)


def _saved(sender: Any, instance: Any, **kwargs: Any) -> None:
    label = sender._meta.label_lower
    before = instance.__dict__.pop(_BEFORE, None)
    after = _values(instance, freshness.tracked_fields(label))
    freshness.changed(label, instance.pk, before, after)


def _deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    label = sender._meta.label_lower
    freshness.changed(label, None, None, _values(instance, freshness.tracked_fields(label)))


def _audited(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created and instance.model_label in freshness.MODELS:
        freshness.changed(instance.model_label, instance.object_id, instance.before, instance.after)


def connect() -> None:
    for label in freshness.MODELS:
        if not freshness.installed(label):
            continue
        model = apps.get_model(label)
        uid = f"dashboards:{label}"
        pre_save.connect(_before_save, sender=model, dispatch_uid=uid + ":pre")
        post_save.connect(_saved, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_deleted, sender=model, dispatch_uid=uid + ":delete")
    entry = apps.get_model("audit", "AuditEntry")
    post_save.connect(_audited, sender=entry, dispatch_uid="dashboards:audit")
    # Imports and a period's close write their audit lines in bulk, without signals.
    bulk_written.register("dashboards", freshness.bulk_written)
