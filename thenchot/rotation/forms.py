"""Forms of the rotation pages; every rule is checked again by the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from thenchot.core.picker import PICK_HELP, Picker
from thenchot.discipline.forms import date_field
from thenchot.people.forms import staff_code_field
from thenchot.rotation.choices import PERIODIC_KINDS, RotationKind


class PlanItemForm(forms.Form):
    staff = staff_code_field(_("Staff member"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[(k.value, k.label) for k in PERIODIC_KINDS])
    target_unit = forms.CharField(
        label=_("Target unit"), max_length=40, widget=Picker("org:pick_unit"), help_text=PICK_HELP
    )
    planned_on = date_field(_("Planned date"))


class ExecuteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    effective_on = date_field(_("Effective on"))
    decision_number = forms.CharField(label=_("Decision number"), max_length=60, required=False)


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


KIND_CHOICES = RotationKind.choices
