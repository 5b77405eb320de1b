"""The `leaves` and `rotations` sections of the interchange format.

`rotations` are history (interchange.md): `staff.unit` is the person's unit on the file's
`as_of`, and past moves must end there. Importing a rotation records the assignment history —
the person was in `from_unit` until the day before `effective_on` — by splitting the
assignment that covers `effective_on`, without moving anyone again. A rotation already recorded
keeps its person, units and date; only its kind and decision number may change.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, UPDATE, Change, snapshot
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.discipline.interchange import check_staff_scope, staff_catalogue, staff_ids
from thenchot.org.interchange import in_selected_units, unit_catalogue, unit_ids
from thenchot.org.tree import tree
from thenchot.people.choices import LeaveKind
from thenchot.people.interchange.history import file_histories
from thenchot.people.models import Assignment, Leave, Staff
from thenchot.rotation.choices import RotationKind
from thenchot.rotation.models import Rotation

BATCH = 2000
DAY = dt.timedelta(days=1)


# -- leaves ---------------------------------------------------------------------------------------
@spec.section("leaves", 35, gettext_lazy("Leaves"))
class LeaveSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique leave code."), max_length=40),
        spec.staff(),
        spec.enum(
            "kind",
            LeaveKind.values,
            gettext_lazy("Maternity, sick, study, secondment, unpaid or other."),
            required=True,
        ),
        spec.date("from", gettext_lazy("First day."), required=True),
        spec.date("to", gettext_lazy("Last day."), required=True),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        staff = staff_catalogue(ctx)
        rows, existing = spec.stored_by_code(rows, Leave.objects.select_related("staff"))
        plans = []
        for row in rows:
            code = row.get("staff")
            spec.known(ctx, row, "staff", staff, "staff")
            spec.not_before(
                ctx,
                row,
                "to",
                (row.get("from"), row.get("to")),
                _("'%(value)s' is before the first day %(date)s"),
            )
            old = existing.get(row.data["code"])
            if old is not None and code is not None and old.staff.code != code:
                ctx.error(
                    row,
                    "staff",
                    _("leave '%(value)s' belongs to staff member '%(other)s'; it cannot move")
                    % {"value": row.data["code"], "other": old.staff.code},
                )
            if code is not None:
                check_staff_scope(ctx, row, code)
            plans.append((row, old))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        ids = staff_ids(ctx)
        yield from spec.upsert(
            ctx,
            self.key,
            Leave,
            (
                (
                    old,
                    {"code": row.data["code"], "staff_id": ids[row.data["staff"]]},
                    {
                        "kind": row.data["kind"],
                        "date_from": row.data["from"],
                        "date_to": row.data["to"],
                    },
                )
                for row, old in ctx.plans.get(self.key, [])
            ),
            batch_size=BATCH,
        )

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Leave.objects.all()
        if request.scope is not None:
            readable = request.scope.restrict_staff(Staff.objects.all()).values("pk")
            qs = qs.filter(staff_id__in=readable)
        qs = in_selected_units(qs, request, "staff__unit_id")
        qs = spec.in_force(qs, request, "date_from", "date_to")  # `date_to` is never empty
        paths = {"staff": "staff__code", "from": "date_from", "to": "date_to"}
        return spec.exported(self.fields, qs.order_by("code"), paths)


# -- rotations ------------------------------------------------------------------------------------
@dataclass
class Stint:
    """An assignment while the history is being rebuilt: unit by code, id None when new."""

    id: int | None
    unit: str
    start: dt.date | None
    end: dt.date | None
    note: str = ""

    def covers(self, on: dt.date) -> bool:
        return (self.start is None or self.start <= on) and (self.end is None or on <= self.end)


@dataclass(frozen=True)
class Move:
    code: str
    from_unit: str
    to_unit: str
    effective_on: dt.date


def split_history(stints: list[Stint], moves: list[Move]) -> list[tuple[Move, str]]:
    """Record `moves` in `stints` (in place), latest first; returns (move, problem) pairs.

    The stint covering a move's date must be in its target unit: if it began earlier it is
    split (from-unit until the day before, target unit from the date); if it begins on the date,
    the day before must already be in the from-unit.
    """
    problems: list[tuple[Move, str]] = []
    for move in sorted(moves, key=lambda m: (m.effective_on, m.code), reverse=True):
        on = move.effective_on
        current = next((s for s in stints if s.covers(on)), None)
        if current is None:
            problems.append((move, _("the person had no assignment on %(date)s")))
            continue
        if current.unit != move.to_unit:
            problems.append(
                (move, _("the person was in unit '%(unit)s' on %(date)s, not in the target unit"))
            )
            continue
        if current.start is not None and current.start >= on:
            before = next((s for s in stints if s.covers(on - DAY)), None)
            if before is None or before.unit != move.from_unit:
                problems.append(
                    (move, _("the person was not in unit '%(from)s' the day before %(date)s"))
                )
            continue
        stints.append(
            Stint(None, move.from_unit, current.start, on - DAY, _("Rotation %s") % move.code)
        )
        current.start = on
    return problems


@spec.section("rotations", 45, gettext_lazy("Rotations"))
class RotationSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique rotation code.")),
        spec.staff(),
        spec.enum(
            "kind",
            RotationKind.values,
            gettext_lazy("Kind of move; cadre_rotation for a leader."),
            required=True,
        ),
        spec.unit("from_unit", gettext_lazy("Left."), required=True),
        spec.unit("to_unit", gettext_lazy("Joined."), required=True),
        spec.date("effective_on", gettext_lazy("First day in the new post."), required=True),
        spec.text("decision_number", gettext_lazy("Number of the decision."), max_length=60),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        staff = staff_catalogue(ctx)
        units = unit_catalogue(ctx)
        rows, existing = spec.stored_by_code(
            rows, Rotation.objects.select_related("staff", "from_unit", "to_unit")
        )
        plans: list[tuple[Row, Rotation | None]] = []
        moves: dict[str, list[tuple[Row, Move]]] = defaultdict(list)
        for row in rows:
            code = row.data["code"]
            person = row.get("staff")
            ok = spec.known(ctx, row, "staff", staff, "staff") and person is not None
            for name in ("from_unit", "to_unit"):
                ok = spec.known(ctx, row, name, units, "units") and ok
            kind, src, dst = row.get("kind"), row.get("from_unit"), row.get("to_unit")
            on = row.get("effective_on")
            if kind == RotationKind.BETWEEN_FIELDS and src and dst and src != dst:
                ctx.error(
                    row,
                    "to_unit",
                    _("a move between fields stays in the division: '%(value)s' is not '%(from)s'")
                    % {"value": dst, "from": src},
                )
                ok = False
            elif kind and kind != RotationKind.BETWEEN_FIELDS and src and src == dst:
                ctx.error(
                    row,
                    "to_unit",
                    _("'%(value)s' is the unit the person leaves") % {"value": dst},
                )
                ok = False
            if on is not None and on > ctx.as_of:
                ctx.error(
                    row,
                    "effective_on",
                    _("'%(value)s' is after the file's date %(date)s: rotations are history")
                    % {"value": on.isoformat(), "date": ctx.as_of.isoformat()},
                )
                ok = False
            old = existing.get(code)
            if old is not None:
                fixed = (old.staff.code, old.from_unit.code, old.to_unit.code, old.effective_on)
                if fixed != (person, src, dst, on):
                    ctx.error(
                        row,
                        "code",
                        _(
                            "rotation '%(value)s' is recorded for another person, units or date;"
                            " only its kind and decision number can change"
                        )
                        % {"value": code},
                    )
            elif ok and on is not None and kind != RotationKind.BETWEEN_FIELDS:
                moves[person].append((row, Move(code, src, dst, on)))
            if person is not None:
                check_staff_scope(ctx, row, person)
            plans.append((row, old))
        ctx.plans[self.key] = plans
        if moves:
            self._check_history(ctx, moves)

    def _check_history(self, ctx: ImportContext, moves: dict[str, list[tuple[Row, Move]]]) -> None:
        """Rebuild each person's history in memory as it will be after the staff section, and
        check that the moves fit it."""
        stints = self._stints_after_staff(ctx, list(moves))
        given = file_histories(ctx)
        for person, pairs in moves.items():
            by_code = {m.code: r for r, m in pairs}
            known = len(stints.get(person, []))
            found = split_history(stints.get(person, []), [m for _r, m in pairs])
            if person in given:
                # The file gives this person's history as it stands: a move it does not show
                # would rewrite it (split_history added the stint before the move).
                added = {s.end for s in stints[person][known:]}
                for row, move in pairs:
                    if move.effective_on - DAY in added:
                        ctx.error(
                            row,
                            "effective_on",
                            _("the person's assignments in this file do not show this move"),
                        )
            for move, problem in found:
                ctx.error(
                    by_code[move.code],
                    "effective_on",
                    problem
                    % {
                        "date": move.effective_on.isoformat(),
                        "unit": self._unit_on(stints.get(person, []), move.effective_on),
                        "from": move.from_unit,
                    },
                )

    @staticmethod
    def _unit_on(stints: list[Stint], on: dt.date) -> str:
        for s in stints:
            if s.covers(on):
                return s.unit
        return "?"

    def _stints_after_staff(self, ctx: ImportContext, people: list[str]) -> dict[str, list[Stint]]:
        snap = tree()
        out: dict[str, list[Stint]] = defaultdict(list)
        for pk, person, unit_id, start, end in engine.in_batches(
            people,
            lambda b: Assignment.objects.filter(staff__code__in=b).values_list(
                "id", "staff__code", "unit_id", "valid_from", "valid_to"
            ),
        ):
            info = snap.units.get(unit_id)
            out[person].append(Stint(pk, info.code if info else "?", start, end))
        wanted = set(people)
        # People whose history the file gives have it as given (the staff section makes no
        # transfer for them).
        given = file_histories(ctx)
        for person, history in given.items():
            if person in wanted:
                out[person] = [Stint(None, unit, start, end) for unit, start, end in history]
        for row in ctx.rows.get("staff", []):
            person, unit = row.get("code"), row.get("unit")
            if person not in wanted or unit is None or person in given:
                continue
            stints = out[person]
            if not stints:
                stints.append(Stint(None, unit, row.get("joined_on"), None))
                continue
            current = next((s for s in stints if s.end is None), None)
            if current is not None and current.unit != unit:
                # The staff section moves the person on as_of (same rule as there).
                if current.start is not None and current.start >= ctx.as_of:
                    current.unit, current.start = unit, ctx.as_of
                else:
                    current.end = ctx.as_of - DAY
                    stints.append(Stint(None, unit, ctx.as_of, None))
        return out

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        ids = staff_ids(ctx)
        units = unit_ids(ctx)
        items: list[tuple[Rotation | None, dict[str, Any], dict[str, Any]]] = []
        moves: dict[str, list[Move]] = defaultdict(list)
        for row, old in ctx.plans.get(self.key, []):
            data = row.data
            # Only these may change on a recorded rotation (checked in plan).
            values = {"kind": data["kind"], "decision_number": data.get("decision_number") or ""}
            if old is not None:
                items.append((old, {}, values))
                continue
            keys = {
                "code": data["code"],
                "staff_id": ids[data["staff"]],
                "from_unit_id": units[data["from_unit"]],
                "to_unit_id": units[data["to_unit"]],
                "effective_on": data["effective_on"],
            }
            items.append((None, keys, values))
            if data["kind"] != RotationKind.BETWEEN_FIELDS:
                moves[data["staff"]].append(
                    Move(data["code"], data["from_unit"], data["to_unit"], data["effective_on"])
                )
        yield from spec.upsert(ctx, self.key, Rotation, items, batch_size=BATCH)
        if moves:
            yield from self._record_history(moves, ids, units)

    def _record_history(
        self, moves: dict[str, list[Move]], ids: dict[str, int], units: dict[str, int]
    ) -> Iterator[Change]:
        code_of = {v: k for k, v in units.items()}
        person_ids = [ids[p] for p in moves]
        current: dict[int, list[Assignment]] = defaultdict(list)
        for assignment in engine.in_batches(
            person_ids, lambda b: Assignment.objects.filter(staff_id__in=b)
        ):
            current[assignment.staff_id].append(assignment)
        for person, person_moves in moves.items():
            staff_id = ids[person]
            rows = {a.pk: a for a in current[staff_id]}
            stints = [
                Stint(a.pk, code_of[a.unit_id], a.valid_from, a.valid_to) for a in rows.values()
            ]
            split_history(stints, person_moves)  # checked in plan: no problems here
            for stint in stints:
                if stint.id is None:
                    created = Assignment.objects.create(
                        staff_id=staff_id,
                        unit_id=units[stint.unit],
                        valid_from=stint.start,
                        valid_to=stint.end,
                        note=stint.note[:200],
                    )
                    yield Change(created, CREATE, None, snapshot(created))
                    continue
                row = rows[stint.id]
                if (row.valid_from, row.valid_to) != (stint.start, stint.end):
                    before = snapshot(row)
                    row.valid_from, row.valid_to = stint.start, stint.end
                    row.save(update_fields=["valid_from", "valid_to"])
                    yield Change(row, UPDATE, before, snapshot(row))

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Rotation.objects.all()
        if request.scope is not None:
            from thenchot.rotation.selectors import rotations_queryset

            qs = rotations_queryset(request.scope)
        qs = in_selected_units(qs, request, "from_unit_id", "to_unit_id")
        qs = spec.in_range(qs, request, "effective_on")
        paths = {"staff": "staff__code", "from_unit": "from_unit__code", "to_unit": "to_unit__code"}
        return spec.exported(self.fields, qs.order_by("code"), paths)


spec.register(LeaveSection(), RotationSection())
