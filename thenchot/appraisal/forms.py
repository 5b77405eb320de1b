"""Forms of the evaluation pages. They check the shape of the input (numbers, ranges from the
evaluation's rule pack, required fields) so that errors show next to their fields; the services
check everything again and decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal.choices import Decree90Step, Level
from thenchot.appraisal.views_support import CriterionField
from thenchot.core.numbers import DecimalInput, LocalDecimalField, format_decimal

ASSESSABLE = [
    (Level.EXCELLENT.value, Level.EXCELLENT.label),
    (Level.GOOD.value, Level.GOOD.label),
    (Level.COMPLETE.value, Level.COMPLETE.label),
    (Level.NOT_COMPLETE.value, Level.NOT_COMPLETE.label),
]
# The evaluation's point columns and the form fields (and service arguments) that carry them.
FIELD_OF = {"general": "general_points", "tasks": "task_points", "bonus": "bonus_points"}
POINT_ATTRS = {"class": "form-control-lg"}


def points_field(criterion: CriterionField, *, required: bool) -> LocalDecimalField:
    # data-sum, data-max: the page's live total of the points and the pack's maxima
    # (core/static/thenchot/numbers.js).
    return LocalDecimalField(
        label=criterion.label,
        required=required,
        min_value=Decimal(0),
        max_value=criterion.max_points,
        max_digits=5,
        decimal_places=2,
        help_text=_("%(hint)s — at most %(max)s points")
        % {"hint": criterion.hint, "max": format_decimal(criterion.max_points)},
        widget=DecimalInput(
            attrs={
                **POINT_ATTRS,
                "data-sum": "self-points",
                "data-max": f"{criterion.max_points.normalize():f}",
            }
        ),
    )


class SelfAssessmentForm(forms.Form):
    """The person's own assessment; the point fields follow the evaluation's pack."""

    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=4000,
        help_text=_("Reports, documents or products that support your points."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    achievements = forms.CharField(
        label=_("Achievements"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    proposed_level = forms.ChoiceField(
        label=_("Proposed level"), required=False, choices=ASSESSABLE, widget=forms.RadioSelect
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, criteria: list[CriterionField], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: dict[str, forms.Field] = {}
        for criterion in criteria:
            # Task points may be left empty: the service computes them from the tasks.
            required = criterion.column == "general"
            fields[FIELD_OF[criterion.column]] = points_field(criterion, required=required)
        self.fields = {**fields, **self.fields}
        self.point_names = list(fields)


class ReviewRowForm(forms.Form):
    """One person's line on the manager's board (inline adjust, comment)."""

    # The board shows points in the reader's writing ("50,5") and, since issue 10, posted them
    # as plain "50.00": LocalDecimalField reads both.
    general_points = LocalDecimalField(required=False, min_value=0, max_digits=5, decimal_places=2)
    task_points = LocalDecimalField(required=False, min_value=0, max_digits=5, decimal_places=2)
    bonus_points = LocalDecimalField(required=False, min_value=0, max_digits=5, decimal_places=2)
    level = forms.ChoiceField(required=False, choices=[("", "—"), *ASSESSABLE])
    comment = forms.CharField(required=False, max_length=2000)

    def has_override(self) -> bool:
        data = self.cleaned_data
        return any(
            data.get(name) not in (None, "")
            for name in ("general_points", "task_points", "bonus_points", "level")
        ) or bool((data.get("comment") or "").strip())


class CloseForm(forms.Form):
    resolve_by_score = forms.BooleanField(
        label=_("Resolve any quota conflict by score (the lowest scores move down)"),
        required=False,
    )


class ReopenForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=120)
    # Today by default; the service refuses a future date or one before the period's close.
    decided_on = forms.DateField(
        label=_("Decision date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class CollectiveDecisionForm(forms.Form):
    number = forms.CharField(label=_("Decision number"), max_length=60)
    decided_on = forms.DateField(
        label=_("Decision date"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    chaired_by = forms.CharField(
        label=_("Chaired by"),
        max_length=200,
        help_text=_(
            "The Chairman of the City People's Committee, or the Party Secretary for heads of "
            "Party boards and mass organisations."
        ),
    )
    summary = forms.CharField(
        label=_("Minutes / summary"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class AgencyRatingForm(forms.Form):
    """An agency's own points for a year (Decree 335/2025: 30 general + 70 results)."""

    # The limits are the rule's (rules.rate_agency), refused there naming the value.
    general_points = LocalDecimalField(
        label=_("General points (of 30)"), min_value=0, max_digits=5, decimal_places=2
    )
    result_points = LocalDecimalField(
        label=_("Result points (of 70)"), min_value=0, max_digits=5, decimal_places=2
    )


class Decree90StepForm(forms.Form):
    step = forms.ChoiceField(label=_("Step"), choices=Decree90Step.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    document_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
