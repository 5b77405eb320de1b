"""Admin: checklist items are configurable reference data (audited); inspections and their
follow-up are shown read-only, because every change to them has a rule and goes through
`inspections.services`."""

from __future__ import annotations

from django.contrib import admin

from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import UNVERSIONED_FIELDS, ReadOnlyInline, ReadOnlyModelAdmin
from thenchot.inspections.models import (
    ChecklistItem,
    Finding,
    Inspection,
    InspectionPlan,
    Recommendation,
)


@admin.register(ChecklistItem)
class ChecklistItemAdmin(AuditedModelAdmin):
    list_display = ("code", "topic", "text", "position", "active")
    list_filter = ("topic", "active")
    search_fields = ("code", "text")
    readonly_fields = UNVERSIONED_FIELDS


class FindingInline(ReadOnlyInline):
    model = Finding
    fields = ("position", "text", "severity")


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ("code", "text", "responsible_unit", "due_on", "done_on")


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "kind", "conducted_by", "target_unit", "started_on", "ended_on")
    list_filter = ("kind",)
    search_fields = ("code", "title")
    list_select_related = ("conducted_by", "target_unit")
    inlines = (FindingInline, RecommendationInline)


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "conducted_by", "year", "published_on")
    list_select_related = ("conducted_by",)
