"""The `discipline` section of the interchange format: decisions, keyed by `code`.

History stands as given, but a decision still has to be lawful on its own date: the form must
be allowed for the person's category and post on `decided_on` (`rules.judge_form`, the rule
and the message of the pages and the API: a headship covering that date — the database's, or
one the file's `staff` rows open — else the `is_leader` flag; nothing for a contract worker),
it cannot take effect before it was decided, and it must be one level heavier than a decision on another act still running on that date (Decree
172/2025, `rules.repeat_minimum`, over the file's decisions and the database's together).
Rows the file leaves as they are in the database are not re-judged, unless a row the file adds
or changes now runs over them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.discipline import rules
from thenchot.discipline.choices import DisciplineForm, Track
from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.selectors import discipline_access, headships_of, past_decisions
from thenchot.discipline.services import form_refusal_message
from thenchot.org.interchange import in_selected_units
from thenchot.people.models import Staff

BATCH = 2000


def staff_catalogue(ctx: ImportContext) -> dict[str, tuple[int | None, str | None]]:
    """code -> (id or None when the file creates it, category) for every staff code of the
    import: the database's, with the file's `staff` rows over it. Shared by the sections of
    discipline and rotation (cached on the context)."""
    catalogue = ctx.shared.get("staff.catalogue")
    if catalogue is None:
        codes = {r.get("staff") for key in ctx.rows for r in ctx.rows[key] if r.get("staff")}
        catalogue = {
            code: (pk, category)
            for code, pk, category in engine.in_batches(
                codes,
                lambda b: Staff.objects.filter(code__in=b).values_list("code", "id", "category"),
            )
        }
        # The people the file creates share one entry per category (a city: 200,000 tuples).
        new: dict[str | None, tuple[None, str | None]] = {}
        for row in ctx.rows.get("staff", []):
            code = row.get("code")
            if code is None:
                continue
            known = catalogue.get(code)
            category = row.get("category") or (known[1] if known else None)
            if known is not None and known[0] is not None:
                catalogue[code] = (known[0], category)
            else:
                entry = new.get(category)
                if entry is None:
                    entry = new[category] = (None, category)
                catalogue[code] = entry
        ctx.shared["staff.catalogue"] = catalogue
    return catalogue


def staff_ids(ctx: ImportContext) -> dict[str, int]:
    """code -> id of the staff this import refers to, after the staff section was written."""

    ids = ctx.shared.get("staff.ids")
    if ids is None:
        # The staff section's rows with the ids it wrote (`staff.written`: also the ones it
        # created), the other people with their ids in the catalogue: no query, and no copy
        # of a city's 200,000 codes read back.
        ids = ctx.shared.pop("staff.written", None) or {}
        for code, (pk, _category) in staff_catalogue(ctx).items():
            if pk is not None:
                ids.setdefault(code, pk)
        ctx.shared["staff.ids"] = ids
    return ids


def check_staff_scope(ctx: ImportContext, row: Row, staff_code: str) -> None:
    """An import by a person may touch only staff of the units they may write."""
    scope = ctx.scope
    if scope is None:
        return
    unit_of = ctx.shared.get("staff.unit_of")
    if unit_of is None:
        codes = list(staff_catalogue(ctx))
        unit_of = dict(
            engine.in_batches(
                codes,
                lambda b: Staff.objects.filter(code__in=b).values_list("code", "unit_id"),
            )
        )
        ctx.shared["staff.unit_of"] = unit_of
    unit_id = unit_of.get(staff_code)
    if unit_id is not None and not scope.can_write_unit(unit_id):
        ctx.error(
            row,
            "staff",
            _("you may not change records of staff member '%(value)s'") % {"value": staff_code},
        )


@dataclass(frozen=True)
class Standing:
    """What the forms table needs of a person the file names: after the file's `staff` rows."""

    name: str
    category: str
    flag: bool  # the staff record's undated `is_leader`
    headships: tuple[rules.Headship, ...]

    def leader_on(self, on: dt.date) -> rules.LeaderStatus:
        return rules.leader_on(on=on, headships=self.headships, flag=self.flag)

    def allowed_on(self, on: dt.date) -> tuple[str, ...]:
        leader = self.leader_on(on).is_leader
        return rules.allowed_forms(category=self.category, is_leader=leader, on=on).forms


