"""`/api/v1/evaluations/` and `/api/v1/evaluation-periods/`: reads through the reader's scope (an
evaluation outside it is a 404), writes through the services (refusals in the one error
format: 403 for the wrong person, 409 for a stale version, a closed period or a quota conflict).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from django.db.models import Case, F, QuerySet, When
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from thenchot.accounts.scoping import Scope
from thenchot.appraisal import closing, services
from thenchot.appraisal.api.serializers import (
    PUBLISHED_FIELDS,
    ApproveSerializer,
    CloseSerializer,
    EvaluationReadSchema,
    EvaluationSerializer,
    PeriodSerializer,
    ReviewSerializer,
    SelfAssessSerializer,
)
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.selectors import (
    evaluation_queryset,
    managed_units,
    own_evaluation,
    own_rows,
    published_periods,
)
from thenchot.core.api.errors import domain_error_response
from thenchot.core.api.pagination import IdsFirstPagination
from thenchot.core.api.views import ScopedViewSetMixin, StableOrderingFilter
from thenchot.core.api.viewsets import validated, write
from thenchot.core.prepared import PreparedRead
from thenchot.org.models import Unit

FILTERS = ("period", "status", "unit", "staff", "final_level")
SHOWN_SCORE = "shown_score"
POINTS = ("general_points", "task_points", "bonus_points")
# The columns a list's rows are answered from (`EvaluationSerializer`, either shape), and the
# keys of the records it reads through: a page of a division is some fifty rows of five joined
# records, and the rest (timestamps, the period's parameters and quota use, the person's and the
# unit's other columns) was read, converted and dropped (issue 18). A test answers a list with
# every field the serializer reads and counts the queries: a column missing here would be read
# once per row.
LIST_COLUMNS = (
    *(f for f in EvaluationSerializer.Meta.fields if f not in {*PUBLISHED_FIELDS, "reasons_text"}),
    *("id", "period_code", "final_level", "period__status", "period__agency__code"),
    *("staff__code", "staff__full_name", "unit__code"),
)

# A person's own row of a period, as a list reads it (`_own_list`): compiled once per process.
_OWN_OF_PERIOD = PreparedRead(
    lambda staff, code: own_rows(staff).filter(period_code=code).only(*LIST_COLUMNS),
    "staff",
    "code",
)


class EvaluationOrderingFilter(StableOrderingFilter):
    """`ordering=score` sorts by the scores the reader may read: a row seen through the
    publication sorts as if it had none, so the order cannot disclose a colleague's score."""

    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        shown = Case(When(full_access=True, then=F("score")), default=None)
        return super().filter_queryset(request, queryset.annotate(**{SHOWN_SCORE: shown}), view)

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> list[str]:
        # A person's name orders by the Vietnamese sort key (given name first, `core.collation`).
        terms = [
            t.replace("staff__full_name", "staff__name_key")
            for t in super().get_ordering(request, queryset, view)
        ]
        return [
            SHOWN_SCORE if t == "score" else f"-{SHOWN_SCORE}" if t == "-score" else t
            for t in terms
        ]


