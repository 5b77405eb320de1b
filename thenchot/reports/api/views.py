"""`/api/v1/reports/?unit=…&from=…&to=…&as_of=…`: the statistical report of report.md, the
same JSON as `thenchot report --format json` (one function builds both: `reports.blocks`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.views import ScopedViewSetMixin, date_param
from thenchot.core.api.viewsets import RANGE_PARAMETERS
from thenchot.core.errors import OutOfScope
from thenchot.org.tree import tree
from thenchot.reports import selectors
from thenchot.reports.blocks import ReportRequest, build_report

# Reports reach back to 1990 and forward to 2100: beyond, no record can be and the tree's dated
# arithmetic has no room (a day after 31/12/9999).
EARLIEST = dt.date(1990, 1, 1)
LATEST = dt.date(2100, 12, 31)


def _date_param(request: Request, name: str, *, required: bool) -> dt.date | None:
    day = date_param(request, name, required=required)
    if day is None:
        return None
    raw = request.query_params.get(name, "")
    if not EARLIEST <= day <= LATEST:
        raise serializers.ValidationError(
            {
                name: [
                    _("'%(value)s' is outside the years a report covers (%(first)s–%(last)s).")
                    % {"value": raw, "first": EARLIEST.year, "last": LATEST.year}
                ]
            }
        )
    return day


def resolve_unit(scope: Scope, code: str, on: dt.date) -> int:
    """The unit asked for (readable by the caller: else 403), or the caller's top unit."""
    code = (code or "").strip()
    if code:
        unit_id = tree().by_code.get(code)
        if unit_id is None:
            raise serializers.ValidationError(
                {"unit": [_("Unknown unit code '%(code)s'.") % {"code": code}]}
            )
        selectors.require_readable_unit(scope, unit_id)
        return unit_id
    if not scope.city_wide and not scope.read_units:
        raise OutOfScope()
    unit_id = selectors.default_unit(scope, on)
    if unit_id is None:
        raise serializers.ValidationError(
            {"unit": [_("None of your units existed on %(date)s: give a unit.") % {"date": on}]}
        )
    return unit_id


class ReportViewSet(ScopedViewSetMixin[Scope], viewsets.ViewSet):
    """The statistical report (shared/spec/report.md) of a unit's subtree over a range."""

    @extend_schema(
        summary="The statistical report of a unit's subtree over a date range",
        parameters=RANGE_PARAMETERS,
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        date_from = _date_param(request, "from", required=True)
        date_to = _date_param(request, "to", required=True)
        as_of = _date_param(request, "as_of", required=False) or date_to
        assert date_from is not None and date_to is not None and as_of is not None
        if date_to < date_from:
            raise serializers.ValidationError({"to": [_("'to' cannot be before 'from'.")]})
        unit_id = resolve_unit(self.scope, request.query_params.get("unit", ""), date_to)
        code = tree().units[unit_id].code
        data: dict[str, Any] = build_report(ReportRequest(code, unit_id, date_from, date_to, as_of))
        return Response(data)
