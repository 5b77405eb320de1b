"""Pagination that stays fast on city-scale lists.

A free-text search over 200,000 staff matches tens of thousands of rows for a common word
("nguyen"); counting them all costs more than showing the page. For searches the count stops
at `SEARCH_COUNT_CAP` + 1 rows and the page says "more than 10,000" — the reader refines the
search rather than paging that far. Unfiltered and structurally filtered lists keep an exact
count.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

SEARCH_COUNT_CAP = 10_000


class CountedPaginator(Paginator):
    """A Paginator told how many rows there are (counted already, by a summary or by reading
    the ids first): no second COUNT over the rows."""

    def __init__(self, object_list: Any, per_page: int, *, count: int) -> None:
        super().__init__(object_list, per_page)
        self._known = count

    @cached_property
    def count(self) -> int:
        return self._known


class CappedCountPaginator(Paginator):
    """A Paginator whose count is exact up to `cap`, and `cap` (with `capped` True) beyond."""

    def __init__(self, object_list: Any, per_page: int, *, cap: int | None = None, **kw: Any):
        super().__init__(object_list, per_page, **kw)
        self.cap = cap
        self.capped = False

    @cached_property
    def count(self) -> int:
        if self.cap is None or not isinstance(self.object_list, QuerySet):
            return super().count  # a list is counted exactly: its length costs nothing
        counted = self.object_list[: self.cap + 1].count()
        if counted > self.cap:
            self.capped = True
            return self.cap
        return counted


def sort_order(
    sorts: Mapping[str, tuple[str, ...]], raw: str | None, default: str
) -> tuple[str, tuple[str, ...]]:
    """A list's `?sort=` read against its sort keys (each the `order_by` fields it stands
    for; `-key` reverses them): the sort in force and its fields; an unknown one is `default`."""
    sort = raw or default
    key = sort.lstrip("-")
    if key not in sorts:
        return default, sorts[default]
    descending = sort.startswith("-")
    return sort, tuple(("-" + f if descending else f) for f in sorts[key])


def sort_links(sorts: Mapping[str, tuple[str, ...]], current: str) -> dict[str, dict[str, Any]]:
    """Per sort key, the `?sort=` its column heading links to (the active key's link reverses
    it) and whether it is the active one, descending."""
    links = {}
    for key in sorts:
        active = current.lstrip("-") == key
        descending = current.startswith("-")
        links[key] = {
            "value": ("-" + key) if active and not descending else key,
            "active": active,
            "descending": active and descending,
        }
    return links
