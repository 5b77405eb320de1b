"""Forms of the inspection pages. They read input; `inspections.services` decides and writes."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from thenchot.core.forms import by_code
from thenchot.core.picker import PICK_HELP, PICK_MANY_HELP, Picker
from thenchot.core.sequences import CODE_HELP
from thenchot.directives.models import SourceDocument
from thenchot.inspections.choices import ChecklistResult, InspectionKind, Severity, Topic
from thenchot.inspections.models import ChecklistAnswer, ChecklistItem
from thenchot.org.forms import DateInput
from thenchot.org.models import Unit

_SEPARATORS = re.compile(r"[\s,;]+")


def _unit_picker(*, multiple: bool = False) -> Picker:
    return Picker("org:pick_unit", multiple=multiple)


def _unit(code: str) -> Unit:
    return by_code(Unit.objects, (code or "").strip(), _("Unknown unit code '%(code)s'."))


class InspectionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60, required=False, help_text=CODE_HELP)
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    conducted_by = forms.CharField(
        label=_("Conducting unit"), max_length=40, widget=_unit_picker(), help_text=PICK_HELP
    )
    target_unit = forms.CharField(
        label=_("Target unit"), max_length=40, widget=_unit_picker(), help_text=PICK_HELP
    )
    other_targets = forms.CharField(
        label=_("Other target units"),
        max_length=500,
        required=False,
        widget=_unit_picker(multiple=True),
        help_text=PICK_MANY_HELP,
    )
    ordered_by = forms.CharField(
        label=_("Ordered by (document code, for a verification)"),
        max_length=60,
        required=False,
        widget=Picker("directives:pick_document"),
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
        # Spaces too: the picker joins the chosen codes with spaces (unit codes hold none).
        return [_unit(code) for code in _SEPARATORS.split(raw) if code.strip()]

    def clean_ordered_by(self) -> SourceDocument | None:
        code = (self.cleaned_data.get("ordered_by") or "").strip()
        if not code:
            return None
        return by_code(SourceDocument.objects, code, _("Unknown document code '%(code)s'."))

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class FindingForm(forms.Form):
    text = forms.CharField(label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False
    )
    evidence = forms.FileField(label=_("Evidence (PDF, DOCX, XLSX, JPG, PNG)"), required=False)


class RecommendationForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60, required=False, help_text=CODE_HELP)
    text = forms.CharField(label=_("Recommendation"), widget=forms.Textarea(attrs={"rows": 3}))
    responsible_unit = forms.CharField(
        label=_("Responsible unit"), max_length=40, widget=_unit_picker(), help_text=PICK_HELP
    )
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


# -- annual plans -------------------------------------------------------------------------------
def _month_choices() -> list[tuple[int, Any]]:
    return list(MONTHS.items())


class PlanForm(forms.Form):
    """A new annual plan of one conducting unit."""

    code = forms.CharField(label=_("Code"), max_length=60, required=False, help_text=CODE_HELP)
    conducted_by = forms.CharField(
        label=_("Conducting unit"), max_length=40, widget=_unit_picker(), help_text=PICK_HELP
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=300, required=False)

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean_conducted_by(self) -> Unit:
        return _unit(self.cleaned_data["conducted_by"])


class PlanEditForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    version = forms.IntegerField(widget=forms.HiddenInput())


class PlanItemForm(forms.Form):
    """One planned inspection: the unit to inspect, the month, the topics."""

    target_unit = forms.CharField(
        label=_("Target unit"), max_length=40, widget=_unit_picker(), help_text=PICK_HELP
    )
    planned_month = forms.TypedChoiceField(
        label=_("Planned month"), choices=_month_choices, coerce=int
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
    )

    def clean_target_unit(self) -> Unit:
        return _unit(self.cleaned_data["target_unit"])


class PlanItemEditForm(PlanItemForm):
    # The plan's version: items have none of their own (see `services.plan_item_update`).
    version = forms.IntegerField(widget=forms.HiddenInput())


class VersionForm(forms.Form):
    """A button that acts on a record as the page showed it (publish, remove)."""

    version = forms.IntegerField(widget=forms.HiddenInput())


# -- checklist answers --------------------------------------------------------------------------
class ChecklistForm(forms.Form):
    """Every question of an inspection's checklist on one screen: a result and a note each.

    A question left without a result stays unanswered; a recorded result can be changed but
    not cleared (an answer, once given, is part of the inspection's record)."""

    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(
        self,
        *args: Any,
        questions: list[ChecklistItem],
        answers: dict[int, ChecklistAnswer],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        for item in questions:
            stored = answers.get(item.pk)
            choices: list[tuple[str, Any]] = list(ChecklistResult.choices)
            if stored is None:
                choices = [("", _("Not answered")), *choices]
            self.fields[self.result_name(item)] = forms.ChoiceField(
                label=item.text,
                choices=choices,
                required=stored is not None,
                initial=stored.result if stored else "",
                widget=forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"}),
                error_messages={"required": _("A recorded result can be changed, not cleared.")},
            )
            self.fields[self.note_name(item)] = forms.CharField(
                label=_("Note"),
                max_length=500,
                required=False,
                initial=stored.note if stored else "",
                widget=forms.TextInput(attrs={"placeholder": _("Note")}),
            )

    @staticmethod
    def result_name(item: ChecklistItem) -> str:
        return f"result_{item.pk}"

    @staticmethod
    def note_name(item: ChecklistItem) -> str:
        return f"note_{item.pk}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for item in self.questions:
            result_name, note_name = self.result_name(item), self.note_name(item)
            if result_name in self.errors:
                continue
            if not data.get(result_name) and (data.get(note_name) or "").strip():
                self.add_error(result_name, _("Choose a result to go with the note."))
        return data

    def rows(self) -> list[dict[str, Any]]:
        """(question, result field, note field) for the template, in the questions' order."""
        return [
            {
                "item": item,
                "result": self[self.result_name(item)],
                "note": self[self.note_name(item)],
            }
            for item in self.questions
        ]

    def answers(self) -> list[tuple[ChecklistItem, str, str]]:
        """The answered questions, as `services.checklist_record_all` takes them."""
        data = self.cleaned_data
        return [
            (item, data[self.result_name(item)], data.get(self.note_name(item)) or "")
            for item in self.questions
            if data.get(self.result_name(item))
        ]
