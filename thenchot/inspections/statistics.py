"""Inspection counts for a unit's subtree and a date range, and the `inspections` report block.

What is counted (report.md, `inspections`): every inspection *started* within [from, to] whose
target unit lay in the subtree of `unit` on the day it started (a report for 2023 sees the
organisation of 2023); `by_kind`; `by_conductor` (sorted by the conducting unit's code); and the
recommendations of those inspections as they stood on `as_of`: `done` = done on or before
`as_of`, `overdue` = not done by `as_of` and due before it.

Set-based: two grouped queries (inspections by target, start day, kind and conductor;
recommendations by target and start day), then membership is tested in Python against the
in-memory dated tree, one subtree per *epoch* — a stretch of days over which no unit or parent
link began or ended, so the subtree is the same on every day of it.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy

from thenchot.accounts.scoping import Scope
from thenchot.core.reporting import ReportBlock
from thenchot.inspections.choices import InspectionKind
from thenchot.inspections.models import Inspection, Recommendation
from thenchot.inspections.selectors import inspection_read_q
from thenchot.inspections.status import done_q, overdue_q
from thenchot.org.tree import TreeSnapshot, tree

KINDS = tuple(InspectionKind.values)


def _zero_kinds() -> dict[str, int]:
    return dict.fromkeys(KINDS, 0)


class SubtreeOnDate:
    """`(date) -> set of unit ids` under `root_id` that day, computed once per epoch."""

    def __init__(self, root_id: int, snap: TreeSnapshot | None = None) -> None:
        self.root_id = root_id
        self.snap = snap or tree()
        self.points = self.snap.change_days()
        self._by_epoch: dict[int, set[int]] = {}

    def __call__(self, on: dt.date) -> set[int]:
        epoch = bisect.bisect_right(self.points, on)
        found = self._by_epoch.get(epoch)
        if found is None:
            found = self._by_epoch[epoch] = self.snap.subtree_on(self.root_id, on)
        return found


@dataclass
class InspectionStatistics:
    unit_id: int
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    total: int = 0
    by_kind: dict[str, int] = field(default_factory=_zero_kinds)
    by_conductor: dict[int, dict[str, int]] = field(default_factory=dict)
    by_target: dict[int, dict[str, int]] = field(default_factory=dict)
    recommendations: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "done": 0, "overdue": 0}
    )

    def block(self) -> dict[str, Any]:
        """The `inspections` block of report.md."""
        snap = tree()
        conductors = sorted(self.by_conductor, key=lambda uid: snap.units[uid].code)
        return {
            "total": self.total,
            "by_kind": dict(self.by_kind),
            "by_conductor": [
                {
                    "unit": snap.units[uid].code,
                    "total": sum(self.by_conductor[uid].values()),
                    "by_kind": dict(self.by_conductor[uid]),
                }
                for uid in conductors
            ],
            "recommendations": dict(self.recommendations),
        }

    def rows(self, which: str) -> list[dict[str, Any]]:
        """Table rows for the page and the XLSX: `which` is "conductor" or "target"."""
        snap = tree()
        source = self.by_conductor if which == "conductor" else self.by_target
        out = []
        for uid in sorted(source, key=lambda u: snap.units[u].code):
            info = snap.units[uid]
            out.append(
                {
                    "unit": info.code,
                    "name": info.name,
                    "total": sum(source[uid].values()),
                    **source[uid],
                }
            )
        return out


def inspection_statistics(
    *,
    unit_id: int,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    scope: Scope | None = None,
) -> InspectionStatistics:
    """Counts for the subtree of `unit_id` (on each record's date). With `scope`, only what
    that user may read is counted — a surprise inspection hidden from them stays uncounted."""
    stats = InspectionStatistics(unit_id=unit_id, date_from=date_from, date_to=date_to, as_of=as_of)
    inside = SubtreeOnDate(unit_id)
    base = Q(started_on__gte=date_from, started_on__lte=date_to)
    rec_base = Q(inspection__started_on__gte=date_from, inspection__started_on__lte=date_to)
    if scope is not None:
        base &= inspection_read_q(scope)
        rec_base &= inspection_read_q(scope, prefix="inspection__")
    rows = (
        Inspection.objects.filter(base)
        .values_list("target_unit_id", "started_on", "kind", "conducted_by_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for target, started, kind, conductor, n in rows:
        if target not in inside(started):
            continue
        stats.total += n
        stats.by_kind[kind] += n
        stats.by_conductor.setdefault(conductor, _zero_kinds())[kind] += n
        stats.by_target.setdefault(target, _zero_kinds())[kind] += n
    rec_rows = (
        Recommendation.objects.filter(rec_base)
        .values_list("inspection__target_unit_id", "inspection__started_on")
        .annotate(
            total=Count("id"),
            done=Count("id", filter=done_q(as_of)),
            overdue=Count("id", filter=overdue_q(as_of)),
        )
        .order_by()
    )
    recs: dict[str, int] = defaultdict(int)
    for target, started, total, done, overdue in rec_rows:
        if target not in inside(started):
            continue
        recs["total"] += total
        recs["done"] += done
        recs["overdue"] += overdue
    stats.recommendations = {k: recs.get(k, 0) for k in ("total", "done", "overdue")}
    return stats


# -- the report block ---------------------------------------------------------------------------
def compute_block(*, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date) -> dict:
    return inspection_statistics(
        unit_id=unit.pk, date_from=date_from, date_to=date_to, as_of=as_of
    ).block()


def has_data() -> bool:
    return Inspection.objects.exists()


def narrative(block: dict[str, Any]) -> str:
    from django.utils.translation import gettext as _

    kinds = block["by_kind"]
    recs = block["recommendations"]
    return _(
        "%(total)s public-service inspections started in the period (%(planned)s planned, "
        "%(surprise)s surprise, %(verification)s verifications); %(done)s of %(recs)s "
        "recommendations done, %(overdue)s overdue."
    ) % {
        "total": block["total"],
        "planned": kinds.get("planned", 0),
        "surprise": kinds.get("surprise", 0),
        "verification": kinds.get("verification", 0),
        "done": recs["done"],
        "recs": recs["total"],
        "overdue": recs["overdue"],
    }


inspections_block = ReportBlock(
    key="inspections",
    title=gettext_lazy("Public-service inspections"),
    compute=compute_block,
    has_data=has_data,
    narrative=narrative,
)
