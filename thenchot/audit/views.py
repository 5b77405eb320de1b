"""The change history of one record, for whoever may read that record.

Who may read a record is asked of the app that owns it (`core.registry.record_access`), so this
page never imports the domain apps. An unregistered model, a missing record and a record out of
the reader's scope all answer 404: the page does not reveal what exists.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thenchot.audit.labels import reference_label, value_label
from thenchot.core import auditing
from thenchot.core.registry import record_access
from thenchot.core.scope import scope_for_request
from thenchot.core.views import login_required


def _field_for(model: type[models.Model], attname: str) -> models.Field[Any, Any] | None:
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    try:
        return model._meta.get_field(attname)  # type: ignore[return-value]
    except FieldDoesNotExist:
        return None


def _related_name(model: type[models.Model], value: Any) -> str:
    """The referenced record's own name (its __str__), read through the field's model so this
    page still imports no app; "#id" only for a record that no longer exists."""
    related = model._default_manager.filter(pk=value).first()
    return str(related) if related is not None else f"#{value}"


def _display(field: models.Field[Any, Any] | None, value: Any) -> str:
    """A stored JSON value as a person reads it: labels for choices, dd/mm/yyyy for dates."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field is None:
        return str(value)
    if isinstance(value, list):
        # A list field (topics, categories): each item read like a single value (issue 11:
        # the page showed "[]" and raw keys).
        base = getattr(field, "base_field", None)
        choices = dict(base.flatchoices if base is not None and base.choices else field.flatchoices)
        return ", ".join(str(choices.get(item, item)) for item in value)
    if isinstance(field, models.BooleanField):
        return str(_("Yes") if value else _("No"))
    model = getattr(field, "model", None)
    if model is not None and not field.choices:
        label = value_label(model._meta.label_lower, field.name, value)
        if label is not None:
            return label
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.DateTimeField):
        try:
            from django.utils import formats, timezone

            moment = dt.datetime.fromisoformat(str(value))
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return formats.date_format(moment, "d/m/Y H:i")
        except ValueError:
            return str(value)
    if isinstance(field, models.DateField):
        try:
            return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
        except ValueError:
            return str(value)
    if isinstance(field, models.ForeignKey):
        if field.related_model is not None:
            label = reference_label(field.related_model._meta.label_lower, value)
            return label or _related_name(field.related_model, value)
        return f"#{value}"
    return str(value)


def _field_label(field: models.Field[Any, Any] | None, name: str) -> str:
    if field is None:
        return name
    if field.primary_key and field.auto_created:
        # Django names the automatic key "ID", outside any catalogue.
        return _("ID")
    return str(field.verbose_name)


def entry_rows(model: type[models.Model], entry: Any) -> list[dict[str, Any]]:
    """Before/after of the fields an entry changed (every field for a creation or deletion)."""
    before = entry.before or {}
    after = entry.after or {}
    names = list(entry.changed_fields or []) or sorted(set(before) | set(after))
    rows = []
    for name in names:
        field = _field_for(model, name)
        rows.append(
            {
                "name": name,
                "label": _field_label(field, name),
                "before": _display(field, before.get(name)) if name in before else "",
                "after": _display(field, after.get(name)) if name in after else "",
            }
        )
    return rows


@login_required
@require_GET
def history(request: HttpRequest, label: str, pk: str) -> HttpResponse:
    if label not in record_access:
        raise Http404()
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404() from None
    try:
        obj = model._default_manager.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404() from None
    if not record_access.get(label)(scope_for_request(request), obj):
        raise Http404()
    entries = [
        {"entry": entry, "rows": entry_rows(model, entry)} for entry in auditing.history(obj)
    ]
    return render(
        request,
        "audit/history.html",
        {
            "object": obj,
            "model_name": model._meta.verbose_name,
            "label": label,
            "entries": entries,
        },
    )
