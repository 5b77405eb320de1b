from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def lookup(mapping: Any, key: Any) -> Any:
    """`mapping[key]`, or nothing (the quota overrides of a commendation in a table)."""
    if not mapping:
        return []
    return mapping.get(key, [])
