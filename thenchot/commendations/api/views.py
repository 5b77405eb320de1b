"""`/api/v1/commendations/`: list (`?unit=&year=&kind=&innovation=&decided_from=&decided_to=`),
read by code, record, correct (PATCH with the version read), delete (`?version=`), and
`POST .../<code>/quota/` to give a commended agency the higher quota for a period; every read
through the user's scope, every write through `services`, which re-check who may act."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.appraisal.models import QuotaOverride
from thenchot.commendations import selectors, services
from thenchot.commendations.api.serializers import (
    CommendationCreateSerializer,
    CommendationSerializer,
    CommendationUpdateSerializer,
    GrantQuotaSerializer,
    QuotaOverrideSerializer,
)
from thenchot.commendations.filtersets import CommendationFilterSet
from thenchot.commendations.models import Commendation
from thenchot.core.api.routers import CODE_IN_PATH
from thenchot.core.api.views import StableOrderingFilter
from thenchot.core.api.viewsets import CodeViewSet, write

VERSION = OpenApiParameter(
    "version",
    OpenApiTypes.INT,
    required=True,
    description="The version you read; the deletion is refused (409) if the record changed since.",
)


def _override_data(override: QuotaOverride, commendation: Commendation | None) -> dict[str, Any]:
    return {
        "agency": override.agency.code,
        "period": override.period_code,
        "group": override.group,
        "ratio": override.ratio,
        "base": override.base,
        "decision_number": override.decision_number,
        "decided_on": override.decided_on,
        "reason": override.reason,
        "commendation": commendation.code if commendation is not None else None,
    }


@extend_schema_view(
    list=extend_schema(summary="Commendations within your scope"),
    retrieve=extend_schema(summary="One commendation by code"),
)
class CommendationViewSet(CodeViewSet):
    serializer_class = CommendationSerializer
    lookup_value_regex = CODE_IN_PATH
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = CommendationFilterSet
    ordering_fields = ["decided_on", "code", "kind"]
    ordering = ["-decided_on", "code"]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Commendation]:
        return selectors.commendations_queryset(scope)

    def _output(self, item: Commendation, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=item.pk)
        return Response(CommendationSerializer(fresh).data, status=code)

    @write(CommendationCreateSerializer, CommendationSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Record a commendation of one staff member or one unit."""
        item = services.commendation_create(
            scope=self.scope, code=data.pop("code", "") or None, **data
        )
        return self._output(item, status.HTTP_201_CREATED)

    @write(CommendationUpdateSerializer, CommendationSerializer, on_object=True)
    def partial_update(self, item: Commendation, data: dict[str, Any]) -> Response:
        """Correct a commendation (send every value and the version you read)."""
        version = data.pop("version")
        services.commendation_update(
            scope=self.scope, commendation=item, expected_version=version, **data
        )
        return self._output(item)

    @extend_schema(
        summary="Delete a commendation recorded in error",
        parameters=[VERSION],
        responses={204: None},
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        raw = request.query_params.get("version", "")
        if not raw.isdigit():
            raise serializers.ValidationError(
                {"version": [_("Send the version you read, as a whole number.")]}
            )
        services.commendation_delete(scope=self.scope, commendation=item, expected_version=int(raw))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @write(GrantQuotaSerializer, QuotaOverrideSerializer, status=201, on_object=True)
    @action(detail=True, methods=["post"])
    def quota(self, item: Commendation, data: dict[str, Any]) -> Response:
        """Give the commended agency the higher quota for a period."""
        override = services.commendation_grant_quota(
            scope=self.scope, by=self.request.user, commendation=item, **data
        )
        data_out = _override_data(override, item)
        return Response(QuotaOverrideSerializer(data_out).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The quota overrides a commendation led to",
        responses=QuotaOverrideSerializer(many=True),
    )
    @quota.mapping.get
    def quota_list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        rows = [_override_data(o, item) for o in selectors.overrides_of(item)]
        return Response(QuotaOverrideSerializer(rows, many=True).data)
