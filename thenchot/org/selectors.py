"""Reads of the unit tree, always through the user's scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import Scope
from thenchot.core.errors import DomainError
from thenchot.core.interchange import ExportRequest
from thenchot.core.picker import ranked
from thenchot.core.registry import RecordAccess
from thenchot.core.text import fold
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import TreeSnapshot, tree


@dataclass(frozen=True)
class TreeNode:
    id: int
    code: str
    name: str
    kind: str
    depth: int
    has_children: bool


def unit_label(unit_id: Any) -> str | None:
    """A unit's "name (code)" by its id, from the tree (how change histories show a unit)."""
    try:
        info = tree().units.get(int(unit_id))
    except (TypeError, ValueError):
        return None
    return f"{info.name} ({info.code})" if info else None


def may_write_unit(
    scope: Scope, unit_id: int, *, anywhere: Iterable[str], in_subtree: Iterable[str]
) -> bool:
    """The write rule of records that belong to a unit: nobody writes to a unit that has ended
    (rules.md) or to no unit; a role of `anywhere` writes to any unit, a role of `in_subtree`
    to the units its grants let it read; an anonymous visitor nowhere."""
    if scope.is_anonymous:
        return False
    info = tree().units.get(unit_id)
    if info is None or (info.valid_to is not None and info.valid_to < scope.on):
        return False
    if scope.has_role(*anywhere):
        return True
    return scope.has_role(*in_subtree) and unit_id in scope.read_units


def in_exported_unit(qs: QuerySet[Any], request: ExportRequest, path: str) -> QuerySet[Any]:
    """`qs` narrowed, when an export names a unit, to the rows whose unit at `path` (e.g.
    `lead_unit_id`) is in that unit's subtree on the export's `as_of`; an unknown code is
    refused."""
    code = request.unit_code or request.params.get("unit") or None
    if not code:
        return qs
    snap = tree()
    unit_id = snap.by_code.get(str(code))
    if unit_id is None:
        raise DomainError(_("unknown unit code '%(value)s'") % {"value": code})
    return qs.filter(**{f"{path}__in": sorted(snap.subtree_on(unit_id, request.as_of))})


def unit_queryset(scope: Scope) -> QuerySet[Unit]:
    return scope.restrict_units(Unit.objects.all())


def units_in_subtree(unit: Unit, on: dt.date) -> set[int]:
    return tree().subtree_on(unit.pk, on)


def visible_roots(scope: Scope, on: dt.date, snapshot: TreeSnapshot | None = None) -> list[int]:
    """The top units this user sees on `on`: the real roots for a city-wide user, else the
    highest readable units (those whose parent on `on` is not readable)."""
    snap = snapshot or tree()
    if scope.city_wide:
        return snap.roots_on(on)
    roots = []
    for uid in scope.read_units:
        info = snap.units[uid]
        if not info.valid_on(on):
            continue
        parent = snap.parent_on(uid, on)
        if parent is None or parent not in scope.read_units:
            roots.append(uid)
    return sorted(roots, key=lambda i: snap.units[i].code)


def children(scope: Scope, unit_id: int | None, on: dt.date) -> list[TreeNode]:
    """One level of the tree browser: the readable children of `unit_id` (roots when None)."""
    snap = tree()
    ids = visible_roots(scope, on, snap) if unit_id is None else snap.children_on(unit_id, on)
    nodes = []
    for uid in ids:
        if not scope.can_read_unit(uid):
            continue
        info = snap.units[uid]
        nodes.append(
            TreeNode(
                id=uid,
                code=info.code,
                name=info.name,
                kind=info.kind,
                depth=0,
                has_children=bool(snap.children_on(uid, on)),
            )
        )
    return sorted(nodes, key=lambda n: (n.kind != "city", n.name))


def search_units(scope: Scope, query: str, on: dt.date, limit: int = 50) -> list[Unit]:
    folded = fold(query)
    qs = unit_queryset(scope).filter(search_text__contains=folded)
    return [u for u in qs.order_by("name")[: limit * 4] if u.is_valid_on(on)][:limit]


RECORD_ACCESS: dict[str, RecordAccess] = {
    "org.unit": lambda scope, obj: scope.can_read_unit(obj.pk),
    "org.unitlink": lambda scope, obj: scope.can_read_unit(obj.unit_id),
    "org.unitsuccession": lambda scope, obj: scope.can_read_unit(obj.successor_id),
}


def pick_units(scope: Scope | None, text: str, on: dt.date) -> list[Unit]:
    """Picker suggestions: units existing on `on` matching `text` (name or code, without
    diacritics), the exact code first; readable ones only, unless `scope` is None (a caller
    that answers for a wider rule, as assigning a task to any unit)."""
    qs = Unit.objects.filter(valid_on_q(on))
    if scope is not None:
        qs = scope.restrict_units(qs)
    return ranked(qs, text, order=("name",))
