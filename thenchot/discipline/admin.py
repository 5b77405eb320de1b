from django.contrib import admin

from thenchot.discipline.models import CasePause, DisciplineCase, DisciplineDecision


class CasePauseInline(admin.TabularInline):
    model = CasePause
    extra = 0


@admin.register(DisciplineCase)
class DisciplineCaseAdmin(admin.ModelAdmin):
    list_display = ("code", "staff", "detected_on", "status", "closed_on")
    list_filter = ("status",)
    search_fields = ("code", "staff__code", "staff__full_name")
    raw_id_fields = ("staff", "opened_by")
    inlines = [CasePauseInline]


@admin.register(DisciplineDecision)
class DisciplineDecisionAdmin(admin.ModelAdmin):
    list_display = ("code", "staff", "form", "track", "decided_on", "effective_on")
    list_filter = ("form", "track")
    search_fields = ("code", "decision_number", "staff__code", "staff__full_name", "violation")
    raw_id_fields = ("staff", "case")
