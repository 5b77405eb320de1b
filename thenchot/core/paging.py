"""Pagination that stays fast on city-scale lists.

A free-text search over 200,000 staff matches tens of thousands of rows for a common word
("nguyen"); counting them all costs more than showing the page. For searches the count stops
at `SEARCH_COUNT_CAP` + 1 rows and the page says "more than 10,000" — the reader refines the
search rather than paging that far. Unfiltered and structurally filtered lists keep an exact
count.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

SEARCH_COUNT_CAP = 10_000


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
