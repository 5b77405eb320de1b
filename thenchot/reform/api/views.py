"""`/api/v1/reform-criteria/`, `/api/v1/reform-scores/` (self-scores and appraisals through the
services) and `/api/v1/reform-index/` (the index of a year: published figures for every
signed-in user, live figures for the appraisal council only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.core.api.views import ScopedViewSetMixin
from thenchot.core.api.viewsets import write
from thenchot.core.errors import OutOfScope
from thenchot.core.interchange import number_out
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.reform import selectors, services
from thenchot.reform.api.serializers import (
    AppraiseInputSerializer,
    CriterionSerializer,
    ScoreSerializer,
    SelfScoreInputSerializer,
)
from thenchot.reform.index import compute_index
from thenchot.reform.models import Criterion, Score

YEAR = OpenApiParameter("year", OpenApiTypes.INT, description="The framework's year.")
UNIT = OpenApiParameter("unit", OpenApiTypes.STR, description="A unit code: its subtree.")


def _year(request: Request, required: bool = False) -> int | None:
    raw = request.query_params.get("year")
    if raw in (None, ""):
        if required:
            raise serializers.ValidationError({"year": [_("This field is required.")]})
        return None
    try:
        year = int(str(raw))
    except ValueError:
        year = 0
    if not 2000 <= year <= 2100:
        raise serializers.ValidationError(
            {"year": [_("'%(value)s' is not a year") % {"value": raw}]}
        )
    return year


def _unit(code: str, field: str = "unit") -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise serializers.ValidationError(
            {field: [_("unknown unit code '%(value)s'") % {"value": code}]}
        )
    return unit


@extend_schema_view(list=extend_schema(summary="Criteria of the reform index", parameters=[YEAR]))
class CriterionViewSet(ScopedViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = CriterionSerializer

    def scoped_queryset(self, scope: Scope) -> QuerySet[Criterion]:
        qs = Criterion.objects.filter(
            framework__in=selectors.frameworks_queryset(scope)
        ).select_related("framework", "content", "parent")
        year = _year(self.request) if not getattr(self, "swagger_fake_view", False) else None
        if year is not None:
            qs = qs.filter(framework__year=year)
        return qs.order_by("framework__year", "code")


@extend_schema_view(
    list=extend_schema(summary="Reform index scores within your scope", parameters=[YEAR, UNIT])
)
class ScoreViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = ScoreSerializer

    def scoped_queryset(self, scope: Scope) -> QuerySet[Score]:
        fake = getattr(self, "swagger_fake_view", False)
        year = _year(self.request) if not fake else None
        qs = selectors.scores_queryset(scope, year).select_related("criterion__framework")
        code = self.request.query_params.get("unit") if not fake else None
        if code:
            unit = _unit(code)
            qs = qs.filter(unit_id__in=sorted(tree().subtree_on(unit.pk, dt.date.today())))
        return qs.order_by("criterion__framework__year", "unit__code", "criterion__code")

    def _answer(self, score: Score, code: int = status.HTTP_200_OK) -> Response:
        fresh = Score.objects.select_related("unit", "criterion__framework", "appraiser_unit").get(
            pk=score.pk
        )
        return Response(ScoreSerializer(fresh).data, status=code)

    def _scored(self, v: dict[str, Any]) -> dict[str, Any]:
        """The arguments the two score services share: who writes, which score, its points."""
        return {
            "scope": self.scope,
            "by": self.request.user,
            "unit": _unit(v["unit"]),
            "year": v["year"],
            "criterion_code": v["criterion"],
            "points": v["points"],
            "expected_version": v.get("version"),
        }

    @write(SelfScoreInputSerializer, ScoreSerializer)
    def create(self, v: dict[str, Any]) -> Response:
        """Self-score a criterion of a unit (send the version you read to change one)."""
        score = services.score_self(
            **self._scored(v), evidence=v["evidence"], explanation=v["explanation"]
        )
        return self._answer(score)

    @write(AppraiseInputSerializer, ScoreSerializer)
    @action(detail=False, methods=["post"])
    def appraise(self, v: dict[str, Any]) -> Response:
        """Appraise a criterion of a unit you are assigned to."""
        return self._answer(services.score_appraise(**self._scored(v), comment=v["comment"]))


class IndexViewSet(ScopedViewSetMixin, viewsets.ViewSet):
    """The index of a year: per unit its points per criterion with their source, its total and
    its rank in its group."""

    @extend_schema(
        summary="The reform index of a year",
        parameters=[
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
            UNIT,
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: today."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def list(self, request: Request) -> Response:
        year = _year(request, required=True)
        assert year is not None
        rnd = selectors.round_of(year)
        published = rnd is not None and rnd.is_published
        if not published and not selectors.can_read_live(self.scope, year):
            raise OutOfScope(_("The index of %(year)s is not published yet.") % {"year": year})
        within = None
        code = request.query_params.get("unit")
        if code:
            within = _unit(code).pk
        as_of = self.as_of_given or min(dt.date.today(), dt.date(year, 12, 31))
        idx = compute_index(year=year, as_of=as_of, within=within)
        return Response(
            {
                "year": idx.year,
                "as_of": idx.as_of.isoformat(),
                "published": idx.published,
                "units": [
                    {
                        "unit": u.code,
                        "group": u.group,
                        "total": number_out(u.total),
                        "rank": u.rank,
                        "criteria": [
                            {
                                "criterion": p.criterion.code,
                                "points": number_out(p.points),
                                "source": str(p.source),
                                "numerator": p.numerator,
                                "denominator": p.denominator,
                            }
                            for p in u.points
                        ],
                    }
                    for u in idx.units
                ],
            }
        )
