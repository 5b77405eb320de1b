"""Forms of the unit pages. They only read input; the services decide and write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thenchot.org.choices import UnitKind
from thenchot.org.tree import tree


class DateInput(forms.DateInput):
    """A native date picker: the browser shows the local format and sends ISO."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def unit_id_from_code(value: str) -> int:
    """A unit typed as its code, as the unit's id; an unknown code is refused naming it."""
    code = value.strip()
    unit_id = tree().by_code.get(code)
    if unit_id is None:
        raise forms.ValidationError(_("Unknown unit code '%(value)s'.") % {"value": code})
    return unit_id


class UnitForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=255)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    valid_from = forms.DateField(label=_("Valid from"), required=False, widget=DateInput())
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DateInput())
    version = forms.IntegerField(widget=forms.HiddenInput())

    EDITABLE = ("name", "kind", "valid_from", "valid_to")

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("valid_from"), cleaned.get("valid_to")
        if start and end and end < start:
            self.add_error("valid_to", _("Cannot be before 'valid from'."))
        return cleaned

    def changes(self, unit: Any) -> dict[str, Any]:
        """The editable fields whose submitted value differs from `unit`."""
        return {
            name: self.cleaned_data[name]
            for name in self.EDITABLE
            if self.cleaned_data.get(name) != getattr(unit, name)
        }
