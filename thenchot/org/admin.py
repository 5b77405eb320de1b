"""Admin of the unit tree. A unit's name, kind and dates change through `org.services`
(`unit_update`: scope re-checked, versioned, audited); a move under another parent and a merge
or split are added through `unit_move` and `units_succeed`, which refuse cycles and date the
old link's end. Links and successions already recorded are history: shown, never edited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import scope_for
from thenchot.audit.admin import AuditedModelAdmin
from thenchot.core.admin import ServiceModelAdmin
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.core.text import fold
from thenchot.org import services
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.tree import invalidate

UNIT_SETTINGS = ("name", "kind", "valid_from", "valid_to")


class TreeAdmin(AuditedModelAdmin):
    """Any change to units, links or successions refreshes the dated tree snapshot."""

    def after_write(self, obj: Any) -> None:
        invalidate()


class UnitLinkInline(admin.TabularInline):
    """A new unit's first parent is given here; later moves go through `unit_move`."""

    model = UnitLink
    fk_name = "unit"
    fields = ("unit", "parent", "valid_from", "valid_to")
    extra = 0
    autocomplete_fields = ("parent",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Unit)
class UnitAdmin(TreeAdmin):
    list_display = ("code", "name", "kind", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("code", "name", "search_text")
    inlines = [UnitLinkInline]
    actions = None

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # The form's fields first (the code only on adding), the read-only ones after them.
        editable = ("name", "kind", "valid_from", "valid_to")
        head = ("code",) if obj is None else ()
        tail = self.get_readonly_fields(request, obj)
        return [*head, *editable, "expected_version", *tail]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        stamps = ("version", "created_at", "updated_at")
        return stamps if obj is None else ("code", *stamps)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a unit ends (its `valid to`), it is never deleted: history points at it

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if not change:
            obj.search_text = f"{fold(obj.name)} {fold(obj.code)}"[:400]
            super().save_model(request, obj, form, change)
            return
        data = {
            name: form.cleaned_data[name] for name in UNIT_SETTINGS if name in form.changed_data
        }
        if not data:
            return
        with acting(actor=request.user, source="web", reason="admin"):
            saved = services.unit_update(
                scope=scope_for(request),
                unit=Unit.objects.get(pk=obj.pk),  # the service audits from its own "before"
                expected_version=self.expected_version(form, obj),
                data=data,
            )
        obj.version = saved.version


class TreeHistoryAdmin(ServiceModelAdmin):
    """Added through a service; never changed or deleted once recorded."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None


@admin.register(UnitLink)
class UnitLinkAdmin(TreeHistoryAdmin):
    list_display = ("unit", "parent", "valid_from", "valid_to")
    search_fields = ("unit__code", "parent__code")
    autocomplete_fields = ("unit", "parent")
    fields = ("unit", "parent", "valid_from")

    def save_model(self, request: HttpRequest, obj: UnitLink, form: Any, change: bool) -> None:
        on = form.cleaned_data.get("valid_from")
        if on is None:
            message = _("Give the day the unit moves under its new parent.")
            raise DomainError(message, field_errors={"valid_from": [message]})
        with acting(actor=request.user, source="web", reason="admin"):
            link = services.unit_move(
                scope=scope_for(request),
                unit=form.cleaned_data["unit"],
                new_parent=form.cleaned_data["parent"],
                on=on,
            )
        obj.pk = link.pk
        obj._state.adding = False


@admin.register(UnitSuccession)
class UnitSuccessionAdmin(TreeHistoryAdmin):
    list_display = ("predecessor", "successor", "effective_on")
    search_fields = ("predecessor__code", "successor__code")
    autocomplete_fields = ("predecessor", "successor")

    def save_model(
        self, request: HttpRequest, obj: UnitSuccession, form: Any, change: bool
    ) -> None:
        on = form.cleaned_data.get("effective_on")
        if on is None:
            message = _("Give the day the successor takes over.")
            raise DomainError(message, field_errors={"effective_on": [message]})
        predecessor, successor = form.cleaned_data["predecessor"], form.cleaned_data["successor"]
        with acting(actor=request.user, source="web", reason="admin"):
            services.units_succeed(
                scope=scope_for(request),
                predecessors=[predecessor],
                successors=[successor],
                on=on,
            )
        obj.pk = UnitSuccession.objects.get(predecessor=predecessor, successor=successor).pk
        obj._state.adding = False
