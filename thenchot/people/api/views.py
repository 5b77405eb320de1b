"""`/api/v1/staff/`: staff records read through the user's scope; writes through services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.views import StableOrderingFilter
from thenchot.core.api.viewsets import CodeViewSet, as_of_parameter, write
from thenchot.people import services
from thenchot.people.api.serializers import (
    StaffCreateSerializer,
    StaffSerializer,
    StaffTransferSerializer,
    StaffUpdateSerializer,
)
from thenchot.people.filtersets import StaffFilterSet
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_queryset

AS_OF = as_of_parameter("The date `is_head` is read on (YYYY-MM-DD, default today).")


class StaffOrderingFilter(StableOrderingFilter):
    """`ordering=name` (or the older `full_name`) orders by the stored Vietnamese sort key:
    given name, middle, family (`core.collation`), never by the name's code points."""

    NAME_TERMS = frozenset({"name", "full_name"})

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        ordering = super().get_ordering(request, queryset, view)
        return [_by_key(term) if term.lstrip("-") in self.NAME_TERMS else term for term in ordering]


def _by_key(term: str) -> str:
    return "-name_key" if term.startswith("-") else "name_key"


@extend_schema_view(
    list=extend_schema(summary="Staff within your scope", parameters=[AS_OF]),
    retrieve=extend_schema(summary="One staff member by code", parameters=[AS_OF]),
)
class StaffViewSet(CodeViewSet):
    serializer_class = StaffSerializer
    filter_backends = [DjangoFilterBackend, StaffOrderingFilter]
    filterset_class = StaffFilterSet
    ordering_fields = ["name", "full_name", "code", "unit__code", "category"]
    ordering = ["name_key", "code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Staff]:
        return staff_queryset(scope, on=self.as_of)

    def _output(self, staff: Staff) -> dict[str, Any]:
        # Re-read through the scope: the annotation (is_head) and joins come with it, and a
        # record the writer could no longer read would surface here as an error, not a leak.
        fresh = self.get_queryset().get(pk=staff.pk)
        return StaffSerializer(fresh, context=self.get_serializer_context()).data

    @write(StaffCreateSerializer, StaffSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Create a staff member in a unit you may write to."""
        staff = services.staff_create(
            scope=self.scope,
            code=data.pop("code"),
            full_name=data.pop("full_name"),
            category=data.pop("category"),
            unit=data.pop("unit"),
            **data,
        )
        return Response(self._output(staff), status=status.HTTP_201_CREATED)

    @write(StaffUpdateSerializer, StaffSerializer, on_object=True)
    def partial_update(self, staff: Staff, data: dict[str, Any]) -> Response:
        """Change a staff record (send the version you read)."""
        version = data.pop("version")
        staff = services.staff_update(
            scope=self.scope, staff=staff, expected_version=version, data=data
        )
        return Response(self._output(staff))

    @write(StaffTransferSerializer, StaffSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def transfer(self, staff: Staff, data: dict[str, Any]) -> Response:
        """Move a staff member to another unit from a date."""
        staff = services.staff_transfer(
            scope=self.scope,
            staff=staff,
            unit=data["unit"],
            on=data["on"],
            expected_version=data["version"],
            note=data.get("note", ""),
        )
        return Response(self._output(staff))
