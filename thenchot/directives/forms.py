"""Forms of the task direction pages. They read and parse input (unit and staff codes become
records); `directives.services` decides and writes, and its refusals come back onto these
forms next to the fields they concern."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thenchot.core.calendar_widget import WorkingDaysDateInput
from thenchot.core.forms import by_code
from thenchot.core.numbers import LocalDecimalField
from thenchot.core.picker import PICK_HELP, PICK_MANY_HELP, Picker
from thenchot.core.sequences import CODE_HELP
from thenchot.directives.choices import DocumentKind, Priority, Quality
from thenchot.directives.models import SourceDocument
from thenchot.org.forms import DateInput
from thenchot.org.models import Unit
from thenchot.people.models import Staff

_SEPARATORS = re.compile(r"[\s,;]+")


def _unit_by_code(code: str) -> Unit:
    return by_code(Unit.objects, code, _("Unknown unit code '%(code)s'."))


class _CodeField(forms.CharField):
    """A record typed as its code (the page offers suggestions in a datalist); `lookup` turns
    the code into the record or refuses it."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("autocomplete", "off")

    def clean(self, value: Any) -> Any:
        code = (super().clean(value) or "").strip()
        return self.lookup(code) if code else None

    def lookup(self, code: str) -> Any:
        raise NotImplementedError


class UnitCodeField(_CodeField):
    """A unit typed as its code."""

    def lookup(self, code: str) -> Unit:
        return _unit_by_code(code)


class UnitCodesField(forms.CharField):
    """Several units by code, separated by spaces, commas or semicolons."""

    def clean(self, value: Any) -> list[Unit]:
        raw = super().clean(value) or ""
        codes = [c for c in _SEPARATORS.split(raw.strip()) if c]
        found = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise forms.ValidationError(
                _("Unknown unit codes: %(codes)s."),
                params={"codes": ", ".join(unknown)},
                code="unknown",
            )
        seen: dict[str, Unit] = {}
        for code in codes:
            seen.setdefault(code, found[code])
        return list(seen.values())


class StaffCodeField(_CodeField):
    """A staff member typed as their code (suggestions: readable staff of the lead unit)."""

    def lookup(self, code: str) -> Staff:
        return by_code(Staff.objects, code, _("Unknown staff code '%(code)s'."))


def _today() -> Any:
    return timezone.localdate()


# -- documents ----------------------------------------------------------------------------------
class DocumentForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60, required=False, help_text=CODE_HELP)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    number = forms.CharField(label=_("Number"), max_length=60, required=False)
    issued_on = forms.DateField(label=_("Issued on"), widget=DateInput())
    issuer = UnitCodeField(label=_("Issuing unit (code)"))
    signer = forms.CharField(label=_("Signer"), max_length=200, required=False)
    title = forms.CharField(label=_("Title"), max_length=500)


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, DOCX, XLSX, JPG or PNG, at most 20 MB.")
    )


# -- tasks --------------------------------------------------------------------------------------
def _weight_field() -> LocalDecimalField:
    """A task's weight in work units (a task and a sub-task alike)."""
    return LocalDecimalField(
        label=_("Weight (work units)"),
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        initial=1,
    )


def _expected_product_field() -> forms.CharField:
    return forms.CharField(label=_("Expected product"), max_length=500, required=False)


