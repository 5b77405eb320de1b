"""Codes of the rule packs in the reader's language: the quota's groups and bases (the close
screen, its conflicts and its export) and the levels inside the reasons of a result."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal import rules
from thenchot.core.numbers import format_decimal
from thenchot.people.choices import StaffCategory

GROUP_LABELS: dict[str, Any] = {
    "all": _("All"),
    "leaders": _("Leaders"),
    "non_leaders": _("Non-leaders"),
}
BASE_LABELS: dict[str, Any] = {
    "those rated": _("those rated"),
    "those rated good or better": _("those rated good or better"),
    "those rated good": _("those rated good"),
    "the headcount": _("the headcount"),
}


def group_label(code: Any) -> str:
    return str(GROUP_LABELS.get(code, code))


def base_label(text: Any) -> str:
    return str(BASE_LABELS.get(text, text))


# A level inside a sentence of the reasons ("score 91.5 → excellent"), lower case.
LEVEL_NAMES: dict[str, Any] = {
    "excellent": pgettext_lazy("level in a sentence", "excellent"),
    "good": pgettext_lazy("level in a sentence", "good"),
    "complete": pgettext_lazy("level in a sentence", "complete"),
    "not_complete": pgettext_lazy("level in a sentence", "not complete"),
    "not_rated": pgettext_lazy("level in a sentence", "not rated"),
}
LEVEL_KEYS = {"level", "quota_level", "unit_level"}
# A trace stores points and shares as plain text ("91.5"); whole numbers (counts, years) are
# left as written, so a year never gains a thousands separator.
_DECIMAL_TEXT = re.compile(r"-?[0-9]+\.[0-9]+")


def shown(key: str, value: str) -> str:
    """A value of a trace line as the reader reads it (`TraceStep.render(gettext, shown)`)."""
    if key in LEVEL_KEYS:
        return str(LEVEL_NAMES.get(value, value))
    if key == "group":
        return group_label(value)
    if key == "base_label":
        return base_label(value)
    if isinstance(value, str) and _DECIMAL_TEXT.fullmatch(value):
        return format_decimal(value, None, grouping=False)  # "91,5" in Vietnamese
    return value


def ratio_percent(ratio: Any) -> str:
    """A quota ratio as stored ("0.3") as the reader reads it ("30%"); unchanged if unreadable."""
    from decimal import Decimal, InvalidOperation

    from django.utils.formats import number_format

    try:
        value = (Decimal(str(ratio)) * 100).normalize()
    except (InvalidOperation, TypeError):
        return str(ratio)
    return f"{number_format(value, use_l10n=True)}%"


def category_label(value: Any) -> str | None:
    """An evaluation's stored staff category (`Evaluation.category`, kept without choices) by
    its label; None for a value people does not know."""
    return str(StaffCategory(value).label) if value in StaffCategory.values else None


def pack_label(value: Any) -> str | None:
    """A rule pack's id ("decree-335-2025") by its title in the reader's language."""
    try:
        return gettext(rules.registry.get(value).title)
    except rules.RuleInputError:
        return None
