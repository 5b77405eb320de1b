"""The `processes` and `cases` sections of the interchange format (`shared/spec/interchange.md`).

`processes` are keyed by (`code`, `version`; version default 1): each version is a record of its
own, with its `steps` (a nested list: JSON list, or the XLSX sheet `steps` whose first columns
`process` and `process_version` name the parent). `cases` name their procedure by code and,
optionally, version (default: the version in force on `received_on`); `step_completions` is the
list of the dates the case's steps were finished, in order (XLSX: dates separated by `;`).
The project adds `decision_number` (processes) and `responsible_role` (steps), so that a backup
keeps what the pages record.

The refusals are the services' (`processes.services`): a step of zero or negative days, a
procedure with no step, a retired version changed, the steps of a version with cases changed,
a case received before its version was approved or on or after it was retired, a step finished
before it started. What only a file can say is checked here too: two versions of a code in force
on the same day, completions after the case was completed or more of them than steps.

Cases are written in bulk (a city holds about a million): their due dates and the steps' dates
are computed on the working-day calendar as it stands once the file's `holidays` are written,
through the same `plan_steps` the services use. Every case created or changed is audited.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.db.models import Count, Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.accounts.choices import Role
from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change
from thenchot.core.errors import DomainError
from thenchot.core.interchange import (
    CODE,
    CODES,
    DATE,
    INT,
    NESTED,
    STR,
    Counts,
    ExportRequest,
    Field,
    ImportContext,
    Row,
    Section,
    chunked,
    code_field,
    enum_field,
    in_batches,
    iso,
    nested_rows,
)
from thenchot.core.registry import interchange_sections
from thenchot.org.interchange import UnitRef, unit_catalogue, unit_ids
from thenchot.org.tree import tree
from thenchot.processes import services
from thenchot.processes.choices import Level
from thenchot.processes.models import CASE_CODE, PROCESS_CODE, Case, CaseStep, Process, ProcessStep
from thenchot.processes.selectors import process_read_q
from thenchot.processes.services import StepSpec, check_received, check_steps, plan_steps
from thenchot.processes.workdays import calendar, due_after

PARENT_COLUMN = "process"
BATCH = 2000
Key = tuple[str, int]

STEP_FIELDS = (
    Field("name", STR, required=True, max_length=300, help=gettext_lazy("Name of the step.")),
    Field(
        "responsible_unit",
        CODE,
        max_length=40,
        ref="units",
        help=gettext_lazy("Unit that carries out the step (empty: the owner unit)."),
    ),
    Field(
        "days",
        INT,
        required=True,
        help=gettext_lazy("Limit of the step in working days (at least 1)."),
    ),
    enum_field(
        "responsible_role",
        Role.values,
        gettext_lazy("Role over the unit that carries out the step (empty: its staff)."),
    ),
)
STEPS = Field(
    "steps",
    NESTED,
    items=STEP_FIELDS,
    parent_column=PARENT_COLUMN,
    help=gettext_lazy("List of steps (name, responsible_unit, days, responsible_role), in order."),
)
PROCESS_FIELDS = (
    code_field(gettext_lazy("Procedure code."), check=PROCESS_CODE.error),
    Field("version", INT, help=gettext_lazy("Version number (default 1).")),
    Field("name", STR, required=True, max_length=500, help=gettext_lazy("Name of the procedure.")),
    enum_field(
        "level",
        Level.values,
        gettext_lazy("department, district, commune or inter_level."),
        required=True,
    ),
    Field(
        "owner_unit", CODE, required=True, max_length=40, ref="units", help=gettext_lazy("Owner.")
    ),
    Field("approved_on", DATE, required=True, help=gettext_lazy("Date the version was approved.")),
    Field("retired_on", DATE, help=gettext_lazy("Date the version stopped being in force.")),
    Field(
        "decision_number",
        STR,
        max_length=60,
        help=gettext_lazy("Number of the approval decision."),
    ),
    STEPS,
)
CASE_FIELDS = (
    code_field(gettext_lazy("Unique case code."), check=CASE_CODE.error),
    Field(
        "process",
        CODE,
        required=True,
        max_length=60,
        ref="processes",
        help=gettext_lazy("Procedure code."),
    ),
    Field(
        "process_version",
        INT,
        help=gettext_lazy("Version of the procedure (default: the one in force when received)."),
    ),
    Field("received_on", DATE, required=True, help=gettext_lazy("Date the case was received.")),
    Field("completed_on", DATE, help=gettext_lazy("Date the case was completed.")),
    Field(
        "step_completions",
        CODES,
        help=gettext_lazy("Dates the steps were finished, one per finished step, in order."),
    ),
)
FLAT = ("name", "level", "owner_unit", "approved_on", "retired_on", "decision_number")
# What the prefix check of `check_steps` puts before the step it checks, so that its message
# names the step's own number.
_VALID_STEP = StepSpec("-", 1)


def _refusal(error: DomainError) -> str:
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


class ProcessSection(Section):
    key = "processes"
    order = 65
    title = gettext_lazy("Internal procedures")
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
            items = nested_rows(ctx, row, STEPS)
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
            self._check_scope(ctx, row, values, units, found)
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
        for batch in chunked(codes, BATCH):
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
        approved, retired = values["approved_on"], values["retired_on"]
        if approved is not None and retired is not None and retired < approved:
            ctx.error(
                row,
                "retired_on",
                _("'%(value)s' is before the approval on %(date)s.")
                % {"value": iso(retired), "date": iso(approved)},
            )

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
                ctx.error(row, "steps", _refusal(error))
            return
        for index, step in enumerate(steps):
            item = items[index] if items is not None else None
            spec = StepSpec(step["name"] or "", step["days"], None, step["responsible_role"] or "")
            if step["days"] is not None:
                try:
                    check_steps([_VALID_STEP] * index + [spec])
                except DomainError as error:
                    if item is not None:
                        ctx.error(item, "days" if spec.name.strip() else "name", _refusal(error))
                    else:
                        ctx.error(row, "steps", _refusal(error))
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
            ctx.error(row, None, _refusal(error))
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
                _("Cases were received before %(date)s on this version.") % {"date": iso(approved)},
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
                    % {"case": later[0], "date": iso(later[1])},
                )

    @staticmethod
    def _check_scope(
        ctx: ImportContext,
        row: Row,
        values: dict[str, Any],
        units: dict[str, UnitRef],
        found: Stored | None,
    ) -> None:
        scope = ctx.scope
        if scope is None or scope.city_wide:
            return
        codes = [values["owner_unit"]]
        if found is not None:
            codes.append(found.process.owner_unit.code)
        for code in codes:
            ref = units.get(code or "")
            if ref is None or ref.id is None or ref.id not in scope.write_units:
                ctx.error(
                    row,
                    "owner_unit",
                    _("you cannot import procedures of unit '%(value)s'") % {"value": code},
                )
                return

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
                        % {"date": iso(approved), "version": before},
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
                            "date": iso(next_approved),
                            "next": after,
                        },
                    )

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, Counts())
        ids = unit_ids(ctx)
        for plan in ctx.plans.get(self.key, []):
            if not plan.changed:
                counts.unchanged += 1
                continue
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
            if before is None:
                counts.created += 1
                yield Change(process, CREATE, None, services.snap(process))
            else:
                counts.updated += 1
                yield Change(process, UPDATE, before, services.snap(process))
            yield from step_changes

    # -- export -----------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Process.objects.select_related("owner_unit")
        scope = request.scope
        if scope is not None:
            if scope.user_id is None:
                return []
            qs = qs.filter(process_read_q(scope))
        qs = _unit_filter(qs, request, "owner_unit_id")
        # A procedure belongs to a range when it was in force on a day of it.
        if request.date_to:
            qs = qs.filter(approved_on__lte=request.date_to)
        if request.date_from:
            qs = qs.exclude(retired_on__lt=request.date_from)
        processes = list(qs.order_by("code", "number"))
        steps: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for pid, name, unit, days, role in in_batches(
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
                "approved_on": iso(p.approved_on),
                "retired_on": iso(p.retired_on),
                "decision_number": p.decision_number or None,
                "steps": steps.get(p.pk, []),
            }
            for p in processes
        ]


def _unit_filter(qs: Any, request: ExportRequest, path: str) -> Any:
    code = request.unit_code or request.params.get("unit") or None
    if not code:
        return qs
    snap = tree()
    unit_id = snap.by_code.get(str(code))
    if unit_id is None:
        raise DomainError(_("unknown unit code '%(value)s'") % {"value": code})
    return qs.filter(**{f"{path}__in": sorted(snap.subtree_on(unit_id, request.as_of))})


# -- cases ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Version:
    """A procedure version as the cases see it after the import: stored or from the file."""

    code: str
    number: int
    approved_on: dt.date
    retired_on: dt.date | None
    steps: int
    owner_unit: str


@dataclass
class CasePlan:
    row: Row
    existing: tuple[Any, ...] | None  # (id, process key, received, completed, completions)
    key: Key
    received_on: dt.date
    completed_on: dt.date | None
    completions: list[dt.date]


class CaseSection(Section):
    key = "cases"
    order = 66
    title = gettext_lazy("Cases")
    fields = CASE_FIELDS

    # -- import -----------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        units = unit_catalogue(ctx)
        rows = [r for r in rows if r.get("code") is not None]
        versions = self._versions(
            ctx, sorted({r.data["process"] for r in rows if r.get("process")})
        )
        existing = self._existing([r.data["code"] for r in rows])
        plans: list[CasePlan] = []
        for row in rows:
            code, received = row.get("process"), row.get("received_on")
            if code is None or received is None:
                continue
            version = self._version_of(ctx, row, code, received, versions)
            if version is None:
                continue
            try:
                check_received(
                    Process(
                        code=version.code,
                        number=version.number,
                        approved_on=version.approved_on,
                        retired_on=version.retired_on,
                    ),
                    received,
                )
            except DomainError as error:
                ctx.error(row, "received_on", _refusal(error))
                continue
            completions = self._completions(ctx, row, received, version)
            if completions is None:
                continue
            completed = row.get("completed_on")
            if not self._check_completed(ctx, row, received, completed, completions, version):
                continue
            self._check_scope(ctx, row, version, units)
            plans.append(
                CasePlan(
                    row=row,
                    existing=existing.get(row.data["code"]),
                    key=(version.code, version.number),
                    received_on=received,
                    completed_on=completed,
                    completions=completions,
                )
            )
        ctx.plans[self.key] = plans

    @staticmethod
    def _versions(ctx: ImportContext, codes: list[str]) -> dict[str, dict[int, Version]]:
        out: dict[str, dict[int, Version]] = defaultdict(dict)
        wanted = set(codes)
        for code, number, approved, retired, steps, owner in in_batches(
            codes,
            lambda batch: (
                Process.objects.filter(code__in=batch)
                .annotate(n=Max("steps__position"))
                .values_list("code", "number", "approved_on", "retired_on", "n", "owner_unit__code")
            ),
        ):
            out[code][number] = Version(code, number, approved, retired, steps or 0, owner)
        for plan in ctx.plans.get("processes", []):
            v = plan.values
            if plan.key[0] in wanted:
                if v["approved_on"] is None or v["owner_unit"] is None:
                    continue
                out[plan.key[0]][plan.key[1]] = Version(
                    plan.key[0],
                    plan.key[1],
                    v["approved_on"],
                    v["retired_on"],
                    len(plan.steps),
                    v["owner_unit"],
                )
        return out

    @staticmethod
    def _existing(codes: list[str]) -> dict[str, tuple[Any, ...]]:
        cases: dict[str, list[Any]] = {}
        by_id: dict[int, list[Any]] = {}
        for pk, code, pcode, number, received, completed in in_batches(
            codes,
            lambda batch: Case.objects.filter(code__in=batch).values_list(
                "id", "code", "process__code", "process__number", "received_on", "completed_on"
            ),
        ):
            item = [pk, (pcode, number), received, completed, []]
            cases[code] = by_id[pk] = item
        for case_id, done in in_batches(
            list(by_id),
            lambda batch: (
                CaseStep.objects.filter(case_id__in=batch, completed_on__isnull=False)
                .order_by("case_id", "position")
                .values_list("case_id", "completed_on")
            ),
        ):
            by_id[case_id][4].append(done)
        return {code: tuple(item) for code, item in cases.items()}

    @staticmethod
    def _version_of(
        ctx: ImportContext,
        row: Row,
        code: str,
        received: dt.date,
        versions: dict[str, dict[int, Version]],
    ) -> Version | None:
        known = versions.get(code)
        if not known:
            ctx.error(row, "process", _("unknown procedure code '%(value)s'") % {"value": code})
            return None
        number = row.get("process_version")
        if number is not None:
            found = known.get(number)
            if found is None:
                ctx.error(
                    row,
                    "process_version",
                    _("procedure '%(code)s' has no version %(value)s")
                    % {"code": code, "value": number},
                )
            return found
        for version in known.values():
            if version.approved_on <= received and (
                version.retired_on is None or received < version.retired_on
            ):
                return version
        ctx.error(
            row,
            "received_on",
            _("no version of procedure '%(code)s' was in force on '%(value)s'")
            % {"code": code, "value": iso(received)},
        )
        return None

    @staticmethod
    def _completions(
        ctx: ImportContext, row: Row, received: dt.date, version: Version
    ) -> list[dt.date] | None:
        """The completion dates, each on or after the step started (the previous completion,
        or the day received), at most one per step."""
        out: list[dt.date] = []
        ok = True
        started = received
        texts = row.get("step_completions", [])
        for text in texts:
            try:
                day = dt.date.fromisoformat(text) if len(text) == 10 else None
            except ValueError:
                day = None
            if day is None:
                ctx.error(
                    row,
                    "step_completions",
                    _("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": text},
                )
                ok = False
                continue
            if day < started:
                ctx.error(
                    row,
                    "step_completions",
                    _("'%(value)s' is before the step started (%(date)s).")
                    % {"value": iso(day), "date": iso(started)},
                )
                ok = False
            started = max(started, day)
            out.append(day)
        if len(texts) > version.steps:
            ctx.error(
                row,
                "step_completions",
                _(
                    "%(count)s dates for the %(steps)s steps of procedure %(code)s version %(version)s"
                )
                % {
                    "count": len(texts),
                    "steps": version.steps,
                    "code": version.code,
                    "version": version.number,
                },
            )
            ok = False
        return out if ok else None

    @staticmethod
    def _check_completed(
        ctx: ImportContext,
        row: Row,
        received: dt.date,
        completed: dt.date | None,
        completions: list[dt.date],
        version: Version,
    ) -> bool:
        if completed is not None and completed < received:
            ctx.error(row, "completed_on", _("A case cannot be completed before it is received."))
            return False
        if completions and completed is not None and completions[-1] > completed:
            ctx.error(
                row,
                "step_completions",
                _("'%(value)s' is after the case was completed (%(date)s)")
                % {"value": iso(completions[-1]), "date": iso(completed)},
            )
            return False
        if completions and len(completions) == version.steps and completed != completions[-1]:
            ctx.error(
                row,
                "completed_on",
                _("the last step was finished on %(date)s: the case was completed that day")
                % {"date": iso(completions[-1])},
            )
            return False
        return True

    @staticmethod
    def _check_scope(
        ctx: ImportContext, row: Row, version: Version, units: dict[str, UnitRef]
    ) -> None:
        scope = ctx.scope
        if scope is None or scope.city_wide:
            return
        ref = units.get(version.owner_unit)
        if ref is None or ref.id is None or ref.id not in scope.write_units:
            ctx.error(
                row,
                "process",
                _("you cannot import cases of unit '%(value)s'") % {"value": version.owner_unit},
            )

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, Counts())
        plans: list[CasePlan] = ctx.plans.get(self.key, [])
        todo = []
        for plan in plans:
            old = plan.existing
            if old is not None and (old[1], old[2], old[3], list(old[4])) == (
                plan.key,
                plan.received_on,
                plan.completed_on,
                plan.completions,
            ):
                counts.unchanged += 1
            else:
                todo.append(plan)
        if not todo:
            return
        cal = calendar()
        procs = self._processes(sorted({p.key[0] for p in todo}))
        for batch in chunked(todo, BATCH):
            yield from self._write(batch, procs, cal, counts)

    @staticmethod
    def _processes(codes: list[str]) -> dict[Key, tuple[int, int, list[tuple[int, int]]]]:
        """(code, version) -> (id, owner unit id, [(step id, days)] in order), after the
        processes section has been written."""
        out: dict[Key, tuple[int, int, list[tuple[int, int]]]] = {}
        by_id: dict[int, list[tuple[int, int]]] = {}
        for pk, code, number, owner in in_batches(
            codes,
            lambda batch: Process.objects.filter(code__in=batch).values_list(
                "id", "code", "number", "owner_unit_id"
            ),
        ):
            by_id[pk] = []
            out[(code, number)] = (pk, owner, by_id[pk])
        for pid, sid, days in in_batches(
            list(by_id),
            lambda batch: (
                ProcessStep.objects.filter(process_id__in=batch)
                .order_by("process_id", "position")
                .values_list("process_id", "id", "days")
            ),
        ):
            by_id[pid].append((sid, days))
        return out

    @staticmethod
    def _write(
        plans: list[CasePlan],
        procs: dict[Key, tuple[int, int, list[tuple[int, int]]]],
        cal: Any,
        counts: Counts,
    ) -> Iterator[Change]:
        now = timezone.now()
        creates: list[Case] = []
        updates: list[tuple[Case, dict[str, Any]]] = []
        olds = {
            c.pk: c
            for c in Case.objects.filter(pk__in=[p.existing[0] for p in plans if p.existing])
        }
        steps_of: dict[str, list[tuple[int, int]]] = {}
        by_code: dict[str, CasePlan] = {}
        for plan in plans:
            pid, owner, steps = procs[plan.key]
            done = plan.completed_on is not None
            values = {
                "process_id": pid,
                "unit_id": owner,
                "received_on": plan.received_on,
                "due_on": due_after(plan.received_on, sum(d for _s, d in steps), cal),
                "completed_on": plan.completed_on,
                "current_position": 0 if done else len(plan.completions) + 1,
            }
            code = plan.row.data["code"]
            steps_of[code], by_code[code] = steps, plan
            if plan.existing is None:
                creates.append(Case(code=code, **values))
                continue
            case = olds[plan.existing[0]]
            before = services.snap(case)
            for name, value in values.items():
                setattr(case, name, value)
            case.version += 1
            case.updated_at = now
            updates.append((case, before))
        Case.objects.bulk_create(creates, batch_size=BATCH)
        if updates:
            Case.objects.bulk_update(
                [c for c, _b in updates],
                [
                    "process_id",
                    "unit_id",
                    "received_on",
                    "due_on",
                    "completed_on",
                    "current_position",
                    "version",
                    "updated_at",
                ],
                batch_size=BATCH,
            )
            old_steps = CaseStep.objects.filter(case_id__in=[c.pk for c, _b in updates])
            for row in old_steps:
                yield Change(row, DELETE, services.snap(row), None)
            old_steps.delete()
        rows: list[CaseStep] = []
        for case in [*creates, *(c for c, _b in updates)]:
            plan, steps = by_code[case.code], steps_of[case.code]
            completions: list[dt.date | None] = list(plan.completions)
            planned = plan_steps(plan.received_on, [d for _s, d in steps], completions, cal)
            for position, ((sid, _days), (start, due)) in enumerate(
                zip(steps, planned, strict=True), start=1
            ):
                rows.append(
                    CaseStep(
                        case_id=case.pk,
                        step_id=sid,
                        position=position,
                        started_on=start,
                        due_on=due,
                        completed_on=completions[position - 1]
                        if position <= len(completions)
                        else None,
                    )
                )
        CaseStep.objects.bulk_create(rows, batch_size=BATCH)
        counts.created += len(creates)
        counts.updated += len(updates)
        for case in creates:
            yield Change(case, CREATE, None, services.snap(case))
        for case, before in updates:
            yield Change(case, UPDATE, before, services.snap(case))

    # -- export -----------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Case.objects.all()
        scope = request.scope
        if scope is not None:
            if scope.user_id is None:
                return []
            qs = qs.filter(process_read_q(scope, "unit_id"))
        qs = _unit_filter(qs, request, "unit_id")
        if request.date_from:
            qs = qs.filter(received_on__gte=request.date_from)
        if request.date_to:
            qs = qs.filter(received_on__lte=request.date_to)
        cases = list(
            qs.order_by("code").values_list(
                "id", "code", "process__code", "process__number", "received_on", "completed_on"
            )
        )
        done: dict[int, list[str]] = defaultdict(list)
        for case_id, day in in_batches(
            [c[0] for c in cases],
            lambda batch: (
                CaseStep.objects.filter(case_id__in=batch, completed_on__isnull=False)
                .order_by("case_id", "position")
                .values_list("case_id", "completed_on")
            ),
        ):
            done[case_id].append(day.isoformat())
        return [
            {
                "code": code,
                "process": pcode,
                "process_version": number,
                "received_on": iso(received),
                "completed_on": iso(completed),
                "step_completions": done.get(pk, []),
            }
            for pk, code, pcode, number, received, completed in cases
        ]


process_section = ProcessSection()
case_section = CaseSection()
interchange_sections.register(process_section.key, process_section, order=process_section.order)
interchange_sections.register(case_section.key, case_section, order=case_section.order)
