"""The view set most endpoints are: records read through the user's scope, addressed by code,
listed in a stable order, with writes going through a service from a validated input."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import mixins, viewsets
from rest_framework.serializers import BaseSerializer

from thenchot.core.api.views import ScopedViewSetMixin, StableOrderingFilter


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
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)
