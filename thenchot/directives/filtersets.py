"""Filters shared by the task list pages and the task API (one definition, NetBox habit).

The queryset given to `TaskFilterSet` must come from `selectors.task_queryset(scope, on)`: the
`status` and deadline filters work on its `status` and `effective_deadline` annotations, so they
are taken on the same date `on` (the `as_of` parameter, default today).
"""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from thenchot.core.forms import date_range_filters
from thenchot.core.text import fold
from thenchot.directives.choices import Priority, TaskStatus
from thenchot.directives.models import Task
from thenchot.org.filtersets import AsOfDate, SubtreeFilter


class TaskFilterSet(AsOfDate, django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    as_of = django_filters.DateFilter(label=_("Status on date"), method="filter_noop")
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=TaskStatus.choices, field_name="status"
    )
    document = django_filters.CharFilter(
        label=_("Source document (code)"), field_name="document__code"
    )
    unit = SubtreeFilter(
        label=_("Lead unit (code, with everything under it)"), field_name="lead_unit_id"
    )
    assignee = django_filters.CharFilter(label=_("Assignee (staff code)"), method="filter_assignee")
    deadline_from, deadline_to = date_range_filters(
        "effective_deadline", _("Deadline from"), _("Deadline to")
    )
    assigned_from, assigned_to = date_range_filters(
        "assigned_on", _("Assigned from"), _("Assigned to")
    )
    priority = django_filters.MultipleChoiceFilter(label=_("Priority"), choices=Priority.choices)
    top_level = django_filters.BooleanFilter(
        label=_("Top-level tasks only"), field_name="parent", lookup_expr="isnull"
    )

    class Meta:
        model = Task
        fields = [
            "q",
            "as_of",
            "status",
            "document",
            "unit",
            "assignee",
            "deadline_from",
            "deadline_to",
            "assigned_from",
            "assigned_to",
            "priority",
            "top_level",
        ]

    def filter_q(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        query = Q()
        for word in fold(value).split():
            query &= Q(search_text__contains=word)
        return queryset.filter(query)

    def filter_assignee(self, queryset: QuerySet[Task], name: str, value: str) -> QuerySet[Task]:
        return queryset.filter(assignee__code=value)
