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
from thenchot.core.forms import date_range_filters, year_filter


class CommendationFilterSet(django_filters.FilterSet):
    unit = django_filters.CharFilter(
        label=_("Unit (code, with everything under it)"), method="filter_unit"
    )
    year = year_filter("decided_on")
    kind = django_filters.ChoiceFilter(
        label=_("Form of commendation"), choices=CommendationKind.choices
    )
    innovation = django_filters.BooleanFilter(label=_("Dared to think, dared to act"))
    decided_from, decided_to = date_range_filters(
        "decided_on", _("Decided from"), _("Decided until")
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
