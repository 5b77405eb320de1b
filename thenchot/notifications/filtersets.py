from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from thenchot.notifications.choices import NotificationKind
from thenchot.notifications.models import Notification


class NotificationFilterSet(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(method="filter_unread", label=_("unread"))
    kind = django_filters.MultipleChoiceFilter(choices=NotificationKind.choices, label=_("kind"))

    class Meta:
        model = Notification
        fields = ["unread", "kind", "model_label", "object_id"]

    def filter_unread(
        self, queryset: QuerySet[Notification], name: str, value: bool | None
    ) -> QuerySet[Notification]:
        if value is None:
            return queryset
        return queryset.filter(read_at__isnull=value)
