"""Forms of the procedure pages. Steps are typed one per line as "name | days | unit code |
role" (a procedure has a handful): the service checks them and names a bad value."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from thenchot.org.forms import unit_id_from_code
from thenchot.org.tree import tree
from thenchot.processes.choices import DocumentKind, Level
from thenchot.processes.services import StepSpec


class ProcessForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=500)
    level = forms.ChoiceField(
        label=pgettext_lazy("procedure level", "Level"), choices=Level.choices
    )
    owner_unit = forms.CharField(label=_("Owner unit (code)"), max_length=40)
    decision_number = forms.CharField(
        label=_("Approval decision number"), max_length=60, required=False
    )
    approved_on = forms.DateField(label=_("Approved on"))
    steps = forms.CharField(
        label=_("Steps"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One step per line: name | working days | responsible unit code | role."),
    )

    def clean_owner_unit(self) -> int:
        return unit_id_from_code(self.cleaned_data["owner_unit"])

    def clean_steps(self) -> list[StepSpec]:
        return parse_steps(self.cleaned_data["steps"])


def parse_steps(text: str) -> list[StepSpec]:
    out: list[StepSpec] = []
    snap = tree()
    for number, line in enumerate([ln for ln in text.splitlines() if ln.strip()], start=1):
        parts = [p.strip() for p in line.split("|")] + ["", "", ""]
        name, days_text, unit_code, role = parts[:4]
        try:
            days = int(days_text)
        except ValueError:
            raise forms.ValidationError(
                _("Step %(n)s: '%(value)s' is not a whole number of working days.")
                % {"n": number, "value": days_text}
            ) from None
        unit_id = None
        if unit_code:
            unit_id = snap.by_code.get(unit_code)
            if unit_id is None:
                raise forms.ValidationError(
                    _("Step %(n)s: unknown unit code '%(value)s'.")
                    % {"n": number, "value": unit_code}
                )
        out.append(
            StepSpec(name=name, days=days, responsible_unit_id=unit_id, responsible_role=role)
        )
    return out


class RetireForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    number = forms.IntegerField(widget=forms.HiddenInput)
    retired_on = forms.DateField(label=_("Retired on"))


class AttachForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))


class CaseStartForm(forms.Form):
    number = forms.IntegerField(widget=forms.HiddenInput)
    received_on = forms.DateField(label=_("Received on"))
    applicant = forms.CharField(label=_("Applicant"), max_length=300, required=False)


class AdvanceForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    position = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Finished on"))
    late_reason = forms.CharField(
        label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    apology_number = forms.CharField(
        label=_("Apology letter number"), max_length=60, required=False
    )
    apology_on = forms.DateField(label=_("Apology letter date"), required=False)


class DelayForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    late_reason = forms.CharField(
        label=_("Reason for the delay"), widget=forms.Textarea(attrs={"rows": 2})
    )
    apology_number = forms.CharField(label=_("Apology letter number"), max_length=60)
    apology_on = forms.DateField(label=_("Apology letter date"))


class HolidayForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    working = forms.BooleanField(label=_("A working day (a Saturday worked)"), required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
