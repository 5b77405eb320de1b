"""Registries for what spans every app.

Each app registers its own piece in `AppConfig.ready()`: interchange sections, report blocks,
person-page panels, search providers. `exchange/` and `reports/` read the registry and never
import the domain apps, so a new app plugs in without editing them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from thenchot.core.due import DueSource
    from thenchot.core.interchange import Section
    from thenchot.core.panels import PeriodPanel, PersonPanel, UnitPanel
    from thenchot.core.reporting import ReportBlock

T = TypeVar("T")


# May the reader (their `accounts.scoping.Scope`) read this record and its history? Both
# arguments are typed by the registering app (a Scope and its own model): a callable that takes
# its own model cannot be typed as taking any model, so the registry says only "two arguments".
RecordAccess = Callable[[Any, Any], bool]


def signed_in(scope: Any, record: Any) -> bool:
    """The record-access rule of reference records (job positions, source documents, checklist
    items) that every signed-in reader may read."""
    return scope.user_id is not None


class DemoLoader(Protocol):
    def __call__(self, *, seed: int, today: dt.date) -> None: ...


class Registry(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, tuple[int, T]] = {}

    def register(self, key: str, item: T, *, order: int = 100) -> T:
        # An equal item registered again (a menu group that several apps name) is no conflict.
        if key in self._items and self._items[key][1] != item:
            raise ValueError(f"{self.name}: {key!r} is already registered")
        self._items[key] = (order, item)
        return item

    def unregister(self, key: str) -> None:
        self._items.pop(key, None)

    @contextlib.contextmanager
    def overridden(self, items: dict[str, T] | None = None) -> Iterator[None]:
        """For tests: only `items` are registered inside the block; the old set after it."""
        saved = dict(self._items)
        self._items = {key: (100, item) for key, item in (items or {}).items()}
        try:
            yield
        finally:
            self._items = saved

    def get(self, key: str) -> T:
        try:
            return self._items[key][1]
        except KeyError:
            raise KeyError(f"{self.name}: nothing registered as {key!r}") from None

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def keys(self) -> list[str]:
        return [k for k, _ in sorted(self._items.items(), key=lambda kv: (kv[1][0], kv[0]))]

    def items(self) -> Iterator[tuple[str, T]]:
        for key in self.keys():
            yield key, self._items[key][1]


# The registries' item types live with their contracts (imported for annotations only: those
# modules import this one to fill their registry, so a run-time import would be a circle).
interchange_sections: Registry[Section] = Registry("interchange sections")
report_blocks: Registry[ReportBlock] = Registry("report blocks")
person_panels: Registry[PersonPanel] = Registry("person panels")
unit_panels: Registry[UnitPanel] = Registry("unit panels")
# What the close screen shows about its closed periods (core.panels.PeriodPanel)
period_panels: Registry[PeriodPanel] = Registry("period panels")
search_providers: Registry[Callable[..., Any]] = Registry("search providers")
# model label ("people.staff") -> may this reader (a scope) read this record's history?
record_access: Registry[RecordAccess] = Registry("record access")
# policy key ("directives.task") -> core.due.DueSource
due_sources: Registry[DueSource] = Registry("due sources")
# app label -> builds the app's demo records, run by `load_demo` after the organisation and staff
# exist
demo_loaders: Registry[DemoLoader] = Registry("demo loaders")
# name -> called once the table of holidays changed (committed), with the set of dates whose
# working-day status may have changed: an app with due dates counted in working days
# (processes) recomputes those its open records hold, through `core.jobs`
calendar_changed: Registry[Callable[[frozenset[dt.date]], None]] = Registry("calendar changed")
# name -> called after a bulk write's audit lines (imports, a period's close, the demo) with the
# model labels ("directives.task") they named: caches of figures drop what those writes changed
# (the per-record writes reach the same receivers through Django's post_save)
bulk_written: Registry[Callable[[frozenset[str]], None]] = Registry("bulk written")
