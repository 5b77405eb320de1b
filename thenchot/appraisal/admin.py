"""Admin: evaluations, decisions and parameter versions are shown read-only (each has a rule and
a page of its own); an open period's deadlines and quota decision change through
`services.period_update`, which refuses a closed period."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from thenchot.appraisal import services
from thenchot.appraisal.models import (
    CollectiveDecision,
    DeputyField,
    Evaluation,
    EvaluationPeriod,
    PackParameterSet,
    QuotaOverride,
    ReopenDecision,
)
from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import ReadOnlyModelAdmin, ServiceModelAdmin
from thenchot.core.context import acting


@admin.register(EvaluationPeriod)
class EvaluationPeriodAdmin(ServiceModelAdmin):
    list_display = ("code", "agency", "kind", "status", "self_due", "approval_due", "closed_at")
    list_filter = ("status", "kind")
    search_fields = ("code", "agency__code", "agency__name")
    fields = (
        "code",
        "agency",
        "kind",
        "starts_on",
        "ends_on",
        "status",
        *services.PERIOD_SETTINGS,
        "closed_at",
        "closed_by",
        "pack_params",
        "quota_use",
        "version",
        "updated_at",
    )
    # Periods are opened by `period_open` (the close page, the hourly job), closed and reopened
    # by `appraisal.closing`: here only the settings an administrator decides.
    readonly_fields = tuple(f for f in fields if f not in services.PERIOD_SETTINGS)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_closed:
            return self.fields
        return self.readonly_fields

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method == "GET":
            period = self.get_object(request, object_id)
            if period is not None and period.is_closed:
                messages.warning(
                    request,
                    _(
                        "This period is closed: its deadlines and quota can no longer change. "
                        "Reopen it first, by a recorded decision, on the close page."
                    ),
                )
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        data = {
            name: form.cleaned_data[name]
            for name in services.PERIOD_SETTINGS
            if name in form.changed_data
        }
        with acting(actor=request.user, source="web", reason="admin"):
            services.period_update(
                period=obj,
                expected_version=self.expected_version(form, obj),
                data=data,
                by=request.user,
            )


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyModelAdmin):
    """Through the workflow only (scope-checked, audited, refused once the period closes)."""

    list_display = ("staff", "period_code", "rule_pack", "status", "final_level", "score")
    list_filter = ("status", "rule_pack", "final_level")
    search_fields = ("staff__code", "staff__full_name", "period_code")
    list_select_related = ("staff",)


@admin.register(PackParameterSet)
class PackParameterSetAdmin(ReadOnlyModelAdmin):
    """A new version is made by `services.params_update`, which validates it with the pack;
    versions are never edited or deleted (closed periods name the one they used)."""

    list_display = ("pack", "number", "created_by", "created_at")


@admin.register(CollectiveDecision)
class CollectiveDecisionAdmin(ReadOnlyModelAdmin):
    """Recorded on the collective page (`services.collective_decision_record`)."""

    list_display = ("number", "decided_on", "chaired_by", "recorded_by")
    search_fields = ("number",)


@admin.register(ReopenDecision)
class ReopenDecisionAdmin(ReadOnlyModelAdmin):
    """Recorded when a period is reopened (`appraisal.reopening`)."""

    list_display = ("period", "decision", "decided_on")
    search_fields = ("decision",)
    list_select_related = ("period",)


@admin.register(QuotaOverride)
class QuotaOverrideAdmin(ReadOnlyModelAdmin):
    """Recorded by `services.quota_override_record` and the `quota_overrides` interchange
    section (refused without a decision, refused for a closed period); read-only here."""

    list_display = ("period_code", "agency", "group", "ratio", "base", "decision_number")
    list_filter = ("group", "base")
    search_fields = ("period_code", "agency__code", "decision_number")
    list_select_related = ("agency",)


@admin.register(DeputyField)
class DeputyFieldAdmin(AuditedModelAdmin):
    """The fields assigned to deputies (Decree 335: deputies are assessed within them)."""

    list_display = ("staff", "unit", "valid_from", "valid_to")
    search_fields = ("staff__code", "staff__full_name", "unit__code", "unit__name")
    autocomplete_fields = ("staff", "unit")
