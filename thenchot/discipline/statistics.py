"""The `discipline` block of the statistical report (shared/spec/report.md).

Decisions effective within [from, to]; a decision counts when the person's unit on its
effective date (their assignment then) lay in the subtree of the report's unit on that date.
One query (decisions with the unit of the assignment covering the effective date, as a
subquery), then membership tested in Python with one subtree per distinct date.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core.reporting import ReportBlock
from thenchot.discipline.choices import DisciplineForm
from thenchot.discipline.models import DisciplineDecision
from thenchot.org.tree import tree
from thenchot.people.models import Assignment

if TYPE_CHECKING:
    from thenchot.org.tree import LinkInfo, UnitInfo


def unit_at_expr(staff_path: str, date_path: str) -> Subquery:
    """SQL: the unit of the person's assignment covering the date (latest start wins)."""

    return Subquery(
        Assignment.objects.filter(staff_id=OuterRef(staff_path))
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=OuterRef(date_path)))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=OuterRef(date_path)))
        .order_by("-valid_from")
        .values("unit_id")[:1]
    )


class SubtreeOn:
    """`unit`'s subtree on each date asked, computed once per stretch of days over which no
    unit or parent link starts or ends (a year has a handful): a year's records need a few
    subtree walks, not one per day."""

    def __init__(self, unit_id: int) -> None:

        self.snap = tree()
        self.unit_id = unit_id
        day = dt.timedelta(days=1)
        points: set[dt.date] = set()
        dated: list[Iterable[UnitInfo | LinkInfo]] = [
            self.snap.units.values(),
            *self.snap.links_by_unit.values(),
        ]
        for items in dated:
            for item in items:
                if item.valid_from is not None:
                    points.add(item.valid_from)
                if item.valid_to is not None and item.valid_to < dt.date.max:
                    points.add(item.valid_to + day)
        self.breaks = sorted(points)
        self.cache: dict[int, set[int]] = {}

    def contains(self, unit_id: int | None, on: dt.date) -> bool:
        if unit_id is None:
            return False
        epoch = bisect.bisect_right(self.breaks, on)
        sub = self.cache.get(epoch)
        if sub is None:
            sub = self.cache[epoch] = self.snap.subtree_on(self.unit_id, on)
        return unit_id in sub


def compute_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    rows = (
        DisciplineDecision.objects.filter(
            effective_on__gte=date_from, effective_on__lte=min(date_to, as_of)
        )
        .filter(decided_on__lte=as_of)
        .annotate(unit_at=unit_at_expr("staff_id", "effective_on"))
        .values_list("staff_id", "form", "effective_on", "unit_at", "staff__unit_id")
    )
    inside = SubtreeOn(unit.pk)
    people: set[int] = set()
    by_form = dict.fromkeys(DisciplineForm.values, 0)
    decisions = 0
    for staff_id, form, effective_on, unit_at, current_unit in rows:
        where = unit_at if unit_at is not None else current_unit
        if not inside.contains(where, effective_on):
            continue
        decisions += 1
        people.add(staff_id)
        by_form[form] = by_form.get(form, 0) + 1
    return {"people": len(people), "decisions": decisions, "by_form": by_form}


def has_data() -> bool:
    return DisciplineDecision.objects.exists()


def narrative(block: dict[str, Any]) -> str:
    return _("%(people)d people were disciplined by %(decisions)d decisions.") % block


discipline_block = ReportBlock(
    key="discipline",
    title=gettext_lazy("Discipline"),
    compute=compute_block,
    has_data=has_data,
    narrative=narrative,
)
