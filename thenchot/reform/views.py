"""Pages of the reform index: the years, a year's framework (import from XLSX, copy from last
year), the round (deadlines, stage, appraiser assignments), a unit's self-scoring form with its
evidence, the appraiser's form, the council's page of disagreements, the ranking by group with
every score and its source, the records behind a computed criterion, and the comparison with
last year per content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import DomainError
from thenchot.core.views import login_required
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.reform import records as records_mod
from thenchot.reform import selectors, services
from thenchot.reform.choices import COMPUTED_SOURCES, Method, RoundStatus, Source
from thenchot.reform.forms import (
    AppraiseForm,
    AssignForm,
    DecideForm,
    ImportForm,
    RoundForm,
    ScoreForm,
    VersionForm,
)
from thenchot.reform.index import compute_index, scored_criteria
from thenchot.reform.models import (
    AppraiserAssignment,
    AssessmentRound,
    Criterion,
    EvidenceFile,
    Framework,
    Score,
)


def _errors(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, str(exc.message))
    for _field, errors in exc.field_errors.items():
        for error in errors:
            if str(error) != str(exc.message):
                messages.error(request, f"{error}")


def _form_errors(request: HttpRequest, form: Any) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else str(error))


def _unit(code: str) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise Http404
    return unit


def _as_of(year: int) -> dt.date:
    return min(timezone.localdate(), dt.date(year, 12, 31))


# -- years and frameworks -------------------------------------------------------------------------
@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    rounds = {r.year: r for r in AssessmentRound.objects.all()}
    years = sorted(
        set(Framework.objects.values_list("year", flat=True)) | set(rounds), reverse=True
    )
    mine = (
        list(
            Unit.objects.filter(pk__in=sorted(scope.read_units))
            .filter(kind__in=services.ASSESSED_KINDS)
            .order_by("code")[:20]
        )
        if not scope.city_wide
        else []
    )
    return render(
        request,
        "reform/index.html",
        {
            "years": [(y, rounds.get(y)) for y in years],
            "council": selectors.is_council(scope),
            "this_year": timezone.localdate().year,
            "mine": mine,
        },
    )


@login_required
@require_GET
def framework(request: HttpRequest, year: int) -> HttpResponse:
    scope = scope_for(request)
    fw = Framework.objects.filter(year=year).first()
    criteria = list(
        Criterion.objects.filter(framework__year=year)
        .select_related("content", "parent")
        .order_by("content__position", "position", "code")
    )
    contents: dict[str, list[Criterion]] = {}
    for c in criteria:
        contents.setdefault(c.content.name, []).append(c)
    return render(
        request,
        "reform/framework.html",
        {
            "year": year,
            "framework": fw,
            "contents": contents,
            "total": sum(
                (c.max_points for c in criteria if c.max_points > 0 and c.parent_id is None),
                Decimal(0),
            ),
            "council": selectors.is_council(scope, year),
            "import_form": ImportForm(),
            "has_last": Framework.objects.filter(year=year - 1).exists(),
        },
    )


@login_required
@require_POST
def framework_import(request: HttpRequest, year: int) -> HttpResponse:
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.framework_import_xlsx(
                scope=scope_for(request), by=request.user, year=year, file=form.cleaned_data["file"]
            )
            messages.success(request, _("The framework was imported."))
        except DomainError as exc:
            _errors(request, exc)
    return redirect(reverse("reform:framework", args=[year]))


@login_required
@require_POST
def framework_copy(request: HttpRequest, year: int) -> HttpResponse:
    try:
        services.framework_copy(
            scope=scope_for(request), by=request.user, from_year=year - 1, to_year=year
        )
        messages.success(request, _("The framework of last year was copied."))
    except DomainError as exc:
        _errors(request, exc)
    return redirect(reverse("reform:framework", args=[year]))


# -- the round ------------------------------------------------------------------------------------
@login_required
@require_GET
def round_page(request: HttpRequest, year: int) -> HttpResponse:
    scope = scope_for(request)
    rnd = selectors.round_of(year)
    council = selectors.is_council(scope, year)
    assignments = (
        list(
            AppraiserAssignment.objects.filter(round=rnd).select_related(
                "appraiser_unit", "assessed_unit"
            )
        )
        if rnd
        else []
    )
    units = Unit.objects.filter(pk__in=services.assessed_units(rnd)).order_by("code") if rnd else []
    progress = []
    if rnd is not None:
        scored = [c for c in scored_criteria(year) if c.is_scored]
        counts: dict[int, tuple[int, int]] = {}
        for s in Score.objects.filter(criterion__in=scored):
            n_self, n_appr = counts.get(s.unit_id, (0, 0))
            counts[s.unit_id] = (
                n_self + (s.self_points is not None),
                n_appr + (s.appraised_points is not None),
            )
        for u in units:
            self_n, appr_n = counts.get(u.pk, (0, 0))
            progress.append(
                {
                    "unit": u,
                    "self": self_n,
                    "appraised": appr_n,
                    "of": len(scored),
                    "can_self": selectors.can_self_score(scope, u.pk),
                    "can_appraise": bool(selectors.appraiser_units_of(scope, rnd, u.pk)),
                    "appraisers": [
                        a.appraiser_unit for a in assignments if a.assessed_unit_id == u.pk
                    ],
                }
            )
    initial: dict[str, Any] = {"appraisers_per_unit": 1}
    if rnd is not None:
        initial = {
            "tree_date": rnd.tree_date,
            "self_scoring_deadline": rnd.self_scoring_deadline,
            "appraisal_deadline": rnd.appraisal_deadline,
            "council_deadline": rnd.council_deadline,
            "publication_deadline": rnd.publication_deadline,
            "secretariat_unit": rnd.secretariat_unit.code
            if rnd.secretariat_unit is not None
            else "",
            "appraisers_per_unit": rnd.appraisers_per_unit,
            "version": rnd.version,
        }
    loads: dict[str, int] = {}
    for a in assignments:
        loads[a.appraiser_unit.code] = loads.get(a.appraiser_unit.code, 0) + 1
    return render(
        request,
        "reform/round.html",
        {
            "year": year,
            "round": rnd,
            "council": council,
            "progress": progress,
            "round_form": RoundForm(initial=initial),
            "assign_form": AssignForm(),
            "stages": RoundStatus.choices,
            "deadline": selectors.stage_deadline(rnd) if rnd else None,
            "loads": sorted(loads.items()),
        },
    )


@login_required
@require_POST
def round_save(request: HttpRequest, year: int) -> HttpResponse:
    form = RoundForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("reform:round", args=[year]))
    data = form.cleaned_data
    secretariat = None
    if data["secretariat_unit"]:
        secretariat = Unit.objects.filter(code=data["secretariat_unit"].strip()).first()
        if secretariat is None:
            messages.error(
                request,
                _("unknown unit code '%(value)s'") % {"value": data["secretariat_unit"]},
            )
            return redirect(reverse("reform:round", args=[year]))
    try:
        services.round_save(
            scope=scope_for(request),
            by=request.user,
            year=year,
            tree_date=data["tree_date"],
            self_scoring_deadline=data["self_scoring_deadline"],
            appraisal_deadline=data["appraisal_deadline"],
            council_deadline=data["council_deadline"],
            publication_deadline=data["publication_deadline"],
            secretariat_unit=secretariat,
            appraisers_per_unit=data["appraisers_per_unit"],
            expected_version=data["version"],
        )
        messages.success(request, _("The round was saved."))
    except DomainError as exc:
        _errors(request, exc)
    return redirect(reverse("reform:round", args=[year]))


def _round_or_404(year: int) -> AssessmentRound:
    rnd = selectors.round_of(year)
    if rnd is None:
        raise Http404
    return rnd


@login_required
@require_POST
def round_advance(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)
    form = VersionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
    else:
        try:
            services.round_advance(
                scope=scope_for(request),
                by=request.user,
                round=rnd,
                expected_version=form.cleaned_data["version"],
            )
            messages.success(request, _("The round moved to its next stage."))
        except DomainError as exc:
            _errors(request, exc)
    return redirect(reverse("reform:round", args=[year]))


@login_required
@require_POST
def round_propose(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)
    try:
        made = services.assignment_propose(scope=scope_for(request), by=request.user, round=rnd)
        messages.success(
            request, _("%(n)s appraiser assignments proposed and recorded.") % {"n": len(made)}
        )
    except DomainError as exc:
        _errors(request, exc)
    return redirect(reverse("reform:round", args=[year]))


@login_required
@require_POST
def round_assign(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)
    form = AssignForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("reform:round", args=[year]))
    codes = (
        form.cleaned_data["appraiser_unit"].strip(),
        form.cleaned_data["assessed_unit"].strip(),
    )
    units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
    missing = [c for c in codes if c not in units]
    if missing:
        messages.error(request, _("unknown unit code '%(value)s'") % {"value": missing[0]})
        return redirect(reverse("reform:round", args=[year]))
    try:
        services.assignment_add(
            scope=scope_for(request),
            by=request.user,
            round=rnd,
            appraiser=units[codes[0]],
            assessed=units[codes[1]],
        )
        messages.success(request, _("The appraiser was assigned."))
    except DomainError as exc:
        _errors(request, exc)
    return redirect(reverse("reform:round", args=[year]))


# -- scoring --------------------------------------------------------------------------------------
def _rows(year: int, unit: Unit) -> list[dict[str, Any]]:
    scores = {
        s.criterion_id: s
        for s in Score.objects.filter(unit=unit, criterion__framework__year=year).prefetch_related(
            "files"
        )
    }
    out = []
    for c in scored_criteria(year):
        s = scores.get(c.pk)
        out.append({"criterion": c, "score": s, "files": list(s.files.all()) if s else []})
    return out


@login_required
@require_http_methods(["GET", "POST"])
def self_score(request: HttpRequest, year: int, unit: str) -> HttpResponse:
    scope = scope_for(request)
    target = _unit(unit)
    rnd = _round_or_404(year)
    allowed = selectors.can_self_score(scope, target.pk)
    if not allowed and not selectors.is_council(scope, year):
        raise PermissionDenied
    if request.method == "POST":
        form = ScoreForm(request.POST, request.FILES)
        if not form.is_valid():
            _form_errors(request, form)
        else:
            data = form.cleaned_data
            try:
                score = services.score_self(
                    scope=scope,
                    by=request.user,
                    unit=target,
                    year=year,
                    criterion_code=data["criterion"],
                    points=data["points"],
                    evidence=data["evidence"],
                    explanation=data["explanation"],
                    expected_version=data["version"],
                )
                if data["file"]:
                    services.evidence_attach(
                        scope=scope, by=request.user, score=score, file=data["file"]
                    )
                messages.success(request, _("The self-score was saved."))
            except DomainError as exc:
                _errors(request, exc)
        return redirect(reverse("reform:self", args=[year, target.code]))
    return render(
        request,
        "reform/self.html",
        {
            "year": year,
            "round": rnd,
            "unit": target,
            "rows": _rows(year, target),
            "editable": allowed and rnd.status in (RoundStatus.OPEN, RoundStatus.SELF_SCORING),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appraise(request: HttpRequest, year: int, unit: str) -> HttpResponse:
    scope = scope_for(request)
    target = _unit(unit)
    rnd = _round_or_404(year)
    mine = selectors.appraiser_units_of(scope, rnd, target.pk)
    if not mine and not selectors.is_council(scope, year):
        raise PermissionDenied
    if request.method == "POST":
        form = AppraiseForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
        else:
            data = form.cleaned_data
            try:
                services.score_appraise(
                    scope=scope,
                    by=request.user,
                    unit=target,
                    year=year,
                    criterion_code=data["criterion"],
                    points=data["points"],
                    comment=data["comment"],
                    expected_version=data["version"],
                )
                messages.success(request, _("The appraisal was saved."))
            except DomainError as exc:
                _errors(request, exc)
        return redirect(reverse("reform:appraise", args=[year, target.code]))
    return render(
        request,
        "reform/appraise.html",
        {
            "year": year,
            "round": rnd,
            "unit": target,
            "rows": _rows(year, target),
            "editable": bool(mine) and rnd.status == RoundStatus.APPRAISING,
        },
    )


@login_required
@require_GET
def council(request: HttpRequest, year: int) -> HttpResponse:
    scope = scope_for(request)
    rnd = _round_or_404(year)
    if not selectors.is_council(scope, year):
        raise PermissionDenied
    return render(
        request,
        "reform/council.html",
        {
            "year": year,
            "round": rnd,
            "scores": list(selectors.disagreements(rnd).prefetch_related("decisions")),
            "can_decide": rnd.status == RoundStatus.COUNCIL,
            "publish_form": VersionForm(initial={"version": rnd.version}),
        },
    )


@login_required
@require_POST
def council_decide(request: HttpRequest, year: int) -> HttpResponse:
    form = DecideForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("reform:council", args=[year]))
    data = form.cleaned_data
    score = Score.objects.filter(pk=data["score"], criterion__framework__year=year).first()
    if score is None:
        raise Http404
    try:
        services.council_decide(
            scope=scope_for(request),
            by=request.user,
            score=score,
            points=data["points"],
            reason=data["reason"],
            expected_version=data["version"],
        )
        messages.success(request, _("The council's decision was recorded."))
    except DomainError as exc:
        _errors(request, exc)
    return redirect(reverse("reform:council", args=[year]))


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)
    form = VersionForm(request.POST)
    if not form.is_valid():
        _form_errors(request, form)
        return redirect(reverse("reform:council", args=[year]))
    try:
        services.publish(
            scope=scope_for(request),
            by=request.user,
            round=rnd,
            as_of=form.cleaned_data["as_of"] or _as_of(year),
            expected_version=form.cleaned_data["version"],
        )
        messages.success(request, _("The round was published."))
    except DomainError as exc:
        _errors(request, exc)
        return redirect(reverse("reform:council", args=[year]))
    return redirect(reverse("reform:ranking", args=[year]))


# -- results --------------------------------------------------------------------------------------
def _index_for(request: HttpRequest, year: int) -> Any:
    scope = scope_for(request)
    rnd = selectors.round_of(year)
    published = rnd is not None and rnd.is_published
    if not published and not selectors.can_read_live(scope, year):
        return None
    return compute_index(year=year, as_of=_as_of(year))


@login_required
@require_GET
def ranking(request: HttpRequest, year: int) -> HttpResponse:
    idx = _index_for(request, year)
    return render(
        request,
        "reform/ranking.html",
        {
            "year": year,
            "index": idx,
            "groups": sorted(idx.groups().items()) if idx else [],
            "computed": [s.value for s in COMPUTED_SOURCES],
            "methods": Method,
        },
    )


@login_required
@require_GET
def compare(request: HttpRequest, year: int) -> HttpResponse:
    idx = _index_for(request, year)
    last = _index_for(request, year - 1)
    rows = []
    if idx is not None:
        contents = list(dict.fromkeys(c.content.name for c in idx.criteria))
        for u in idx.units:
            now = u.by_content()
            before_u = last.unit(u.unit_id) if last else None
            before = before_u.by_content() if before_u else {}
            rows.append(
                {
                    "unit": u,
                    "last_total": before_u.total if before_u else None,
                    "change": (u.total - before_u.total) if before_u else None,
                    "contents": [
                        {
                            "name": name,
                            "now": now.get(name, Decimal(0)),
                            "change": (now.get(name, Decimal(0)) - before[name])
                            if name in before
                            else None,
                        }
                        for name in contents
                    ],
                }
            )
    return render(
        request,
        "reform/compare.html",
        {
            "year": year,
            "index": idx,
            "rows": rows,
            "last_year": year - 1,
            "contents": list(dict.fromkeys(c.content.name for c in idx.criteria)) if idx else [],
        },
    )


@login_required
@require_GET
def records(request: HttpRequest, year: int, source: str, unit: str) -> HttpResponse:
    scope = scope_for(request)
    target = _unit(unit)
    if source not in [s.value for s in COMPUTED_SOURCES]:
        raise Http404
    rnd = selectors.round_of(year)
    published = rnd is not None and rnd.is_published
    if not (published or selectors.can_read_live(scope, year) or scope.can_read_unit(target.pk)):
        raise PermissionDenied
    as_of = rnd.published_as_of if published and rnd and rnd.published_as_of else _as_of(year)
    listing = records_mod.records(source=source, unit_id=target.pk, year=year, as_of=as_of)
    return render(
        request,
        "reform/records.html",
        {
            "year": year,
            "unit": target,
            "source": Source(source),
            "listing": listing,
            "as_of": as_of,
        },
    )


__all__ = ["EvidenceFile", "tree"]
