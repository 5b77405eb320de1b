"""`/api/v1/discipline/decisions/` and `/api/v1/discipline/cases/`: read through the discipline
access rule; decisions recorded through `services.decision_record`."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from rest_framework import status
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.viewsets import CodeViewSet, write
from thenchot.discipline import services
from thenchot.discipline.api.serializers import (
    CaseSerializer,
    DecisionCreateSerializer,
    DecisionSerializer,
)
from thenchot.discipline.models import DisciplineCase, DisciplineDecision
from thenchot.discipline.selectors import case_deadline, cases_queryset, decisions_queryset


class DecisionViewSet(CodeViewSet):
    serializer_class = DecisionSerializer
    ordering_fields = ["effective_on", "code"]
    ordering = ["-effective_on", "code"]
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[DisciplineDecision]:
        return decisions_queryset(scope)

    @write(DecisionCreateSerializer, DecisionSerializer, status=201)
    def create(self, data: dict[str, Any]) -> Response:
        """Record a discipline decision."""
        decision = services.decision_record(scope=self.scope, **data)
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class CaseViewSet(CodeViewSet):
    serializer_class = CaseSerializer
    ordering_fields = ["detected_on", "code"]
    ordering = ["-detected_on", "code"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[DisciplineCase]:
        return cases_queryset(scope).prefetch_related("pauses")

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        # The deadline is computed (never stored): attach it to each case before serializing.
        if args:
            items = args[0] if isinstance(args[0], (list, QuerySet)) else [args[0]]
            for case in items:
                case.due_on = case_deadline(case, self.as_of).due_on
        return super().get_serializer(*args, **kwargs)
