"""What the admin sites of every app share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from thenchot.core.concurrency import ConcurrentUpdate
from thenchot.core.errors import DomainError


class ReadOnlyAdminMixin:
    """An admin (or inline) that only shows: the records have rules, so every change goes
    through a service, or, like the audit log, they have no edit path at all."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyModelAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """The admin of records that change only through their services: shown, never edited, no
    bulk actions."""

    actions = None


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):  # type: ignore[type-arg]
    """A record's parts shown in a table under it: its `fields` (all of them read-only), no
    empty rows to fill."""

    extra = 0

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if self.fields is not None:
            return self.fields
        return super().get_readonly_fields(request, obj)


def refusal_text(exc: DomainError) -> str:
    """A refusal as one line for an admin message: the message, then each field's errors."""
    parts = [str(exc.message)]
    for field, errors in exc.field_errors.items():
        text = "; ".join(str(e) for e in errors)
        if text and text not in parts:
            parts.append(f"{field}: {text}")
    return " ".join(parts)


class ServiceRefusalsMixin:
    """A service refusal raised while the admin saves or deletes becomes an error message.

    The admin runs each POST of a change or delete view in one transaction; the refusal is
    caught outside it, so whatever the admin wrote before the service refused (the main
    record, an inline, its own change log) is rolled back and nothing is stored."""

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(  # type: ignore[misc]
                request, object_id, form_url, extra_context
            )
        except DomainError as exc:
            return self._refused(request, exc)

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        try:
            return super().delete_view(request, object_id, extra_context)  # type: ignore[misc]
        except DomainError as exc:
            return self._refused(request, exc)

    def _refused(self, request: HttpRequest, exc: DomainError) -> HttpResponse:
        messages.error(request, refusal_text(exc))
        # Back to the page the administrator was on, showing the stored values again.
        return HttpResponseRedirect(request.get_full_path())


class VersionCheckForm(forms.ModelForm):  # type: ignore[type-arg]
    """Carries the version the change form was opened with, so an admin edit cannot silently
    overwrite a change made meanwhile by a page, the API or an import (and vice versa: the
    save bumps the version, so their stale writes are refused)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["expected_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        expected = cleaned.get("expected_version")
        # The instance was read at this POST: a different version means someone else wrote.
        stale = expected is not None and expected != self.instance.version
        if self.instance.pk is not None and stale:
            raise forms.ValidationError(str(ConcurrentUpdate.default_message))
        return cleaned


def is_versioned(model: Any) -> bool:
    return any(f.name == "version" for f in model._meta.concrete_fields)


# Written by `save_versioned` itself (or once, at creation), never from a form.
UNVERSIONED_FIELDS = ("version", "created_at", "updated_at")


class VersionedFormMixin:
    """Gives the change form of a versioned model the hidden `expected_version`."""

    model: Any
    form: Any

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        base = self.form
        wanted = is_versioned(self.model) and not issubclass(base, VersionCheckForm)
        if wanted and "form" not in kwargs:
            # As ModelAdmin.get_form does: a declared form field shown read-only is dropped.
            readonly = self.get_readonly_fields(request, obj)  # type: ignore[attr-defined]
            dropped = dict.fromkeys(f for f in readonly if f in base.declared_fields)
            kwargs["form"] = type(base.__name__, (VersionCheckForm, base), dropped)
        return super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))  # type: ignore[misc]
        if is_versioned(self.model) and "expected_version" not in fields:
            fields.append("expected_version")
        return fields

    def expected_version(self, form: Any, obj: Any) -> int:
        """The version the administrator opened (the stored one if the form did not say)."""
        expected = form.cleaned_data.get("expected_version") if form is not None else None
        if expected is None:
            expected = (
                type(obj)._default_manager.filter(pk=obj.pk).values_list("version", flat=True)[0]
            )
        return int(expected)


class ServiceModelAdmin(ServiceRefusalsMixin, VersionedFormMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    """An admin whose writes are service calls (which validate, bump the version and audit):
    subclasses override `save_model`. Deleting and bulk actions are off unless a subclass
    routes them through a service too."""

    actions = None

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
