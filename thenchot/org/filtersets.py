"""Filters shared by the unit API and the unit pages (one definition, NetBox's habit).

Every question takes a date: `as_of` (default today) keeps the units that existed that day, and
`unit` / `parent` read the tree as it stood that day (the in-memory dated snapshot).
"""

from __future__ import annotations

import datetime as dt

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.core.text import fold
from thenchot.org.choices import UnitKind
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree


class UnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search (name or code)"), method="filter_q")
    unit = django_filters.CharFilter(
        label=_("Unit (code, with everything under it)"), method="filter_unit"
    )
    parent = django_filters.CharFilter(
        label=_("Parent unit (code): its direct children"), method="filter_parent"
    )
    as_of = django_filters.DateFilter(label=_("As of date"), method="filter_as_of")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=UnitKind.choices)

    class Meta:
        model = Unit
        fields = ["q", "unit", "parent", "as_of", "kind"]

    def as_of_date(self) -> dt.date:
        cleaned = getattr(self.form, "cleaned_data", None) or {}
        return cleaned.get("as_of") or timezone.localdate()

    def filter_queryset(self, queryset: QuerySet[Unit]) -> QuerySet[Unit]:
        # Only the units that existed on the date: "the tree as of D" has no ended or future units.
        return super().filter_queryset(queryset.filter(valid_on_q(self.as_of_date())))

    def filter_as_of(self, queryset: QuerySet[Unit], name: str, value: dt.date) -> QuerySet[Unit]:
        return queryset  # applied to every query in `filter_queryset`, given or not

    def filter_q(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        for word in fold(value).split():
            queryset = queryset.filter(search_text__contains=word)
        return queryset

    def filter_unit(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return self._units_of(queryset, value, subtree=True)

    def filter_parent(self, queryset: QuerySet[Unit], name: str, value: str) -> QuerySet[Unit]:
        return self._units_of(queryset, value, subtree=False)

    def _units_of(self, queryset: QuerySet[Unit], code: str, *, subtree: bool) -> QuerySet[Unit]:
        """The unit `code` and everything under it (`subtree`), or its children, on the list's
        date; an unknown code matches nothing."""
        if not code:
            return queryset
        snapshot = tree()
        unit_id = snapshot.by_code.get(code)
        if unit_id is None:
            return queryset.none()
        related = snapshot.subtree_on if subtree else snapshot.children_on
        return queryset.filter(id__in=sorted(related(unit_id, self.as_of_date())))
