"""Admin: cases, their pauses and decisions are shown read-only. Each change has a rule (the
limitation periods, the repeat minimum, who may decide) and goes through
`discipline.services`, which re-checks scope and writes the audit line."""

from __future__ import annotations

from django.contrib import admin

from thenchot.core.admin import ReadOnlyInline, ReadOnlyModelAdmin
from thenchot.discipline.models import CasePause, DisciplineCase, DisciplineDecision


class CasePauseInline(ReadOnlyInline):
    model = CasePause
    fields = ("reason", "date_from", "date_to", "note")


@admin.register(DisciplineCase)
class DisciplineCaseAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "staff", "detected_on", "status", "closed_on")
    list_filter = ("status",)
    search_fields = ("code", "staff__code", "staff__full_name")
    list_select_related = ("staff",)
    inlines = [CasePauseInline]


@admin.register(DisciplineDecision)
class DisciplineDecisionAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "staff", "form", "track", "decided_on", "effective_on")
    list_filter = ("form", "track")
    search_fields = ("code", "decision_number", "staff__code", "staff__full_name", "violation")
    list_select_related = ("staff",)
