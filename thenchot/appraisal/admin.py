from django.contrib import admin

from thenchot.appraisal.models import (
    CollectiveDecision,
    Evaluation,
    EvaluationPeriod,
    PackParameterSet,
    ReopenDecision,
)


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "agency", "kind", "status", "self_due", "approval_due", "closed_at")
    list_filter = ("status", "kind")
    search_fields = ("code", "agency__code", "agency__name")
    raw_id_fields = ("agency", "closed_by")
    # Levels, locks and quotas change only through the services (close, reopen).
    readonly_fields = ("status", "closed_at", "closed_by", "pack_params", "quota_use")


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ("staff", "period_code", "rule_pack", "status", "final_level", "score")
    list_filter = ("status", "rule_pack", "final_level")
    search_fields = ("staff__code", "staff__full_name", "period_code")
    raw_id_fields = ("staff", "period", "unit", "reviewed_by", "approved_by")

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # through the workflow only (audited, scope-checked)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(PackParameterSet)
class PackParameterSetAdmin(admin.ModelAdmin):
    list_display = ("pack", "number", "created_by", "created_at")
    readonly_fields = ("pack", "number", "params", "reason", "created_by", "created_at")

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False  # services.params_update validates with the pack


admin.site.register(CollectiveDecision)
admin.site.register(ReopenDecision)
