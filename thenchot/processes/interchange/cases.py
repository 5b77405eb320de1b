"""The `cases` section of the interchange format: see the package's docstring."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import UnitRef, unit_catalogue
from thenchot.processes import services
from thenchot.processes.interchange.processes import BATCH, Key, refusal, unit_filter
from thenchot.processes.models import CASE_CODE, Case, CaseStep, Process, ProcessStep
from thenchot.processes.selectors import process_read_q
from thenchot.processes.services import check_received, plan_steps
from thenchot.processes.workdays import calendar, due_after

CASE_FIELDS = (
    spec.code(gettext_lazy("Unique case code."), check=CASE_CODE.error),
    spec.ref("process", "processes", gettext_lazy("Procedure code."), required=True, max_length=60),
    spec.whole(
        "process_version",
        gettext_lazy("Version of the procedure (default: the one in force when received)."),
    ),
    spec.date("received_on", gettext_lazy("Date the case was received."), required=True),
    spec.date("completed_on", gettext_lazy("Date the case was completed.")),
    spec.refs(
        "step_completions",
        "",
        gettext_lazy("Dates the steps were finished, one per finished step, in order."),
    ),
)


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


@spec.section("cases", 66, gettext_lazy("Cases"))
class CaseSection(Section):
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
                ctx.error(row, "received_on", refusal(error))
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
        for code, number, approved, retired, steps, owner in engine.in_batches(
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
        for pk, code, pcode, number, received, completed in engine.in_batches(
            codes,
            lambda batch: Case.objects.filter(code__in=batch).values_list(
                "id", "code", "process__code", "process__number", "received_on", "completed_on"
            ),
        ):
            item = [pk, (pcode, number), received, completed, []]
            cases[code] = by_id[pk] = item
        for case_id, done in engine.in_batches(
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
            % {"code": code, "value": engine.iso(received)},
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
                    % {"value": engine.iso(day), "date": engine.iso(started)},
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
                % {"value": engine.iso(completions[-1]), "date": engine.iso(completed)},
            )
            return False
        if completions and len(completions) == version.steps and completed != completions[-1]:
            ctx.error(
                row,
                "completed_on",
                _("the last step was finished on %(date)s: the case was completed that day")
                % {"date": engine.iso(completions[-1])},
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
        counts = ctx.counts.setdefault(self.key, engine.Counts())
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
        for batch in engine.chunked(todo, BATCH):
            yield from self._write(list(batch), procs, cal, counts)

    @staticmethod
    def _processes(codes: list[str]) -> dict[Key, tuple[int, int, list[tuple[int, int]]]]:
        """(code, version) -> (id, owner unit id, [(step id, days)] in order), after the
        processes section has been written."""
        out: dict[Key, tuple[int, int, list[tuple[int, int]]]] = {}
        by_id: dict[int, list[tuple[int, int]]] = {}
        for pk, code, number, owner in engine.in_batches(
            codes,
            lambda batch: Process.objects.filter(code__in=batch).values_list(
                "id", "code", "number", "owner_unit_id"
            ),
        ):
            by_id[pk] = []
            out[(code, number)] = (pk, owner, by_id[pk])
        for pid, sid, days in engine.in_batches(
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
        counts: engine.Counts,
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
        qs = spec.readable(
            Case.objects.all(), request, lambda scope: process_read_q(scope, "unit_id")
        )
        if qs is None:
            return []
        qs = spec.in_range(unit_filter(qs, request, "unit_id"), request, "received_on")
        cases = list(
            qs.order_by("code").values_list(
                "id", "code", "process__code", "process__number", "received_on", "completed_on"
            )
        )
        done: dict[int, list[str]] = defaultdict(list)
        for case_id, day in engine.in_batches(
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
                "received_on": engine.iso(received),
                "completed_on": engine.iso(completed),
                "step_completions": done.get(pk, []),
            }
            for pk, code, pcode, number, received, completed in cases
        ]
