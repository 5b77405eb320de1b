"""Pages of a long list whose length is already known.

The records behind a city's figure run to hundreds of thousands of rows: Django's `Paginator`
counts them (a second pass over them) and reaches the last pages with an OFFSET of that many
rows, sorted. Here the count is the figure the list stands behind (`aggregates`, one grouped
query kept with the dashboard's grids), and a page in the second half of the list is read from
its end — the order reversed, the offset counted from the last row — so the last page costs what
the first does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class Page:
    number: int
    num_pages: int
    count: int
    per_page: int
    object_list: list[Any]

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        return 0 if not self.count else (self.number - 1) * self.per_page + 1

    @property
    def end_index(self) -> int:
        return min(self.count, self.number * self.per_page)


def page_number(raw: str | None, num_pages: int) -> int:
    """`?page=`: a number (clamped to the pages there are), "last", or the first page."""
    if raw == "last":
        return num_pages
    try:
        number = int(raw or 1)
    except ValueError:
        return 1
    return min(max(number, 1), num_pages)


def _reversed(order: tuple[str, ...]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in order]


# A stretch of the list's first order column and how many rows it holds: (first, last, n).
Segment = tuple[Any, Any, int]


def page_of(
    qs: QuerySet[Any],
    *,
    order: tuple[str, ...],
    count: int,
    per_page: int,
    raw: str | None,
    segments: list[Segment] | None = None,
) -> Page:
    """The page `raw` of `qs` in `order` (which must end in a unique column), `count` rows in
    all. `segments`, consecutive stretches of the first order column with their row counts (a
    figure's months), let a deep page skip the stretches before it by a range of that column
    instead of an OFFSET over every row before it."""
    num_pages = max(1, -(-count // per_page))
    number = page_number(raw, num_pages)
    start = (number - 1) * per_page
    end = min(count, start + per_page)
    column = order[0].lstrip("-")
    ids: list[Any]
    if start >= count:
        ids = []
    elif start > count - end:
        # Nearer the end: read backwards from the last row.
        tail = count - end
        ahead = qs
        if segments and not order[0].startswith("-"):
            # Skip the stretches after the page's last row.
            after, bound = 0, None
            for first, _last, n in reversed(segments):
                if after + n > tail:
                    break
                after, bound = after + n, first
            if bound is not None:
                ahead = ahead.filter(**{f"{column}__lt": bound})
                tail -= after
        backwards = ahead.order_by(*_reversed(order)).values_list("pk", flat=True)
        ids = list(backwards[tail : tail + (end - start)])
        ids.reverse()
    else:
        skip, ahead = start, qs
        if segments and not order[0].startswith("-"):
            # Skip the stretches before the page's first row.
            bound = None
            for _first, last, n in segments:
                if n > skip:
                    break
                skip, bound = skip - n, last
            if bound is not None:
                ahead = ahead.filter(**{f"{column}__gt": bound})
        ids = list(ahead.order_by(*order).values_list("pk", flat=True)[skip : skip + end - start])
    # The page's keys first, then its rows with their related records: joined before the
    # LIMIT, a city's 200,000 staff were read to show 50 evaluations.
    found = {obj.pk: obj for obj in qs.filter(pk__in=ids)} if ids else {}
    rows = [found[pk] for pk in ids if pk in found]
    return Page(number, num_pages, count, per_page, rows)
