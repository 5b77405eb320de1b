"""Filters shared by the inspection pages and the API (one definition for both)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from thenchot.core.forms import date_range_filters, year_filter
from thenchot.core.text import fold
from thenchot.inspections.choices import InspectionKind, RecommendationStatus
from thenchot.inspections.models import Inspection, Recommendation
from thenchot.org.filtersets import SubtreeFilter


class InspectionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Code or title"), method="filter_q")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=InspectionKind.choices)
    conducted_by = SubtreeFilter(
        label=_("Conducting unit (code, with everything under it)"), field_name="conducted_by_id"
    )
    target_unit = SubtreeFilter(
        label=_("Target unit (code, with everything under it)"), field_name="target_unit_id"
    )
    started_from, started_to = date_range_filters(
        "started_on", _("Started from"), _("Started until")
    )
    year = year_filter("started_on")

    class Meta:
        model = Inspection
        fields = ["q", "kind", "conducted_by", "target_unit", "started_from", "started_to", "year"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        text = value.strip()
        return queryset.filter(Q(code__icontains=text) | Q(title__icontains=text))


class RecommendationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Code or text"), method="filter_q")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=RecommendationStatus.choices, field_name="status"
    )
    responsible_unit = SubtreeFilter(
        label=_("Responsible unit (code, with everything under it)"),
        field_name="responsible_unit_id",
    )
    inspection = django_filters.CharFilter(
        label=_("Inspection code"), field_name="inspection__code"
    )
    due_from, due_to = date_range_filters("due_on", _("Due from"), _("Due until"))

    class Meta:
        model = Recommendation
        fields = ["q", "status", "responsible_unit", "inspection", "due_from", "due_to"]

    def filter_q(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if not value:
            return queryset
        text = value.strip()
        folded = fold(text)
        return queryset.filter(
            Q(code__icontains=text) | Q(text__icontains=text) | Q(text__icontains=folded)
        )
