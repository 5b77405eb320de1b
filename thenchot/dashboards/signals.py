"""Invalidation of the dashboard's cache by the writes that change its figures (`freshness`)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models.signals import post_delete, post_save

from thenchot.dashboards import freshness


def _model_changed(sender: Any, **kwargs: Any) -> None:
    freshness.bump_for_label(sender._meta.label_lower)


def _audited(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if created:
        freshness.bump_for_label(getattr(instance, "model_label", ""))


def connect() -> None:
    for label in freshness.MODELS:
        model = apps.get_model(label)
        uid = f"dashboards:{label}"
        post_save.connect(_model_changed, sender=model, dispatch_uid=uid + ":save")
        post_delete.connect(_model_changed, sender=model, dispatch_uid=uid + ":delete")
    entry = apps.get_model("audit", "AuditEntry")
    post_save.connect(_audited, sender=entry, dispatch_uid="dashboards:audit")
