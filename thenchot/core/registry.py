"""Registries for what spans every app.

Each app registers its own piece in `AppConfig.ready()`: interchange sections, report blocks,
person-page panels, search providers. `exchange/` and `reports/` read the registry and never
import the domain apps, so a new app plugs in without editing them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, name: str) -> None:
        self.name = name
        self._items: dict[str, tuple[int, T]] = {}

    def register(self, key: str, item: T, *, order: int = 100) -> T:
        if key in self._items and self._items[key][1] is not item:
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


interchange_sections: Registry[Any] = Registry("interchange sections")
report_blocks: Registry[Any] = Registry("report blocks")
person_panels: Registry[Any] = Registry("person panels")
search_providers: Registry[Any] = Registry("search providers")
# model label ("people.staff") -> callable(scope, obj) -> bool: may this user read obj's history?
record_access: Registry[Any] = Registry("record access")
# policy key ("directives.task") -> core.due.DueSource
due_sources: Registry[Any] = Registry("due sources")
# app label -> callable(*, seed: int, today: date) -> None, run by `load_demo` after the
# organisation and staff exist (each app builds its own demo records)
demo_loaders: Registry[Any] = Registry("demo loaders")
