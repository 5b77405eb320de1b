"""The person's own pages: the self-assessment of the current month, built for a phone (one
column, big targets), with the task points pre-filled and their calculation shown; one
evaluation; "my results" month by month with reasons, quarter and year roll-ups, the agency's
published results.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from thenchot.accounts.scoping import scope_for
from thenchot.appraisal import rules, selectors, services, views_exports
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import SELF_EDITABLE, EvaluationStatus, Level
from thenchot.appraisal.forms import SelfAssessmentForm
from thenchot.appraisal.inputs import current_params
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.views.common import _blank, _render, _status_of
from thenchot.core.errors import DomainError
from thenchot.core.forms import apply_domain_error
from thenchot.core.periods import period_label
from thenchot.core.views import login_required

PUBLISHED_ROWS = 100  # the agency's published results on one page


# -- home ------------------------------------------------------------------------------------------
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("appraisal:me")


# -- self-assessment -------------------------------------------------------------------------------
@login_required
def self_assessment(request: HttpRequest, period: str | None = None) -> HttpResponse:
    scope = scope_for(request)
    code = vs.valid_period(period) if period else None
    if period and code is None:
        raise Http404
    evaluation = vs.current_evaluation(scope, code)
    if evaluation is None:
        if period:
            raise Http404
        return _render(request, "appraisal/self_assessment.html", {"evaluation": None})
    criteria = vs.criteria_of(evaluation)
    calculation = vs.task_calculation(evaluation)
    closed = evaluation.period.is_closed or evaluation.status == EvaluationStatus.CLOSED
    editable = (
        not closed
        and evaluation.status in SELF_EDITABLE
        and evaluation.period.starts_on <= vs.today()
    )
    initial = {
        "general_points": evaluation.general_points,
        "task_points": evaluation.task_points
        if evaluation.task_points is not None
        else calculation.points,
        "bonus_points": evaluation.bonus_points,
        "evidence": evaluation.evidence,
        "achievements": evaluation.achievements,
        "proposed_level": evaluation.proposed_level,
        "version": evaluation.version,
    }
    form = SelfAssessmentForm(
        request.POST if request.method == "POST" else None, criteria=criteria, initial=initial
    )
    status = 200
    if request.method == "POST":
        if closed:
            form.is_valid()
            form.add_error(None, str(services.PeriodClosed.default_message))
            status = 409
        elif form.is_valid():
            data = form.cleaned_data
            try:
                services.self_assess(
                    evaluation=evaluation,
                    by=request.user,
                    general_points=data.get("general_points"),
                    task_points=_blank(data.get("task_points")),
                    bonus_points=_blank(data.get("bonus_points")),
                    evidence=data.get("evidence", ""),
                    achievements=data.get("achievements", ""),
                    proposed_level=data.get("proposed_level", ""),
                    expected_version=data.get("version"),
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                status = _status_of(exc)
            else:
                messages.success(
                    request,
                    _("Your self-assessment for %(period)s was sent to your manager.")
                    % {"period": period_label(evaluation.period_code)},
                )
                return redirect(reverse("appraisal:me_period", args=[evaluation.period_code]))
        else:
            status = 400
    total = vs.total_points(evaluation)
    bands = _pack_bands(evaluation)  # the pack's parameters read once for the hint and the bands
    context = {
        "evaluation": evaluation,
        "form": form,
        "criteria": criteria,
        "calculation": calculation,
        "closed": closed,
        "editable": editable,
        "pack_title": vs.pack_title(evaluation.rule_pack),
        "total": total,
        "suggested_level": _suggested_level(bands, total),
        "max_total": sum((c.max_points for c in criteria), Decimal(0)),
        "bands": _bands(bands),
        "reasons": vs.reasons_of(evaluation),
        "grade": vs.grade_of(evaluation.rule_pack, evaluation.final_level),
    }
    return _render(request, "appraisal/self_assessment.html", context, status)


def _pack_bands(evaluation: Evaluation) -> Any:
    """The score bands of the evaluation's pack in its current parameters (None: the pack has
    none, or is unknown)."""
    try:
        params, _number = current_params(evaluation.rule_pack)
    except rules.RuleInputError:
        return None
    return getattr(params, "bands", None)


def _suggested_level(bands: Any, total: Decimal | None) -> str:
    """The level the bands give the saved points (`vs.level_for_points`, from bands read once)."""
    if total is None or bands is None:
        return ""
    try:
        return str(bands.level_for(total).value)
    except (rules.RuleInputError, AttributeError):
        return ""


def _bands(bands: Any) -> list[tuple[str, str]]:
    """The pack's score bands, highest first, as (lowest score, level): the page shows the
    level the points typed so far would suggest, as `_suggested_level` does for saved ones."""
    if bands is None:
        return []
    return [
        (f"{bands.excellent_from.normalize():f}", Level.EXCELLENT.value),
        (f"{bands.good_from.normalize():f}", Level.GOOD.value),
        (f"{bands.complete_from.normalize():f}", Level.COMPLETE.value),
        ("-1", Level.NOT_COMPLETE.value),
    ]


# -- one evaluation --------------------------------------------------------------------------------
@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request)
    evaluation = vs.readable_evaluation(scope, pk)
    if evaluation is None:
        raise Http404
    context = {
        "evaluation": evaluation,
        "full": selectors.access_of(scope, evaluation) == selectors.FULL,
        "grade": vs.grade_of(evaluation.rule_pack, evaluation.final_level),
        "pack_title": vs.pack_title(evaluation.rule_pack),
    }
    if context["full"]:
        # The working papers are not even computed for a colleague who sees the published result.
        context |= {
            "criteria": vs.criteria_of(evaluation),
            "calculation": vs.task_calculation(evaluation),
            "reasons": vs.reasons_of(evaluation),
        }
    return _render(request, "appraisal/evaluation.html", context)


# -- my results ------------------------------------------------------------------------------------
@login_required
@require_GET
def my_results(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if scope.own_staff_id is None:
        raise Http404
    from thenchot.people.models import Staff

    staff = Staff.objects.get(pk=scope.own_staff_id)
    try:
        year = int(request.GET.get("year") or vs.today().year)
    except ValueError:
        year = vs.today().year
    history = selectors.my_history(scope)
    if request.GET.get("format") == "xlsx":
        return views_exports.results_xlsx(
            staff_code=staff.code,
            history=history,
            year=year,
            rollups=vs.rollups_for(staff, year),
        )
    published_code = vs.valid_period(request.GET.get("period")) or vs.published_period(scope)
    # An agency publishes thousands of results: they come a page at a time, counted by level
    # in the database (issue 16: the page was 1 MB for an agency of 2,000 people).
    published_qs = (
        selectors.published(scope, period=published_code).order_by(
            "unit__code", "staff__name_key", "pk"
        )
        if published_code
        else Evaluation.objects.none()
    )
    published = Paginator(published_qs, PUBLISHED_ROWS).get_page(request.GET.get("page"))
    years = sorted({int(h.evaluation.period_code[:4]) for h in history} | {year}, reverse=True)
    return _render(
        request,
        "appraisal/my_results.html",
        {
            "staff": staff,
            "history": history,
            "year": year,
            "years": years,
            "rollups": vs.rollups_for(staff, year),
            "decree90": _decree90_link(staff, year),
            "published_code": published_code,
            "published": published,
            "published_links": vs.page_links(
                request, "page", published, path=reverse("appraisal:results")
            ),
            "published_counts": vs.level_counts_of(published_qs),
        },
    )


def _decree90_link(staff: Any, year: int) -> str | None:
    """The person's Decree 90 rating steps for the year, when Decree 90 rates them then."""
    try:
        services.decree90_dossier(staff=staff, year=year)
    except DomainError:
        return None
    return reverse("appraisal:decree90", args=[staff.code, year])
