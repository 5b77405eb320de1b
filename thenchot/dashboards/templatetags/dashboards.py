from django import template

from thenchot.dashboards.metrics import outcome_label

register = template.Library()


@register.filter
def outcome(value: str) -> str:
    """The label of a status, level or kind value."""
    return outcome_label(str(value or ""))
