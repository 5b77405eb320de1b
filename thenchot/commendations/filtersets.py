"""Filters of the commendation list, shared by the page and the API: the unit (with everything
under it, its people included), the year of the decision, the form, the innovation flag."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.models import Commendation
from thenchot.commendations.selectors import in_units_q, subtree_ids


class CommendationFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        label=_("Unit (code, with everything under it)"), method="filter_unit"
    )
    year = django_filters.NumberFilter(
        label=_("Year"),
        field_name="decided_on",
        lookup_expr="year",
        min_value=1,
        max_value=9999,
        decimal_places=0,
    )
    kind = django_filters.ChoiceFilter(
        label=_("Form of commendation"), choices=CommendationKind.choices
    )
    innovation = django_filters.BooleanFilter(label=_("Dared to think, dared to act"))
    decided_from = django_filters.DateFilter(
        label=_("Decided from"), field_name="decided_on", lookup_expr="gte"
    )
    decided_to = django_filters.DateFilter(
        label=_("Decided until"), field_name="decided_on", lookup_expr="lte"
    )

    class Meta:
        model = Commendation
        fields = ["unit", "year", "kind", "innovation", "decided_from", "decided_to"]

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        ids = subtree_ids(value, timezone.localdate())
        if ids is None:
            return queryset.none()
        return queryset.filter(in_units_q(ids))
