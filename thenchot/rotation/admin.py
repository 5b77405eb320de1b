"""Admin: plans, rotations and postponements are shown read-only. Each change has a rule (a
published plan is fixed, a running discipline decision postpones a move) and goes through
`rotation.services`, which re-checks scope and writes the audit line."""

from __future__ import annotations

from django.contrib import admin

from thenchot.core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from thenchot.rotation.models import PlanItem, Postponement, Rotation, RotationPlan


class PlanItemInline(ReadOnlyInline):
    model = PlanItem


@admin.register(RotationPlan)
class RotationPlanAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "agency", "year", "published_on")
    list_select_related = ("agency",)
    inlines = [PlanItemInline]


@admin.register(Rotation)
class RotationAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "staff", "kind", "from_unit", "to_unit", "effective_on")
    list_filter = ("kind",)
    search_fields = ("code", "decision_number", "staff__code", "staff__full_name")
    list_select_related = ("staff", "from_unit", "to_unit")


@admin.register(Postponement)
class PostponementAdmin(ReadOnlyModelAdmin):
    fields = ("version", "staff", "reason", "date_from", "date_to", "note")
    list_display = ("staff", "reason", "date_from", "date_to")
    list_filter = ("reason",)
    list_select_related = ("staff",)
