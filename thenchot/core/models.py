from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionedModel(models.Model):
    """Base for records people edit: timestamps and a version for optimistic concurrency."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1)

    class Meta:
        abstract = True


def user_reference(
    verbose_name: Any, *, blank: bool = True, **options: Any
) -> models.ForeignKey[Any, Any]:
    """Who created, recorded or decided something. Deleting the account keeps the record (the
    audit log keeps the name); the user has no reverse accessor to every such record. `options`
    go to the field (`db_index=False` where an index would only slow writes down)."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        related_name="+",
        **options,
    )


class Counter(models.Model):
    """Named counters; `org_tree` is bumped on every change to the unit tree to refresh caches."""

    key = models.CharField(_("key"), max_length=50, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)

    class Meta:
        verbose_name = _("counter")
        verbose_name_plural = _("counters")

    def __str__(self) -> str:
        return f"{self.key}={self.value}"


def bump(key: str) -> None:
    from django.db.models import F

    updated = Counter.objects.filter(key=key).update(value=F("value") + 1)
    if not updated:
        Counter.objects.get_or_create(key=key, defaults={"value": 1})


def read_counter(key: str) -> int:
    value = Counter.objects.filter(key=key).values_list("value", flat=True).first()
    return int(value or 0)
