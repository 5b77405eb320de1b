"""Admin: documents are editable reference data; tasks, progress and extensions are shown
read-only, because every change to them has a rule and goes through `directives.services`."""

from __future__ import annotations

from django.contrib import admin

from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import UNVERSIONED_FIELDS, ReadOnlyInline, ReadOnlyModelAdmin
from thenchot.directives.models import (
    DocumentAttachment,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
)


class AttachmentInline(ReadOnlyInline):
    model = DocumentAttachment
    fields = ("name", "size", "content_type", "uploaded_by", "uploaded_at")


@admin.register(SourceDocument)
class SourceDocumentAdmin(AuditedModelAdmin):
    list_display = ("code", "kind", "number", "issued_on", "issuer", "title")
    list_filter = ("kind",)
    search_fields = ("code", "number", "title")
    list_select_related = ("issuer",)
    autocomplete_fields = ("issuer",)
    readonly_fields = UNVERSIONED_FIELDS
    inlines = [AttachmentInline]


class ProgressInline(ReadOnlyInline):
    model = ProgressReport
    fields = ("reported_on", "percent", "note", "reported_by")


class ExtensionInline(ReadOnlyInline):
    model = ExtensionRequest
    fields = ("requested_on", "previous_deadline", "new_deadline", "status", "decided_on")


class CommentInline(ReadOnlyInline):
    model = TaskComment
    fields = ("created_at", "author", "text")


@admin.register(Task)
class TaskAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "title", "lead_unit", "assigned_on", "deadline", "completed_on")
    list_filter = ("priority", "quality")
    search_fields = ("code", "search_text")
    list_select_related = ("lead_unit",)
    inlines = [ProgressInline, ExtensionInline, CommentInline]


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyModelAdmin):
    list_display = ("task", "requested_on", "previous_deadline", "new_deadline", "status")
    list_filter = ("status",)
    search_fields = ("task__code",)
    list_select_related = ("task",)
