"""`GET /api/v1/calendar/working-days/?from=YYYY-MM-DD&days=N`: the N-th working day after a
date on the city's calendar (`core.calendar_table.calendar()`), with the days off it skipped.

The helper beside a deadline field asks it ("in N working days → date"); the deadline itself
stays the date the person then sets (rules.md Settled point 8)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thenchot.core.calendar import FIRST_YEAR, LAST_YEAR
from thenchot.core.calendar_table import calendar

# A deadline further than ten years of working days away is a typo.
MAX_DAYS = 2500


class WorkingDaysQuery(serializers.Serializer[Any]):
    # `from` is a Python keyword: the field is named in `to_internal_value` below.
    start = serializers.DateField(label=_("from"), input_formats=["%Y-%m-%d"])
    days = serializers.IntegerField(label=_("working days"), min_value=0, max_value=MAX_DAYS)

    def to_internal_value(self, data: Any) -> Any:
        mapped = {"start": data.get("from"), "days": data.get("days")}
        try:
            value = super().to_internal_value({k: v for k, v in mapped.items() if v is not None})
        except serializers.ValidationError as exc:
            detail = exc.detail if isinstance(exc.detail, dict) else {}
            named: dict[Any, Any] = {("from" if k == "start" else k): v for k, v in detail.items()}
            raise serializers.ValidationError(named) from exc
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not FIRST_YEAR <= attrs["start"].year <= LAST_YEAR - 11:
            raise serializers.ValidationError(
                {
                    "from": [
                        _("The calendar covers the years %(first)s to %(last)s.")
                        % {"first": FIRST_YEAR, "last": LAST_YEAR - 11}
                    ]
                }
            )
        return attrs


class SkippedDaySerializer(serializers.Serializer[Any]):
    date = serializers.DateField()
    name = serializers.CharField()


class WorkingDaysSerializer(serializers.Serializer[Any]):
    date = serializers.DateField(help_text=_("The N-th working day after `from`."))
    skipped = SkippedDaySerializer(many=True, help_text=_("Named days off on the way."))


class WorkingDaysView(APIView):
    @extend_schema(
        summary="The N-th working day after a date",
        parameters=[
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "days", OpenApiTypes.INT, required=True, description=f"0 to {MAX_DAYS}"
            ),
        ],
        responses=WorkingDaysSerializer,
    )
    def get(self, request: Request) -> Response:
        query = WorkingDaysQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        start, days = query.validated_data["start"], query.validated_data["days"]
        cal = calendar()
        due = cal.add_working_days(start, days)
        skipped = []
        for offset in range(1, (due - start).days):
            info = cal.explain(start + dt.timedelta(days=offset))
            if not info.working and info.name:
                skipped.append({"date": info.day, "name": info.name})
        return Response(WorkingDaysSerializer({"date": due, "skipped": skipped}).data)
