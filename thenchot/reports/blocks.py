"""The statistical report built from the registered report blocks (contract: core.reporting).

`thenchot report` (and the dashboard, the XLSX and the PDF) ask `core.registry.report_blocks`
for every registered block, in order, so this module never imports a domain app. A block whose
records the installation does not hold is omitted (report.md), decided by `has_data`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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

    @classmethod
    def for_unit(
        cls, unit: Unit, date_from: dt.date, date_to: dt.date, as_of: dt.date | None = None
    ) -> ReportRequest:
        return cls(unit.code, unit.pk, date_from, date_to, as_of or date_to)


def build_report(
    request: ReportRequest, *, on_block: Callable[[int, int], None] | None = None
) -> dict[str, Any]:
    """The statistical report of shared/spec/report.md as a plain dict (JSON-ready): the one
    function behind `thenchot report`, the API, the page, the files and the monthly reports.
    `on_block(done, total)` is told after each block (a background run shows its progress)."""

    unit = Unit.objects.get(pk=request.unit_id)
    data: dict[str, Any] = {
        "unit": request.unit_code,
        "from": request.date_from.isoformat(),
        "to": request.date_to.isoformat(),
        "as_of": request.as_of.isoformat(),
    }
    blocks = [(key, block) for key, block in report_blocks.items() if block.has_data()]
    for done, (key, block) in enumerate(blocks, 1):
        data[key] = block.compute(
            unit=unit, date_from=request.date_from, date_to=request.date_to, as_of=request.as_of
        )
        if on_block is not None:
            on_block(done, len(blocks))
    return data


def narratives(data: dict[str, Any]) -> list[tuple[Any, str]]:
    out = []
    for key, block in report_blocks.items():
        if key in data and block.narrative is not None:
            out.append((block.title, block.narrative(data[key])))
    return out
