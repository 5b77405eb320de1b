"""The change log. Rows are written by `thenchot.core.auditing` and never changed afterwards."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from thenchot.core.fields import reference, user_reference


class AuditEntryQuerySet(models.QuerySet["AuditEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit log cannot be edited.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be edited.")


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        IMPORT = "import", _("Import")
        COMMAND = "command", _("Command")
        JOB = "job", _("Background job")
        SYSTEM = "system", _("System")

    at = models.DateTimeField(_("at"), db_index=True)
    actor = user_reference(_("actor"), db_constraint=False)
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # No database constraint and no single-column index on the two foreign keys: the log is
    # the largest table (600,000 lines for a city-wide import) and per-row referential checks
    # and index updates dominated that import's commit; the writer only ever stores ids it has
    # just read, and `audit_object_idx` (content_type, object_id) serves lookups by type.
    content_type = reference(ContentType, _("record type"), db_index=False, db_constraint=False)
    model_label = models.CharField(_("model"), max_length=100)
    object_id = models.CharField(_("record id"), max_length=64)
    object_repr = models.CharField(_("record"), max_length=200)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    changed_fields = models.JSONField(_("changed fields"), default=list)
    reason = models.TextField(_("reason"), blank=True)
    batch = models.CharField(_("batch"), max_length=32, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("The audit log cannot be edited.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit log cannot be edited.")
