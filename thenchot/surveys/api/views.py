"""`/api/v1/surveys/`, `/api/v1/survey-responses/` (read through the reader's scope) and
`/api/v1/surveys/satisfaction/?unit=CODE&from=DATE&to=DATE`, the satisfaction index of a unit's
subtree (report.md's `satisfaction` block)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response as ApiResponse

from thenchot.accounts.scoping import Scope
from thenchot.core.api.routers import CODE_IN_PATH
from thenchot.core.api.viewsets import CodeViewSet
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.surveys.api.serializers import (
    ResponseSerializer,
    SatisfactionSerializer,
    SurveySerializer,
)
from thenchot.surveys.index import satisfaction, written
from thenchot.surveys.models import Answer, Question, Response, Survey
from thenchot.surveys.selectors import responses_queryset, surveys_queryset


def _date(request: Request, name: str, default: dt.date) -> dt.date:
    raw = request.query_params.get(name)
    if not raw:
        return default
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ValidationError(
            {name: [_("'%(value)s' is not a date (YYYY-MM-DD)") % {"value": raw[:40]}]}
        ) from None


class SurveyViewSet(CodeViewSet):
    serializer_class = SurveySerializer
    lookup_value_regex = CODE_IN_PATH
    ordering_fields = ["code", "opens_on"]
    ordering = ["code"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Survey]:
        return surveys_queryset(scope).prefetch_related(
            Prefetch("questions", queryset=Question.objects.order_by("position"))
        )

    @extend_schema(
        summary="Satisfaction index of a unit's subtree",
        parameters=[
            OpenApiParameter("unit", OpenApiTypes.STR, required=True, description="Unit code."),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day (default 1 Jan)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day (default today)."),
        ],
        responses={200: SatisfactionSerializer},
    )
    @action(detail=False, methods=["get"], url_path="satisfaction")
    def satisfaction(self, request: Request) -> ApiResponse:
        code = str(request.query_params.get("unit", "")).strip()
        if not code:
            raise ValidationError({"unit": [_("required field is missing")]})
        unit_id = tree().by_code.get(code)
        if unit_id is None or not self.scope.can_read_unit(unit_id):
            raise NotFound(_("unknown unit code '%(value)s'") % {"value": code[:40]})
        today = timezone.localdate()
        date_to = _date(request, "to", today)
        date_from = _date(request, "from", dt.date(date_to.year, 1, 1))
        if date_from > date_to:
            raise ValidationError(
                {"from": [_("'%(value)s' is after the end of the range.") % {"value": date_from}]}
            )
        unit = Unit.objects.get(pk=unit_id)
        figure = written(satisfaction(unit=unit, date_from=date_from, date_to=date_to))
        data: dict[str, Any] = {
            "unit": code,
            "from": date_from.isoformat(),
            "to": date_to.isoformat(),
            **figure,
        }
        return ApiResponse(data)


class ResponseViewSet(CodeViewSet):
    serializer_class = ResponseSerializer
    lookup_value_regex = CODE_IN_PATH
    ordering_fields = ["submitted_on", "code"]
    ordering = ["-submitted_on", "code"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[Response]:
        return responses_queryset(scope).prefetch_related(
            Prefetch("answers", queryset=Answer.objects.select_related("question")),
            Prefetch("survey__questions", queryset=Question.objects.order_by("position")),
        )
