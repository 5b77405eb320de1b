"""Filters shared by the staff list page and the staff API (NetBox habit: one definition)."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.org.filtersets import AsOfDate
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.choices import StaffCategory
from thenchot.people.models import Staff
from thenchot.people.selectors import staff_in_units_on, staff_search_q


class StaffFilterSet(AsOfDate, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    unit = django_filters.CharFilter(
        label=_("Unit (code, with everything under it)"), method="filter_unit"
    )
    as_of = django_filters.DateFilter(label=_("As of date"), method="filter_noop")
    category = django_filters.MultipleChoiceFilter(
        label=_("Category"), choices=StaffCategory.choices
    )
    is_leader = django_filters.BooleanFilter(label=_("Leader or manager"))
    is_head = django_filters.BooleanFilter(label=_("Head of unit"), field_name="is_head")

    class Meta:
        model = Staff
        fields = ["q", "unit", "as_of", "category", "is_leader", "is_head"]

    def filter_q(self, queryset: QuerySet[Staff], name: str, value: str) -> QuerySet[Staff]:
        return queryset.filter(staff_search_q(value)) if value else queryset

    def filter_unit(self, queryset: QuerySet[Staff], name: str, value: str) -> QuerySet[Staff]:
        if not value:
            return queryset
        snapshot = tree()
        unit_id = snapshot.by_code.get(value)
        if unit_id is None:
            unit_id = (
                Unit.objects.filter(pk=value).values_list("pk", flat=True).first()
                if value.isdigit()
                else None
            )
        if unit_id is None:
            return queryset.none()
        on = self.as_of_date()
        ids = snapshot.subtree_on(unit_id, on)
        if on == timezone.localdate():
            return queryset.filter(unit_id__in=sorted(ids))
        return staff_in_units_on(queryset, ids, on)
