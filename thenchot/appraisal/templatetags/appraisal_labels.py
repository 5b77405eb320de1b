"""`{% load appraisal_labels %}`: `{{ use.group|quota_group }}`, `{{ use.base_label|quota_base }}`,
`{{ use.ratio|quota_ratio }}`; the status and level badges, `{{ ev.status|status_badge }}` and
`{{ row.level|level_badge:row.grade }}`, the markup of `appraisal/_status.html` and
`appraisal/_level.html` (without their closing newline) for the lines of a long list: a filter
costs a call where an include pushed a context and rendered a template (issue 18: the board's
lines drew four badges each)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from thenchot.appraisal import labels
from thenchot.appraisal.views_support import (
    LEVEL_CLASSES,
    LEVEL_LABELS,
    STATUS_CLASSES,
    STATUS_LABELS,
)

register = template.Library()
register.filter("quota_group", labels.group_label)
register.filter("quota_base", labels.base_label)
register.filter("quota_ratio", labels.ratio_percent)

_NO_LEVEL = mark_safe('<span class="text-body-secondary">—</span>')


def _text(value: Any) -> str:
    # What `{{ mapping|get_item:key }}` printed for a missing key.
    return "None" if value is None else str(value)


@register.filter
def status_badge(status: Any) -> SafeString:
    return format_html(
        '<span class="badge {}" data-status="{}">{}</span>',
        _text(STATUS_CLASSES.get(status)),
        status,
        _text(STATUS_LABELS.get(status)),
    )


@register.filter
def level_badge(level: Any, grade: Any = None) -> SafeString:
    if not level:
        return _NO_LEVEL
    return format_html(
        '<span class="badge text-wrap text-start {}" data-level="{}">{}{}</span>',
        _text(LEVEL_CLASSES.get(level)),
        level,
        _text(LEVEL_LABELS.get(level)),
        format_html(" ({})", grade) if grade else "",
    )
