"""Admin of procedures and cases. A procedure's name, level, approval and decision number change
through `processes.services.process_update`, its retirement through `process_retire` (scope
re-checked, refused once retired or when its cases say otherwise, versioned, audited); new
procedures and new versions, with their steps, are registered on the pages. Steps, documents and
cases are shown read-only: a case moves only through its steps (`case_advance`)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.accounts.scoping import scope_for
from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core import auditing, calendar_table
from thenchot.core.admin import ReadOnlyInline, ReadOnlyModelAdmin, ServiceModelAdmin
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.core.models import Holiday
from thenchot.processes import intake, services
from thenchot.processes.models import (
    Case,
    CaseStep,
    IntakeSystem,
    Process,
    ProcessDocument,
    ProcessStep,
)

PROCESS_SETTINGS = ("name", "level", "approved_on", "decision_number")


class ProcessStepInline(ReadOnlyInline):
    model = ProcessStep
    fields = ("position", "name", "responsible_unit", "responsible_role", "days")


class ProcessDocumentInline(ReadOnlyInline):
    model = ProcessDocument
    fields = ("kind", "name", "size", "uploaded_by", "uploaded_at")


@admin.register(Process)
class ProcessAdmin(ServiceModelAdmin):
    list_display = ("code", "number", "name", "level", "owner_unit", "approved_on", "retired_on")
    list_filter = ("level",)
    search_fields = ("code", "search_text")
    list_select_related = ("owner_unit",)
    fields = (
        "code",
        "number",
        "owner_unit",
        *PROCESS_SETTINGS,
        "retired_on",
        "total_days",
        "version",
        "updated_at",
    )
    readonly_fields = ("code", "number", "owner_unit", "total_days", "version", "updated_at")
    inlines = (ProcessStepInline, ProcessDocumentInline)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # with its steps, on the pages

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.retired_on is not None:
            return self.fields  # a retired version is frozen
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: Process, form: Any, change: bool) -> None:
        scope = scope_for(request)
        version = self.expected_version(form, obj)
        current = Process.objects.get(pk=obj.pk)
        with acting(actor=request.user, source="web", reason="admin"):
            if any(name in form.changed_data for name in PROCESS_SETTINGS):
                current = services.process_update(
                    scope=scope,
                    by=request.user,
                    process=current,
                    expected_version=version,
                    name=form.cleaned_data["name"],
                    level=form.cleaned_data["level"],
                    approved_on=form.cleaned_data["approved_on"],
                    decision_number=form.cleaned_data["decision_number"] or "",
                )
                version = current.version
            retired = form.cleaned_data.get("retired_on")
            if "retired_on" in form.changed_data and retired is not None:
                current = services.process_retire(
                    scope=scope,
                    by=request.user,
                    process=current,
                    retired_on=retired,
                    expected_version=version,
                )
        obj.version = current.version


class CaseStepInline(ReadOnlyInline):
    model = CaseStep
    fields = ("position", "step", "started_on", "due_on", "completed_on", "held_by_name")


@admin.register(Case)
class CaseAdmin(ReadOnlyModelAdmin):
    list_display = ("code", "process", "unit", "received_on", "due_on", "completed_on")
    list_filter = ("process__level",)
    search_fields = ("code", "applicant")
    list_select_related = ("process", "unit")
    date_hierarchy = "received_on"
    inlines = (CaseStepInline,)


@admin.register(IntakeSystem)
class IntakeSystemAdmin(AuditedModelAdmin):
    """Sending systems of the intake API. A new system gets no usable token; the action "Issue
    a new token" issues one (the old one stops working) and shows it on the page it answers
    with, once: only its hash is stored, and the audit log keeps a fingerprint of the hash."""

    list_display = ("code", "name", "user", "active")
    list_filter = ("active",)
    search_fields = ("code", "name")
    fields = ("code", "name", "units", "user", "active")
    autocomplete_fields = ("units",)
    actions = ("issue_token",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with transaction.atomic(), acting(actor=request.user, source="web", reason="admin"):
            before = None
            if change:
                stored = IntakeSystem.objects.select_for_update().get(pk=obj.pk)
                before = intake.system_snapshot(stored)
                obj.token_hash = stored.token_hash
            else:
                obj.token_hash = intake.unusable_token_hash()
            obj.save()
            auditing.record(
                obj,
                action=auditing.UPDATE if change else auditing.CREATE,
                before=before,
                after=intake.system_snapshot(obj),
            )
        if not change:
            messages.warning(
                request,
                _("%(system)s has no token yet: issue one with the action “Issue a new token”.")
                % {"system": obj.name},
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic(), acting(actor=request.user, source="web", reason="admin"):
            auditing.record(
                obj, action=auditing.DELETE, before=intake.system_snapshot(obj), after=None
            )
            obj.delete()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # its events keep it (PROTECT): a system is deactivated instead

    @admin.action(description=gettext_lazy("Issue a new token (the old one stops working)"))
    def issue_token(
        self, request: HttpRequest, queryset: QuerySet[IntakeSystem]
    ) -> HttpResponse | None:
        scope = scope_for(request)
        issued: list[tuple[IntakeSystem, str]] = []
        for system in queryset.order_by("code"):
            try:
                token = intake.system_issue_token(scope=scope, system=system, by=request.user)
            except DomainError as exc:
                messages.error(request, f"{system.name}: {exc.message}")
                continue
            issued.append((system, token))
        if not issued:
            return None
        response = TemplateResponse(
            request,
            "admin/processes/intakesystem/token_issued.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Tokens issued"),
                "issued": issued,
                "opts": self.model._meta,
            },
        )
        response["Cache-Control"] = "no-store"  # the token is on this page only
        return response


@admin.register(Holiday)
class HolidayAdmin(ServiceModelAdmin):
    """The city's table of days off and worked Saturdays: every add, change and delete goes
    through `core.calendar_table` (audited; a changed day recomputes the open cases' due dates,
    as on the working-day calendar page)."""

    list_display = ("date", "name", "working")
    list_filter = ("working",)
    search_fields = ("name",)
    date_hierarchy = "date"
    fields = ("date", "name", "working")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("date",) if obj is not None else ()

    # The table is the city's: a city-wide administrator's (as on the calendar page), whatever
    # Django model permissions say.
    def _may(self, request: HttpRequest) -> bool:
        scope = scope_for(request)
        return bool(request.user.is_superuser or (scope.city_wide and scope.can_write_org))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self._may(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._may(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        with acting(actor=request.user, source="web", reason="admin"):
            saved = calendar_table.holiday_save(
                scope=scope_for(request),
                day=obj.date,
                name=obj.name,
                working=obj.working,
                expected_version=self.expected_version(form, obj) if change else None,
            )
        obj.pk, obj.version = saved.pk, saved.version

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with acting(actor=request.user, source="web", reason="admin"):
            calendar_table.holiday_delete(
                scope=scope_for(request), holiday=obj, expected_version=obj.version
            )
