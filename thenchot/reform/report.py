"""The `reform` block of the statistical report (shared/spec/report.md): for the year of `to`,
every unit in the subtree with a score row, its total and its rank in its group (`index`),
ordered by group, rank and code. The points per criterion with their sources are on the ranking
page and in `/api/v1/reform-index/` (the report pages render every key of a block as it is)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy

from thenchot.core.interchange import number_out
from thenchot.core.reporting import ReportBlock
from thenchot.reform.index import ReformIndex, compute_index
from thenchot.reform.models import Score


def block_of(index: ReformIndex) -> dict[str, Any]:
    return {
        "year": index.year,
        "units": [
            {"unit": u.code, "total": number_out(u.total), "rank": u.rank}
            for u in sorted(index.units, key=lambda u: (u.group, u.rank, u.code))
        ],
    }


def reform_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    unit_id = unit if isinstance(unit, int) else unit.pk
    return block_of(compute_index(year=date_to.year, as_of=as_of, within=unit_id))


def has_data() -> bool:
    return Score.objects.exists()


def narrative(block: dict[str, Any]) -> str:
    from django.utils.translation import gettext as _

    units = block.get("units", [])
    firsts = [u["unit"] for u in units if u["rank"] == 1]
    return _(
        "Reform index %(year)s: %(units)s units scored; first in their groups: %(firsts)s."
    ) % {"year": block["year"], "units": len(units), "firsts": ", ".join(firsts) or "—"}


reform_report_block = ReportBlock(
    key="reform",
    title=gettext_lazy("Administrative-reform index"),
    compute=reform_block,
    has_data=has_data,
    narrative=narrative,
)
