"""Pages of the reform index: the years, a year's framework (import from XLSX, copy from last
year), the round (deadlines, stage, appraiser assignments), a unit's self-scoring form with its
evidence, the appraiser's form, the council's page of disagreements, the ranking by group with
every score and its source, the records behind a computed criterion, and the comparison with
last year per content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thenchot.accounts.scoping import scope_for
from thenchot.core.errors import DomainError
from thenchot.core.forms import take, without
from thenchot.core.pages import act_and_redirect, first_or_404
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


def _unit(code: str) -> Unit:
    return first_or_404(Unit.objects.filter(code=code))


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
    def act(data: dict[str, Any]) -> str:
        services.framework_import_xlsx(
            scope=scope_for(request), by=request.user, year=year, file=data["file"]
        )
        return _("The framework was imported.")

    back = reverse("reform:framework", args=[year])
    return act_and_redirect(request, back, act, form=ImportForm(request.POST, request.FILES))


@login_required
@require_POST
def framework_copy(request: HttpRequest, year: int) -> HttpResponse:
    def act(_data: dict[str, Any]) -> str:
        services.framework_copy(
            scope=scope_for(request), by=request.user, from_year=year - 1, to_year=year
        )
        return _("The framework of last year was copied.")

    return act_and_redirect(request, reverse("reform:framework", args=[year]), act)


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
        initial = {name: getattr(rnd, name) for name in RoundForm.base_fields}
        initial["secretariat_unit"] = rnd.secretariat_unit.code if rnd.secretariat_unit else ""
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


def _unit_by_code(code: str) -> Unit:
    """The unit a form names by its code; an unknown code is a refusal the page says."""
    unit = Unit.objects.filter(code=code.strip()).first()
    if unit is None:
        raise DomainError(_("unknown unit code '%(value)s'") % {"value": code})
    return unit


@login_required
@require_POST
def round_save(request: HttpRequest, year: int) -> HttpResponse:
    def act(data: dict[str, Any]) -> str:
        code = data["secretariat_unit"]
        services.round_save(
            scope=scope_for(request),
            by=request.user,
            year=year,
            secretariat_unit=_unit_by_code(code) if code else None,
            expected_version=data["version"],
            **without(data, "secretariat_unit", "version"),
        )
        return _("The round was saved.")

    back = reverse("reform:round", args=[year])
    return act_and_redirect(request, back, act, form=RoundForm(request.POST))


def _round_or_404(year: int) -> AssessmentRound:
    rnd = selectors.round_of(year)
    if rnd is None:
        raise Http404
    return rnd


@login_required
@require_POST
def round_advance(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)

    def act(data: dict[str, Any]) -> str:
        services.round_advance(
            scope=scope_for(request), by=request.user, round=rnd, expected_version=data["version"]
        )
        return _("The round moved to its next stage.")

    back = reverse("reform:round", args=[year])
    return act_and_redirect(request, back, act, form=VersionForm(request.POST))


@login_required
@require_POST
def round_propose(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)

    def act(_data: dict[str, Any]) -> str:
        made = services.assignment_propose(scope=scope_for(request), by=request.user, round=rnd)
        return _("%(n)s appraiser assignments proposed and recorded.") % {"n": len(made)}

    return act_and_redirect(request, reverse("reform:round", args=[year]), act)


@login_required
@require_POST
def round_assign(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)

    def act(data: dict[str, Any]) -> str:
        codes = (data["appraiser_unit"].strip(), data["assessed_unit"].strip())
        units = {u.code: u for u in Unit.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in units]
        if missing:
            raise DomainError(_("unknown unit code '%(value)s'") % {"value": missing[0]})
        services.assignment_add(
            scope=scope_for(request),
            by=request.user,
            round=rnd,
            appraiser=units[codes[0]],
            assessed=units[codes[1]],
        )
        return _("The appraiser was assigned.")

    back = reverse("reform:round", args=[year])
    return act_and_redirect(request, back, act, form=AssignForm(request.POST))


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


def _scoring_page(
    request: HttpRequest, rnd: AssessmentRound, target: Unit, template: str, editable: bool
) -> HttpResponse:
    year = rnd.year
    context = {
        "year": year,
        "round": rnd,
        "unit": target,
        "rows": _rows(year, target),
        "editable": editable,
    }
    return render(request, template, context)


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

        def act(data: dict[str, Any]) -> str:
            score = services.score_self(
                scope=scope,
                by=request.user,
                unit=target,
                year=year,
                criterion_code=data["criterion"],
                expected_version=data["version"],
                **take(data, "points", "evidence", "explanation"),
            )
            if data["file"]:
                services.evidence_attach(
                    scope=scope, by=request.user, score=score, file=data["file"]
                )
            return _("The self-score was saved.")

        back = reverse("reform:self", args=[year, target.code])
        return act_and_redirect(request, back, act, form=ScoreForm(request.POST, request.FILES))
    editable = allowed and rnd.status in (RoundStatus.OPEN, RoundStatus.SELF_SCORING)
    return _scoring_page(request, rnd, target, "reform/self.html", editable)


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

        def act(data: dict[str, Any]) -> str:
            services.score_appraise(
                scope=scope,
                by=request.user,
                unit=target,
                year=year,
                criterion_code=data["criterion"],
                expected_version=data["version"],
                **take(data, "points", "comment"),
            )
            return _("The appraisal was saved.")

        back = reverse("reform:appraise", args=[year, target.code])
        return act_and_redirect(request, back, act, form=AppraiseForm(request.POST))
    editable = bool(mine) and rnd.status == RoundStatus.APPRAISING
    return _scoring_page(request, rnd, target, "reform/appraise.html", editable)


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
    def act(data: dict[str, Any]) -> str:
        score = first_or_404(
            Score.objects.filter(pk=data["score"], criterion__framework__year=year)
        )
        services.council_decide(
            scope=scope_for(request),
            by=request.user,
            score=score,
            expected_version=data["version"],
            **take(data, "points", "reason"),
        )
        return _("The council's decision was recorded.")

    back = reverse("reform:council", args=[year])
    return act_and_redirect(request, back, act, form=DecideForm(request.POST))


@login_required
@require_POST
def publish(request: HttpRequest, year: int) -> HttpResponse:
    rnd = _round_or_404(year)

    def act(data: dict[str, Any]) -> str:
        services.publish(
            scope=scope_for(request),
            by=request.user,
            round=rnd,
            as_of=data["as_of"] or _as_of(year),
            expected_version=data["version"],
        )
        return _("The round was published.")

    return act_and_redirect(
        request,
        reverse("reform:council", args=[year]),
        act,
        form=VersionForm(request.POST),
        done=reverse("reform:ranking", args=[year]),
    )


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
