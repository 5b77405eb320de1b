from django.contrib import admin

from thenchot.rotation.models import PlanItem, Postponement, Rotation, RotationPlan


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    extra = 0
    raw_id_fields = ("staff", "target_unit", "rotation")


@admin.register(RotationPlan)
class RotationPlanAdmin(admin.ModelAdmin):
    list_display = ("code", "agency", "year", "published_on")
    raw_id_fields = ("agency",)
    inlines = [PlanItemInline]


@admin.register(Rotation)
class RotationAdmin(admin.ModelAdmin):
    list_display = ("code", "staff", "kind", "from_unit", "to_unit", "effective_on")
    list_filter = ("kind",)
    search_fields = ("code", "decision_number", "staff__code", "staff__full_name")
    raw_id_fields = ("staff", "from_unit", "to_unit")


@admin.register(Postponement)
class PostponementAdmin(admin.ModelAdmin):
    list_display = ("staff", "reason", "date_from", "date_to")
    list_filter = ("reason",)
    raw_id_fields = ("staff",)
