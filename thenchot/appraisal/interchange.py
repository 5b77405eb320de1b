"""The `evaluations` section of the interchange format, keyed by (`staff`, `period`).

Imported statuses and levels are history and stand as given (an `approved` evaluation needs no
workflow record behind it). The period is the agency's (the nearest non-division unit above the
person's unit at the period's end), created when missing — closed when every imported row of it
is `closed`. A closed period is immutable: an import that would change one of its evaluations,
or add one to it, is refused. Task points absent from the file are computed from the person's
tasks of the period with the pack's formula (when there are any).

The file gives the entered data (points, levels, status, the pack); what an evaluation takes
from the person's record — unit, category, `is_leader`, `is_head` — the spec does not carry
and the import does not restate: rows are created through the services that open a period
(`services.evaluation_standings`, `evaluation_draft`), from the dated headships on the period's
reference day, so an imported head meets the unit-result ceiling at the close. An update of an
open period's evaluation takes the same flags again (a closed one is history and stays as is).

Points and scores travel as numbers (27.5); `reasons` as the list of the trace's lines
(exported; on import, kept as given): a list of strings in JSON, one reason per line of one
wrapped cell in XLSX — never joined with `;`, which a reason may contain ("general 26; tasks 60").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from types import MappingProxyType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.appraisal import inputs, rules, services
from thenchot.appraisal.choices import EvaluationStatus, Level, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.core import bulk
from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, UPDATE, Change, snapshot
from thenchot.core.bulk import Line
from thenchot.core.errors import DomainError
from thenchot.core.id_sets import id_sets
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.discipline.interchange import staff_catalogue, staff_ids
from thenchot.org.interchange import selected_unit_ids
from thenchot.org.tree import tree

BATCH = 2000
RATED = tuple(v for v in Level.values if v != "not_rated")
IMPORT_STATUSES = tuple(s for s in EvaluationStatus.values if s != "returned")
POINT_FIELDS = ("general_points", "task_points", "bonus_points")
COLUMN = {"general_points": "general", "task_points": "tasks", "bonus_points": "bonus"}


def _text(value: Decimal | None) -> int | float | None:
    # Points travel as JSON numbers (27.5), written the same way every time (number_out).
    return engine.number_out(value)


RELEASED: Mapping[str, Any] = MappingProxyType({})


@dataclass(slots=True)
class Plan:
    """What the write does for one row: its values from the file as a tuple under a tuple of
    names shared by the plans of the same shape (a dict per plan was 130 MB of a city's month
    at the import's peak)."""

    row: Row
    old: Evaluation | None
    staff_code: str
    period: rules.Period
    pack_id: str
    names: tuple[str, ...]
    items: tuple[Any, ...]

    @property
    def values(self) -> dict[str, Any]:
        """A new dict of the values."""
        return dict(zip(self.names, self.items, strict=True))

    def value(self, name: str) -> Any:
        """One value (None when the plan has none of that name)."""
        try:
            return self.items[self.names.index(name)]
        except ValueError:
            return None


@spec.section("evaluations", 70, gettext_lazy("Evaluations"))
class EvaluationSection(Section):
    key_field = "_key"  # composite (staff, period): checked in `plan`
    fields = (
        spec.staff(),
        spec.text("period", gettext_lazy("YYYY-MM, YYYY-Qn or YYYY."), required=True, max_length=7),
        spec.enum(
            "rule_pack",
            tuple(sorted(rules.registry.PACKS)),
            gettext_lazy("Default: the pack in force for the period and the person's category."),
        ),
        spec.number("general_points", gettext_lazy("General criteria points.")),
        spec.number(
            "task_points", gettext_lazy("Task points; computed from the person's tasks when empty.")
        ),
        spec.number("bonus_points", gettext_lazy("Bonus points (Hanoi monthly).")),
        spec.enum("proposed_level", RATED, gettext_lazy("Level the person proposed.")),
        spec.enum("final_level", tuple(Level.values), gettext_lazy("Final level.")),
        spec.enum(
            "status",
            IMPORT_STATUSES,
            gettext_lazy("Default: closed with a final level, else draft."),
        ),
        spec.number("score", gettext_lazy("Score of the period (exported).")),
        spec.lines("reasons", gettext_lazy("The reasons for the level (exported).")),
        *(
            spec.whole(name, help)
            for name, help in (
                ("own_tasks_due", gettext_lazy("Decree 90: own tasks due in the year.")),
                ("own_tasks_completed", gettext_lazy("Decree 90: own tasks completed.")),
                ("own_tasks_on_time", gettext_lazy("Decree 90: own tasks completed on time.")),
                ("own_tasks_exceeded", gettext_lazy("Decree 90: own tasks exceeded.")),
            )
        ),
    )

    # -- import ------------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:

        catalogue = staff_catalogue(ctx)
        today = timezone.localdate()
        # period -> staff -> first row: no key tuple per row (a city's month: 200,000)
        seen: dict[rules.Period, dict[str, Row]] = {}
        keyed: list[tuple[Row, str, rules.Period]] = []
        parsed: dict[str, rules.Period] = {}  # a city's month names one period 200,000 times
        for row in rows:
            staff, text = row.get("staff"), row.get("period")
            if staff is None or text is None:
                continue
            try:
                period = parsed.get(text) or parsed.setdefault(text, rules.Period.parse(text))
            except rules.RuleInputError:
                ctx.error(
                    row,
                    "period",
                    _("'%(value)s' is not a period (YYYY-MM, YYYY-Qn or YYYY)") % {"value": text},
                )
                continue
            if period.start > today:
                ctx.error(row, "period", _("'%(value)s' is a future period") % {"value": text})
                continue
            of_period = seen.get(period)
            if of_period is None:
                of_period = seen[period] = {}
            first = of_period.get(staff)
            if first is not None:
                ctx.error(
                    row,
                    "period",
                    _("duplicate evaluation of '%(staff)s' for '%(value)s' (first at %(first)s)")
                    % {"staff": staff, "value": text, "first": first.at()},
                )
                continue
            of_period[staff] = row
            if staff not in catalogue:
                ctx.error(row, "staff", _("unknown staff code '%(value)s'") % {"value": staff})
                continue
            keyed.append((row, staff, period))
        del seen
        existing: dict[tuple[int, str], Evaluation] = {}
        ids = [catalogue[s][0] for _r, s, _p in keyed if catalogue[s][0] is not None]
        for ev in engine.in_batches(
            ids,
            lambda b: Evaluation.objects.filter(staff_id__in=b).select_related("period"),
        ):
            existing[(ev.staff_id, ev.period_code)] = ev
        plans: list[Plan] = []
        shapes: dict[tuple[str, ...], tuple[str, ...]] = {}
        # The pack of each (category, period, named pack), resolved once (or its refusal).
        resolved: dict[tuple[str, rules.Period, str | None], Any] = {}
        for row, staff, period in keyed:
            staff_id, category = catalogue[staff]
            old = existing.get((staff_id, str(period))) if staff_id is not None else None
            asked = (category or "", period, row.get("rule_pack"))
            pack = resolved.get(asked)
            if pack is None:
                try:
                    pack = rules.registry.resolve(asked[0], period, pack_id=asked[2])
                except rules.RuleInputError as exc:
                    pack = exc
                resolved[asked] = pack
            if isinstance(pack, rules.RuleInputError):
                ctx.error(row, "rule_pack", "; ".join(pack.messages))
                continue
            values = self._values(ctx, row, pack)
            if values is None:
                continue
            if old is not None and values.get("task_points") is None:
                values["task_points"] = old.task_points  # absent: keep, never recompute
            if (
                old is not None
                and old.period.status == PeriodStatus.CLOSED
                and _differs(old, values)
            ):
                ctx.error(
                    row,
                    None,
                    _("the period %(value)s of '%(staff)s' is closed: it cannot change")
                    % {"value": str(period), "staff": staff},
                )
                continue
            names = tuple(values)
            names = shapes.setdefault(names, names)
            plans.append(Plan(row, old, staff, period, pack.id, names, tuple(values.values())))
            # The plan holds every value the write needs: a planned row keeps only its place
            # (for messages), not its dict of typed values (a city's month: 200,000 dicts,
            # 120 MB), released as the plans are made, which reuse its memory (the import's
            # peak was at the end of this loop). `staff_catalogue`, the one reader of every
            # section's rows, has read them above.
            row.data = RELEASED  # type: ignore[assignment]  # read-only from here on
        ctx.plans[self.key] = plans

    def _values(self, ctx: ImportContext, row: Row, pack: Any) -> dict[str, Any] | None:
        limits = inputs.criteria_limits(pack)
        values: dict[str, Any] = {}
        ok = True
        for name in (*POINT_FIELDS, "score"):
            raw = row.get(name)
            if raw is None:
                values[name] = None
                continue
            try:
                # The parsed value itself (one object per distinct value of the file: the
                # engine's memo), not a copy per row.
                number = raw if type(raw) is Decimal else Decimal(str(raw))
                if not number.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                ctx.error(row, name, _("'%(value)s' is not a number") % {"value": raw})
                ok = False
                continue
            limit = limits.get(COLUMN[name]) if name in COLUMN else Decimal(100)
            if name in COLUMN and limit is None:
                ctx.error(
                    row,
                    name,
                    _("'%(value)s': the rule pack %(pack)s has no such points")
                    % {"value": raw, "pack": pack.id},
                )
                ok = False
            elif number < 0:
                ctx.error(row, name, _("'%(value)s' is negative") % {"value": raw})
                ok = False
            elif limit is not None and number > limit:
                ctx.error(
                    row,
                    name,
                    _("'%(value)s' is above the maximum of %(max)s")
                    % {"value": raw, "max": rules.base.fmt(limit)},
                )
                ok = False
            elif number != rules.base.q2(number):
                ctx.error(row, name, _("'%(value)s' has more than 2 decimals") % {"value": raw})
                ok = False
            else:
                values[name] = number
        counts = _own_task_counts(ctx, row, pack)
        if counts is None:
            ok = False
        else:
            values.update(counts)
        if not ok:
            return None
        final = row.get("final_level") or ""
        status = row.get("status") or ("closed" if final else "draft")
        if status == "closed" and not final:
            ctx.error(row, "final_level", _("a closed evaluation needs its final level"))
            return None
        values.update(
            proposed_level=row.get("proposed_level") or "",
            final_level=final,
            status=status,
            rule_pack=pack.id,
            pack_version=pack.version,
        )
        if row.has("reasons") and row.get("reasons"):
            values["reasons"] = [
                {
                    "rule": "imported",
                    "detail": text,
                    "level_before": None,
                    "level_after": final or None,
                    "params": {},
                }
                for text in row.get("reasons")
            ]
        return values

    def apply(self, ctx: ImportContext) -> Iterator[Change | Line]:

        counts = ctx.counts.setdefault(self.key, engine.Counts())
        plans: list[Plan] = ctx.plans.get(self.key, [])
        if not plans:
            return
        snap = tree()
        ids = staff_ids(ctx)
        # The derived columns, decided where opening a period decides them: for every new row,
        # and for the rows of open periods (the flags follow the dated headships). Kept as a
        # list parallel to `plans` (equal standings are one object): keyed by (staff, period)
        # they cost a city's month 80 MB of keys at the import's peak.
        standing_of = _standings(
            plans,
            ids,
            [
                i
                for i, p in enumerate(plans)
                if p.old is None or p.old.period.status != PeriodStatus.CLOSED
            ],
        )
        # Periods: the agency's, created when missing.
        agency_of = [0] * len(plans)  # a new row's period's agency (0: not a new row)
        wanted: dict[tuple[int, str], list[Any]] = {}  # -> [its first row's plan, all closed]
        for i, p in enumerate(plans):
            if p.old is None:
                code = str(p.period)
                standing = standing_of[i]
                assert standing is not None  # asked for every new row
                agency_of[i] = agency = snap.agency_of(standing.unit_id, p.period.end)
                closed = p.value("status") == "closed"
                group = wanted.get((agency, code))
                if group is None:
                    wanted[(agency, code)] = [p, closed]
                elif not closed:
                    group[1] = False
        periods = {
            (per.agency_id, per.code): per
            for per in EvaluationPeriod.objects.filter(
                code__in=sorted({c for _a, c in wanted}),
                agency_id__in=sorted({a for a, _c in wanted}),
            )
        }
        for (agency, code), (first, closed) in sorted(wanted.items()):
            per = periods.get((agency, code))
            if per is None:
                per = EvaluationPeriod.objects.create(
                    agency_id=agency,
                    code=code,
                    **services.period_defaults(rules.Period.parse(code)),
                    status=PeriodStatus.CLOSED if closed else PeriodStatus.OPEN,
                    closed_at=timezone.now() if closed else None,
                )
                periods[(agency, code)] = per
                yield Change(per, CREATE, None, snapshot(per))
            elif per.status == PeriodStatus.CLOSED:
                raise DomainError(
                    _("%(place)s: the period %(value)s is closed: it cannot change")
                    % {"place": first.row.at(), "value": code}
                )
        # Written a batch at a time: the records of a city's month (200,000) never exist in
        # memory at once; the periods above were decided over the whole file. New rows go
        # through `core.bulk` (no model instance nor ORM compile per row: at 200,000 rows those
        # were most of the import): `services.evaluation_draft` decides the columns of one
        # draft per period, standing and pack, and each row is that draft with its own values.
        table = bulk.Table(Evaluation)
        columns = [f.attname for f in table.fields]
        stamped = [
            f.attname
            for f in table.fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        drafts: dict[tuple[Any, ...], dict[str, Any]] = {}
        reserved = engine.ReservedIds(Evaluation, sum(p.old is None for p in plans))
        for start in range(0, len(plans), BATCH):
            part = plans[start : start + BATCH]
            work = self._prefill(part, ids)
            creates: list[dict[str, Any]] = []
            updates: list[tuple[Evaluation, dict[str, Any]]] = []
            now = timezone.now()
            for i, p in enumerate(part, start):
                staff_id = ids[p.staff_code]
                values = p.values
                if values.get("task_points") is None and (staff_id, str(p.period)) in work:
                    values["task_points"], values["task_calculation"] = work[
                        (staff_id, str(p.period))
                    ]
                key = (staff_id, str(p.period))
                if p.old is None:
                    period_row = periods[(agency_of[i], key[1])]
                    new_standing = standing_of[i]
                    assert new_standing is not None
                    kind = (
                        period_row.pk,
                        new_standing,
                        values["rule_pack"],
                        values["pack_version"],
                    )
                    draft = drafts.get(kind)
                    if draft is None:
                        made = services.evaluation_draft(
                            period_row=period_row,
                            staff_id=staff_id,
                            standing=new_standing,
                            imported=True,
                            rule_pack=values["rule_pack"],
                            pack_version=values["pack_version"],
                        )
                        draft = drafts[kind] = {name: getattr(made, name) for name in columns}
                    creates.append(
                        {**draft, **values, "staff_id": staff_id, **dict.fromkeys(stamped, now)}
                    )
                    counts.created += 1
                    continue
                old = p.old
                standing = standing_of[i]  # none for a closed period's row: history stays
                if standing is not None:
                    values.update(is_leader=standing.is_leader, is_head=standing.is_head)
                if not _differs(old, values):
                    counts.unchanged += 1
                    continue
                if "reasons" in values and _details(values["reasons"]) == _details(old.reasons):
                    values.pop("reasons")  # the same lines: keep the stored trace and its params
                before = snapshot(old)
                for k, v in values.items():
                    setattr(old, k, v)
                old.version += 1
                old.updated_at = now
                updates.append((old, before))
                counts.updated += 1
            yield from _inserted(table, creates, reserved)
            if updates:
                Evaluation.objects.bulk_update(
                    [e for e, _b in updates], p_fields(), batch_size=BATCH
                )
                for ev, before in updates:
                    yield Change(ev, UPDATE, before, snapshot(ev))

    @staticmethod
    def _prefill(
        plans: list[Plan], ids: dict[str, int]
    ) -> dict[tuple[int, str], tuple[Decimal, dict[str, Any]]]:
        """Task points of the rows that have none, from the person's tasks of the period."""
        out: dict[tuple[int, str], tuple[Decimal, dict[str, Any]]] = {}
        # Only a self-assessed row gets task points from the tasks, as the self-assessment
        # page computes them: a draft has none yet, and a later row without them was handled
        # without a self-assessment (by the manager, or rated collectively) — filling those
        # would make an exported month import differently.
        todo = [
            p
            for p in plans
            if p.value("task_points") is None and p.value("status") == "self_assessed"
        ]
        by_period: dict[rules.Period, list[Plan]] = defaultdict(list)
        for p in todo:
            pack = rules.registry.get(p.pack_id)
            if any(c.id == "tasks" for c in pack.criteria):
                by_period[p.period].append(p)
        for period, members in by_period.items():
            work = inputs.work_of([ids[p.staff_code] for p in members], period.start, period.end)
            for p in members:
                staff_id = ids[p.staff_code]
                if staff_id not in work:
                    continue
                pack = rules.registry.get(p.pack_id)
                params, _n = inputs.current_params(pack.id)
                points, calc = inputs.task_prefill(pack=pack, params=params, work=work[staff_id])
                if points is not None:
                    out[(staff_id, str(period))] = (points, calc)
        return out

    # -- export ------------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = Evaluation.objects.all()
        if request.scope is not None:
            from thenchot.appraisal.selectors import evaluation_read_q

            qs = qs.filter(evaluation_read_q(request.scope))
        if request.unit_code or request.params.get("unit"):
            qs = qs.filter(unit_id__in=sorted(selected_unit_ids(tree(), request)))
        if request.date_from:
            qs = qs.filter(period__starts_on__gte=request.date_from)
        if request.date_to:
            qs = qs.filter(period__ends_on__lte=request.date_to)
        rows = qs.values_list(
            "staff__code",
            "period_code",
            "rule_pack",
            "general_points",
            "task_points",
            "bonus_points",
            "proposed_level",
            "final_level",
            "status",
            "score",
            "reasons",
            *OWN_TASKS,
        )
        out = [
            {
                "staff": staff,
                "period": period,
                "rule_pack": pack,
                "general_points": _text(general),
                "task_points": _text(tasks),
                "bonus_points": _text(bonus),
                "proposed_level": proposed or None,
                "final_level": final or None,
                "status": "draft" if status == "returned" else status,
                "score": _text(score),
                "reasons": _details(reasons) or None,
                **_own_out(own),
            }
            for (
                staff,
                period,
                pack,
                general,
                tasks,
                bonus,
                proposed,
                final,
                status,
                score,
                reasons,
                *own,
            ) in rows
        ]
        out.sort(key=lambda r: (r["staff"], r["period"]))
        return out


def _inserted(
    table: bulk.Table, rows: list[dict[str, Any]], ids: engine.ReservedIds | None = None
) -> Iterator[Line]:
    """Insert new evaluations' rows and give their creation lines, as `bulk_create` and a
    `Change` of each instance would (the same snapshot and text: `Evaluation.__str__`)."""
    if not rows:
        return
    engine.insert_new(table, rows, _ids_of, itemgetter("staff_id", "period_code"), ids=ids)
    for row in rows:
        text = bulk.text_of(Evaluation, row)
        yield Line(Evaluation, row["id"], text, CREATE, None, bulk.snapshot_of(Evaluation, row))


STANDINGS_CHUNK = 20_000


def _standings(
    plans: Sequence[Plan], ids: Mapping[str, int], wanted: Sequence[int]
) -> list[services.Standing | None]:
    """`services.evaluation_standings` of the `wanted` plans (indexes), as a list parallel to
    `plans` (None for the others), asked a chunk at a time, every equal standing kept once: a
    city's month is 200,000 pairs but a few thousand standings (unit, category and flags),
    which one object per pair held for the whole write."""
    out: list[services.Standing | None] = [None] * len(plans)
    kept: dict[services.Standing, services.Standing] = {}
    for part in engine.chunked(wanted, STANDINGS_CHUNK):
        pairs = [(ids[plans[i].staff_code], plans[i].period) for i in part]
        found = services.evaluation_standings(pairs=pairs)
        for i, (staff_id, period) in zip(part, pairs, strict=True):
            standing = found[(staff_id, str(period))]
            out[i] = kept.setdefault(standing, standing)
    return out


def _ids_of(rows: Sequence[dict[str, Any]]) -> dict[tuple[int, str], int]:
    """(staff id, period code) -> id of the evaluations just inserted for `rows`."""
    codes = sorted({r["period_code"] for r in rows})
    out: dict[tuple[int, str], int] = {}
    for some in id_sets(r["staff_id"] for r in rows):
        found = Evaluation.objects.filter(staff_id__in=some, period_code__in=codes)
        out.update(
            ((staff_id, code), pk)
            for staff_id, code, pk in found.values_list("staff_id", "period_code", "id")
        )
    return out


OWN_TASKS = ("own_tasks_due", "own_tasks_completed", "own_tasks_on_time", "own_tasks_exceeded")


def _own_task_counts(ctx: ImportContext, row: Row, pack: Any) -> dict[str, Any] | None:
    """The Decree 90 counts a row gives itself (rules.md "Settled points" 2), all four or
    none, under decree-90 only, with on time ≤ completed ≤ due and exceeded ≤ completed; None
    when refused (each problem names the person and the value)."""
    given = {name: row.get(name) for name in OWN_TASKS}
    if all(v is None for v in given.values()):
        return dict.fromkeys(OWN_TASKS)
    staff = row.get("staff")
    if pack.id != "decree-90-2020":
        for name, value in given.items():
            if value is not None:
                ctx.error(
                    row,
                    name,
                    _("'%(value)s' for '%(staff)s': the rule pack %(pack)s has no own task counts")
                    % {"value": value, "staff": staff, "pack": pack.id},
                )
        return None
    absent = [name for name, value in given.items() if value is None]
    if absent:
        for name in absent:
            ctx.error(
                row,
                name,
                _("missing for '%(staff)s': the four own task counts go together")
                % {"staff": staff},
            )
        return None
    problems = rules.given_count_problems(
        due=given["own_tasks_due"],
        completed=given["own_tasks_completed"],
        on_time=given["own_tasks_on_time"],
        exceeded=given["own_tasks_exceeded"],
    )
    messages = {
        "negative": _("'%(value)s' for '%(staff)s' is negative"),
        "own_tasks_due": _("'%(value)s' for '%(staff)s': at least one own task must be due"),
        "own_tasks_completed": _(
            "'%(value)s' for '%(staff)s' is more than the own tasks due (%(other)s)"
        ),
        "own_tasks_on_time": _(
            "'%(value)s' for '%(staff)s' is more than the own tasks completed (%(other)s)"
        ),
        "own_tasks_exceeded": _(
            "'%(value)s' for '%(staff)s' is more than the own tasks completed (%(other)s)"
        ),
    }
    for name, _why in problems:
        value = given[name]
        key = "negative" if value < 0 else name
        other = given["own_tasks_due" if name == "own_tasks_completed" else "own_tasks_completed"]
        ctx.error(row, name, messages[key] % {"value": value, "staff": staff, "other": other})
    return None if problems else given


def _differs(old: Evaluation, values: dict[str, Any]) -> bool:
    if "reasons" in values and _details(old.reasons) != _details(values["reasons"]):
        return True
    return any(getattr(old, k) != v for k, v in values.items() if k != "reasons")


def _own_out(own: list[Any]) -> dict[str, Any]:
    """The given counts, written only where a row has them (a month's row stays as it was)."""
    return dict(zip(OWN_TASKS, own, strict=True)) if own[0] is not None else {}


def p_fields() -> tuple[str, ...]:
    """The columns an import may change on an existing evaluation."""
    return (
        *POINT_FIELDS,
        "is_leader",
        "is_head",
        "score",
        "proposed_level",
        "final_level",
        "status",
        "rule_pack",
        "pack_version",
        "reasons",
        "task_calculation",
        *OWN_TASKS,
        "version",
        "updated_at",
    )


def _details(reasons: Any) -> list[str]:
    return [rules.base.step_text(r) for r in reasons or ()]


spec.register(EvaluationSection())

# The `quota_overrides` section (rules.md "Settled points" 14) registers itself on import.
from thenchot.appraisal import interchange_quota  # noqa: E402, F401
