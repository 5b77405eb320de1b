"""The audit log in the admin: read only. Also the base class that audits admin edits of
reference data (models without a service of their own call the audit writer here, and bump the
version as every other write path does)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest

from thenchot.audit.models import AuditEntry
from thenchot.core import auditing
from thenchot.core.admin import (
    UNVERSIONED_FIELDS,
    ReadOnlyModelAdmin,
    ServiceRefusalsMixin,
    VersionedFormMixin,
    is_versioned,
)
from thenchot.core.concurrency import save_versioned
from thenchot.core.context import acting


class AuditedModelAdmin(ServiceRefusalsMixin, VersionedFormMixin, admin.ModelAdmin):
    """Every add, change and delete made through the admin is written to the audit log; a
    change of a versioned record is a versioned write (`core.concurrency.save_versioned`)
    checked against the version the form was opened with, so the API and the pages refuse a
    stale write after an admin edit exactly as after any other."""

    def after_write(self, obj: models.Model) -> None:
        """Hook for models with derived state (the unit tree snapshot)."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic(), acting(actor=request.user, source="web", reason="admin"):
            before = None
            stored = None
            if change and obj.pk is not None:
                manager = type(obj)._default_manager
                stored = manager.select_for_update().filter(pk=obj.pk).first()
                before = auditing.snapshot(stored) if stored is not None else None
            if stored is not None and is_versioned(type(obj)):
                expected = form.cleaned_data.get("expected_version") if form else None
                if expected is None:
                    expected = stored.version
                fields = [
                    f.name
                    for f in type(obj)._meta.concrete_fields
                    if not f.primary_key and f.name not in UNVERSIONED_FIELDS
                ]
                save_versioned(
                    obj,
                    expected_version=expected,
                    fields=fields,
                )
            else:
                super().save_model(request, obj, form, change)
            auditing.record(
                obj, action=auditing.UPDATE if change else auditing.CREATE, before=before
            )
            self.after_write(obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic(), acting(actor=request.user, source="web", reason="admin"):
            before = auditing.snapshot(obj)
            auditing.record(obj, action=auditing.DELETE, before=before, after=None)
            super().delete_model(request, obj)
            self.after_write(obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        # The bulk "delete selected" action would skip delete_model: audit each row here.
        with transaction.atomic(), acting(actor=request.user, source="web", reason="admin"):
            objs = list(queryset)
            auditing.record_many(
                auditing.Change(obj, auditing.DELETE, auditing.snapshot(obj), None) for obj in objs
            )
            super().delete_queryset(request, queryset)
            for obj in objs[:1]:
                self.after_write(obj)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        with transaction.atomic(), acting(actor=request.user, source="web", reason="admin"):
            befores = {
                o.pk: auditing.snapshot(o)
                for o in formset.get_queryset()
                if getattr(o, "pk", None) is not None
            }
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                auditing.record(obj, action=auditing.DELETE, before=befores.get(obj.pk), after=None)
                obj.delete()
            for obj in instances:
                existed = obj.pk is not None
                obj.save()
                auditing.record(
                    obj,
                    action=auditing.UPDATE if existed else auditing.CREATE,
                    before=befores.get(obj.pk) if existed else None,
                )
            formset.save_m2m()
            if instances or formset.deleted_objects:
                self.after_write(form.instance)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyModelAdmin):
    """View only: the audit log has no edit path anywhere in the application."""

    list_display = ("at", "actor_name", "source", "action", "model_label", "object_repr")
    list_filter = ("action", "source", "model_label")
    search_fields = ("object_repr", "actor_name", "request_id", "object_id", "reason")
    date_hierarchy = "at"
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
