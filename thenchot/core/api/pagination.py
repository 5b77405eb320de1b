"""Page-number pagination shared by every list endpoint.

`?page=N&page_size=M` (M up to 500, default 50). The body is
`{"count", "next", "previous", "results"}`; each page costs one COUNT and one SELECT (plus a
fixed number of prefetches), whatever its size.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from thenchot.core.paging import SEARCH_COUNT_CAP, CappedCountPaginator, CountedPaginator


class StandardPagination(PageNumberPagination):
    """With `?q=` (free-text search) the count is capped (core.paging): the body then says
    `"count_capped": true` and `count` is the cap."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        searching = bool(request.query_params.get("q", "").strip())
        cap = SEARCH_COUNT_CAP if searching else None
        self.django_paginator_class = lambda qs, size: CappedCountPaginator(qs, size, cap=cap)  # type: ignore[assignment,misc]
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        assert self.page is not None  # set by paginate_queryset() before the response is built
        response.data["count_capped"] = bool(getattr(self.page.paginator, "capped", False))
        return response

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_capped"] = {"type": "boolean"}
        return result


class IdsFirstPagination(StandardPagination):
    """For lists most readers see a few rows of (a person's own evaluations, a division's):
    the matching ids first, one query on the filtered table alone (no join, no order: the
    database answers it by its indexes), which is also the count; then the page, the rows of
    those ids in the list's order. The page query then sorts a known handful of rows instead
    of letting PostgreSQL guess the size of a filter with an OR, and, with a small LIMIT,
    walk the whole staff table in name order to find them (issue 18: 40 ms for one row).
    Beyond `ids_cap` matching rows it is the standard count and page."""

    ids_cap = 5_000

    def paginate_queryset(self, queryset: Any, request: Any, view: Any = None) -> Any:
        searching = bool(request.query_params.get("q", "").strip())
        if searching or not isinstance(queryset, QuerySet):
            return super().paginate_queryset(queryset, request, view)
        ids = list(queryset.order_by().values_list("pk", flat=True)[: self.ids_cap + 1])
        if len(ids) > self.ids_cap:
            return super().paginate_queryset(queryset, request, view)
        rows = queryset.filter(pk__in=ids)
        self.django_paginator_class = lambda qs, size: CountedPaginator(  # type: ignore[assignment,misc]
            qs, size, count=len(ids)
        )
        return PageNumberPagination.paginate_queryset(self, rows, request, view)
