"""`/api/v1/units/`: the unit tree on a date, read through the user's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.views import StableOrderingFilter
from thenchot.core.api.viewsets import CodeViewSet, as_of_parameter, write
from thenchot.org import services
from thenchot.org.api.serializers import (
    UnitCreateSerializer,
    UnitSerializer,
    UnitUpdateSerializer,
    heads_queryset,
)
from thenchot.org.filtersets import UnitFilterSet
from thenchot.org.models import Unit
from thenchot.org.selectors import unit_queryset
from thenchot.org.tree import tree

AS_OF = as_of_parameter("The date the response describes (YYYY-MM-DD, default today).")


@extend_schema_view(
    list=extend_schema(summary="Units existing on a date, within your scope", parameters=[AS_OF]),
    retrieve=extend_schema(summary="One unit by code", parameters=[AS_OF]),
)
class UnitViewSet(CodeViewSet):
    serializer_class = UnitSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = UnitFilterSet
    ordering_fields = ["code", "name", "kind", "valid_from"]
    ordering = ["code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Unit]:
        qs = unit_queryset(scope)
        if self.action == "list":
            # Every listed unit exists on `as_of`, so one prefetch on that date serves the page.
            qs = qs.prefetch_related(
                Prefetch("heads", queryset=heads_queryset(self.as_of), to_attr="heads_on")
            )
        return qs

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["tree"] = tree()
        context["today"] = timezone.localdate()
        return context

    def _output(self, unit: Unit) -> dict[str, Any]:
        return UnitSerializer(unit, context=self.get_serializer_context()).data

    @write(UnitCreateSerializer, UnitSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Create a unit under a parent you may write to."""
        unit = services.unit_create(
            scope=self.scope,
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            valid_from=data.get("valid_from"),
            valid_to=data.get("valid_to"),
        )
        return Response(self._output(unit), status=status.HTTP_201_CREATED)

    @write(UnitUpdateSerializer, UnitSerializer, on_object=True)
    def partial_update(self, unit: Unit, data: dict[str, Any]) -> Response:
        """Change a unit's name, kind or dates (send the version you read)."""
        version = data.pop("version")
        unit = services.unit_update(
            scope=self.scope, unit=unit, expected_version=version, data=data
        )
        return Response(self._output(unit))
