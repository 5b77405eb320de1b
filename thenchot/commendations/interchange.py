"""The `commendations` section of the interchange format (shared/spec/interchange.md).

Keyed by `code`; a commendation names a `staff` member or a `unit` — exactly one, checked with
the services' own check (`services.commendation_problems`), so a row for both at once or for
neither is refused naming the values, and the whole import with it. Beyond the spec's fields the
section carries `decision_number` (the link to the quota overrides an agency's commendation led
to) and `issued_by` (the signing authority). An import by a person touches only the people and
units they may commend (`selectors.can_commend`); the system (the command line) touches any.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.commendations import services
from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.models import COMMENDATION_CODE, Commendation
from thenchot.commendations.selectors import (
    can_commend,
    commendations_queryset,
    in_units_q,
    overrides_of,
)
from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.discipline.interchange import staff_catalogue, staff_ids
from thenchot.org.interchange import selected_unit_ids, unit_catalogue, unit_ids
from thenchot.org.tree import tree
from thenchot.people.models import Staff

BATCH = 2000


@spec.section("commendations", 76, gettext_lazy("Commendations"))
class CommendationSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique commendation code."), check=COMMENDATION_CODE.error),
        spec.staff(
            gettext_lazy("Code of the staff member commended (or give a unit, not both)."),
            required=False,
        ),
        spec.unit(
            "unit", gettext_lazy("Code of the unit commended (or give a staff member, not both).")
        ),
        spec.enum(
            "kind",
            CommendationKind.values,
            gettext_lazy(
                "certificate, merit_certificate, emulation_fighter, emulation_flag, medal or other."
            ),
            required=True,
        ),
        spec.date("decided_on", gettext_lazy("Date of the decision."), required=True),
        spec.text("reason", gettext_lazy("Why it was given (free text)."), max_length=4000),
        spec.flag(
            "innovation", gettext_lazy("True for an innovation: dared to think, dared to act.")
        ),
        spec.text(
            "decision_number",
            gettext_lazy("Number of the decision (links a quota override to it)."),
            max_length=120,
        ),
        spec.text(
            "issued_by", gettext_lazy("The authority that signed the decision."), max_length=200
        ),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        staff = staff_catalogue(ctx)
        units = unit_catalogue(ctx)
        rows, existing = spec.stored_by_code(rows, Commendation.objects.select_related("unit"))
        today = services.today()
        plans: list[tuple[Row, Commendation | None]] = []
        for row in rows:
            person, unit = row.get("staff"), row.get("unit")
            ok = spec.known(ctx, row, "staff", staff, "staff")
            ok = spec.known(ctx, row, "unit", units, "units") and ok
            problems = services.commendation_problems(
                staff_code=person,
                unit_code=unit,
                kind=row.get("kind"),
                decided_on=row.get("decided_on"),
                on=today,
            )
            seen: set[str] = set()
            for name, message in problems:
                if message not in seen:  # both given: one error, on the first of the two
                    seen.add(message)
                    ctx.error(row, name, message)
            ok = ok and not problems
            old = existing.get(row.data["code"])
            if ok and old is not None:
                self._check_link(ctx, row, old)
            if ok and ctx.scope is not None:
                self._check_scope(ctx, row, person, unit)
            plans.append((row, old))
        ctx.plans[self.key] = plans

    @staticmethod
    def _check_link(ctx: ImportContext, row: Row, old: Commendation) -> None:
        """A commendation that gave a quota keeps its unit, decision number and date."""
        new = (
            row.get("unit"),
            (row.get("decision_number") or "").strip(),
            row.get("decided_on"),
        )
        was = (old.unit.code if old.unit else None, old.decision_number, old.decided_on)
        if new != was and overrides_of(old):
            ctx.error(
                row,
                "decision_number",
                _(
                    "commendation '%(value)s' gave a quota override on decision '%(number)s': its "
                    "unit, decision number and date can no longer change"
                )
                % {"value": old.code, "number": old.decision_number},
            )

    @staticmethod
    def _check_scope(ctx: ImportContext, row: Row, person: str | None, unit: str | None) -> None:
        scope = ctx.scope
        unit_id: int | None
        if person is not None:
            unit_of = ctx.shared.get("commendations.staff_unit")
            if unit_of is None:
                unit_of = dict(
                    engine.in_batches(
                        list(staff_catalogue(ctx)),
                        lambda b: Staff.objects.filter(code__in=b).values_list("code", "unit_id"),
                    )
                )
                ctx.shared["commendations.staff_unit"] = unit_of
            unit_id = unit_of.get(person)
            if unit_id is None:  # a person the file creates: their unit in the file
                staff_row = next(
                    (r for r in ctx.rows.get("staff", []) if r.get("code") == person), None
                )
                code = staff_row.get("unit") if staff_row is not None else None
                unit_id = unit_catalogue(ctx)[code].id if code in unit_catalogue(ctx) else None
            field, value = "staff", str(person)
        else:
            unit_id = unit_catalogue(ctx)[unit].id if unit is not None else None
            field, value = "unit", str(unit)
        if unit_id is not None and not can_commend(scope, unit_id):
            ctx.error(
                row,
                field,
                _("you may not record commendations of '%(value)s'") % {"value": value},
            )

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        plans = ctx.plans.get(self.key, [])
        if not plans:
            return
        people = staff_ids(ctx)
        units = unit_ids(ctx)
        items: list[tuple[Commendation | None, dict[str, Any], dict[str, Any]]] = []
        for row, old in plans:
            data = row.data
            person, unit = data.get("staff"), data.get("unit")
            values = {
                "staff_id": people[person] if person else None,
                "unit_id": units[unit] if unit else None,
                "kind": data["kind"],
                "decision_number": (data.get("decision_number") or "").strip(),
                "decided_on": data["decided_on"],
                "issued_by": (data.get("issued_by") or "").strip(),
                "reason": (data.get("reason") or "").strip(),
                "innovation": bool(data.get("innovation")),
            }
            items.append((old, {"code": data["code"]} if old is None else {}, values))
        yield from spec.upsert(ctx, self.key, Commendation, items, batch_size=BATCH)

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Commendation.objects.all()
        if request.scope is not None:
            qs = commendations_queryset(request.scope)
        if request.unit_code or request.params.get("unit"):
            qs = qs.filter(in_units_q(selected_unit_ids(tree(), request)))
        qs = spec.in_range(qs, request, "decided_on")
        paths = {"staff": "staff__code", "unit": "unit__code"}
        return spec.exported(self.fields, qs.order_by("code"), paths)


spec.register(CommendationSection())
