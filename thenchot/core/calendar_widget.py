"""A date field's working-days helper: "in N working days → date" beside a deadline.

The deadline stays a date (rules.md Settled point 8): the helper only fills the date input
from `GET /api/v1/calendar/working-days/` (`core.api.calendar`) and names the days off it
skipped; the person may still type any date. `thenchot.js` does the asking."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse


class WorkingDaysDateInput(forms.DateInput):
    """A native date input with the helper; `from_field` names the form field whose date the
    count starts from (the day a task is assigned), today when absent or empty."""

    input_type = "date"
    template_name = "core/widgets/working_days_date.html"

    def __init__(self, attrs: dict[str, Any] | None = None, *, from_field: str = "") -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")
        self.from_field = from_field

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["working_days"] = {
            "url": reverse("calendar-working-days"),
            "from_id": f"id_{self.from_field}" if self.from_field else "",
        }
        return context
