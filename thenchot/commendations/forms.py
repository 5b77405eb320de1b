"""Forms of the commendation pages. The person and the unit are picked by name (the pickers
hold their codes); whether one and only one is given is the service's check, so the page, the
API and the import refuse the same values with the same words."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal.choices import QuotaGroupChoice, QuotaOverrideBase
from thenchot.commendations.choices import CommendationKind
from thenchot.core.picker import Picker
from thenchot.org.models import Unit
from thenchot.people.forms import staff_code_field
from thenchot.people.models import Staff

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

_M = TypeVar("_M", bound=Model)

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def date_field(label: StrOrPromise) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=["%Y-%m-%d", "%d/%m/%Y"])


class CommendationForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=60,
        required=False,
        help_text=_("Leave empty for the next number of the year, or type the official number."),
    )
    staff = staff_code_field(_("Staff member commended"), required=False)
    unit = forms.CharField(
        label=_("Unit commended"),
        max_length=40,
        required=False,
        widget=Picker("org:pick_unit"),
        help_text=_(
            "A staff member or a unit, not both. Type part of a name or a code, then choose "
            "from the list."
        ),
    )
    kind = forms.ChoiceField(label=_("Form of commendation"), choices=CommendationKind.choices)
    decision_number = forms.CharField(label=_("Decision number"), max_length=120, required=False)
    decided_on = date_field(_("Decided on"))
    issued_by = forms.CharField(label=_("Issued by"), max_length=200, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    innovation = forms.BooleanField(
        label=_("Dared to think, dared to act (innovation)"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]

    def clean_staff(self) -> Staff | None:
        return _by_code(Staff, self.cleaned_data.get("staff"), _("Unknown staff code '%(value)s'."))

    def clean_unit(self) -> Unit | None:
        return _by_code(Unit, self.cleaned_data.get("unit"), _("Unknown unit code '%(value)s'."))


def _by_code(model: type[_M], code: str | None, unknown: StrOrPromise) -> _M | None:
    """The record a picker names by its code: None when empty, a field error when unknown."""
    code = (code or "").strip()
    if not code:
        return None
    found = model._default_manager.filter(code=code).first()
    if found is None:
        raise forms.ValidationError(unknown % {"value": code})
    return found


class GrantQuotaForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    period = forms.CharField(
        label=_("Period"), max_length=7, help_text=_("YYYY-MM, YYYY-Qn or YYYY")
    )
    ratio = forms.DecimalField(
        label=_("Ratio (percent)"), max_digits=5, decimal_places=2, initial=40
    )
    base = forms.ChoiceField(
        label=_("Ratio of"),
        choices=[("", _("The rule pack's base")), *QuotaOverrideBase.choices],
        required=False,
        initial=QuotaOverrideBase.HEADCOUNT,
    )
    group = forms.ChoiceField(
        label=_("Group"), choices=QuotaGroupChoice.choices, initial=QuotaGroupChoice.ALL
    )


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
