"""`/api/v1/rotation/rotations/` (read, and carry out through the service) and
`/api/v1/rotation/due/` (the due list, `?unit=&on=&within=`)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.views import ScopedViewSetMixin
from thenchot.core.api.viewsets import CodeViewSet, write
from thenchot.core.errors import OutOfScope
from thenchot.discipline.selectors import discipline_access
from thenchot.org.tree import tree
from thenchot.rotation import services
from thenchot.rotation.api.serializers import (
    DueLineSerializer,
    RotationExecuteSerializer,
    RotationSerializer,
)
from thenchot.rotation.models import Rotation
from thenchot.rotation.selectors import due_list, rotations_queryset


class RotationViewSet(CodeViewSet):
    serializer_class = RotationSerializer
    ordering_fields = ["effective_on", "code"]
    ordering = ["-effective_on", "code"]
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Rotation]:
        return rotations_queryset(scope)

    @write(RotationExecuteSerializer, RotationSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Carry out a rotation (send the staff record's version)."""
        rotation = services.rotation_execute(
            scope=self.scope,
            staff=data["staff"],
            kind=data["kind"],
            to_unit=data.get("to_unit"),
            effective_on=data["effective_on"],
            expected_version=data["version"],
            decision_number=data.get("decision_number", ""),
        )
        return Response(RotationSerializer(rotation).data, status=status.HTTP_201_CREATED)


class DueViewSet(ScopedViewSetMixin, viewsets.ViewSet):
    @extend_schema(
        summary="People due for periodic rotation", responses=DueLineSerializer(many=True)
    )
    def list(self, request: Request) -> Response:

        access = discipline_access(self.scope)
        if not access.everything and not access.units:
            raise OutOfScope()
        code = request.query_params.get("unit", "")
        unit_id = tree().by_code.get(code) if code else None
        if code and unit_id is None:
            raise serializers.ValidationError(
                {"unit": [_("Unknown unit code '%(value)s'.") % {"value": code}]}
            )
        try:
            within = int(request.query_params.get("within", "0"))
        except ValueError:
            raise serializers.ValidationError(
                {"within": [_("Enter a whole number of months.")]}
            ) from None
        lines = due_list(
            scope=self.scope, unit_id=unit_id, on=self.as_of, within_months=max(0, min(within, 60))
        )
        return Response(DueLineSerializer(lines, many=True).data)
