"""Administrators edit reminder policies here; every change is audited."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from thenchot.core.admin import ReadOnlyModelAdmin
from thenchot.notifications import services
from thenchot.notifications.models import Notification, ReminderPolicy
from thenchot.notifications.schedule import parse_days_before


class ReminderPolicyForm(forms.ModelForm):
    days_before = forms.CharField(
        label=_("days before the due date"),
        initial="7, 3, 1",
        help_text=_("Whole numbers of days separated by commas, e.g. 7, 3, 1."),
    )

    class Meta:
        model = ReminderPolicy
        fields = ["key", "days_before", "on_due_day", "overdue_every_days", "escalate_after_days"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.initial["days_before"] = ", ".join(str(d) for d in self.instance.days_before)

    def clean_days_before(self) -> list[int]:
        try:
            return list(parse_days_before(self.cleaned_data["days_before"]))
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


@admin.register(ReminderPolicy)
class ReminderPolicyAdmin(admin.ModelAdmin):
    form = ReminderPolicyForm
    list_display = ["key", "days_before", "on_due_day", "overdue_every_days", "escalate_after_days"]
    search_fields = ["key"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.policy_save(policy=obj)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.policy_delete(policy=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        for policy in queryset:
            services.policy_delete(policy=policy)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyModelAdmin):
    """Read-only: for support ("did the reminder go out?"), never for editing."""

    list_display = ["created_at", "recipient", "kind", "title", "due_on", "read_at", "emailed_at"]
    list_filter = ["kind", "model_label"]
    search_fields = ["title", "recipient__username"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    show_full_result_count = False
