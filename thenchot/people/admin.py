"""Admin: staff records change through `people.services` (scope re-checked, versioned,
audited); assignments and headships are dated history with rules (a transfer or a new head ends
the running term), so they are shown read-only here and change through the services' pages or
the import; job positions, leaves and children are reference data, edited with an audit line."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import scope_for
from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import (
    UNVERSIONED_FIELDS,
    ReadOnlyInline,
    ReadOnlyModelAdmin,
    ServiceModelAdmin,
)
from thenchot.core.context import acting
from thenchot.people import services
from thenchot.people.models import Assignment, Child, HeadAssignment, JobPosition, Leave, Staff


class AssignmentInline(ReadOnlyInline):
    model = Assignment
    fields = ("unit", "valid_from", "valid_to", "note")


@admin.register(Staff)
class StaffAdmin(ServiceModelAdmin):
    list_display = ("code", "name", "category", "unit", "is_leader")
    list_filter = ("category", "is_leader")
    search_fields = ("code", "full_name", "search_text")
    list_select_related = ("unit",)
    autocomplete_fields = ("unit", "job_position")
    inlines = [AssignmentInline]
    # A transfer (`staff_transfer`) dates the move and ends the running assignment: the unit is
    # never typed over here. The account link comes with the staff import.
    LOCKED = ("code", "unit", "user", "version", "created_at", "updated_at")

    @admin.display(description=_("full name"), ordering="name_key")
    def name(self, obj: Staff) -> str:
        # Sorting the column sorts as official lists do (given name first), not by code point.
        return obj.full_name

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        head = ("code", "unit") if obj is None else ("code", "unit", "user")
        tail = () if obj is None else ("version", "created_at", "updated_at")
        return [*head, *services.EDITABLE_FIELDS, *tail, "expected_version"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if obj is None else self.LOCKED

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        scope = scope_for(request)
        with acting(actor=request.user, source="web", reason="admin"):
            if change:
                data = {
                    name: form.cleaned_data[name]
                    for name in services.EDITABLE_FIELDS
                    if name in form.changed_data
                }
                if not data:
                    return
                # A fresh copy: `obj` already holds the form's values, and the service takes
                # its "before" for the audit line from the instance it is given.
                saved = services.staff_update(
                    scope=scope,
                    staff=Staff.objects.get(pk=obj.pk),
                    expected_version=self.expected_version(form, obj),
                    data=data,
                )
            else:
                others = {
                    name: form.cleaned_data[name]
                    for name in services.EDITABLE_FIELDS
                    if name not in {"full_name", "category"}
                }
                saved = services.staff_create(
                    scope=scope,
                    code=form.cleaned_data["code"],
                    full_name=form.cleaned_data["full_name"],
                    category=form.cleaned_data["category"],
                    unit=form.cleaned_data["unit"],
                    **others,
                )
        obj.pk, obj.version = saved.pk, saved.version
        obj._state.adding = False


@admin.register(JobPosition)
class JobPositionAdmin(AuditedModelAdmin):
    list_display = ("code", "name", "rotation_subject", "rotation_period_months")
    list_filter = ("rotation_subject",)
    search_fields = ("code", "name")
    readonly_fields = UNVERSIONED_FIELDS


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyModelAdmin):
    fields = ("staff", "unit", "valid_from", "valid_to", "reason", "note")
    list_display = ("staff", "unit", "valid_from", "valid_to")
    search_fields = ("staff__code", "staff__full_name", "unit__code")
    list_select_related = ("staff", "unit")


@admin.register(HeadAssignment)
class HeadAssignmentAdmin(ReadOnlyModelAdmin):
    fields = ("unit", "staff", "role", "valid_from", "valid_to")
    list_display = ("unit", "staff", "role", "valid_from", "valid_to")
    list_filter = ("role",)
    search_fields = ("unit__code", "staff__code", "staff__full_name")
    list_select_related = ("staff", "unit")


@admin.register(Leave)
class LeaveAdmin(AuditedModelAdmin):
    list_display = ("code", "staff", "kind", "date_from", "date_to")
    list_filter = ("kind",)
    search_fields = ("code", "staff__code", "staff__full_name")
    list_select_related = ("staff",)
    autocomplete_fields = ("staff",)
    readonly_fields = UNVERSIONED_FIELDS


@admin.register(Child)
class ChildAdmin(AuditedModelAdmin):
    list_display = ("staff", "born_on", "sole_carer")
    search_fields = ("staff__code", "staff__full_name")
    autocomplete_fields = ("staff",)
