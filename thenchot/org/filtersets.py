"""Filters shared by the unit API and the unit pages (one definition, NetBox's habit).

Every question takes a date: `as_of` (default today) keeps the units that existed that day, and
`unit` / `parent` read the tree as it stood that day (the in-memory dated snapshot).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.core.text import fold
from thenchot.org.choices import UnitKind
from thenchot.org.models import Unit, valid_on_q
from thenchot.org.tree import tree


def subtree_ids(code: str, on: dt.date) -> set[int] | None:
    """The unit `code` and everything under it on `on` (the dated tree); None for an unknown
    code."""
    snapshot = tree()
    unit_id = snapshot.by_code.get(code.strip())
    if unit_id is None:
        return None
    return snapshot.subtree_on(unit_id, on)


class AsOfDate:
    """For a filter set whose `as_of` date filter (method `filter_noop`) filters nothing itself:
    the other filters read the date with `as_of_date()`, today when none is given."""

    form: Any

    def as_of_date(self) -> dt.date:
        cleaned = getattr(self.form, "cleaned_data", None) or {}
        return cleaned.get("as_of") or timezone.localdate()

    def filter_noop(self, queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
        return queryset


class SubtreeFilter(django_filters.CharFilter):
    """A unit's code that means the unit and everything under it (NetBox's tree filters, the
    same in the pages and the API), on the filter set's `as_of_date()` if it has one, else
    today; an unknown code matches nothing. The records kept are those whose `field_name` (the
    unit column, "lead_unit_id") is one of the units, or those `units_q(units)` selects."""

    def __init__(
        self, *args: Any, units_q: Callable[[set[int]], Q] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.units_q = units_q

    def filter(self, qs: QuerySet[Any], value: str) -> QuerySet[Any]:
        if not value:
            return qs
        on = getattr(self.parent, "as_of_date", timezone.localdate)()
        ids = subtree_ids(value, on)
        if ids is None:
            return qs.none()
        if self.units_q is not None:
            return qs.filter(self.units_q(ids))
        return qs.filter(**{f"{self.field_name}__in": sorted(ids)})


class UnitFilterSet(AsOfDate, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search (name or code)"), method="filter_q")
    unit = django_filters.CharFilter(
        label=_("Unit (code, with everything under it)"), method="filter_unit"
    )
    parent = django_filters.CharFilter(
        label=_("Parent unit (code): its direct children"), method="filter_parent"
    )
    # Applied to every query in `filter_queryset`, given or not.
    as_of = django_filters.DateFilter(label=_("As of date"), method="filter_noop")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=UnitKind.choices)

    class Meta:
        model = Unit
        fields = ["q", "unit", "parent", "as_of", "kind"]

    def filter_queryset(self, queryset: QuerySet[Unit]) -> QuerySet[Unit]:
        # Only the units that existed on the date: "the tree as of D" has no ended or future units.
        return super().filter_queryset(queryset.filter(valid_on_q(self.as_of_date())))

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