class TaskForm(forms.Form):
    """Assign a task; `assigner_unit` choices are the units the user may assign from."""

    title = forms.CharField(label=_("Title"), max_length=500)
    document = forms.CharField(
        label=_("Source document"),
        max_length=60,
        required=False,
        widget=Picker("directives:pick_document"),
        help_text=_("Leave empty for a task assigned ad hoc."),
    )
    assigner_unit = forms.TypedChoiceField(label=_("Assigning unit"), coerce=int)
    lead_unit = UnitCodeField(
        label=_("Lead unit"), widget=Picker("directives:pick_unit"), help_text=PICK_HELP
    )
    coordinating_units = UnitCodesField(
        label=_("Coordinating units"),
        required=False,
        widget=Picker("directives:pick_unit", multiple=True),
        help_text=PICK_MANY_HELP,
    )
    assignee = StaffCodeField(
        label=_("Assignee"),
        required=False,
        widget=Picker("directives:pick_assignee", include="[name=lead_unit]"),
        help_text=_("Optional: a person in the lead unit or a unit under it."),
    )
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DateInput())
    # A deadline stays a date (rules.md Settled point 8); the helper only computes one from a
    # number of working days after the assignment.
    deadline = forms.DateField(
        label=_("Deadline"), widget=WorkingDaysDateInput(from_field="assigned_on")
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=Priority.choices)
    weight = _weight_field()
    expected_product = _expected_product_field()
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, assigner_choices: list[tuple[int, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["assigner_unit"]).choices = assigner_choices
        self.fields["description"].widget.attrs["rows"] = 3
        if not self.is_bound:
            self.initial.setdefault("assigned_on", _today())
            self.initial.setdefault("priority", Priority.NORMAL)
            self.initial.setdefault("weight", 1)

    def clean_document(self) -> SourceDocument | None:
        code = (self.cleaned_data.get("document") or "").strip()
        if not code:
            return None
        return by_code(SourceDocument.objects, code, _("Unknown document code '%(code)s'."))


class SubtaskForm(forms.Form):
    """A head of the lead unit delegates part of the task to a division or a person."""

    title = forms.CharField(label=_("Title"), max_length=500)
    lead_unit = forms.TypedChoiceField(label=_("Unit"), coerce=int)
    assignee = StaffCodeField(
        label=_("Assignee"),
        required=False,
        widget=Picker("directives:pick_assignee", include="[name=sub-lead_unit]"),
        help_text=PICK_HELP,
    )
    deadline = forms.DateField(label=_("Deadline"), widget=WorkingDaysDateInput())
    weight = _weight_field()
    expected_product = _expected_product_field()

    def __init__(self, *args: Any, unit_choices: list[tuple[int, str]], **kwargs: Any):
        kwargs.setdefault("prefix", "sub")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["lead_unit"]).choices = unit_choices


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), widget=forms.Textarea, required=False)
    attachment = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, DOCX, XLSX, JPG or PNG, at most 20 MB."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "progress")
        super().__init__(*args, **kwargs)
        self.fields["note"].widget.attrs["rows"] = 2
        if not self.is_bound:
            self.initial.setdefault("reported_on", _today())


class ExtensionRequestForm(forms.Form):
    new_deadline = forms.DateField(label=_("New deadline"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea)

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "extension")
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["rows"] = 2


class ExtensionDecideForm(forms.Form):
    DECISIONS = (("approve", _("Approve")), ("reject", _("Reject")))

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "decide")
        super().__init__(*args, **kwargs)
        self.fields["comment"].widget.attrs["rows"] = 2


class CompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=DateInput())
    product = forms.CharField(label=_("Product"), widget=forms.Textarea)
    quality = forms.ChoiceField(
        label=_("Quality"), choices=[("", "—"), *Quality.choices], required=False
    )
    major_errors = forms.IntegerField(
        label=_("Major errors"), min_value=0, max_value=100, required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, grading: bool, **kwargs: Any):
        kwargs.setdefault("prefix", "complete")
        super().__init__(*args, **kwargs)
        self.fields["product"].widget.attrs["rows"] = 2
        if not grading:
            # Quality and major errors are the assigning side's to give (issue, point 2).
            del self.fields["quality"]
            del self.fields["major_errors"]
        if not self.is_bound:
            self.initial.setdefault("completed_on", _today())


class AssessForm(forms.Form):
    quality = forms.ChoiceField(label=_("Quality"), choices=Quality.choices)
    major_errors = forms.IntegerField(label=_("Major errors"), min_value=0, max_value=100)
    version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "assess")
        super().__init__(*args, **kwargs)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea, max_length=5000)

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("prefix", "comment")
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 2
