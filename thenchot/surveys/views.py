"""Survey pages for staff: the list, a survey's page (its public link and QR code, the answers
per question per score), creating and editing a survey, the A5 counter sheet (PDF), the export of
the answers (XLSX), and a unit's satisfaction index (formula, answers behind it, trend by month,
sample-size helper)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from thenchot.accounts.scoping import scope_for
from thenchot.core.exports import Column, dated_filename, xlsx_response
from thenchot.core.forms import apply_refusal, take
from thenchot.core.pages import first_or_404, form_page
from thenchot.core.paging import CappedCountPaginator
from thenchot.core.views import login_required, parse_date
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.surveys import selectors, services
from thenchot.surveys.choices import ELEMENTS, Element
from thenchot.surveys.forms import (
    DEFAULT_QUESTIONS,
    QuestionFormSet,
    SampleSizeForm,
    SurveyEditForm,
    SurveyForm,
    question_initial,
    question_specs,
)
from thenchot.surveys.index import rounded, satisfaction
from thenchot.surveys.models import Survey
from thenchot.surveys.sheet import PdfUnavailable, qr_svg, render_sheet

PER_PAGE = 50


def _survey(request: HttpRequest, code: str) -> Survey:
    return first_or_404(selectors.surveys_queryset(scope_for(request)).filter(code=code))


def public_url(request: HttpRequest, survey: Survey) -> str:
    """The short link printed at the counter: the configured public address, else this host."""
    path = reverse("surveys:public", args=[survey.short_code])
    base = getattr(settings, "THENCHOT_SURVEY_PUBLIC_BASE_URL", "") or ""
    return base.rstrip("/") + path if base else request.build_absolute_uri(path)


def _range(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    date_to = parse_date(request.GET.get("to")) or today
    date_from = parse_date(request.GET.get("from")) or dt.date(date_to.year, 1, 1)
    if date_from > date_to:
        date_from, date_to = date_to, date_from
    return date_from, date_to


@login_required
@require_GET
def survey_list(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    code = request.GET.get("unit", "").strip()
    unit_id = tree().by_code.get(code) if code else None
    open_only = request.GET.get("open") == "1"
    qs = selectors.filter_surveys(
        selectors.surveys_queryset(scope),
        q=request.GET.get("q", ""),
        unit_id=unit_id,
        open_on=timezone.localdate() if open_only else None,
    ).order_by("code")
    page = CappedCountPaginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "surveys/list.html",
        {
            "page": page,
            "q": request.GET.get("q", ""),
            "unit": code,
            "open_only": open_only,
            "can_create": selectors.can_manage_any(scope),
            "today": timezone.localdate(),
        },
    )


_FIELDS = ("title", "opens_on", "closes_on")


def _form_page(
    request: HttpRequest, scope: Any, form: Any, formset: Any, survey: Survey | None
) -> HttpResponse:
    """The create (no `survey`) and edit page: a saved survey goes to its page; otherwise the
    form again (400 after a POST: invalid or refused)."""

    def save(data: dict[str, Any]) -> HttpResponse:
        values = {
            "scope": scope,
            "by": request.user,
            "unit": Unit.objects.get(pk=data["unit"]),
            "questions": question_specs(formset),
            **take(data, *_FIELDS),
        }
        if survey is None:
            saved = services.survey_create(code=data["code"], **values)
        else:
            saved = services.survey_update(
                survey=survey, expected_version=data["version"], **values
            )
        return redirect(reverse("surveys:detail", args=[saved.code]))

    context = {"form": form, "formset": formset, "survey": survey}
    return form_page(
        request, "surveys/form.html", context, save, formsets=[formset], refuse=apply_refusal
    )


@login_required
@require_http_methods(["GET", "POST"])
def survey_new(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not selectors.can_manage_any(scope):
        raise PermissionDenied
    form = SurveyForm(request.POST or None)
    formset = QuestionFormSet(request.POST or None, prefix="q", initial=DEFAULT_QUESTIONS)
    return _form_page(request, scope, form, formset, None)


@login_required
@require_http_methods(["GET", "POST"])
def survey_edit(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    survey = _survey(request, code)
    if not selectors.can_manage(scope, survey.unit_id):
        raise PermissionDenied
    initial = {name: getattr(survey, name) for name in ("code", "version", *_FIELDS)}
    initial["unit"] = survey.unit.code
    form = SurveyEditForm(request.POST or None, initial=initial)
    questions = question_initial(selectors.questions_of(survey))
    formset = QuestionFormSet(request.POST or None, prefix="q", initial=questions)
    return _form_page(request, scope, form, formset, survey)


@login_required
@require_GET
def survey_detail(request: HttpRequest, code: str) -> HttpResponse:
    scope = scope_for(request)
    survey = _survey(request, code)
    total, rows = selectors.survey_counts(survey)
    url = public_url(request, survey)
    return render(
        request,
        "surveys/detail.html",
        {
            "survey": survey,
            "total": total,
            "rows": rows,
            "public_url": url,
            "qr": qr_svg(url),
            "is_open": survey.open_on(timezone.localdate()),
            "manage": selectors.can_manage(scope, survey.unit_id),
        },
    )


@login_required
@require_GET
def survey_sheet(request: HttpRequest, code: str) -> HttpResponse:
    """The A5 sheet for the counter: the survey's title, its QR code and short link (PDF)."""
    survey = _survey(request, code)
    try:
        pdf = render_sheet(survey, public_url(request, survey))
    except PdfUnavailable as exc:
        return render(
            request,
            "surveys/sheet_unavailable.html",
            {"survey": survey, "error": str(exc)},
            status=503,
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-{survey.short_code}.pdf"'
    return response


def _score_of(question_id: int) -> Callable[[dict[str, Any]], Any]:
    return lambda row: row["scores"].get(question_id)


@login_required
@require_GET
def survey_export(request: HttpRequest, code: str) -> HttpResponse:
    """The survey's responses, one row each, one column per question (blank: no answer)."""
    survey = _survey(request, code)
    questions = selectors.questions_of(survey)
    columns = [
        Column(_("Response"), lambda r: r["code"]),
        Column(_("Submitted on"), lambda r: r["submitted_on"]),
        *(Column(q.code, _score_of(q.pk), width=8) for q in questions),
    ]
    return xlsx_response(
        filename=dated_filename(f"survey-answers-{survey.short_code}"),
        columns=columns,
        rows=selectors.response_rows(survey),
        sheet_title=_("Answers"),
    )


@login_required
@require_GET
def unit_index(request: HttpRequest) -> HttpResponse:
    """A unit's satisfaction index: the figure, its formula, the answers behind it, the trend by
    month and the sample-size helper."""
    scope = scope_for(request)
    code = request.GET.get("unit", "").strip()
    unit = None
    if code:
        unit_id = tree().by_code.get(code)
        if unit_id is None or not scope.can_read_unit(unit_id):
            raise Http404
        unit = Unit.objects.get(pk=unit_id)
    date_from, date_to = _range(request)
    context: dict[str, Any] = {
        "unit": unit,
        "unit_code": code,
        "date_from": date_from,
        "date_to": date_to,
    }
    if unit is None:
        return render(request, "surveys/unit_index.html", context)
    figure = satisfaction(unit=unit, date_from=date_from, date_to=date_to)
    elements, questions = selectors.unit_counts(unit=unit, date_from=date_from, date_to=date_to)
    sample_form = SampleSizeForm(request.GET or None)
    margin = Decimal(5)
    if sample_form.is_valid() and sample_form.cleaned_data.get("margin"):
        margin = sample_form.cleaned_data["margin"]
    population = selectors.cases_received(unit=unit, date_from=date_from, date_to=date_to)
    trend = selectors.monthly_trend(unit=unit, date_to=date_to)
    labels = dict(Element.choices)
    context.update(
        {
            "figure": figure,
            "index": rounded(figure.index) if figure.index is not None else None,
            "elements": [
                {
                    "key": e.element,
                    "label": labels[e.element],
                    "satisfied": e.satisfied,
                    "answered": e.answered,
                    "share": rounded(e.share) if e.share is not None else None,
                }
                for e in elements
            ],
            "answered_elements": len(figure.by_element),
            "questions": questions,
            "trend": [
                {
                    "month": start,
                    "responses": f.responses,
                    "index": rounded(f.index) if f.index is not None else None,
                }
                for start, f in trend
            ],
            "sample_form": sample_form,
            "margin": margin,
            "population": population,
            "sample": selectors.sample_size(population, margin / 100),
            "element_keys": ELEMENTS,
        }
    )
    return render(request, "surveys/unit_index.html", context)
