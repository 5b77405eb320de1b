"""The report page's choice: a unit (picked by name or code) and a range."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from thenchot.core.forms import unknown_code
from thenchot.core.picker import PICK_HELP, Picker
from thenchot.org.forms import DateInput
from thenchot.org.tree import tree
from thenchot.reports.ranges import KIND_LABELS, KINDS, RangeError, ReportRange

FORMATS = ("xlsx", "pdf")


class ReportForm(forms.Form):
    unit = forms.CharField(
        label=_("Unit"), max_length=40, widget=Picker("org:pick_unit"), help_text=PICK_HELP
    )
    kind = forms.ChoiceField(
        label=_("Range"), choices=[(k, KIND_LABELS[k]) for k in KINDS], initial="month"
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("Month"), choices=list(MONTHS.items()), coerce=int, required=False
    )
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        choices=[(q, f"{q}") for q in (1, 2, 3, 4)],
        coerce=int,
        required=False,
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=DateInput())
    as_of = forms.DateField(
        label=_("Figures as of"),
        required=False,
        widget=DateInput(),
        help_text=_("Statuses are taken on this day; by default the last day of the range."),
    )

    def clean_unit(self) -> int:
        code = self.cleaned_data["unit"].strip()
        unit_id = tree().by_code.get(code)
        if unit_id is None:
            raise unknown_code(_("Unknown unit code '%(code)s'."), code)
        return unit_id

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            chosen = ReportRange.of(
                data["kind"],
                year=data["year"],
                month=data.get("month") or 1,
                quarter=data.get("quarter") or 1,
                date_from=data.get("date_from"),
                date_to=data.get("date_to"),
            )
        except RangeError as exc:
            raise forms.ValidationError(str(exc)) from exc
        data["range"] = chosen
        data["as_of_date"] = data.get("as_of") or chosen.date_to
        return data


def initial_for(unit_code: str, today: dt.date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    return {
        "unit": unit_code,
        "kind": "month",
        "year": today.year,
        "month": today.month,
        "quarter": (today.month - 1) // 3 + 1,
    }
