"""A dated, in-memory snapshot of the whole unit tree.

Hanoi has a few thousand units and a few thousand parent links across its history, so the
whole tree fits in memory. Subtree questions ("X and everything under X on D") are answered
here instead of with a recursive query per request; the snapshot is reloaded when the
`org_tree` counter (bumped by every service and import that touches units, links or
successions) moves. One cheap query per request checks the counter. See
docs/decisions/0002-dated-tree-snapshot.md.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from thenchot.core.models import bump, read_counter
from thenchot.core.validity import Validity

TREE_COUNTER = "org_tree"


@dataclass(frozen=True)
class UnitInfo(Validity):
    id: int
    code: str
    name: str
    kind: str
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass(frozen=True)
class LinkInfo(Validity):
    unit_id: int
    parent_id: int
    valid_from: dt.date | None
    valid_to: dt.date | None


@dataclass
class TreeSnapshot:
    units: dict[int, UnitInfo]
    links_by_parent: dict[int, list[LinkInfo]]
    links_by_unit: dict[int, list[LinkInfo]]
    predecessors: dict[int, list[tuple[int, dt.date | None]]]
    successors: dict[int, list[tuple[int, dt.date | None]]]
    by_code: dict[str, int] = field(default_factory=dict)

    def change_days(self) -> list[dt.date]:
        """The days on which a unit or a parent link starts, or the day after one ends, in
        order: between two of them the whole tree stays the same."""
        day = dt.timedelta(days=1)
        spans: list[Validity] = [*self.units.values()]
        spans += [link for links in self.links_by_unit.values() for link in links]
        points: set[dt.date] = set()
        for span in spans:
            if span.valid_from is not None:
                points.add(span.valid_from)
            if span.valid_to is not None:
                points.add(span.valid_to + day)
        return sorted(points)

    # -- single-date questions --------------------------------------------------------------
    def parent_on(self, unit_id: int, on: dt.date) -> int | None:
        for link in self.links_by_unit.get(unit_id, ()):
            if link.valid_on(on):
                return link.parent_id
        return None

    def last_parent(self, unit_id: int) -> int | None:
        links = self.links_by_unit.get(unit_id, ())
        if not links:
            return None
        return max(links, key=lambda ln: ln.valid_from or dt.date.min).parent_id

    def children_on(self, unit_id: int, on: dt.date) -> list[int]:
        return [
            link.unit_id
            for link in self.links_by_parent.get(unit_id, ())
            if link.valid_on(on) and self.units[link.unit_id].valid_on(on)
        ]

    def roots_on(self, on: dt.date) -> list[int]:
        return sorted(
            (
                u.id
                for u in self.units.values()
                if u.valid_on(on) and self.parent_on(u.id, on) is None
            ),
            key=lambda i: self.units[i].code,
        )

    def subtree_on(self, unit_id: int, on: dt.date) -> set[int]:
        """`unit_id` and every unit under it on `on` (the unit itself even if not valid then)."""
        result = {unit_id}
        stack = [unit_id]
        while stack:
            current = stack.pop()
            for child in self.children_on(current, on):
                if child not in result:
                    result.add(child)
                    stack.append(child)
        return result

    def ancestors_on(self, unit_id: int, on: dt.date) -> list[int]:
        """Parents from the nearest up to the root on `on` (cycle-safe)."""
        chain: list[int] = []
        seen = {unit_id}
        current = self.parent_on(unit_id, on)
        while current is not None and current not in seen:
            chain.append(current)
            seen.add(current)
            current = self.parent_on(current, on)
        return chain

    def would_cycle(self, unit_id: int, parent_id: int, on: dt.date) -> bool:
        return parent_id == unit_id or unit_id in self.ancestors_on(parent_id, on)

    def agency_of(self, unit_id: int, on: dt.date) -> int:
        """The nearest unit at or above `unit_id` whose kind is not `division` (rules.md)."""
        if self.units[unit_id].kind != "division":
            return unit_id
        for ancestor in self.ancestors_on(unit_id, on):
            if self.units[ancestor].kind != "division":
                return ancestor
        return unit_id

    # -- history -----------------------------------------------------------------------------
    def predecessor_closure(self, unit_ids: set[int]) -> set[int]:
        """Every unit that the given units succeeded, directly or through a chain."""
        result: set[int] = set()
        stack = list(unit_ids)
        while stack:
            current = stack.pop()
            for pred, _on in self.predecessors.get(current, ()):
                if pred not in result and pred not in unit_ids:
                    result.add(pred)
                    stack.append(pred)
        return result

    def readable_from(self, unit_id: int, on: dt.date) -> set[int]:
        """What people of `unit_id` may read: its subtree on `on`, plus the units its subtree
        succeeded, each with the subtree it had on its last day (rules.md, Organisation
        history)."""
        result = self.subtree_on(unit_id, on)
        pending = self.predecessor_closure(result)
        while pending:
            pred = pending.pop()
            if pred in result:
                continue
            last_day = self.units[pred].valid_to or on
            sub = self.subtree_on(pred, last_day)
            new = sub - result
            result |= sub
            pending |= self.predecessor_closure(new) - result
        return result

    def path_codes(self, unit_id: int, on: dt.date) -> list[str]:
        return [self.units[i].code for i in reversed(self.ancestors_on(unit_id, on))] + [
            self.units[unit_id].code
        ]


_lock = threading.Lock()
_cache: tuple[int, TreeSnapshot] | None = None
# Inside one request the tree is checked once: later calls reuse the same snapshot.
# Outside a request (commands, jobs, tests) the holder is None and every call checks the counter.
_request_snapshot: ContextVar[list[TreeSnapshot] | None] = ContextVar("thenchot_tree", default=None)


@contextlib.contextmanager
def request_scope() -> Iterator[None]:
    """Reuse one snapshot for the block (a request); `invalidate()` inside it drops it."""
    token = _request_snapshot.set([])
    try:
        yield
    finally:
        _request_snapshot.reset(token)


def load_snapshot() -> TreeSnapshot:
    from thenchot.org.models import Unit, UnitLink, UnitSuccession

    units = {
        row[0]: UnitInfo(*row)
        for row in Unit.objects.values_list("id", "code", "name", "kind", "valid_from", "valid_to")
    }
    by_parent: dict[int, list[LinkInfo]] = defaultdict(list)
    by_unit: dict[int, list[LinkInfo]] = defaultdict(list)
    for row in UnitLink.objects.values_list("unit_id", "parent_id", "valid_from", "valid_to"):
        link = LinkInfo(*row)
        by_parent[link.parent_id].append(link)
        by_unit[link.unit_id].append(link)
    preds: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    succs: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    for pred, succ, on in UnitSuccession.objects.values_list(
        "predecessor_id", "successor_id", "effective_on"
    ):
        preds[succ].append((pred, on))
        succs[pred].append((succ, on))
    return TreeSnapshot(
        units=units,
        links_by_parent=dict(by_parent),
        links_by_unit=dict(by_unit),
        predecessors=dict(preds),
        successors=dict(succs),
        by_code={u.code: u.id for u in units.values()},
    )


def tree() -> TreeSnapshot:
    """The current snapshot, reloaded when the tree counter has moved."""
    global _cache
    holder = _request_snapshot.get()
    if holder:
        return holder[0]
    version = read_counter(TREE_COUNTER)
    cached = _cache
    if cached is not None and cached[0] == version:
        snapshot = cached[1]
    else:
        with _lock:
            snapshot = load_snapshot()
            _cache = (version, snapshot)
    if holder is not None:
        holder.append(snapshot)
    return snapshot


def invalidate() -> None:
    """Mark the tree changed (call inside the writing transaction)."""
    global _cache

    bump(TREE_COUNTER)
    _cache = None
    holder = _request_snapshot.get()
    if holder:
        holder.clear()
