from __future__ import annotations

from django.contrib import admin

from thenchot.core.admin import ReadOnlyAdminMixin
from thenchot.integrity.models import SealEntry


@admin.register(SealEntry)
class SealEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """View only: seals are written by the close and the reopening, never edited."""

    list_display = ("sequence", "kind", "period_code", "agency_id", "row_count", "at", "by")
    list_filter = ("kind",)
    search_fields = ("period_code", "digest")
    exclude = ("rows",)
    readonly_fields = [f.name for f in SealEntry._meta.fields if f.name != "rows"]
    actions = None
