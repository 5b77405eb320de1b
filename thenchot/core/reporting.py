"""The report-block contract: each domain app registers the block it can compute.

`reports/` (the `thenchot report` command, the XLSX and the PDF) reads
`core.registry.report_blocks` in order and never imports a domain app; a domain app imports this
contract from the floor below it. A block whose records the installation does not hold is
omitted (shared/spec/report.md), decided by `has_data`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise

from thenchot.core.registry import report_blocks


@dataclass(frozen=True)
class ReportBlock:
    key: str  # "tasks"
    title: str | Promise  # translatable title for XLSX/PDF headings
    compute: Callable[..., dict[str, Any]]  # (unit, date_from, date_to, as_of) -> dict
    has_data: Callable[[], bool]  # does the installation hold records of this kind at all?
    narrative: Callable[[dict[str, Any]], str] | None = None  # one Vietnamese/English sentence


def register_block(block: ReportBlock, *, order: int = 100) -> ReportBlock:
    return report_blocks.register(block.key, block, order=order)