def _file_headship(row: Row, as_of: dt.date) -> rules.Headship | None:
    """A `staff` row with `is_head: true` opens a headship as the staff section does: from
    `in_position_since` when it is not after the file's date, else from the file's date."""
    if not row.get("is_head"):
        return None
    since = row.get("in_position_since")
    return rules.Headship(
        rules.HEAD, since if since is not None and since <= as_of else as_of, None
    )


def staff_standings(ctx: ImportContext) -> dict[str, Standing]:
    """code -> name, category, `is_leader` flag and dated headships of every person the import
    names, set-based (a few queries per 2000 people, none per row): the database's, with the
    file's `staff` rows over them (Settled point 13: a headship covering the decision date,
    else the flag)."""
    found = ctx.shared.get("discipline.standings")
    if found is not None:
        return found
    codes = list(staff_catalogue(ctx))
    people = {
        code: (pk, name, category, flag)
        for code, pk, name, category, flag in engine.in_batches(
            codes,
            lambda b: Staff.objects.filter(code__in=b).values_list(
                "code", "id", "full_name", "category", "is_leader"
            ),
        )
    }
    heads = headships_of(pk for pk, *_rest in people.values())
    standings = {
        code: Standing(name, category, bool(flag), tuple(heads.get(pk, ())))
        for code, (pk, name, category, flag) in people.items()
    }
    for row in ctx.rows.get("staff", []):
        code = row.get("code")
        if code is None:
            continue
        known = standings.get(code)
        opened = _file_headship(row, ctx.as_of)
        standings[code] = Standing(
            name=row.get("full_name") or (known.name if known else code),
            category=row.get("category") or (known.category if known else ""),
            flag=bool(row.get("is_leader")) if row.has("is_leader") else bool(known and known.flag),
            headships=(*(known.headships if known else ()), *((opened,) if opened else ())),
        )
    ctx.shared["discipline.standings"] = standings
    return standings


FIELDS = ("staff", "form", "track", "violation", "decided_on", "effective_on", "decision_number")
# What the rule of a decision running depends on: a row that changes none of them is not re-judged.
REPEAT_FIELDS = ("form", "violation", "decided_on", "effective_on")

Plan = tuple[Row, DisciplineDecision | None, dict[str, Any]]


def _touches_history(old: DisciplineDecision | None, values: dict[str, Any]) -> bool:
    return (
        old is None
        or old.staff.code != values["staff"]
        or any(getattr(old, name) != values[name] for name in REPEAT_FIELDS)
    )


def _file_histories(
    plans: list[Plan], catalogue: dict[str, tuple[int | None, str | None]]
) -> tuple[dict[str, dict[str, rules.PastDecision]], dict[str, Row]]:
    """Per staff code, the file's complete decisions by code; and the rows that add or change
    one (rows already refused for their staff, form or dates are left out)."""
    histories: dict[str, dict[str, rules.PastDecision]] = {}
    touched: dict[str, Row] = {}
    for row, old, values in plans:
        staff_code, form = values["staff"], values["form"]
        decided, effective = values["decided_on"], values["effective_on"]
        known = catalogue.get(staff_code) if staff_code is not None else None
        if known is None or not known[1] or form is None or decided is None:
            continue
        if effective is None or effective < decided:
            continue
        code = row.data["code"]
        histories.setdefault(staff_code, {})[code] = rules.PastDecision(
            code, form, values["violation"], decided, effective, values["decision_number"]
        )
        if _touches_history(old, values):
            touched[code] = row
    return histories, touched


def check_repeats(
    ctx: ImportContext,
    plans: list[Plan],
    catalogue: dict[str, tuple[int | None, str | None]],
    standings: dict[str, Standing],
) -> None:
    """A row lighter than a decision on another act running on its date requires, or a row
    that runs over a later decision then too light, is an error of that row."""
    histories, touched = _file_histories(plans, catalogue)
    involved = {c for c, h in histories.items() if touched.keys() & h.keys()}
    by_id = {sid: c for c in involved if (sid := catalogue[c][0]) is not None}
    for staff_id, stored in past_decisions(by_id).items():
        for decision in stored:
            histories[by_id[staff_id]].setdefault(decision.code, decision)
    for staff_code in sorted(involved):
        standing = standings.get(staff_code)
        if standing is None:
            continue
        history = list(histories[staff_code].values())
        # The forms of the person's post on each decision's date, as the pages judge them.
        for short in rules.shortfalls(history=history, allowed_on=standing.allowed_on):
            _report_shortfall(ctx, short, touched)