@extend_schema_view(
    list=extend_schema(responses=EvaluationReadSchema),
    retrieve=extend_schema(responses=EvaluationReadSchema),
)
class EvaluationViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Each row in the shape the reader may see (`access`): the whole evaluation, or the result
    published inside the agency for a colleague outside the person's line of review."""

    serializer_class = EvaluationSerializer
    filter_backends = [EvaluationOrderingFilter]
    ordering_fields = ["period_code", "score", "staff__full_name"]
    ordering = ["-period_code", "staff__name_key"]
    http_method_names = ["get", "post", "head", "options"]

    pagination_class = IdsFirstPagination

    def scoped_queryset(self, scope: Scope) -> QuerySet[Evaluation]:
        # A list of one period asks only that period's published results of the reader's
        # agency, not the rows of every closed month (the usual list: `?period=` of the month).
        request = getattr(self, "request", None)  # None when the schema is generated
        if request is None or getattr(self, "action", None) != "list":
            return evaluation_queryset(scope)
        period = request.query_params.get("period") or None
        return evaluation_queryset(scope, period=period).only(*LIST_COLUMNS)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        own = self._own_list()
        if own is None:
            return super().list(request, *args, **kwargs)
        page = self.paginate_queryset(own)  # a list: counted by its length, one page
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def _own_list(self) -> Sequence[Evaluation] | None:
        """The month-end's own list, `?period=` and nothing else, of a reader who manages no
        unit and to whom the agency has published nothing of that period: the scoped list is
        then exactly their own row of the period (at most one: a person has one evaluation a
        period), read by one query compiled once instead of the ids and the page of the
        scoped filter (issue 18). None: any other list, answered by the scoped queryset."""
        params = self.request.query_params
        code = params.get("period")
        scope = self.scope
        if (
            not code
            or len(params) != 1
            or len(params.getlist("period")) != 1
            or scope.city_wide
            or scope.own_staff_id is None
            or managed_units(scope)
            or published_periods(scope, code)
        ):
            return None
        return _OWN_OF_PERIOD.run(staff=scope.own_staff_id, code=code)

    def get_object(self) -> Evaluation:
        # One's own evaluation first, by the person's own filter (no managed units, no
        # publication to look up): the self-assessment, the month-end's most frequent request,
        # is always this. Any other row goes through the whole scope.
        pk = str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, ""))
        # (an id past 64 bits is no row: the scoped path below answers it with 404)
        if self.scope.own_staff_id is not None and pk.isdigit() and int(pk) < 2**63:
            own = own_evaluation(self.scope, int(pk), lock=self._lock_rows)
            if own is not None:
                self.check_object_permissions(self.request, own)
                return own
        return cast(Evaluation, super().get_object())

    def filter_queryset(self, queryset: QuerySet[Evaluation, Any]) -> QuerySet[Evaluation, Any]:
        if self.action == "list":
            params = self.request.query_params
            if params.get("status"):
                queryset = queryset.filter(status=params["status"])
            if params.get("final_level"):
                queryset = queryset.filter(final_level=params["final_level"])
            if params.get("staff"):
                queryset = queryset.filter(staff__code=params["staff"])
            if params.get("unit"):
                queryset = queryset.filter(unit__code=params["unit"])
        return super().filter_queryset(queryset)

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "scope": self.scope}

    def _out(self, evaluation: Evaluation) -> Response:
        # The service returns the row it locked, with the relations the serializer reads: the
        # writer read it through the scope already (get_object), so no second scoped query.
        return Response(
            EvaluationSerializer(evaluation, context=self.get_serializer_context()).data
        )

    def _step(
        self,
        step: Callable[..., Evaluation],
        ev: Evaluation,
        data: dict[str, Any],
        *names: str,
        **options: Any,
    ) -> Response:
        """The workflow `step` on `ev` by the request's user, with the `names` of the checked
        `data` and the version the writer read; the evaluation as the reader now sees it."""
        values = {name: data.get(name) for name in names}
        done = step(
            evaluation=ev,
            by=self.request.user,
            expected_version=data["version"],
            **values,
            **options,
        )
        return self._out(done)

    # The month-end's most frequent write (issue 18): the scoped read is the lock, one read of
    # the row instead of the scoped read and the service's SELECT … FOR UPDATE.
    @write(SelfAssessSerializer, EvaluationSerializer, on_object=True, locked=True)
    @action(detail=True, methods=["post"], url_path="self-assess")
    def self_assess(self, ev: Evaluation, data: dict[str, Any]) -> Response:
        """Submit your self-assessment."""
        extra = ("evidence", "achievements", "proposed_level")
        return self._step(services.self_assess, ev, data, *POINTS, *extra, locked=True)

    @write(ReviewSerializer, EvaluationSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def review(self, ev: Evaluation, data: dict[str, Any]) -> Response:
        """Review (adjust, or return for revision) as the direct manager."""
        extra = ("level", "comment", "return_for_revision")
        return self._step(services.review, ev, data, *POINTS, *extra)

    @write(ApproveSerializer, EvaluationSerializer, on_object=True)
    @action(detail=True, methods=["post"])
    def approve(self, ev: Evaluation, data: dict[str, Any]) -> Response:
        """Approve as the unit head."""
        return self._step(services.approve, ev, data, "comment")


class PeriodViewSet(
    ScopedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = PeriodSerializer
    filter_backends = [StableOrderingFilter]
    ordering_fields = ["starts_on", "code"]
    ordering = ["-starts_on", "agency__code"]
    http_method_names = ["get", "post", "head", "options"]

    def scoped_queryset(self, scope: Scope) -> QuerySet[EvaluationPeriod]:
        qs = EvaluationPeriod.objects.select_related("agency")
        if scope.city_wide:
            return qs
        from thenchot.appraisal.selectors import own_agency

        units = set(managed_units(scope))
        agency = own_agency(scope)
        if agency is not None:
            units.add(agency)
        return qs.filter(agency_id__in=sorted(units))

    @extend_schema(
        summary="Close a period in every agency of a unit's subtree", request=CloseSerializer
    )
    @action(detail=False, methods=["post"])
    def close(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = validated(CloseSerializer, request)
        unit = Unit.objects.filter(code=data["unit"]).first()
        if unit is None or not (self.scope.city_wide or unit.pk in managed_units(self.scope)):
            raise NotFound()
        try:
            result = closing.close_period(
                unit=unit,
                period=data["period"],
                by=request.user,
                resolve_quota=data["resolve_quota"] or None,
                dry_run=data["dry_run"],
            )
        except closing.QuotaConflicts as exc:
            response = domain_error_response(exc)
            response.data["error"]["conflicts"] = [_conflict(c) for c in exc.conflicts]
            return response
        return Response(
            {
                "period": result.code,
                "periods_closed": result.periods_closed,
                "already_closed": result.already_closed,
                "evaluations": result.evaluations,
                "by_level": result.by_level,
                "moved_by_quota": result.moved_by_quota,
                "quota_use": result.quota_use,
                "dry_run": data["dry_run"],
            },
            status=status.HTTP_200_OK,
        )


def _conflict(c: closing.Conflict) -> dict[str, Any]:
    return {
        "agency": c.agency,
        "group": c.group,
        "pack": c.pack,
        "allowed": c.allowed,
        "top": c.top,
        "holders": [
            {"staff": p.code, "name": p.full_name, "evaluation": p.evaluation_id} for p in c.holders
        ],
        "would_move": [
            {"staff": p.code, "name": p.full_name, "evaluation": p.evaluation_id}
            for p in c.would_move
        ],
    }
