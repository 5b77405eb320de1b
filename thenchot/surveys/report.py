"""The `satisfaction` block of the statistical report (shared/spec/report.md): the responses
submitted within the range to the surveys of the units in the subtree (the tree of each
response's day), the index of each element that has answers and their mean — computed unrounded
(`surveys.index`) and rounded half up to two decimals here, where they are written."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from thenchot.core.reporting import ReportBlock
from thenchot.surveys.index import satisfaction, written
from thenchot.surveys.models import Response


def satisfaction_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    return written(satisfaction(unit=unit, date_from=date_from, date_to=date_to))


def _narrative(block: dict[str, Any]) -> str:
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    if block["index"] is None:
        return _("%(responses)s survey responses in the period, none with an answer.") % {
            "responses": block["responses"]
        }
    return _(
        "%(responses)s survey responses in the period; satisfaction index %(index)s%% "
        "(the mean of %(elements)s elements)."
    ) % {
        "responses": block["responses"],
        "index": number_format(block["index"], 2),
        "elements": len(block["by_element"]),
    }


satisfaction_report_block = ReportBlock(
    key="satisfaction",
    title=gettext_lazy("Citizen satisfaction"),
    compute=satisfaction_block,
    has_data=lambda: Response.objects.exists(),
    narrative=_narrative,
)