def _report_shortfall(ctx: ImportContext, short: rules.Shortfall, touched: dict[str, Row]) -> None:
    running, need = short.need.running, short.need
    if running is None:
        return
    if short.decision.code in touched:
        ctx.error(
            touched[short.decision.code],
            "form",
            _(
                "the person is still serving decision '%(decision)s' (%(form)s, until "
                "%(until)s) for another violation, so the form must be '%(minimum)s' or heavier"
            )
            % {
                "decision": running.code,
                "form": running.form,
                "until": need.running_until.isoformat() if need.running_until else "-",
                "minimum": need.minimum or "-",
            },
        )
    elif running.code in touched:
        ctx.error(
            touched[running.code],
            "effective_on",
            _(
                "decision '%(later)s' (%(form)s, %(date)s) for another violation falls within "
                "this decision's window, so it would have to be '%(minimum)s' or heavier"
            )
            % {
                "later": short.decision.code,
                "form": short.decision.form,
                "date": short.decision.decided_on.isoformat(),
                "minimum": need.minimum or "-",
            },
        )


@spec.section("discipline", 40, gettext_lazy("Discipline decisions"))
class DisciplineSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique decision code.")),
        spec.staff(),
        spec.enum(
            "form", DisciplineForm.values, gettext_lazy("Form of discipline."), required=True
        ),
        spec.enum("track", Track.values, gettext_lazy("Administrative (default) or Party.")),
        spec.text(
            "violation",
            gettext_lazy("Code of the act: Party and administrative decisions on it count once."),
            max_length=60,
        ),
        spec.date("decided_on", gettext_lazy("Date of the decision."), required=True),
        spec.date("effective_on", gettext_lazy("Date it takes effect."), required=True),
        spec.text("decision_number", gettext_lazy("Number of the decision."), max_length=60),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        staff = staff_catalogue(ctx)
        standings = staff_standings(ctx)
        rows, existing = spec.stored_by_code(
            rows, DisciplineDecision.objects.select_related("staff")
        )
        plans: list[Plan] = []
        for row in rows:
            old = existing.get(row.data["code"])
            values = {
                "staff": row.get("staff"),
                "form": row.get("form"),
                "track": row.get("track") or Track.ADMINISTRATIVE,
                "violation": row.get("violation") or "",
                "decided_on": row.get("decided_on"),
                "effective_on": row.get("effective_on"),
                "decision_number": row.get("decision_number") or "",
            }
            code = values["staff"]
            spec.known(ctx, row, "staff", staff, "staff")
            decided, effective = values["decided_on"], values["effective_on"]
            spec.not_before(
                ctx,
                row,
                "effective_on",
                (decided, effective),
                _("'%(value)s' is before the decision date %(date)s"),
            )
            form = values["form"]
            person = standings.get(code) if code in staff else None
            if person is not None and person.category and form is not None and decided is not None:
                # The rule the pages and the API apply (`services.check_form`), same message.
                verdict = rules.judge_form(
                    form=form,
                    category=person.category,
                    leader=person.leader_on(decided),
                    on=decided,
                )
                if not verdict.ok:
                    ctx.error(
                        row,
                        "form",
                        form_refusal_message(name=person.name, code=code, verdict=verdict),
                    )
            if old is not None and old.staff.code != code:
                ctx.error(
                    row,
                    "staff",
                    _("decision '%(value)s' concerns staff member '%(other)s'; it cannot move")
                    % {"value": row.data["code"], "other": old.staff.code},
                )
            if code is not None:
                check_staff_scope(ctx, row, code)
            plans.append((row, old, values))
        check_repeats(ctx, plans, staff, standings)
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        ids = staff_ids(ctx)
        names = [n for n in FIELDS if n != "staff"]
        yield from spec.upsert(
            ctx,
            self.key,
            DisciplineDecision,
            (
                (
                    old,
                    {"code": row.data["code"], "staff_id": ids[values["staff"]]},
                    {n: values[n] for n in names},
                )
                for row, old, values in ctx.plans.get(self.key, [])
            ),
            batch_size=BATCH,
        )

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = DisciplineDecision.objects.all()
        if request.scope is not None:
            qs = qs.filter(discipline_access(request.scope).staff_q())
        qs = in_selected_units(qs, request, "staff__unit_id")
        qs = spec.in_range(qs, request, "effective_on")
        return spec.exported(self.fields, qs.order_by("code"), {"staff": "staff__code"})


spec.register(DisciplineSection())
