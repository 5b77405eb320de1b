"""The one way a page shows a number with decimals (points, scores, weights, ratios):
`{{ value|number }}` -> "62,5" / "1.234,5" in Vietnamese, "62.5" / "1,234.5" in English, whole
values without ".00"; `{{ value|number:1 }}` rounds to one place. Empty for None, so
`|default:"—"` still works."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from thenchot.core.numbers import format_decimal, separators

register = template.Library()


@register.filter
def number(value: Any, places: int | str = 2) -> str:
    try:
        digits = int(places)
    except (TypeError, ValueError):
        digits = 2
    return format_decimal(value, digits)


@register.filter
def number_input(value: Any) -> str:
    """An input's value: a stored number in the reader's writing without grouping, what the
    person typed (a string) unchanged."""
    if isinstance(value, str) or value is None:
        return value or ""
    return format_decimal(value, None, grouping=False)


@register.simple_tag
def number_separators() -> SafeString:
    """The reader's separators as data attributes, for the page's script (numbers.js) to read
    and write numbers as the server does."""
    decimal_sep, thousand_sep = separators()
    return format_html(
        'data-decimal-separator="{}" data-thousand-separator="{}"', decimal_sep, thousand_sep
    )
