"""Small template helpers shared by every page: history links, badges, audit values."""

from __future__ import annotations

from typing import Any

from django import template
from django.db import models
from django.urls import NoReverseMatch, reverse

from thenchot.core.periods import period_label as _period_label

register = template.Library()


@register.filter
def period_label(code: object) -> str:
    """`2026-12` -> "Tháng 12/2026" / "December 2026" wherever a period is shown."""
    return _period_label(code)


_KIND_CLASSES = {
    "city": "text-bg-danger",
    "department": "text-bg-primary",
    "district": "text-bg-success",
    "commune": "text-bg-info",
    "ward": "text-bg-info",
    "division": "text-bg-secondary",
    "public_service_unit": "text-bg-warning",
    "party_body": "text-bg-danger",
    "mass_organisation": "text-bg-light border",
}


@register.filter
def kind_class(kind: str) -> str:
    """Bootstrap badge colours for a unit kind (unknown kinds are neutral)."""
    return _KIND_CLASSES.get(kind, "text-bg-light border")


@register.simple_tag
def history_url(obj: models.Model) -> str:
    """The change-history page of `obj` ('' when the audit pages are not installed)."""
    try:
        return reverse("audit:history", args=[obj._meta.label_lower, obj.pk])
    except NoReverseMatch:
        return ""


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


@register.filter
def widget_class(bound_field: Any) -> str:
    """The Bootstrap class that suits a field's widget."""
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", "")
    if input_type in {"checkbox", "radio"}:
        return "form-check-input"
    if input_type == "select" or widget.__class__.__name__.endswith("Select"):
        return "form-select"
    return "form-control"


@register.simple_tag
def bs_widget(bound_field: Any, extra: str = "") -> str:
    """Render a bound field's widget with Bootstrap classes (and `is-invalid` on errors)."""
    classes = [widget_class(bound_field)]
    existing = bound_field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    if bound_field.errors:
        classes.append("is-invalid")
    if extra:
        classes.append(extra)
    attrs: dict[str, Any] = {"class": " ".join(classes)}
    if bound_field.errors:
        attrs["aria-describedby"] = f"{bound_field.auto_id}-errors"
    return bound_field.as_widget(attrs=attrs)
