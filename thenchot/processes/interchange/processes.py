"""The `processes` section of the interchange format (keyed by `code` + `version`, with its
nested `steps`), and what the `cases` section shares with it: see the package's docstring."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.accounts.choices import Role
from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import UPDATE, Change
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import UnitRef, check_units_writable, unit_catalogue, unit_ids
from thenchot.org.selectors import in_exported_unit
from thenchot.processes import services
from thenchot.processes.choices import Level
from thenchot.processes.models import PROCESS_CODE, Case, Process, ProcessStep
from thenchot.processes.selectors import process_read_q
from thenchot.processes.services import StepSpec, check_steps

PARENT_COLUMN = "process"
BATCH = 2000
Key = tuple[str, int]

STEP_FIELDS = (
    spec.text("name", gettext_lazy("Name of the step."), required=True, max_length=300),
    spec.unit(
        "responsible_unit", gettext_lazy("Unit that carries out the step (empty: the owner unit).")
    ),
    spec.whole(
        "days", gettext_lazy("Limit of the step in working days (at least 1)."), required=True
    ),
    spec.enum(
        "responsible_role",
        Role.values,
        gettext_lazy("Role over the unit that carries out the step (empty: its staff)."),
    ),
)
STEPS = spec.nested(
    "steps",
    STEP_FIELDS,
    PARENT_COLUMN,
    gettext_lazy("List of steps (name, responsible_unit, days, responsible_role), in order."),
)
PROCESS_FIELDS = (
    spec.code(gettext_lazy("Procedure code."), check=PROCESS_CODE.error),
    spec.whole("version", gettext_lazy("Version number (default 1).")),
    spec.text("name", gettext_lazy("Name of the procedure."), required=True, max_length=500),
    spec.enum(
        "level",
        Level.values,
        gettext_lazy("department, district, commune or inter_level."),
        required=True,
    ),
    spec.unit("owner_unit", gettext_lazy("Code of the owner unit."), required=True),
    spec.date("approved_on", gettext_lazy("Date the version was approved."), required=True),
    spec.date("retired_on", gettext_lazy("Date the version stopped being in force.")),
    spec.text("decision_number", gettext_lazy("Number of the approval decision."), max_length=60),
    STEPS,
)
FLAT = ("name", "level", "owner_unit", "approved_on", "retired_on", "decision_number")
# What the prefix check of `check_steps` puts before the step it checks, so that its message
# names the step's own number.
_VALID_STEP = StepSpec("-", 1)


def refusal(error: DomainError) -> str:
    return str(error.message)


# -- processes ------------------------------------------------------------------------------------
@dataclass
class ProcessPlan:
    row: Row
    key: Key
    existing: Process | None
    values: dict[str, Any]
    steps: list[dict[str, Any]]  # name, responsible_unit (code), days, responsible_role
    changed: bool = False
    steps_changed: bool = False


@dataclass
class Stored:
    """What the database holds of one procedure version."""

    process: Process
    steps: list[dict[str, Any]] = field(default_factory=list)
    cases: int = 0
    first_received: dt.date | None = None
    last_received: dt.date | None = None


def _version(row: Row, name: str = "version") -> int:
    value = row.get(name)
    return int(value) if value is not None else 1


# An import by a person writes only the records of the units they may write.
OTHER_UNITS = gettext_lazy("you cannot import procedures of unit '%(value)s'")


@spec.section("processes", 65, gettext_lazy("Internal procedures"))
class ProcessSection(Section):
    fields = PROCESS_FIELDS
    key_fields = ("code", "version")
    key_defaults = MappingProxyType({"version": 1})

    # -- import -----------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        rows = [r for r in rows if r.get("code") is not None]
        stored = self._stored(sorted({r.data["code"] for r in rows}))
        plans: list[ProcessPlan] = []
        for row in rows:
            version = _version(row)
            if version < 1:
                ctx.error(row, "version", _("The version must be 1 or more."))
                continue
            key = (row.data["code"], version)
            found = stored.get(key)
            current = self._current(found)
            values = {n: row.data[n] if row.has(n) else current.get(n) for n in FLAT}
            values["decision_number"] = values["decision_number"] or ""
            items = engine.nested_rows(ctx, row, STEPS)
            steps = (
                [self._step(item) for item in items]
                if items is not None
                else list(found.steps if found else [])
            )
            self._check(ctx, row, values, units)
            self._check_steps(ctx, row, items, steps, units)
            plan = ProcessPlan(
                row=row,
                key=key,
                existing=found.process if found else None,
                values=values,
                steps=steps,
            )
            plan.steps_changed = found is None or found.steps != steps
            plan.changed = plan.steps_changed or current != values
            if found is not None and plan.changed:
                self._check_stored(ctx, row, found, values, steps)
            stored_unit = [found.process.owner_unit.code] if found is not None else []
            codes = [values["owner_unit"], *stored_unit]
            check_units_writable(ctx, row, "owner_unit", codes, units, OTHER_UNITS)
            plans.append(plan)
        self._check_versions(ctx, plans, stored)
        ctx.plans[self.key] = plans

    @staticmethod
    def _step(item: Row) -> dict[str, Any]:
        return {
            "name": item.get("name", ""),
            "responsible_unit": item.get("responsible_unit"),
            "days": item.get("days"),
            "responsible_role": item.get("responsible_role", ""),
        }

    @staticmethod
    def _current(found: Stored | None) -> dict[str, Any]:
        if found is None:
            return {"decision_number": ""}
        p = found.process
        return {
            "name": p.name,
            "level": p.level,
            "owner_unit": p.owner_unit.code,
            "approved_on": p.approved_on,
            "retired_on": p.retired_on,
            "decision_number": p.decision_number,
        }

    @staticmethod
    def _stored(codes: list[str]) -> dict[Key, Stored]:
        """The stored versions of `codes`, their steps and their cases' first and last
        received dates: three queries per batch of codes."""
        out: dict[Key, Stored] = {}
        for batch in engine.chunked(codes, BATCH):
            by_id: dict[int, Stored] = {}
            for p in Process.objects.filter(code__in=batch).select_related("owner_unit"):
                by_id[p.pk] = out[(p.code, p.number)] = Stored(p)
            for pid, name, unit, days, role in (
                ProcessStep.objects.filter(process_id__in=list(by_id))
                .order_by("process_id", "position")
                .values_list(
                    "process_id", "name", "responsible_unit__code", "days", "responsible_role"
                )
            ):
                by_id[pid].steps.append(
                    {"name": name, "responsible_unit": unit, "days": days, "responsible_role": role}
                )
            for pid, n, first, last in (
                Case.objects.filter(process_id__in=list(by_id))
                .values("process_id")
                .annotate(n=Count("id"), first=Min("received_on"), last=Max("received_on"))
                .values_list("process_id", "n", "first", "last")
                .order_by()
            ):
                by_id[pid].cases = n
                by_id[pid].first_received, by_id[pid].last_received = first, last
        return out

    @staticmethod
    def _check(
        ctx: ImportContext, row: Row, values: dict[str, Any], units: dict[str, UnitRef]
    ) -> None:
        owner = values["owner_unit"]
        if owner is not None and owner not in units:
            ctx.error(row, "owner_unit", _("unknown unit code '%(value)s'") % {"value": owner})
        dates = (values["approved_on"], values["retired_on"])
        message = _("'%(value)s' is before the approval on %(date)s.")
        spec.not_before(ctx, row, "retired_on", dates, message)

    @staticmethod
    def _check_steps(
        ctx: ImportContext,
        row: Row,
        items: list[Row] | None,
        steps: list[dict[str, Any]],
        units: dict[str, UnitRef],
    ) -> None:
        if not steps:
            try:
                check_steps([])
            except DomainError as error:
                ctx.error(row, "steps", refusal(error))
            return
        for index, step in enumerate(steps):
            item = items[index] if items is not None else None
            spec = StepSpec(step["name"] or "", step["days"], None, step["responsible_role"] or "")
            if step["days"] is not None:
                try:
                    check_steps([_VALID_STEP] * index + [spec])
                except DomainError as error:
                    if item is not None:
                        ctx.error(item, "days" if spec.name.strip() else "name", refusal(error))
                    else:
                        ctx.error(row, "steps", refusal(error))
            unit = step["responsible_unit"]
            if item is not None and unit is not None and unit not in units:
                ctx.error(
                    item, "responsible_unit", _("unknown unit code '%(value)s'") % {"value": unit}
                )

    @staticmethod
    def _check_stored(
        ctx: ImportContext,
        row: Row,
        found: Stored,
        values: dict[str, Any],
        steps: list[dict[str, Any]],
    ) -> None:
        """The services' rules on a version already stored: a retired version is frozen; the
        steps of a version with cases are kept; its cases stay within its dates."""
        try:
            services._require_not_retired(found.process)
        except DomainError as error:
            ctx.error(row, None, refusal(error))
            return
        p = found.process
        if found.cases and steps != found.steps:
            ctx.error(
                row,
                "steps",
                _(
                    "Cases were started on version %(version)s of %(code)s: approve a new version to change its steps."
                )
                % {"version": p.number, "code": p.code},
            )
        approved, retired = values["approved_on"], values["retired_on"]
        if found.first_received and approved and found.first_received < approved:
            ctx.error(
                row,
                "approved_on",
                _("Cases were received before %(date)s on this version.")
                % {"date": engine.iso(approved)},
            )
        if found.last_received and retired and found.last_received >= retired:
            later = (
                Case.objects.filter(process_id=p.pk, received_on__gte=retired)
                .order_by("received_on", "code")
                .values_list("code", "received_on")
                .first()
            )
            if later is not None:
                ctx.error(
                    row,
                    "retired_on",
                    _("Case %(case)s was received on %(date)s, on or after that date.")
                    % {"case": later[0], "date": engine.iso(later[1])},
                )

    @staticmethod
    def _check_versions(
        ctx: ImportContext, plans: list[ProcessPlan], stored: dict[Key, Stored]
    ) -> None:
        """One version of a code in force on a day (a case takes the version in force when it
        is received): each version approved after the one before, which is retired by then."""
        dates: dict[str, dict[int, tuple[dt.date, dt.date | None, Row | None]]] = defaultdict(dict)
        for (code, number), found in stored.items():
            dates[code][number] = (found.process.approved_on, found.process.retired_on, None)
        for plan in plans:
            approved = plan.values["approved_on"]
            if approved is not None:
                dates[plan.key[0]][plan.key[1]] = (approved, plan.values["retired_on"], plan.row)
        for code, versions in dates.items():
            numbers = sorted(versions)
            for before, after in zip(numbers, numbers[1:], strict=False):
                approved, retired, earlier = versions[before]
                next_approved, _retired, later = versions[after]
                if earlier is None and later is None:
                    continue  # both stored: the services kept them apart
                row = later or earlier
                assert row is not None
                if next_approved <= approved:
                    ctx.error(
                        row,
                        "approved_on",
                        _(
                            "The new version must be approved after %(date)s, the approval of version %(version)s."
                        )
                        % {"date": engine.iso(approved), "version": before},
                    )
                elif retired is None or retired > next_approved:
                    ctx.error(
                        earlier or row,
                        "retired_on" if earlier is not None else "approved_on",
                        _(
                            "Version %(version)s of %(code)s is still in force on %(date)s, when version %(next)s is approved: retire it by then."
                        )
                        % {
                            "version": before,
                            "code": code,
                            "date": engine.iso(next_approved),
                            "next": after,
                        },
                    )

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, engine.Counts())
        ids = unit_ids(ctx)
        for plan in spec.changed_only(ctx.plans.get(self.key, []), counts):
            v = plan.values
            process = plan.existing
            before = services.snap(process) if process is not None else None
            process = process or Process(code=plan.key[0], number=plan.key[1])
            process.name = v["name"]
            process.level = v["level"]
            process.owner_unit_id = ids[v["owner_unit"]]
            process.approved_on = v["approved_on"]
            process.retired_on = v["retired_on"]
            process.decision_number = v["decision_number"]
            if before is not None:
                process.version += 1
            process.save()
            if not plan.steps_changed:
                counts.updated += 1
                yield Change(process, UPDATE, before, services.snap(process))
                continue
            specs = [
                StepSpec(
                    s["name"],
                    s["days"],
                    ids[s["responsible_unit"]] if s["responsible_unit"] else None,
                    s["responsible_role"] or "",
                )
                for s in plan.steps
            ]
            step_changes = list(services._write_steps(process, specs))
            process.save(update_fields=["total_days"])
            yield spec.counted_change(counts, process, before, services.snap(process))
            yield from step_changes

    # -- export -----------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = spec.readable(Process.objects.select_related("owner_unit"), request, process_read_q)
        if qs is None:
            return []
        qs = unit_filter(qs, request, "owner_unit_id")
        # A procedure belongs to a range when it was in force on a day of it.
        qs = spec.in_force(qs, request, "approved_on", "retired_on")
        processes = list(qs.order_by("code", "number"))
        steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for pid, name, unit, days, role in engine.in_batches(
            [p.pk for p in processes],
            lambda batch: (
                ProcessStep.objects.filter(process_id__in=batch)
                .order_by("process_id", "position")
                .values_list(
                    "process_id", "name", "responsible_unit__code", "days", "responsible_role"
                )
            ),
        ):
            steps[pid].append(
                {
                    "name": name,
                    "responsible_unit": unit,
                    "days": days,
                    "responsible_role": role or None,
                }
            )
        return [
            {
                "code": p.code,
                "version": p.number,
                "name": p.name,
                "level": p.level,
                "owner_unit": p.owner_unit.code,
                "approved_on": engine.iso(p.approved_on),
                "retired_on": engine.iso(p.retired_on),
                "decision_number": p.decision_number or None,
                "steps": steps.get(p.pk, []),
            }
            for p in processes
        ]


# An export narrowed to a unit's subtree (the processes, cases and surveys sections).
unit_filter = in_exported_unit
