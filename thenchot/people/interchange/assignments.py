"""The `assignments` section of the interchange format: a person's dated history of units.

When a file gives a person's assignments they are the history as given (interchange.md): the
stored history is replaced by them, once they pass the rules of `people.rules` (one unit at a
time, no gap, units existing on their dates, the first starting on `joined_on`, the last ending
on `left_on`) and the one covering the file's date is in `staff.unit`. People the file does not
give assignments for keep theirs. The export always writes every assignment of the people it
exports, so that history survives a round trip: a person whose unit was created in a
reorganisation after they joined keeps their earlier units.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change, snapshot
from thenchot.core.bulk import Line, Table, snapshot_of, text_of
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import UnitRef, unit_catalogue, unit_ids
from thenchot.org.tree import tree
from thenchot.people import rules
from thenchot.people.choices import AssignmentReason
from thenchot.people.interchange.common import BATCH
from thenchot.people.interchange.staff import exported_staff
from thenchot.people.models import Assignment, Staff

ONE_DAY = dt.timedelta(days=1)


class Term(NamedTuple):
    """An assignment row's dates, as the rules read them."""

    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass
class Person:
    """A person an `assignments` row names, as they will be after the staff section."""

    id: int | None  # None: the file creates them
    unit: str | None  # unit code on the file's date (staff.unit)
    unit_id: int | None  # the stored unit, for the writer's scope
    joined_on: dt.date | None
    left_on: dt.date | None


@dataclass
class History:
    """A person's history as the file gives it, in date order."""

    code: str
    rows: list[Row]


def _start(row: Row) -> dt.date:
    # An unknown first day (only the first assignment may have one) sorts first.
    value = row.get("from")
    return value if value is not None else dt.date.min


# Right after `staff` (30): a new person's history is written before the sections that ask
# where people were (leaves 35, rotations 45, tasks), and the staff rows' unit checks read these
# rows to accept a first unit that ended in a reorganisation.
@spec.section("assignments", 31, gettext_lazy("Assignments"))
class AssignmentSection(Section):
    key_field = "_key"  # composite (staff, from): checked in `plan`
    fields = (
        spec.staff(),
        spec.date(
            "from",
            gettext_lazy(
                "First day in the unit; empty only on a person's first assignment (since the"
                " unit began)."
            ),
        ),
        spec.unit("unit", gettext_lazy("Code of the unit."), required=True),
        spec.date("to", gettext_lazy("Last day in the unit; empty: still there.")),
        spec.enum(
            "reason",
            AssignmentReason.values,
            gettext_lazy("Appointment, rotation, transfer, reorganisation, secondment or other."),
        ),
    )

    # -- import: plan ---------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        rows = [r for r in rows if r.get("staff") is not None]
        people = _people(ctx, {r.data["staff"] for r in rows})
        seen: dict[tuple[str, dt.date | None], Row] = {}
        by_person: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            code, start = row.data["staff"], row.get("from")
            first = seen.get((code, start))
            if first is not None:
                ctx.error(
                    row,
                    "from",
                    _("duplicate assignment of '%(value)s' from %(date)s (first at %(first)s)")
                    % {"value": code, "date": engine.iso(start) or "…", "first": first.at()},
                )
                continue
            seen[code, start] = row
            if code not in people:
                ctx.error(row, "staff", _("unknown staff code '%(value)s'") % {"value": code})
                continue
            self._check_unit(ctx, row, units)
            by_person[code].append(row)
        plans: list[History] = []
        for code, person_rows in by_person.items():
            ordered = sorted(person_rows, key=_start)
            person = people[code]
            self._check_history(ctx, ordered, person, units)
            if ctx.scope is not None:
                self._check_scope(ctx, ordered[0], person, units)
            plans.append(History(code, ordered))
        ctx.plans[self.key] = plans

    @staticmethod
    def _check_unit(ctx: ImportContext, row: Row, units: dict[str, UnitRef]) -> None:
        """The unit existed on every day of the assignment: on its first and last day (an
        open one on the day after the unit ended, if it did)."""
        code = row.get("unit")
        if code is None:
            return
        ref = units.get(code)
        if ref is None:
            ctx.error(row, "unit", _("unknown unit code '%(value)s'") % {"value": code})
            return
        start, end = row.get("from"), row.get("to")
        days: list[tuple[str, dt.date]] = []
        if start is not None:
            days.append(("from", start))
        if end is not None:
            days.append(("to", end))
        elif ref.valid_to is not None:
            days.append(("to", ref.valid_to + ONE_DAY))
        for name, day in days:
            refusal = rules.unit_refusal(ref, code=code, on=day, field=name)
            if refusal is not None:
                ctx.error(row, refusal.field, refusal.clause)
                return

    @staticmethod
    def _check_history(
        ctx: ImportContext, ordered: list[Row], person: Person, units: dict[str, UnitRef]
    ) -> None:
        terms = [Term(r.get("from"), r.get("to")) for r in ordered]
        for index, refusal in rules.history_refusals(
            terms, joined_on=person.joined_on, left_on=person.left_on
        ):
            ctx.error(ordered[index], refusal.field, refusal.clause)
        if person.unit is None:
            return
        day = rules.reference_day(ctx.as_of, person.left_on)
        covering = [r for r, t in zip(ordered, terms, strict=True) if rules.covers(t, day)]
        if not covering:
            ctx.error(
                ordered[-1],
                "to",
                _("no assignment covers %(date)s, when the person is in unit '%(unit)s'")
                % {"date": day.isoformat(), "unit": person.unit},
            )
        elif covering[-1].get("unit") in units and covering[-1].get("unit") != person.unit:
            ctx.error(
                covering[-1],
                "unit",
                _("'%(value)s' is not the person's unit on %(date)s ('%(unit)s', staff.unit)")
                % {"value": covering[-1].get("unit"), "date": day.isoformat(), "unit": person.unit},
            )

    @staticmethod
    def _check_scope(
        ctx: ImportContext, row: Row, person: Person, units: dict[str, UnitRef]
    ) -> None:
        """A person's history is part of their record: the writer may change it when they
        may write the person's unit (the stored one and the one on the file's date)."""
        ref = units.get(person.unit) if person.unit is not None else None
        for unit_id in {person.unit_id, ref.id if ref is not None else None} - {None}:
            if not ctx.scope.can_write_unit(unit_id):
                ctx.error(
                    row,
                    "staff",
                    _("you may not change records of staff member '%(value)s'")
                    % {"value": row.data["staff"]},
                )
                return

    # -- import: apply --------------------------------------------------------------------------
    def apply(self, ctx: ImportContext) -> Iterator[Change | Line]:
        plans: list[History] = ctx.plans.get(self.key, [])
        counts = ctx.counts.setdefault(self.key, engine.Counts())
        units = unit_ids(ctx)
        for batch in engine.chunked(plans, BATCH):
            yield from _apply_batch(list(batch), units, counts)

    # -- export ---------------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        snap = tree()
        staff_ids = exported_staff(request).values("id")
        records = []
        for code, unit_id, start, end, reason in (
            Assignment.objects.filter(staff_id__in=staff_ids)
            .order_by()
            .values_list("staff__code", "unit_id", "valid_from", "valid_to", "reason")
        ):
            info = snap.units.get(unit_id)
            records.append(
                {
                    "staff": code,
                    "from": engine.iso(start),
                    "unit": info.code if info is not None else None,
                    "to": engine.iso(end),
                    "reason": reason or None,
                }
            )
        # Sorted by the key (staff, from), an unknown first day first.
        records.sort(key=lambda r: (r["staff"], r["from"] is not None, r["from"] or ""))
        return records


