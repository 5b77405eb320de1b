"""Small template helpers shared by every page: history links, badges, audit values."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext

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


@register.simple_tag
def language_buttons() -> list[tuple[str, str]]:
    """(code, title) of each language the switch offers, the title "Language: <name>" with the
    word in that language and the name in the page's: the same for every page of a language,
    worked out once per process (drawn with `{% language %}` around each title, it switched
    the active catalogue twice on every page, issue 18)."""
    return _language_buttons(translation.get_language())


@receiver(setting_changed)
def _forget_language_buttons(*, setting: str, **kwargs: Any) -> None:
    """Drop the titles when the languages or catalogues change (tests override them; a server
    reads its compiled catalogues once)."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _language_buttons.cache_clear()


@functools.cache
def _language_buttons(current: str) -> list[tuple[str, str]]:
    words = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            words[code] = gettext("Language")
    with translation.override(current):
        return [(code, f"{words[code]}: {name}") for code, name in settings.LANGUAGES]
