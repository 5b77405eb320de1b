"""Admin: documents are editable reference data; tasks, progress and extensions are shown
read-only, because every change to them has a rule and goes through `directives.services`."""

from __future__ import annotations

from django.contrib import admin

from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import ReadOnlyAdminMixin
from thenchot.directives.models import (
    DocumentAttachment,
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
)


class AttachmentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = DocumentAttachment
    extra = 0
    fields = ("name", "size", "content_type", "uploaded_by", "uploaded_at")
    readonly_fields = fields


@admin.register(SourceDocument)
class SourceDocumentAdmin(AuditedModelAdmin):
    list_display = ("code", "kind", "number", "issued_on", "issuer", "title")
    list_filter = ("kind",)
    search_fields = ("code", "number", "title")
    list_select_related = ("issuer",)
    autocomplete_fields = ("issuer",)
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [AttachmentInline]


class ProgressInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ProgressReport
    extra = 0
    fields = ("reported_on", "percent", "note", "reported_by")
    readonly_fields = fields


class ExtensionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ExtensionRequest
    extra = 0
    fields = ("requested_on", "previous_deadline", "new_deadline", "status", "decided_on")
    readonly_fields = fields


class CommentInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = TaskComment
    extra = 0
    fields = ("created_at", "author", "text")
    readonly_fields = fields


@admin.register(Task)
class TaskAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "title", "lead_unit", "assigned_on", "deadline", "completed_on")
    list_filter = ("priority", "quality")
    search_fields = ("code", "search_text")
    list_select_related = ("lead_unit",)
    inlines = [ProgressInline, ExtensionInline, CommentInline]
    actions = None


@admin.register(ExtensionRequest)
class ExtensionRequestAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("task", "requested_on", "previous_deadline", "new_deadline", "status")
    list_filter = ("status",)
    search_fields = ("task__code",)
    list_select_related = ("task",)
    actions = None
