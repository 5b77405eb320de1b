"""The `units` section of the interchange format (shared/spec/interchange.md).

`parent` is the parent on the file's `as_of` (for a unit not valid then: on its last day, or
its first day when it begins later); `successors` are the units that took it over. The tree's
history lives in dated links, so an import ends the old link the day before `as_of` and opens
a new one rather than rewriting the past.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import reduce
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change, snapshot
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.core.text import fold
from thenchot.org.choices import UnitKind
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.tree import TreeSnapshot, invalidate, tree

BATCH = 2000
_UNSET: Any = object()


def reference_date(valid_from: dt.date | None, valid_to: dt.date | None, as_of: dt.date) -> dt.date:
    """The date a unit's `parent` describes: `as_of`, or the unit's last (first) day when it
    ended before (began after) `as_of`."""
    if valid_to is not None and valid_to < as_of:
        return valid_to
    if valid_from is not None and valid_from > as_of:
        return valid_from
    return as_of


@dataclass
class UnitRef:
    """What later sections need to know about a unit of the file or of the database."""

    id: int | None
    valid_from: dt.date | None
    valid_to: dt.date | None

    def valid_on(self, on: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (
            self.valid_to is None or on <= self.valid_to
        )


def unit_catalogue(ctx: ImportContext) -> dict[str, UnitRef]:
    """Every unit code known to this import (database, with the file's units over it). Unit ids
    of units the file creates are filled in once they are written (`unit_ids`)."""
    catalogue = ctx.shared.get("units.catalogue")
    if catalogue is None:
        catalogue = {
            code: UnitRef(pk, vf, vt)
            for code, pk, vf, vt in Unit.objects.values_list("code", "id", "valid_from", "valid_to")
        }
        ctx.shared["units.catalogue"] = catalogue
    return catalogue


def unit_ids(ctx: ImportContext) -> dict[str, int]:
    """code -> id of every unit, after the units section has been written."""
    ids = ctx.shared.get("units.ids")
    if ids is None:
        ids = dict(Unit.objects.values_list("code", "id"))
        ctx.shared["units.ids"] = ids
    return ids


@dataclass
class UnitPlan:
    row: Row
    unit: Unit | None  # None: to create
    values: dict[str, Any]  # name, kind, valid_from, valid_to after the import
    changed: list[str]
    parent: Any = _UNSET  # desired parent code (or None) on `ref`, when it changes
    ref: dt.date | None = None
    had_links: bool = False
    successors: Any = _UNSET  # desired successor codes, when they change
    touched: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def saved(self) -> Unit:
        """The unit once written (the apply steps after the unit rows run only on saved units)."""
        if self.unit is None:
            raise RuntimeError(f"unit {self.values.get('code')!r} read before it was written")
        return self.unit


@spec.section("units", 10, gettext_lazy("Units"))
class UnitSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique code of the unit."), max_length=40),
        spec.text("name", gettext_lazy("Full name of the unit."), required=True, max_length=255),
        spec.enum("kind", UnitKind.values, gettext_lazy("Kind of unit."), required=True),
        spec.unit(
            "parent",
            gettext_lazy("Code of the parent unit on the file's date; empty for a top-level unit."),
        ),
        spec.date(
            "valid_from",
            gettext_lazy("First day of the unit; empty if it existed before any date in the file."),
        ),
        spec.date("valid_to", gettext_lazy("Last day of the unit; empty while it exists.")),
        spec.refs(
            "successors",
            "units",
            gettext_lazy("Codes of the units that took it over (merge or split), separated by ;."),
        ),
    )

    # -- import: plan ---------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        snap = tree()
        existing = {u.code: u for u in Unit.objects.all()}
        file_codes = {r.data["code"]: r for r in rows if r.get("code")}
        known = set(existing) | set(file_codes)
        scope = ctx.scope
        admin = scope is None or (scope.city_wide and scope.can_write_org)
        plans: list[UnitPlan] = []
        # The parent graph on `as_of`: the database's, with the file's parents over it.
        graph: dict[str, str | None] = {}
        for info in snap.units.values():
            parent_id = snap.parent_on(info.id, ctx.as_of)
            graph[info.code] = snap.units[parent_id].code if parent_id is not None else None

        for row in rows:
            code = row.get("code")
            if code is None:
                continue
            unit = existing.get(code)
            values: dict[str, Any] = {}
            for name in ("name", "kind", "valid_from", "valid_to"):
                if row.has(name):
                    values[name] = row.data[name]
                else:
                    values[name] = getattr(unit, name) if unit is not None else None
            vf, vt = values["valid_from"], values["valid_to"]
            message = _("'%(to)s' is before valid_from '%(from)s'")
            spec.not_before(ctx, row, "valid_to", (vf, vt), message)
            plan = UnitPlan(row=row, unit=unit, values=values, changed=[])
            if unit is not None:
                plan.changed = [
                    n
                    for n in ("name", "kind", "valid_from", "valid_to")
                    if getattr(unit, n) != values[n]
                ]
            plan.ref = reference_date(vf, vt, ctx.as_of)

            if row.has("parent"):
                parent = row.data["parent"]
                ok = True
                if parent is not None:
                    if parent == code:
                        ctx.error(
                            row,
                            "parent",
                            _("unit '%(unit)s' would become its own ancestor") % {"unit": code},
                        )
                        ok = False
                    elif parent not in known:
                        ctx.error(
                            row, "parent", _("unknown unit code '%(value)s'") % {"value": parent}
                        )
                        ok = False
                if ok:
                    graph[code] = parent
                    current = None
                    links = snap.links_by_unit.get(unit.pk, []) if unit is not None else []
                    plan.had_links = bool(links)
                    if unit is not None:
                        current_id = snap.parent_on(unit.pk, plan.ref)
                        current = snap.units[current_id].code if current_id is not None else None
                    if unit is None or current != parent or (parent is not None and not links):
                        plan.parent = parent
            if row.has("successors"):
                wanted = sorted(set(row.data["successors"] or []))
                for succ in wanted:
                    if succ == code:
                        ctx.error(row, "successors", _("a unit cannot succeed itself"))
                    elif succ not in known:
                        ctx.error(
                            row,
                            "successors",
                            _("unknown unit code '%(value)s'") % {"value": succ},
                        )
                current_succ = (
                    sorted(snap.units[s].code for s, _on in snap.successors.get(unit.pk, ()))
                    if unit is not None
                    else []
                )
                if wanted != current_succ:
                    plan.successors = wanted
            plan.touched = (
                unit is None
                or bool(plan.changed)
                or plan.parent is not _UNSET
                or plan.successors is not _UNSET
            )
            if plan.touched and not ctx.is_system:
                self._check_scope(ctx, plan, existing, admin)
            plans.append(plan)

        self._check_cycles(ctx, plans, graph)
        ctx.plans[self.key] = plans
        catalogue = unit_catalogue(ctx)
        for plan in plans:
            code = plan.row.data["code"]
            catalogue[code] = UnitRef(
                plan.unit.pk if plan.unit is not None else None,
                plan.values["valid_from"],
                plan.values["valid_to"],
            )

    def _check_scope(
        self, ctx: ImportContext, plan: UnitPlan, existing: dict[str, Unit], admin: bool
    ) -> None:
        scope = ctx.scope
        row = plan.row
        code = row.data["code"]
        if (
            plan.unit is not None
            and (plan.changed or plan.successors is not _UNSET)
            and not scope.can_write_unit(plan.unit.pk)
        ):
            ctx.error(
                row,
                "code",
                _("you may not change records of unit '%(value)s'") % {"value": code},
            )
            return
        parent = plan.parent
        if plan.unit is None and parent is _UNSET:
            parent = None  # a new unit without a parent column is a top-level unit
        if parent is _UNSET:
            return
        if parent is None:
            if not admin:
                ctx.error(
                    row,
                    "parent",
                    _("only a city-wide administrator can create or move a top-level unit"),
                )
            return
        if plan.unit is not None and not scope.can_write_unit(plan.unit.pk):
            ctx.error(
                row, "code", _("you may not change records of unit '%(value)s'") % {"value": code}
            )
            return
        parent_unit = existing.get(parent)
        # A parent created by the same file is checked on its own row.
        if parent_unit is not None and not scope.can_write_unit(parent_unit.pk):
            ctx.error(
                row,
                "parent",
                _("you may not change records of unit '%(value)s'") % {"value": parent},
            )

    def _check_cycles(
        self, ctx: ImportContext, plans: list[UnitPlan], graph: dict[str, str | None]
    ) -> None:
        for plan in plans:
            code = plan.row.data["code"]
            if plan.parent is _UNSET or plan.parent is None or plan.parent == code:
                continue
            seen = {code}
            current: str | None = plan.parent
            while current is not None and current not in seen:
                seen.add(current)
                current = graph.get(current)
            if current == code:
                ctx.error(
                    plan.row,
                    "parent",
                    _("unit '%(unit)s' would become its own ancestor") % {"unit": code},
                )

    # -- import: apply --------------------------------------------------------------------------
    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        plans: list[UnitPlan] = ctx.plans.get(self.key, [])
        counts = ctx.counts.setdefault(self.key, engine.Counts())
        now = timezone.now()
        creates: list[Unit] = []
        updates: list[tuple[Unit, dict[str, Any]]] = []
        for plan in plans:
            if plan.unit is None:
                v = plan.values
                unit = Unit(
                    code=plan.row.data["code"],
                    name=v["name"],
                    kind=v["kind"],
                    valid_from=v["valid_from"],
                    valid_to=v["valid_to"],
                )
                unit.search_text = _search_text(unit.code, unit.name)
                creates.append(unit)
                counts.created += 1
            elif plan.touched:
                counts.updated += 1
                if plan.changed:
                    before = snapshot(plan.unit)
                    for name in plan.changed:
                        setattr(plan.unit, name, plan.values[name])
                    plan.unit.search_text = _search_text(plan.unit.code, plan.unit.name)
                    plan.unit.version += 1
                    plan.unit.updated_at = now
                    updates.append((plan.unit, before))
            else:
                counts.unchanged += 1
        for batch in engine.chunked(creates, BATCH):
            Unit.objects.bulk_create(batch, batch_size=BATCH)
            for unit in batch:
                yield Change(unit, CREATE, None, snapshot(unit))
        if updates:
            Unit.objects.bulk_update(
                [u for u, _b in updates],
                ["name", "kind", "valid_from", "valid_to", "search_text", "version", "updated_at"],
                batch_size=BATCH,
            )
            for unit, before in updates:
                yield Change(unit, UPDATE, before, snapshot(unit))
        ids = dict(Unit.objects.values_list("code", "id"))
        ctx.shared["units.ids"] = ids
        catalogue = unit_catalogue(ctx)
        for code, ref in catalogue.items():
            if ref.id is None:
                ref.id = ids.get(code)
        for plan in plans:
            if plan.unit is None:
                plan.unit = Unit(pk=ids[plan.row.data["code"]], **plan.values)
        yield from self._apply_links(ctx, plans, ids)
        yield from self._apply_successions(plans, ids)
        invalidate()

    def _apply_links(
        self, ctx: ImportContext, plans: list[UnitPlan], ids: dict[str, int]
    ) -> Iterator[Change]:
        moving = [p for p in plans if p.parent is not _UNSET]
        if not moving:
            return
        links_of: dict[int, list[UnitLink]] = {}
        for batch in engine.chunked([p.saved.pk for p in moving if p.had_links], BATCH):
            for link in UnitLink.objects.filter(unit_id__in=list(batch)):
                links_of.setdefault(link.unit_id, []).append(link)
        new_links: list[UnitLink] = []
        for plan in moving:
            unit = plan.unit
            assert unit is not None and plan.ref is not None
            ref = plan.ref
            parent_id = ids[plan.parent] if plan.parent is not None else None
            links = links_of.get(unit.pk, [])
            if not links:
                if parent_id is not None:
                    new_links.append(
                        UnitLink(
                            unit_id=unit.pk,
                            parent_id=parent_id,
                            valid_from=plan.values["valid_from"],
                            valid_to=plan.values["valid_to"],
                        )
                    )
                continue
            covering = [ln for ln in links if _covers(ln, ref)]
            end = plan.values["valid_to"]
            for link in covering:
                end = link.valid_to
                before = snapshot(link)
                if link.valid_from is not None and link.valid_from >= ref:
                    link_repr = snapshot(link)
                    link.delete()
                    yield Change(link, DELETE, link_repr, None)
                else:
                    link.valid_to = ref - dt.timedelta(days=1)
                    link.save(update_fields=["valid_to"])
                    yield Change(link, UPDATE, before, snapshot(link))
            if parent_id is not None:
                new_links.append(
                    UnitLink(unit_id=unit.pk, parent_id=parent_id, valid_from=ref, valid_to=end)
                )
        for batch in engine.chunked(new_links, BATCH):
            UnitLink.objects.bulk_create(batch, batch_size=BATCH)
            for link in batch:
                yield Change(link, CREATE, None, snapshot(link))

    def _apply_successions(self, plans: list[UnitPlan], ids: dict[str, int]) -> Iterator[Change]:
        changing = [p for p in plans if p.successors is not _UNSET]
        if not changing:
            return
        validity = {
            code: (vf, vt)
            for code, vf, vt in Unit.objects.filter(
                code__in=sorted({s for p in changing for s in p.successors})
            ).values_list("code", "valid_from", "valid_to")
        }
        for plan in changing:
            pred_id = plan.saved.pk
            wanted = {ids[c] for c in plan.successors}
            current = {
                s.successor_id: s for s in UnitSuccession.objects.filter(predecessor_id=pred_id)
            }
            for succ_id, succession in current.items():
                if succ_id not in wanted:
                    before = snapshot(succession)
                    succession.delete()
                    yield Change(succession, DELETE, before, None)
            for code in plan.successors:
                succ_id = ids[code]
                if succ_id in current:
                    continue
                succ_from = validity.get(code, (None, None))[0]
                pred_to = plan.values["valid_to"]
                effective = succ_from or (pred_to + dt.timedelta(days=1) if pred_to else None)
                succession = UnitSuccession.objects.create(
                    predecessor_id=pred_id, successor_id=succ_id, effective_on=effective
                )
                yield Change(succession, CREATE, None, snapshot(succession))

    # -- export ---------------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        snap = tree()
        ids = selected_unit_ids(snap, request)
        words = fold(str(request.params.get("q") or "")).split()
        records: list[dict[str, Any]] = []
        for unit_id in ids:
            info = snap.units[unit_id]
            if words:
                text = fold(f"{info.name} {info.code}")
                if not all(w in text for w in words):
                    continue
            ref = reference_date(info.valid_from, info.valid_to, request.as_of)
            parent_id = snap.parent_on(unit_id, ref)
            records.append(
                {
                    "code": info.code,
                    "name": info.name,
                    "kind": info.kind,
                    "parent": snap.units[parent_id].code if parent_id is not None else None,
                    "valid_from": engine.iso(info.valid_from),
                    "valid_to": engine.iso(info.valid_to),
                    "successors": sorted(
                        snap.units[s].code for s, _on in snap.successors.get(unit_id, ())
                    ),
                }
            )
        records.sort(key=lambda r: r["code"])
        return records


def _search_text(code: str, name: str) -> str:
    return f"{fold(name)} {fold(code)}"[:400]


def _covers(link: UnitLink, on: dt.date) -> bool:
    return (link.valid_from is None or link.valid_from <= on) and (
        link.valid_to is None or on <= link.valid_to
    )


def _overlaps(
    valid_from: dt.date | None, valid_to: dt.date | None, start: dt.date | None, end: dt.date | None
) -> bool:
    return (end is None or valid_from is None or valid_from <= end) and (
        start is None or valid_to is None or valid_to >= start
    )


def check_units_writable(
    ctx: ImportContext,
    row: Row,
    name: str,
    codes: list[str | None],
    units: dict[str, UnitRef],
    refusal: Any,
) -> None:
    """An import by a person who is not city-wide writes only records of the units they may
    write: each of `codes` (the row's unit, the stored record's) must be one, else the error
    `refusal` ("... unit '%(value)s'") on the row's `name`, once."""
    scope = ctx.scope
    if scope is None or scope.city_wide:
        return
    for code in codes:
        ref = units.get(code or "")
        if ref is None or ref.id is None or ref.id not in scope.write_units:
            ctx.error(row, name, refusal % {"value": code})
            return


def in_selected_units(qs: Any, request: ExportRequest, *paths: str) -> Any:
    """`qs` narrowed, when the export names a unit, to the records whose unit (any of `paths`,
    e.g. `staff__unit_id`) is one of `selected_unit_ids`."""
    if not (request.unit_code or request.params.get("unit")):
        return qs
    ids = sorted(selected_unit_ids(tree(), request))
    return qs.filter(reduce(operator.or_, (Q(**{f"{path}__in": ids}) for path in paths)))


def selected_unit_ids(snap: TreeSnapshot, request: ExportRequest) -> set[int]:
    """Units an export covers: readable by the scope, in the `unit` subtree on `as_of`, valid
    in the [from, to] range. Shared by every section that filters by unit."""
    ids = set(snap.units)
    scope = request.scope
    if scope is not None and not scope.city_wide:
        ids &= set(scope.read_units)
    code = request.unit_code or request.params.get("unit") or None
    if code:
        unit_id = snap.by_code.get(str(code))
        if unit_id is None:
            raise DomainError(_("unknown unit code '%(value)s'") % {"value": code})
        ids &= snap.subtree_on(unit_id, request.as_of)
    if request.date_from or request.date_to:
        ids = {
            i
            for i in ids
            if _overlaps(
                snap.units[i].valid_from,
                snap.units[i].valid_to,
                request.date_from,
                request.date_to,
            )
        }
    return ids


def valid_in_range_q(start: dt.date | None, end: dt.date | None, prefix: str = "") -> Q:
    q = Q()
    if end is not None:
        q &= Q(**{f"{prefix}valid_from__isnull": True}) | Q(**{f"{prefix}valid_from__lte": end})
    if start is not None:
        q &= Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gte": start})
    return q


spec.register(UnitSection())
