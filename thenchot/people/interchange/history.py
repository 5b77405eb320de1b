"""What later sections ask about people and units *as they will be after this import*: the
database's history with the file's `units` and `staff` rows applied over it.

A `tasks` row may name an assignee the same file creates, in a unit the same file creates; the
check "was this person in the lead unit's subtree on the assigned date" must see both. These
helpers read the plans the `units`, `staff` and `assignments` sections left on the context (they plan first)
and answer with a few set-based queries for the whole file.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from thenchot.core import interchange as engine
from thenchot.core.interchange import ImportContext
from thenchot.org.tree import tree
from thenchot.people.interchange.common import StaffPlan
from thenchot.people.models import Assignment, Staff

Stint = tuple[str, dt.date | None, dt.date | None]  # (unit code, from, to), dates inclusive


def staff_stints(ctx: ImportContext, codes: Iterable[str]) -> dict[str, list[Stint]]:
    """staff code -> assignments after the import, for the codes known to the database or to
    the file's `staff` section (other codes are absent: unknown staff)."""
    wanted = sorted(set(codes))
    snap = tree()
    ids = dict(
        engine.in_batches(
            wanted, lambda b: Staff.objects.filter(code__in=b).values_list("code", "id")
        )
    )
    code_of = {pk: code for code, pk in ids.items()}
    stints: dict[str, list[Stint]] = defaultdict(list)
    ids_of: dict[str, list[int]] = defaultdict(list)  # assignment ids, beside `stints`
    for pk, staff_id, unit_id, valid_from, valid_to in engine.in_batches(
        list(code_of),
        lambda b: Assignment.objects.filter(staff_id__in=b).values_list(
            "id", "staff_id", "unit_id", "valid_from", "valid_to"
        ),
    ):
        info = snap.units.get(unit_id)
        if info is not None:
            stints[code_of[staff_id]].append((info.code, valid_from, valid_to))
            ids_of[code_of[staff_id]].append(pk)
    for code in ids:
        stints.setdefault(code, [])
    wanted_set = set(wanted)
    plans: list[StaffPlan] = ctx.plans.get("staff", [])
    for plan in plans:
        code = plan.row.data.get("code")
        if code not in wanted_set or plan.unit is None:
            continue
        if plan.old is None:
            stints[code] = [(plan.unit, plan.values.get("joined_on"), None)]
        elif plan.move:
            # What the staff section will write: the closings its plan decided by the
            # transfer rule (`people.rules`), and the new assignment from `as_of`.
            ends = dict(plan.closings)
            kept: list[Stint] = []
            for pk, (unit, start, end) in zip(ids_of[code], stints[code], strict=True):
                if pk in ends:
                    if ends[pk] is None:
                        continue
                    end = ends[pk]
                kept.append((unit, start, end))
            kept.append((plan.unit, ctx.as_of, None))
            stints[code] = kept
    for code, given in file_histories(ctx).items():
        if code in wanted_set:
            stints[code] = given
    return dict(stints)


def file_histories(ctx: ImportContext) -> dict[str, list[Stint]]:
    """staff code -> assignments as the file's `assignments` section gives them: the history
    of these people after the import (it replaces the stored one)."""
    return {
        plan.code: [(row.data["unit"], row.get("from"), row.get("to")) for row in plan.rows]
        for plan in ctx.plans.get("assignments", [])
        if all(row.get("unit") is not None for row in plan.rows)
    }


class FileTree:
    """Parents of units on a date, from the database's dated tree with the file's `units`
    rows over it (a unit the file creates hangs under its `parent` at all dates; a unit the
    file moves hangs under the new parent from the file's reference date)."""

    def __init__(self, ctx: ImportContext) -> None:
        self.snap = tree()
        self.overrides: dict[str, tuple[str | None, dt.date | None]] = {}
        for plan in ctx.plans.get("units", []):
            parent: Any = plan.parent
            if parent is None or isinstance(parent, str):  # set: the file places the unit
                since = None if plan.unit is None else plan.ref
                self.overrides[plan.row.data["code"]] = (parent, since)

    def parent_on(self, code: str, on: dt.date) -> str | None:
        override = self.overrides.get(code)
        if override is not None and (override[1] is None or on >= override[1]):
            return override[0]
        unit_id = self.snap.by_code.get(code)
        if unit_id is None:
            return None
        parent_id = self.snap.parent_on(unit_id, on)
        return self.snap.units[parent_id].code if parent_id is not None else None

    def is_within(self, code: str, top: str, on: dt.date) -> bool:
        """Is unit `code` the unit `top` or under it on `on`?"""
        seen: set[str] = set()
        current: str | None = code
        while current is not None and current not in seen:
            if current == top:
                return True
            seen.add(current)
            current = self.parent_on(current, on)
        return False


def was_within(stints: list[Stint], top: str, on: dt.date, file_tree: FileTree) -> bool:
    """Was a person with these assignments in unit `top` or a unit under it on `on`?"""
    return any(
        (start is None or start <= on)
        and (end is None or on <= end)
        and file_tree.is_within(unit, top, on)
        for unit, start, end in stints
    )
