"""Filters of the commendation list, shared by the page and the API: the unit (with everything
under it, its people included), the year of the decision, the form, the innovation flag."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from thenchot.commendations.choices import CommendationKind
from thenchot.commendations.models import Commendation
from thenchot.commendations.selectors import in_units_q
from thenchot.core.forms import date_range_filters, year_filter
from thenchot.org.filtersets import SubtreeFilter


class CommendationFilterSet(django_filters.FilterSet):
    unit = SubtreeFilter(label=_("Unit (code, with everything under it)"), units_q=in_units_q)
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
