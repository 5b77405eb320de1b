from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class _CriterionPointsForm(forms.Form):
    """Points given to one criterion of a unit, against the version the reader saw."""

    criterion = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    points = forms.CharField(label=_("Points"), required=False, max_length=20)


class ScoreForm(_CriterionPointsForm):
    evidence = forms.CharField(
        label=_("Evidence"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    file = forms.FileField(label=_("Evidence file"), required=False)


class AppraiseForm(_CriterionPointsForm):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    score = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    points = forms.CharField(label=_("Council points"), max_length=20)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(forms.Form):
    file = forms.FileField(label=_("XLSX table of the framework"))


class RoundForm(forms.Form):
    tree_date = forms.DateField(label=_("Organisation as of"), required=False)
    self_scoring_deadline = forms.DateField(label=_("Self-scoring deadline"), required=False)
    appraisal_deadline = forms.DateField(label=_("Appraisal deadline"), required=False)
    council_deadline = forms.DateField(label=_("Council deadline"), required=False)
    publication_deadline = forms.DateField(label=_("Publication deadline"), required=False)
    secretariat_unit = forms.CharField(
        label=_("Council secretariat (unit code)"), required=False, max_length=40
    )
    appraisers_per_unit = forms.IntegerField(
        label=_("Appraisers per unit"), min_value=1, max_value=10, initial=1
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class AssignForm(forms.Form):
    appraiser_unit = forms.CharField(label=_("Appraiser unit (code)"), max_length=40)
    assessed_unit = forms.CharField(label=_("Assessed unit (code)"), max_length=40)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    as_of = forms.DateField(label=_("Figures as of"), required=False)
