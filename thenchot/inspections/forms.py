"""Forms of the inspection pages. They read input; `inspections.services` decides and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thenchot.directives.models import SourceDocument
from thenchot.inspections.choices import InspectionKind, Severity, Topic
from thenchot.org.forms import DateInput
from thenchot.org.models import Unit


def _unit(code: str) -> Unit:
    code = (code or "").strip()
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise forms.ValidationError(
            _("Unknown unit code '%(code)s'."), params={"code": code}, code="unknown"
        )
    return unit


class InspectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    conducted_by = forms.CharField(label=_("Conducting unit (code)"), max_length=40)
    target_unit = forms.CharField(label=_("Target unit (code)"), max_length=40)
    other_targets = forms.CharField(
        label=_("Other target units (codes separated by ;)"), max_length=500, required=False
    )
    ordered_by = forms.CharField(
        label=_("Ordered by (document code, for a verification)"), max_length=60, required=False
    )
    started_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ended_on = forms.DateField(label=_("Ends on"), required=False, widget=DateInput())
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_conducted_by(self) -> Unit:
        return _unit(self.cleaned_data["conducted_by"])

    def clean_target_unit(self) -> Unit:
        return _unit(self.cleaned_data["target_unit"])

    def clean_other_targets(self) -> list[Unit]:
        raw = self.cleaned_data.get("other_targets") or ""
        return [_unit(code) for code in raw.split(";") if code.strip()]

    def clean_ordered_by(self) -> SourceDocument | None:
        code = (self.cleaned_data.get("ordered_by") or "").strip()
        if not code:
            return None
        doc = SourceDocument.objects.filter(code=code).first()
        if doc is None:
            raise forms.ValidationError(
                _("Unknown document code '%(code)s'."), params={"code": code}, code="unknown"
            )
        return doc

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False
    )
    evidence = forms.FileField(label=_("Evidence (PDF, DOCX, XLSX, JPG, PNG)"), required=False)


class RecommendationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.CharField(label=_("Responsible unit (code)"), max_length=40)
    due_on = forms.DateField(label=_("Due on"), widget=DateInput())

    def clean_responsible_unit(self) -> Unit:
        return _unit(self.cleaned_data["responsible_unit"])


class ConclusionForm(forms.Form):
    number = forms.CharField(label=_("Conclusion number"), max_length=60)
    issued_on = forms.DateField(label=_("Dated"), widget=DateInput())
    text = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    attachment = forms.FileField(label=_("Signed document"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())


class RemediationForm(forms.Form):
    reported_on = forms.DateField(label=_("Remedied on"), widget=DateInput())
    text = forms.CharField(label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}))
    evidence = forms.FileField(label=_("Evidence"), required=False)


class DecisionForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Accept")), ("0", _("Return"))],
        coerce=lambda v: v == "1",
    )
    comment = forms.CharField(
        label=_("Comment (required to return)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
