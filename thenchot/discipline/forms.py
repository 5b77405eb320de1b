"""Forms of the discipline pages; every rule is checked again by the services."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thenchot.discipline import rules
from thenchot.discipline.choices import DisciplineForm, PauseReason, Track
from thenchot.people.forms import staff_code_field

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: StrOrPromise, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DATE_WIDGET,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


class CaseOpenForm(forms.Form):
    # The person is typed by name (the picker); the field still holds their code.
    staff = staff_code_field(_("Staff member"))
    detected_on = date_field(_("Detected on"))
    violation_on = date_field(_("Violation committed on"), required=False)
    summary = forms.CharField(
        label=_("Violation summary"), widget=forms.Textarea(attrs={"rows": 3})
    )


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=PauseReason.choices)
    date_from = date_field(_("From"))
    date_to = date_field(_("To"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExtendForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    extension_reason = forms.CharField(label=_("Reason for the extension"), max_length=300)


class DecisionForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"), choices=DisciplineForm.choices)
    track = forms.ChoiceField(label=_("Track"), choices=Track.choices, initial=Track.ADMINISTRATIVE)
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)
    decided_on = date_field(_("Decided on"))
    effective_on = date_field(_("Effective on"))

    def show_repeat_minimum(self, need: rules.RepeatMinimum) -> None:
        """While another decision runs, say which form is the least a decision of today may
        impose, and offer it (the service refuses anything lighter)."""
        if need.minimum is None or need.running is None:
            return
        labels = dict(DisciplineForm.choices)
        # The field partial renders help as HTML: escape the values (a decision number is typed).
        self.fields["form"].help_text = gettext(
            "Decision %(decision)s (%(form)s) is running until %(until)s: a decision dated "
            "today must be %(minimum)s or heavier."
        ) % {
            "decision": escape(need.running.name),
            "form": escape(labels.get(need.running.form, need.running.form)),
            "until": need.running_until.strftime("%d/%m/%Y") if need.running_until else "",
            "minimum": escape(labels.get(need.minimum, need.minimum)),
        }
        if not self.is_bound:
            self.initial["form"] = need.minimum
