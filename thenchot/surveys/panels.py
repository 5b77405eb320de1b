"""The unit page's satisfaction panel: the index of the unit's subtree over the current year
and its answer count, with a link to the page that shows the answers behind it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from thenchot.core.panels import UnitPanel
from thenchot.surveys.index import rounded, satisfaction_with_answers


def _context(scope: Any, unit: Any) -> dict[str, Any] | None:
    if scope.is_anonymous or not scope.can_read_unit(unit.pk):
        return None
    today = timezone.localdate()
    date_from = dt.date(today.year, 1, 1)
    figure, answers = satisfaction_with_answers(unit=unit, date_from=date_from, date_to=today)
    if figure.responses == 0:
        return None
    return {
        "figure": figure,
        "answers": answers,
        "index": rounded(figure.index) if figure.index is not None else None,
        "date_from": date_from,
        "date_to": today,
        "url": reverse("surveys:unit_index")
        + "?"
        + urlencode({"unit": unit.code, "from": date_from.isoformat(), "to": today.isoformat()}),
    }


unit_panel = UnitPanel(
    title=_("Citizen satisfaction"),
    template="surveys/unit_panel.html",
    context=_context,
)
