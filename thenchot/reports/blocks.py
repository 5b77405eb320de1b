"""The statistical report built from the registered report blocks (contract: core.reporting).

`thenchot report` (and the dashboard, the XLSX and the PDF) ask `core.registry.report_blocks`
for every registered block, in order, so this module never imports a domain app. A block whose
records the installation does not hold is omitted (report.md), decided by `has_data`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from thenchot.core.registry import report_blocks
from thenchot.org.models import Unit


@dataclass(frozen=True)
class ReportRequest:
    unit_code: str
    unit_id: int
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date


def build_report(request: ReportRequest) -> dict[str, Any]:
    """The statistical report of shared/spec/report.md as a plain dict (JSON-ready)."""

    unit = Unit.objects.get(pk=request.unit_id)
    data: dict[str, Any] = {
        "unit": request.unit_code,
        "from": request.date_from.isoformat(),
        "to": request.date_to.isoformat(),
        "as_of": request.as_of.isoformat(),
    }
    for key, block in report_blocks.items():
        if not block.has_data():
            continue
        data[key] = block.compute(
            unit=unit, date_from=request.date_from, date_to=request.date_to, as_of=request.as_of
        )
    return data


def narratives(data: dict[str, Any]) -> list[tuple[Any, str]]:
    out = []
    for key, block in report_blocks.items():
        if key in data and block.narrative is not None:
            out.append((block.title, block.narrative(data[key])))
    return out
