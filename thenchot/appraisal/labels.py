"""The quota's groups and bases in the reader's language (the packs name them in English codes,
`rules.quota`): for the close screen, its conflicts and its export."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

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
