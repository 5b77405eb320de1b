"""Page-number pagination shared by every list endpoint.

`?page=N&page_size=M` (M up to 500, default 50). The body is
`{"count", "next", "previous", "results"}`; each page costs one COUNT and one SELECT (plus a
fixed number of prefetches), whatever its size.
"""

from rest_framework.pagination import PageNumberPagination


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
