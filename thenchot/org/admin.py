from __future__ import annotations

from typing import Any

from django.contrib import admin

from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.text import fold
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.tree import invalidate


class TreeAdmin(AuditedModelAdmin):
    """Any change to units, links or successions refreshes the dated tree snapshot."""

    def after_write(self, obj: Any) -> None:
        invalidate()


class UnitLinkInline(admin.TabularInline):
    model = UnitLink
    fk_name = "unit"
    extra = 0
    autocomplete_fields = ("parent",)


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    list_display = ("code", "name", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_text")
    readonly_fields = ("version", "created_at", "updated_at")
    inlines = [UnitLinkInline]

    def save_model(self, request: Any, obj: Unit, form: Any, change: bool) -> None:
        obj.search_text = f"{fold(obj.name)} {fold(obj.code)}"[:400]
        super().save_model(request, obj, form, change)


@admin.register(UnitLink)
class UnitLinkAdmin(TreeAdmin):
    list_display = ("unit", "parent", "valid_from", "valid_to")
    search_fields = ("unit__code", "parent__code")
    autocomplete_fields = ("unit", "parent")


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(TreeAdmin):
    list_display = ("predecessor", "successor", "effective_on")
    search_fields = ("predecessor__code", "successor__code")
    autocomplete_fields = ("predecessor", "successor")
