"""Test helpers: a fake due-date source and a way to register only it for a test."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from thenchot.core.due import DueItem
from thenchot.core.registry import due_sources


@dataclass
class FakeDueSource:
    """Serves a fixed list of items the way a real source must (by due date / overdue)."""

    policy_key: str = "tests.fake"
    open_items: list[DueItem] = field(default_factory=list)
    calls: list[dict[str, Any]] = field(default_factory=list)

    def items(self, *, on: dt.date, due_dates: set[dt.date], overdue: bool) -> Iterable[DueItem]:
        self.calls.append({"on": on, "due_dates": set(due_dates), "overdue": overdue})
        return [
            item
            for item in self.open_items
            if item.due_on in due_dates or (overdue and item.due_on < on)
        ]


@contextlib.contextmanager
def only_sources(*sources: Any) -> Iterator[None]:
    """Register exactly `sources` in `core.registry.due_sources` for the block (the apps'
    own sources are hidden), restoring the registry afterwards."""
    with due_sources.overridden({source.policy_key: source for source in sources}):
        yield
