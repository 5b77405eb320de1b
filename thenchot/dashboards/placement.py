"""Where a record stands in the tree: under a unit's subtree *on the record's date*
(shared/spec/report.md, "Scope"), so a 2023 figure sees the organisation of 2023.

The days are cut into *epochs* — stretches over which no unit or parent link began or ended,
so every subtree is the same on each day of one — and numbered in SQL (`epoch_expr`), which
lets a grouped query return one row per unit and epoch, and lets a list filter on "unit in the
subtree on its date" as a short OR of (date range, unit ids) pairs (`within_q`). The count
and the list use the same epochs and the same subtrees: that is the parity the records page
relies on.
"""

from __future__ import annotations

import bisect
import datetime as dt
from functools import cached_property
from typing import Any

from django.db.models import Case, IntegerField, Q, Value, When

from thenchot.org.tree import TreeSnapshot, tree

DAY = dt.timedelta(days=1)


def breakpoints(snap: TreeSnapshot, until: dt.date) -> list[dt.date]:
    """Days up to `until` on which a unit or a parent link starts or ends (the day after)."""
    points: set[dt.date] = set()
    for unit in snap.units.values():
        if unit.valid_from is not None:
            points.add(unit.valid_from)
        if unit.valid_to is not None:
            points.add(unit.valid_to + DAY)
    for links in snap.links_by_unit.values():
        for link in links:
            if link.valid_from is not None:
                points.add(link.valid_from)
            if link.valid_to is not None:
                points.add(link.valid_to + DAY)
    return sorted(p for p in points if p <= until)


class Epochs:
    """The epochs of the tree up to `until`: epoch 0 is before the first point, epoch i starts
    on `points[i - 1]`."""

    def __init__(self, until: dt.date, snap: TreeSnapshot | None = None) -> None:
        self.snap = snap or tree()
        self.until = until
        self.points = breakpoints(self.snap, until)
        self._subtrees: dict[tuple[int, int], set[int]] = {}
        self._chains: dict[tuple[int, int], list[int]] = {}

    @cached_property
    def count(self) -> int:
        return len(self.points) + 1

    def day(self, epoch: int) -> dt.date:
        """A day inside `epoch` (its first; the day before the first point for epoch 0)."""
        if epoch == 0:
            return self.points[0] - DAY if self.points else self.until
        return self.points[epoch - 1]

    def span(self, epoch: int) -> tuple[dt.date | None, dt.date | None]:
        """[start, end) of `epoch`; None where open."""
        start = self.points[epoch - 1] if epoch else None
        end = self.points[epoch] if epoch < len(self.points) else None
        return start, end

    def of(self, day: dt.date) -> int:
        return bisect.bisect_right(self.points, day)

    def expr(self, date_path: str) -> Any:
        """SQL: the epoch of the date at `date_path`."""
        if not self.points:
            return Value(0, output_field=IntegerField())
        whens = [When(**{f"{date_path}__lt": p}, then=Value(i)) for i, p in enumerate(self.points)]
        return Case(*whens, default=Value(len(self.points)), output_field=IntegerField())

    def subtree(self, unit_id: int, epoch: int) -> set[int]:
        key = (unit_id, epoch)
        found = self._subtrees.get(key)
        if found is None:
            found = self._subtrees[key] = self.snap.subtree_on(unit_id, self.day(epoch))
        return found

    def chain(self, unit_id: int, epoch: int) -> list[int]:
        """The unit and its ancestors in `epoch`: every unit whose figure a record counts in."""
        key = (unit_id, epoch)
        found = self._chains.get(key)
        if found is None:
            found = [unit_id, *self.snap.ancestors_on(unit_id, self.day(epoch))]
            self._chains[key] = found
        return found

    def within_q(self, unit_id: int, unit_path: str, date_path: str) -> Q:
        """Rows whose unit (at `unit_path`) lay in `unit_id`'s subtree on their date."""
        q = Q(pk__in=[])
        every = set(self.snap.units)
        for epoch in range(self.count):
            ids = self.subtree(unit_id, epoch)
            if not ids:
                continue
            start, end = self.span(epoch)
            if ids >= every:
                # The whole tree (the city): no list of every unit id for the database to
                # match row by row.
                part = Q(**{f"{unit_path}__isnull": False})
            else:
                part = Q(**{f"{unit_path}__in": sorted(ids)})
            if start is not None:
                part &= Q(**{f"{date_path}__gte": start})
            if end is not None:
                part &= Q(**{f"{date_path}__lt": end})
            q |= part
        return q