def _people(ctx: ImportContext, codes: set[str]) -> dict[str, Person]:
    """The people named, from the database with the file's `staff` rows over it."""
    snap = tree()
    people: dict[str, Person] = {}
    for code, pk, unit_id, joined, left in engine.in_batches(
        sorted(codes),
        lambda b: Staff.objects.filter(code__in=b).values_list(
            "code", "id", "unit_id", "joined_on", "left_on"
        ),
    ):
        info = snap.units.get(unit_id)
        people[code] = Person(pk, info.code if info else None, unit_id, joined, left)
    for row in ctx.rows.get("staff", []):
        code = row.get("code")
        if code not in codes:
            continue
        person = people.get(code) or Person(None, None, None, None, None)
        if row.get("unit") is not None:
            person.unit = row.data["unit"]
        if row.has("joined_on"):
            person.joined_on = row.data["joined_on"]
        if row.has("left_on"):
            person.left_on = row.data["left_on"]
        people[code] = person
    return people


def _apply_batch(
    plans: list[History], units: dict[str, int], counts: engine.Counts
) -> Iterator[Change | Line]:
    """Replace the stored history of these people by the file's: rows with the same first day
    are updated in place, the others deleted or created."""
    ids = dict(Staff.objects.filter(code__in=[p.code for p in plans]).values_list("code", "id"))
    stored: dict[int, dict[dt.date | None, Assignment]] = defaultdict(dict)
    extra: list[Assignment] = []  # a second stored row with the same first day
    for assignment in Assignment.objects.filter(staff_id__in=list(ids.values())).order_by("pk"):
        same_day = stored[assignment.staff_id]
        if assignment.valid_from in same_day:
            extra.append(assignment)
        else:
            same_day[assignment.valid_from] = assignment
    changes: list[Change | Line] = []
    deleted: list[Assignment] = list(extra)
    updated: list[tuple[Assignment, dict[str, Any]]] = []
    creates: list[dict[str, Any]] = []
    now = timezone.now()
    table = Table(Assignment)
    for plan in plans:
        staff_id = ids[plan.code]
        old = stored.pop(staff_id, {})
        for row in plan.rows:
            values = {
                "unit_id": units[row.data["unit"]],
                "valid_to": row.get("to"),
                "reason": row.get("reason") or "",
            }
            current = old.pop(row.get("from"), None)
            if current is None:
                creates.append(
                    table.complete(
                        {"staff_id": staff_id, "valid_from": row.get("from"), **values}, now
                    )
                )
                counts.created += 1
            elif any(getattr(current, k) != v for k, v in values.items()):
                before = snapshot(current)
                for k, v in values.items():
                    setattr(current, k, v)
                updated.append((current, before))
                counts.updated += 1
            else:
                counts.unchanged += 1
        deleted.extend(old.values())
    for assignment in deleted:
        changes.append(Change(assignment, DELETE, snapshot(assignment), None))
    for chunk in engine.chunked([a.pk for a in deleted], BATCH):
        Assignment.objects.filter(pk__in=chunk).delete()
    if updated:
        Assignment.objects.bulk_update(
            [a for a, _b in updated], ["unit_id", "valid_to", "reason"], batch_size=BATCH
        )
        changes.extend(Change(a, UPDATE, before, snapshot(a)) for a, before in updated)
    if creates:
        table.insert(creates)
        new_ids = {
            (staff_id, start): pk
            for pk, staff_id, start in Assignment.objects.filter(
                staff_id__in=sorted({r["staff_id"] for r in creates})
            ).values_list("id", "staff_id", "valid_from")
        }
        for new in creates:
            new["id"] = new_ids[new["staff_id"], new["valid_from"]]
            changes.append(
                Line(
                    Assignment,
                    new["id"],
                    text_of(Assignment, new),
                    CREATE,
                    None,
                    snapshot_of(Assignment, new),
                )
            )
    yield from changes
