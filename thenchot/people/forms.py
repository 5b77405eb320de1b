"""Forms of the staff pages. They read input; `people.services` decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thenchot.core.forms import by_code
from thenchot.core.picker import PICK_HELP, Picker
from thenchot.org.forms import DateInput
from thenchot.org.models import Unit
from thenchot.people.choices import StaffCategory
from thenchot.people.models import JobPosition
from thenchot.people.services import EDITABLE_FIELDS


def staff_code_field(label: Any, *, required: bool = True) -> forms.CharField:
    """A staff member typed by name in the picker; the field holds their code."""
    return forms.CharField(
        label=label,
        max_length=40,
        required=required,
        widget=Picker("people:pick_staff"),
        help_text=PICK_HELP,
    )


class StaffForm(forms.Form):
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    category = forms.ChoiceField(label=_("Category"), choices=StaffCategory.choices)
    position_title = forms.CharField(label=_("Position title"), max_length=200, required=False)
    is_leader = forms.BooleanField(label=_("Leader or manager"), required=False)
    job_position = forms.ModelChoiceField(
        label=_("Job position"), queryset=JobPosition.objects.order_by("name"), required=False
    )
    in_position_since = forms.DateField(
        label=_("In position since"), required=False, widget=DateInput()
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DateInput())
    left_on = forms.DateField(
        label=_("Left on"),
        required=False,
        widget=DateInput(),
        help_text=_("End of employment: the last assignment ends that day."),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DateInput())
    retirement_on = forms.DateField(label=_("Retirement on"), required=False, widget=DateInput())
    email = forms.EmailField(label=_("E-mail"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())

    EDITABLE = EDITABLE_FIELDS  # the service's list: what a form may send is what it accepts

    @classmethod
    def for_staff(cls, staff: Any) -> StaffForm:
        initial = {name: getattr(staff, name) for name in cls.EDITABLE}
        initial["version"] = staff.version
        return cls(initial=initial, prefix="edit")

    def changes(self, staff: Any) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.EDITABLE
            if self.cleaned_data.get(name) != getattr(staff, name)
        }


class TransferForm(forms.Form):
    unit = forms.CharField(
        label=_("New unit (code)"), max_length=40, help_text=_("For example SNV-TC.")
    )
    on = forms.DateField(label=_("From"), widget=DateInput())
    note = forms.CharField(label=_("Note (decision number)"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())

    def clean_unit(self) -> Unit:
        code = self.cleaned_data["unit"].strip()
        return by_code(Unit.objects, code, _("Unknown unit code '%(code)s'."))
