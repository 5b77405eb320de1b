from __future__ import annotations

from django.contrib import admin

from thenchot.audit.admin import AuditedModelAdmin
from thenchot.people.models import Assignment, Child, HeadAssignment, JobPosition, Leave, Staff


class AssignmentInline(admin.TabularInline):
    model = Assignment
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(Staff)
class StaffAdmin(AuditedModelAdmin):
    list_display = ("code", "full_name", "category", "unit", "is_leader")
    list_filter = ("category", "is_leader")
    search_fields = ("code", "full_name", "search_text")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "job_position", "user")
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [AssignmentInline]


@admin.register(JobPosition)
class JobPositionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "rotation_subject", "rotation_period_months")
    list_filter = ("rotation_subject",)
    search_fields = ("code", "name")
    readonly_fields = ("version", "created_at", "updated_at")


@admin.register(Assignment)
class AssignmentAdmin(AuditedModelAdmin):
    list_display = ("staff", "unit", "valid_from", "valid_to")
    search_fields = ("staff__code", "staff__full_name", "unit__code")
    list_select_related = ("staff", "unit")
    autocomplete_fields = ("staff", "unit")


@admin.register(HeadAssignment)
class HeadAssignmentAdmin(AuditedModelAdmin):
    list_display = ("unit", "staff", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("unit__code", "staff__code", "staff__full_name")
    list_select_related = ("staff", "unit")
    autocomplete_fields = ("staff", "unit")


@admin.register(Leave)
class LeaveAdmin(AuditedModelAdmin):
    list_display = ("code", "staff", "kind", "date_from", "date_to")
    list_filter = ("kind",)
    search_fields = ("code", "staff__code", "staff__full_name")
    list_select_related = ("staff",)
    autocomplete_fields = ("staff",)


@admin.register(Child)
class ChildAdmin(AuditedModelAdmin):
    list_display = ("staff", "born_on", "sole_carer")
    search_fields = ("staff__code", "staff__full_name")
    autocomplete_fields = ("staff",)
