"""Forms of the survey pages: the survey's facts, and its questions as a formset (a row per
question: code, element, text, English text); the service checks them and names a bad value."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from thenchot.org.forms import unit_id_from_code
from thenchot.surveys.choices import STANDARD_QUESTIONS, Element
from thenchot.surveys.services import QuestionSpec

DEFAULT_QUESTIONS = [{"code": c, "element": e, "text": t} for c, t, e in STANDARD_QUESTIONS]


class SurveyForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=300)
    unit = forms.CharField(label=_("Unit (code)"), max_length=40)
    opens_on = forms.DateField(label=_("Opens on"))
    closes_on = forms.DateField(label=_("Closes on"), required=False)

    def clean_unit(self) -> int:
        return unit_id_from_code(self.cleaned_data["unit"])


class SurveyEditForm(SurveyForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["code"].disabled = True
        self.fields["code"].required = False


SMALL_INPUT = forms.TextInput(attrs={"class": "form-control form-control-sm"})


class QuestionForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30, required=False, widget=SMALL_INPUT)
    element = forms.ChoiceField(
        label=_("Element"),
        choices=[("", "—"), *Element.choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    text = forms.CharField(label=_("Text"), max_length=500, required=False, widget=SMALL_INPUT)
    text_en = forms.CharField(
        label=_("Text in English"), max_length=500, required=False, widget=SMALL_INPUT
    )


QuestionFormSet = forms.formset_factory(QuestionForm, extra=3, max_num=50, absolute_max=60)


def question_specs(formset: Any) -> list[QuestionSpec]:
    """The filled rows of the questions' formset, in order (an empty row is skipped)."""
    out = []
    for form in formset.forms:
        data = form.cleaned_data
        if not any((data.get("code"), data.get("text"), data.get("element"))):
            continue
        out.append(
            QuestionSpec(
                code=data.get("code") or "",
                element=data.get("element") or "",
                text=data.get("text") or "",
                text_en=data.get("text_en") or "",
            )
        )
    return out


def question_initial(questions: list[Any]) -> list[dict[str, str]]:
    return [
        {"code": q.code, "element": q.element, "text": q.text, "text_en": q.text_en}
        for q in questions
    ]


class SampleSizeForm(forms.Form):
    margin = forms.DecimalField(
        label=_("Margin of error, in percent"),
        min_value=1,
        max_value=20,
        decimal_places=1,
        initial=5,
        required=False,
    )
