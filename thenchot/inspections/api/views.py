"""`/api/v1/inspections/`, `/api/v1/inspection-recommendations/`, `/api/v1/inspection-statistics/`.

Reads go through the user's scope (`selectors`): a surprise inspection its target may not see
yet is absent from every list and answers 404 by code, exactly like one that does not exist.
Writes go through `services`, which re-check who may act inside their transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.routers import CODE_IN_PATH
from thenchot.core.api.views import ScopedViewSetMixin, StableOrderingFilter, date_param
from thenchot.core.api.viewsets import RANGE_PARAMETERS, CodeViewSet, as_of_parameter, write
from thenchot.core.errors import OutOfScope
from thenchot.inspections import services
from thenchot.inspections.api.serializers import (
    ConclusionInputSerializer,
    DecisionInputSerializer,
    FindingInputSerializer,
    FindingSerializer,
    InspectionCreateSerializer,
    InspectionSerializer,
    InspectionUpdateSerializer,
    RecommendationInputSerializer,
    RecommendationSerializer,
    RemediationInputSerializer,
)
from thenchot.inspections.choices import ReportStatus
from thenchot.inspections.filtersets import InspectionFilterSet, RecommendationFilterSet
from thenchot.inspections.models import Finding, Inspection, Recommendation, TeamMember
from thenchot.inspections.selectors import inspection_queryset, recommendation_queryset
from thenchot.inspections.statistics import inspection_statistics
from thenchot.inspections.status import annotate_status
from thenchot.org.selectors import visible_roots
from thenchot.org.tree import tree

AS_OF = as_of_parameter("The date recommendation statuses are read on (YYYY-MM-DD, default today).")


@extend_schema_view(
    list=extend_schema(summary="Inspections within your scope", parameters=[AS_OF]),
    retrieve=extend_schema(summary="One inspection by code", parameters=[AS_OF]),
)
class InspectionViewSet(CodeViewSet):
    serializer_class = InspectionSerializer
    lookup_value_regex = CODE_IN_PATH
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    filterset_class = InspectionFilterSet
    ordering_fields = ["started_on", "code", "kind"]
    ordering = ["-started_on", "code"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Inspection]:
        return inspection_queryset(scope).prefetch_related(
            "other_targets",
            Prefetch(
                "team",
                queryset=TeamMember.objects.select_related("staff").order_by(
                    "-is_lead", "staff__name_key", "id"
                ),
            ),
            Prefetch("findings", queryset=Finding.objects.order_by("position", "id")),
            Prefetch(
                "recommendations",
                queryset=annotate_status(
                    Recommendation.objects.select_related("responsible_unit", "inspection"),
                    self.as_of,
                ).order_by("due_on", "code"),
            ),
        )

    def _output(self, inspection: Inspection, code: int = status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=inspection.pk)
        data = InspectionSerializer(fresh, context=self.get_serializer_context()).data
        return Response(data, status=code)

    @write(InspectionCreateSerializer, InspectionSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Record an inspection (planned, surprise or verification)."""
        team = [(m["staff"], m.get("is_lead", False)) for m in data.pop("team", [])]
        inspection = services.inspection_create(by=self.request.user, team=team, **data)
        return self._output(inspection, status.HTTP_201_CREATED)

    @write(InspectionUpdateSerializer, InspectionSerializer, on_object=True)
    def partial_update(self, inspection: Inspection, data: dict[str, Any]) -> Response:
        """Change the title, end date or topics (send the version you read)."""
        version = data.pop("version")
        services.inspection_update(
            by=self.request.user, inspection=inspection, expected_version=version, data=data
        )
        return self._output(inspection)

    @write(FindingInputSerializer, FindingSerializer, status=201, on_object=True)
    @action(detail=True, methods=["post"])
    def findings(self, inspection: Inspection, data: dict[str, Any]) -> Response:
        """Add a finding."""
        finding = services.finding_add(by=self.request.user, inspection=inspection, **data)
        return Response(FindingSerializer(finding).data, status=status.HTTP_201_CREATED)

    @write(ConclusionInputSerializer, InspectionSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def conclusion(self, inspection: Inspection, data: dict[str, Any]) -> Response:
        """Record the conclusion document."""
        services.conclusion_record(
            by=self.request.user,
            inspection=inspection,
            expected_version=data.pop("version"),
            **data,
        )
        return self._output(inspection)

    @write(RecommendationInputSerializer, RecommendationSerializer, status=201, on_object=True)
    @action(detail=True, methods=["post"])
    def recommendations(self, inspection: Inspection, data: dict[str, Any]) -> Response:
        """Add a recommendation."""
        rec = services.recommendation_add(by=self.request.user, inspection=inspection, **data)
        fresh = recommendation_queryset(self.scope, self.as_of).get(pk=rec.pk)
        return Response(RecommendationSerializer(fresh).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    list=extend_schema(
        summary="Recommendations of the inspections you may read", parameters=[AS_OF]
    ),
    retrieve=extend_schema(summary="One recommendation by code", parameters=[AS_OF]),
)
class RecommendationViewSet(CodeViewSet):
    serializer_class = RecommendationSerializer
    filter_backends = [DjangoFilterBackend, StableOrderingFilter]
    list_filters_only = False  # as it always was: `?status=` etc. also narrow a retrieve
    filterset_class = RecommendationFilterSet
    ordering_fields = ["due_on", "code", "done_on"]
    ordering = ["due_on", "code"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Recommendation]:
        return recommendation_queryset(scope, self.as_of)

    def _output(self, rec: Recommendation) -> Response:
        fresh = self.get_queryset().get(pk=rec.pk)
        return Response(RecommendationSerializer(fresh).data)

    @write(RemediationInputSerializer, RecommendationSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def remediation(self, rec: Recommendation, data: dict[str, Any]) -> Response:
        """Report the remediation (the responsible unit)."""
        services.remediation_report(by=self.request.user, recommendation=rec, **data)
        return self._output(rec)

    @write(DecisionInputSerializer, RecommendationSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def decide(self, rec: Recommendation, data: dict[str, Any]) -> Response:
        """Accept or return the remediation awaiting review (the inspectors)."""
        report = get_object_or_404(rec.reports.all(), status=ReportStatus.PENDING)
        services.remediation_decide(
            by=self.request.user,
            report=report,
            accept=data["accept"],
            comment=data["comment"],
        )
        return self._output(rec)


class InspectionStatisticsViewSet(ScopedViewSetMixin, viewsets.ViewSet):
    """Counts for a unit's subtree and a date range: the `inspections` report block, plus the
    counts by target unit. Only inspections you may read are counted."""

    @extend_schema(
        summary="Inspection counts for a unit's subtree and a date range",
        parameters=RANGE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        scope = self.scope
        date_from = date_param(request, "from", required=True)
        date_to = date_param(request, "to", required=True)
        assert date_from is not None and date_to is not None
        if date_to < date_from:
            raise serializers.ValidationError({"to": [_("'to' cannot be before 'from'.")]})
        as_of = self.as_of_given or date_to
        unit_id = resolve_unit(scope, request.query_params.get("unit", ""), date_to)
        stats = inspection_statistics(
            unit_id=unit_id, date_from=date_from, date_to=date_to, as_of=as_of, scope=scope
        )
        return Response(
            {
                "unit": tree().units[unit_id].code,
                "from": date_from.isoformat(),
                "to": date_to.isoformat(),
                "as_of": as_of.isoformat(),
                **stats.block(),
                "by_target": stats.rows("target"),
            }
        )


def resolve_unit(scope: Scope, code: str, on: dt.date) -> int:
    """The unit a statistics request is about: the code given (readable), else the user's
    top readable unit."""
    snap = tree()
    code = (code or "").strip()
    if code:
        unit_id = snap.by_code.get(code)
        if unit_id is None:
            raise serializers.ValidationError(
                {"unit": [_("Unknown unit code '%(code)s'.") % {"code": code}]}
            )
        if not scope.can_read_unit(unit_id):
            raise OutOfScope()
        return unit_id
    roots = visible_roots(scope, on, snap)
    if not roots:
        raise OutOfScope()
    return roots[0]
