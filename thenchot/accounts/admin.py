from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from thenchot.accounts.models import RoleGrant, User
from thenchot.audit.admin import AuditedModelAdmin


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ("unit",)


@admin.register(User)
class UserAdmin(AuditedModelAdmin, DjangoUserAdmin):
    """Accounts and their role grants; each change is audited (the password hash never is)."""

    inlines = [RoleGrantInline]
    list_display = ("username", "first_name", "last_name", "email", "is_active", "is_staff")


@admin.register(RoleGrant)
class RoleGrantAdmin(AuditedModelAdmin):
    list_display = ("user", "role", "unit", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code")
    autocomplete_fields = ("user", "unit")
    list_select_related = ("user", "unit")
