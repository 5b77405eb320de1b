from __future__ import annotations

from django.contrib import admin

from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import ReadOnlyAdminMixin
from thenchot.directory.models import DirectoryAccount, GroupMapping


@admin.register(GroupMapping)
class GroupMappingAdmin(AuditedModelAdmin):
    """Which directory group gives which role on which unit; every edit is audited and takes
    effect at each member's next sign-in."""

    list_display = ("group", "role", "unit", "note")
    list_filter = ("role",)
    search_fields = ("group", "unit__code", "unit__name", "note")
    autocomplete_fields = ("unit",)
    list_select_related = ("unit",)
    fields = ("group", "role", "unit", "note")


@admin.register(DirectoryAccount)
class DirectoryAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Which accounts the directory owns (written by sign-ins only)."""

    list_display = ("user", "source", "subject", "last_sign_in")
    list_filter = ("source",)
    search_fields = ("user__username", "subject")
    list_select_related = ("user",)
