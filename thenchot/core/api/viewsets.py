"""The view set most endpoints are: records read through the user's scope, addressed by code,
listed in a stable order, with writes going through a service from a validated input."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer

from thenchot.core.api.views import ScopedViewSetMixin, StableOrderingFilter

# The query of the statistics of a unit's subtree over a date range (reports, inspections).
RANGE_PARAMETERS = [
    OpenApiParameter("unit", OpenApiTypes.STR, description="Unit code (default: yours)"),
    OpenApiParameter("from", OpenApiTypes.DATE, required=True),
    OpenApiParameter("to", OpenApiTypes.DATE, required=True),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: `to`."),
]


def as_of_parameter(description: str) -> OpenApiParameter:
    """The documented `as_of` query parameter; the description says what the date governs."""
    return OpenApiParameter("as_of", OpenApiTypes.DATE, description=description)


class CodeViewSet(
    ScopedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """List and retrieve by `code`; subclasses add `scoped_queryset`, ordering and writes.

    `lookup_value_regex` refuses "/" by default: set `core.api.routers.CODE_IN_PATH` (and route
    with `CodeRouter`) where codes are official numbers that hold one."""

    lookup_field = "code"
    lookup_value_regex = r"[^/]+"
    filter_backends: list[Any] = [StableOrderingFilter]
    # A record is found by its code whatever the list's filters would say: they apply to lists.
    list_filters_only = True

    def filter_queryset(self, queryset: QuerySet[Any, Any]) -> QuerySet[Any, Any]:
        if self.list_filters_only and self.action != "list":
            return queryset
        return super().filter_queryset(queryset)

    def validated(self, serializer_class: type[BaseSerializer[Any]]) -> dict[str, Any]:
        """The request body checked by `serializer_class` (a 400 listing the fields when not),
        as a plain dict to hand to a service."""
        return validated(serializer_class, self.request)


def validated(serializer_class: type[BaseSerializer[Any]], request: Request) -> dict[str, Any]:
    """`request`'s body checked by `serializer_class` (a 400 listing the fields when not), as a
    plain dict to hand to a service."""
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


Method = Callable[..., Response]
MULTIPART = "multipart/form-data"


def write(
    body: type[BaseSerializer[Any]],
    answer: Any,
    *,
    status: int = 200,
    on_object: bool = False,
    locked: bool = False,
    media: str | None = None,
) -> Callable[[Method], Any]:
    """A documented write of a view set: its schema (the method's docstring, without its final
    period, as the summary,
    `body` as the request — of the `media` type when given —, `answer` as the `status`
    response) and its input, checked by `body` before the method runs (a 400 naming the
    fields). The method is called with the checked data, `method(self, data)`; with
    `on_object`, with the record of the URL first, `method(self, record, data)`, read through
    the scope before the body is looked at (a record out of scope is a 404 whatever the body);
    with `locked` too, that read is also the lock (SELECT … FOR UPDATE, `get_locked_object`)
    and the method runs inside its transaction, so the service it calls can take the record as
    locked instead of reading it again. Put it above `@action`."""

    def decorate(method: Method) -> Any:  # keeps what `@action` set on the method (`mapping`)
        @functools.wraps(method)
        def run(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            if on_object and locked:
                with transaction.atomic():
                    record = self.get_locked_object()
                    return method(self, record, validated(body, request))
            if on_object:
                record = self.get_object()
                return method(self, record, validated(body, request))
            return method(self, validated(body, request))

        summary = " ".join((method.__doc__ or "").split()).removesuffix(".")
        run.__doc__ = None  # the summary only: no description taken from the docstring
        schema = extend_schema(
            summary=summary,
            request={media: body} if media else body,
            responses={status: answer},
        )
        return schema(run)

    return decorate


def listed_and_added(
    answer: Any, body: Any, *, listed: str, added: str, media: str | None = None
) -> Callable[[Method], Any]:
    """A record's own short list, which a POST adds to: sent whole (no paging, and the list
    filters of the view set do not apply), `answer` many for GET (summary `listed`), and for
    POST (summary `added`) `body` checked — of the `media` type when given — and the item added
    answered 201 with `answer`. The method is called with the record of the URL (read through
    the scope) and, for a POST, the checked data: `method(self, record, None)` returns the
    items, `method(self, record, data)` the item it added."""

    def decorate(method: Method) -> Any:
        @functools.wraps(method)
        def run(self: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
            record = self.get_object()
            if request.method == "GET":
                return Response(answer(method(self, record, None), many=True).data)
            item = method(self, record, validated(body, request))
            return Response(answer(item).data, status=201)

        view = action(
            detail=True, methods=["get", "post"], pagination_class=None, filter_backends=[]
        )(run)
        view = extend_schema(
            methods=["POST"],
            summary=added,
            request={media: body} if media else body,
            responses={201: answer},
        )(view)
        return extend_schema(methods=["GET"], summary=listed, responses=answer(many=True))(view)

    return decorate
