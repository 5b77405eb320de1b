"""The `discipline` section of the interchange format: decisions, keyed by `code`.

History stands as given, but a decision still has to be lawful on its own date: the form must
be allowed for the person's category on `decided_on` (leader or not, since a file says only
what the person's post is on `as_of`), and it cannot take effect before it was decided.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.core.auditing import Change
from thenchot.core.registry import interchange_sections
from thenchot.discipline import rules
from thenchot.discipline.choices import DisciplineForm, Track
from thenchot.discipline.models import DisciplineDecision
from thenchot.exchange.engine import (
    CODE,
    DATE,
    ENUM,
    STR,
    Counts,
    ExportRequest,
    Field,
    ImportContext,
    Row,
    Section,
    in_batches,
    iso,
    upsert_flat,
)

BATCH = 2000


def staff_catalogue(ctx: ImportContext) -> dict[str, tuple[int | None, str | None]]:
    """code -> (id or None when the file creates it, category) for every staff code of the
    import: the database's, with the file's `staff` rows over it. Shared by the sections of
    discipline and rotation (cached on the context)."""
    catalogue = ctx.shared.get("staff.catalogue")
    if catalogue is None:
        from thenchot.people.models import Staff

        codes = {r.get("staff") for key in ctx.rows for r in ctx.rows[key] if r.get("staff")}
        catalogue = {
            code: (pk, category)
            for code, pk, category in in_batches(
                codes,
                lambda b: Staff.objects.filter(code__in=b).values_list("code", "id", "category"),
            )
        }
        for row in ctx.rows.get("staff", []):
            code = row.get("code")
            if code is None:
                continue
            known = catalogue.get(code)
            category = row.get("category") or (known[1] if known else None)
            catalogue[code] = (known[0] if known else None, category)
        ctx.shared["staff.catalogue"] = catalogue
    return catalogue


def staff_ids(ctx: ImportContext) -> dict[str, int]:
    """code -> id of the staff this import refers to, after the staff section was written."""
    from thenchot.people.models import Staff

    ids = ctx.shared.get("staff.ids")
    if ids is None:
        codes = list(staff_catalogue(ctx))
        ids = dict(
            in_batches(codes, lambda b: Staff.objects.filter(code__in=b).values_list("code", "id"))
        )
        ctx.shared["staff.ids"] = ids
    return ids


def check_staff_scope(ctx: ImportContext, row: Row, staff_code: str) -> None:
    """An import by a person may touch only staff of the units they may write."""
    scope = ctx.scope
    if scope is None:
        return
    unit_of = ctx.shared.get("staff.unit_of")
    if unit_of is None:
        from thenchot.people.models import Staff

        codes = list(staff_catalogue(ctx))
        unit_of = dict(
            in_batches(
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


FIELDS = ("staff", "form", "track", "violation", "decided_on", "effective_on", "decision_number")


class DisciplineSection(Section):
    key = "discipline"
    order = 40
    title = _lazy("Discipline decisions")
    fields = (
        Field("code", STR, required=True, max_length=60, help=_lazy("Unique decision code.")),
        Field("staff", CODE, required=True, max_length=40, ref="staff", help=_lazy("Staff code.")),
        Field(
            "form",
            ENUM,
            required=True,
            choices=tuple(DisciplineForm.values),
            help=_lazy("Form of discipline."),
        ),
        Field(
            "track",
            ENUM,
            choices=tuple(Track.values),
            help=_lazy("Administrative (default) or Party."),
        ),
        Field(
            "violation",
            STR,
            max_length=60,
            help=_lazy("Code of the act: Party and administrative decisions on it count once."),
        ),
        Field("decided_on", DATE, required=True, help=_lazy("Date of the decision.")),
        Field("effective_on", DATE, required=True, help=_lazy("Date it takes effect.")),
        Field("decision_number", STR, max_length=60, help=_lazy("Number of the decision.")),
    )

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        staff = staff_catalogue(ctx)
        rows = [r for r in rows if r.get("code") is not None]
        existing = {
            d.code: d
            for d in in_batches(
                [r.data["code"] for r in rows],
                lambda b: DisciplineDecision.objects.filter(code__in=b).select_related("staff"),
            )
        }
        plans: list[tuple[Row, DisciplineDecision | None, dict[str, Any]]] = []
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
            known = staff.get(code) if code is not None else None
            if code is not None and known is None:
                ctx.error(row, "staff", _("unknown staff code '%(value)s'") % {"value": code})
            decided, effective = values["decided_on"], values["effective_on"]
            if decided is not None and effective is not None and effective < decided:
                ctx.error(
                    row,
                    "effective_on",
                    _("'%(value)s' is before the decision date %(date)s")
                    % {"value": effective.isoformat(), "date": decided.isoformat()},
                )
            form = values["form"]
            if known is not None and known[1] and form is not None and decided is not None:
                allowed = rules.allowed_forms_any_post(category=known[1], on=decided)
                if form not in allowed:
                    ctx.error(
                        row,
                        "form",
                        _(
                            "'%(value)s' is not allowed for %(category)s on %(date)s (allowed: %(allowed)s)"
                        )
                        % {
                            "value": form,
                            "category": known[1],
                            "date": decided.isoformat(),
                            "allowed": ", ".join(allowed) or "-",
                        },
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
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        ids = staff_ids(ctx)
        names = [n for n in FIELDS if n != "staff"]
        yield from upsert_flat(
            DisciplineDecision,
            (
                (
                    old,
                    {"code": row.data["code"], "staff_id": ids[values["staff"]]},
                    {n: values[n] for n in names},
                )
                for row, old, values in ctx.plans.get(self.key, [])
            ),
            counts=ctx.counts.setdefault(self.key, Counts()),
            batch_size=BATCH,
        )

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = DisciplineDecision.objects.all()
        if request.scope is not None:
            from thenchot.discipline.selectors import discipline_access

            qs = qs.filter(discipline_access(request.scope).staff_q())
        if request.unit_code or request.params.get("unit"):
            from thenchot.org.interchange import selected_unit_ids
            from thenchot.org.tree import tree

            qs = qs.filter(staff__unit_id__in=sorted(selected_unit_ids(tree(), request)))
        if request.date_from:
            qs = qs.filter(effective_on__gte=request.date_from)
        if request.date_to:
            qs = qs.filter(effective_on__lte=request.date_to)
        return [
            {
                "code": code,
                "staff": staff,
                "form": form,
                "track": track,
                "violation": violation or None,
                "decided_on": iso(decided),
                "effective_on": iso(effective),
                "decision_number": number or None,
            }
            for code, staff, form, track, violation, decided, effective, number in qs.order_by(
                "code"
            ).values_list(
                "code",
                "staff__code",
                "form",
                "track",
                "violation",
                "decided_on",
                "effective_on",
                "decision_number",
            )
        ]


interchange_sections.register("discipline", DisciplineSection(), order=40)
