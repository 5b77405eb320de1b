"""The close screen of a head or personnel officer: summary per agency and group, quota use, the
quota conflicts naming the people with the head's choice or "by score", the close, the results
with their reasons, and the reopening by a recorded decision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.db.models import Count, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.appraisal import closing, reopening, rules, selectors, services, views_exports
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.forms import CloseForm, ReopenForm
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.views.common import _render, _status_of, _unit_and_period
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.forms import apply_domain_error
from thenchot.core.paging import CountedPaginator
from thenchot.core.panels import render_panels
from thenchot.core.registry import period_panels
from thenchot.core.views import login_required
from thenchot.org.models import Unit
from thenchot.org.tree import tree

PREVIEW_LIMIT = 20_000
SUMMARY_ROWS = 50  # agencies on one page of the summary
RESULT_ROWS = 100  # results on one page
NOT_READY_SHOWN = 50  # people not ready named by the preview; the board has them all
# A confirmation holds for this long; after it the screen asks again with what is true then.
CONFIRM_SECONDS = 30 * 60
CLOSE_SALT = "appraisal.close.confirm"
REOPEN_SALT = "appraisal.reopen.confirm"


def _preview_limit() -> int:
    """`views.PREVIEW_LIMIT` looked up when called, not bound at import: the limit was a name of
    the single `views` module, and replacing it there must still reach the close screen."""
    from thenchot.appraisal import views

    return views.PREVIEW_LIMIT


# -- the close screen ------------------------------------------------------------------------------
def _close_target(request: HttpRequest, scope: Scope, line: services.Line) -> tuple[int, str]:
    unit_id, period, code = _unit_and_period(
        request,
        may_see=lambda u: vs.may_see_close(scope, line, u),
        units=lambda: vs.close_units(scope, line),
        default_period=vs.previous_month(vs.period_code(vs.today())),
    )
    snap = tree()
    if code and snap.units[unit_id].kind == "division":
        unit_id = snap.agency_of(unit_id, scope.on)
    return unit_id, period


def _close_page(
    request: HttpRequest,
    scope: Scope,
    line: services.Line,
    unit_id: int,
    period: str,
    *,
    conflicts: list[closing.Conflict] | None = None,
    errors: list[str] | None = None,
    reopen_form: ReopenForm | None = None,
    preview: vs.ClosePreview | None = None,
    status: int = 200,
) -> HttpResponse:
    snap = tree()
    summary = vs.agency_summary(unit_id, period)
    periods = [line_.period for line_ in summary if line_.period is not None]
    open_periods = [p for p in periods if p.status == PeriodStatus.OPEN]
    closed_periods = [p for p in periods if p.status == PeriodStatus.CLOSED]
    # The preview classifies every evaluation (a dry-run close): automatic for an agency, on
    # request for a whole city's worth of people.
    people = sum(line_.total for line_ in summary)
    wanted = people <= _preview_limit() or request.GET.get("preview") == "1"
    if open_periods and conflicts is None and preview is None and wanted:
        preview = vs.close_preview(unit=Unit(pk=unit_id), period=period, by=request.user)
        conflicts = preview.conflicts
    # A city's screen lists 300 agencies and 200,000 results: both come a page at a time
    # (issue 16), the summary with the whole unit's line above it, the quota lines those of
    # the agencies shown (all of them in the XLSX export).
    agencies = Paginator(summary, SUMMARY_ROWS).get_page(request.GET.get("agencies"))
    shown = list(agencies)
    shown_codes = {line_.code for line_ in shown}
    # By id: `period in closed_periods` compared model instances, 300 × 300 for a city.
    closed_ids = {p.pk for p in closed_periods}
    closed_people = sum(
        line_.total
        for line_ in summary
        if line_.period is not None and line_.period.pk in closed_ids
    )
    results = CountedPaginator(
        vs.closed_results(closed_periods) if closed_periods else [],
        RESULT_ROWS,
        count=closed_people,
    ).get_page(request.GET.get("page"))
    shown_ids = {line_.agency_id for line_ in shown}
    quota_use = vs.quota_lines(p for p in closed_periods if p.agency_id in shown_ids)
    if preview is not None and preview.result is not None and agencies.paginator.num_pages > 1:
        preview_quota = [u for u in preview.result.quota_use if u.get("agency") in shown_codes]
    else:
        preview_quota = preview.result.quota_use if preview and preview.result else []
    may_reopen = bool(closed_periods) and (scope.city_wide or "personnel" in scope.roles)
    context = {
        "line": line,
        "unit": snap.units[unit_id],
        "units": [snap.units[u] for u in vs.close_units(scope, line)],
        "period": period,
        "year_due": vs.year_due(summary, period),
        "periods": vs.period_choices(scope, unit_id),
        "summary": shown,
        "summary_page": agencies,
        "summary_links": vs.page_links(
            request, "agencies", agencies, path=reverse("appraisal:close")
        ),
        "summary_total": vs.summary_total(summary) if len(summary) > 1 else None,
        "preview_quota": preview_quota,
        "has_quota_use": any(p.quota_use for p in closed_periods)
        or bool(preview and preview.result and preview.result.quota_use),
        "not_ready_shown": NOT_READY_SHOWN,
        "open_periods": open_periods,
        "closed_periods": closed_periods,
        "preview": preview,
        "conflicts": conflicts or [],
        "demoted": vs.demoted_in(summary) if open_periods else [],
        # A reader outside someone's line of review (a division manager looking at the whole
        # agency) sees that person's published level only, as any colleague does.
        "results": [
            (ev, vs.reasons_of(ev) if full else [], vs.grade_of(ev.rule_pack, ev.final_level), full)
            for ev in results
            for full in (selectors.is_full_reader(scope, ev),)
        ],
        "results_page": results,
        "results_links": vs.page_links(request, "page", results, path=reverse("appraisal:close")),
        "quota_use": quota_use,
        "errors": errors or [],
        "close_form": CloseForm(),
        "reopen_form": reopen_form or ReopenForm(initial={"decided_on": vs.today()}),
        "reopenings": vs.reopenings_of(periods),
        # What other apps say of the closed periods (their results' integrity, say).
        "period_panels": render_panels(period_panels, request, scope, closed_periods)
        if closed_periods
        else [],
        "may_close": bool(open_periods)
        and (scope.city_wide or all(p.agency_id in line.approves for p in open_periods)),
        "may_reopen": may_reopen,
        "preview_skipped": bool(open_periods) and preview is None and not conflicts,
        # A quarter or a year rolled up from months, not yet closed anywhere in the unit
        # (rules.md "Settled points" 3): its rows are made by the close itself.
        "rollup_ready": rules.Period.parse(period).kind is not rules.PeriodKind.MONTH
        and not periods
        and (scope.city_wide or unit_id in line.approves),
    }
    return _render(request, "appraisal/close.html", context, status)


@login_required
@require_GET
def close_screen(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    line = services.line_for(request.user)
    unit_id, period = _close_target(request, scope, line)
    if request.GET.get("format") == "xlsx":
        return _quota_export(request, unit_id, period)
    return _close_page(request, scope, line, unit_id, period)


def _quota_export(request: HttpRequest, unit_id: int, period: str) -> HttpResponse:
    """The close screen's use of the quota as XLSX: the closed periods' as written by the close,
    the open ones' as previewed, under the same rule as the page (automatic for an agency, on
    request for a city's worth of people)."""
    summary = vs.agency_summary(unit_id, period)
    periods = [line_.period for line_ in summary if line_.period is not None]
    closed = [p for p in periods if p.status == PeriodStatus.CLOSED]
    previewed: list[dict[str, Any]] = []
    people = sum(line_.total for line_ in summary)
    wanted = people <= _preview_limit() or request.GET.get("preview") == "1"
    if wanted and any(p.status == PeriodStatus.OPEN for p in periods):
        preview = vs.close_preview(unit=Unit(pk=unit_id), period=period, by=request.user)
        if preview.result is not None:
            previewed = preview.result.quota_use
    return views_exports.quota_xlsx(
        unit_code=tree().units[unit_id].code,
        period=period,
        closed=vs.quota_lines(closed),
        previewed=previewed,
        agency_names={line_.code: line_.name for line_ in summary},
    )


@login_required
@require_POST
def close_act(request: HttpRequest) -> HttpResponse:
    """close (optionally resolving by score), choose / unchoose who moves down, reopen."""
    scope = scope_for(request)
    line = services.line_for(request.user)
    unit_id, period = _close_target(request, scope, line)
    action = request.POST.get("action") or ""
    unit = Unit.objects.get(pk=unit_id)
    try:
        if action == "close":
            form = CloseForm(request.POST)
            form.is_valid()
            by_score = bool(form.cleaned_data.get("resolve_by_score"))
            token = request.POST.get("confirm") or ""
            if not _close_confirmed(token, request, unit_id, period, by_score):
                return _close_confirmation(
                    request, line, unit, period, by_score=by_score, stale=bool(token)
                )
            result = closing.close_period(
                unit=unit,
                period=period,
                by=request.user,
                resolve_quota="by-score" if by_score else None,
            )
            messages.success(
                request,
                _(
                    "%(period)s closed: %(count)s evaluations in %(periods)s agencies; "
                    "%(moved)s moved down by the quota."
                )
                % {
                    "period": period,
                    "count": result.evaluations,
                    "periods": result.periods_closed,
                    "moved": result.moved_by_quota,
                },
            )
        elif action in ("choose", "unchoose"):
            ids = sorted({int(x) for x in request.POST.getlist("selected") if x.isdigit()})
            if not ids:
                raise DomainError(_("Choose at least one person."))
            if selectors.evaluation_queryset(scope).filter(pk__in=ids).count() != len(ids):
                raise Http404
            rows = services.quota_choose(
                evaluations=ids, by=request.user, demoted=action == "choose"
            )
            names = ", ".join(r.staff.full_name for r in rows)
            if action == "choose":
                messages.success(
                    request,
                    _("Will move down one level at the close: %(names)s.") % {"names": names},
                )
            else:
                messages.success(request, _("Choice withdrawn: %(names)s.") % {"names": names})
        elif action == "reopen":
            reopen_form = ReopenForm(request.POST)
            if not reopen_form.is_valid():
                return _close_page(
                    request, scope, line, unit_id, period, reopen_form=reopen_form, status=400
                )
            try:
                target = EvaluationPeriod.objects.get(
                    pk=int(request.POST.get("period_id") or 0), code=period
                )
            except (EvaluationPeriod.DoesNotExist, ValueError):
                raise Http404 from None
            if target.agency_id not in tree().subtree_on(unit_id, scope.on):
                raise Http404
            data = reopen_form.cleaned_data
            token = request.POST.get("confirm") or ""
            confirmed = _reopen_confirmed(token, request, target, data)
            try:
                reopening.reopen_period(
                    period=target,
                    decision=data["number"],
                    decided_on=data["decided_on"],
                    reason=data["reason"],
                    by=request.user,
                    dry_run=not confirmed,
                )
            except OutOfScope:
                raise
            except DomainError as exc:
                apply_domain_error(reopen_form, exc)
                return _close_page(
                    request,
                    scope,
                    line,
                    unit_id,
                    period,
                    reopen_form=reopen_form,
                    status=_status_of(exc),
                )
            if not confirmed:
                return _reopen_confirmation(
                    request, line, unit_id, period, target, data, stale=bool(token)
                )
            messages.success(
                request,
                _("%(agency)s %(period)s reopened by decision %(decision)s.")
                % {"agency": target.agency.name, "period": period, "decision": data["number"]},
            )
        else:
            raise DomainError(_("Unknown action."))
    except closing.QuotaConflicts as exc:
        # The conflicts block says the close is refused and why: the same words again above it
        # made the refusal appear twice.
        return _close_page(
            request, scope, line, unit_id, period, conflicts=list(exc.conflicts), status=exc.status
        )
    except closing.NotReady as exc:
        # Who is not ready, one a line, once: in the preview's block, not in a second alert.
        not_ready = [str(m) for m in exc.field_errors.get("evaluations", [])]
        return _close_page(
            request,
            scope,
            line,
            unit_id,
            period,
            preview=vs.ClosePreview(not_ready=not_ready, error=str(exc.message)),
            status=exc.status,
        )
    except DomainError as exc:
        message = str(exc.message)
        errors = [message]
        errors += [
            str(m)
            for key, msgs in exc.field_errors.items()
            for m in msgs
            if key != "quota" and str(m) not in message
        ]
        return _close_page(
            request, scope, line, unit_id, period, errors=errors, status=_status_of(exc)
        )
    return redirect(vs.unit_page_url("appraisal:close", unit_id, period))


# -- confirmations ---------------------------------------------------------------------------------
# Closing locks a period and moves people down by the quota; reopening clears every result of
# the period. Neither is done on one click: the first POST shows what will happen and carries a
# signed token; only a POST with that token, for the same request and state, does it.
def _open_periods(unit_id: int, period: str) -> Any:
    """The open periods a close of `unit` would lock (those of every agency of its subtree)."""
    parsed = rules.Period.parse(period)
    subtree = sorted(tree().subtree_on(unit_id, parsed.end))
    return EvaluationPeriod.objects.filter(
        code=str(parsed), agency_id__in=subtree, status=PeriodStatus.OPEN
    )


def _close_fingerprint(unit_id: int, period: str) -> str:
    """The state a confirmation was shown for: the open periods and their evaluations' versions
    (every write of an evaluation moves its version, the head's quota choice included)."""
    periods = list(_open_periods(unit_id, period).order_by("pk").values_list("pk", "version"))
    totals = Evaluation.objects.filter(period_id__in=[pk for pk, _v in periods]).aggregate(
        n=Count("pk"), v=Sum("version")
    )
    state = repr((periods, totals["n"], totals["v"])).encode()
    return hashlib.sha256(state).hexdigest()[:24]


def _close_payload(
    request: HttpRequest, unit_id: int, period: str, by_score: bool
) -> dict[str, Any]:
    return {
        "unit": unit_id,
        "period": period,
        "by_score": by_score,
        "user": request.user.pk,
        "state": _close_fingerprint(unit_id, period),
    }


def _signed_matches(token: str, salt: str, expected: Callable[[], dict[str, Any]]) -> bool:
    """True when `token` is a confirmation signed with `salt`, not expired, for what
    `expected()` says is true now."""
    if not token:
        return False
    try:
        signed = signing.loads(token, salt=salt, max_age=CONFIRM_SECONDS)
    except signing.BadSignature:
        return False
    return bool(signed == expected())


def _close_confirmed(
    token: str, request: HttpRequest, unit_id: int, period: str, by_score: bool
) -> bool:
    return _signed_matches(
        token, CLOSE_SALT, lambda: _close_payload(request, unit_id, period, by_score)
    )


def _close_confirmation(
    request: HttpRequest,
    line: services.Line,
    unit: Unit,
    period: str,
    *,
    by_score: bool,
    stale: bool,
) -> HttpResponse:
    """What the close will do, computed by the dry run (refusals included: a quota conflict or
    an evaluation not approved is refused here, before anything is asked)."""
    result = closing.close_period(
        unit=unit,
        period=period,
        by=request.user,
        resolve_quota="by-score" if by_score else None,
        dry_run=True,
    )
    if not result.evaluations and result.already_closed:
        messages.info(request, _("%(period)s is already closed.") % {"period": period})
        return redirect(vs.unit_page_url("appraisal:close", unit.pk, period))
    moved = list(
        Evaluation.objects.select_related("staff", "unit", "period__agency")
        .filter(pk__in=result.moved_ids)
        .order_by("period__agency__code", "unit__code", "staff__name_key")
    )
    agencies = list(
        _open_periods(unit.pk, period)
        .order_by("agency__code")
        .values_list("agency__name", flat=True)[:50]
    )
    context = {
        "line": line,
        "unit": unit,
        "period": period,
        "by_score": by_score,
        "stale": stale,
        "result": result,
        "agencies": agencies,
        "agency_count": _open_periods(unit.pk, period).count(),
        "moved": [(ev, result.levels.get(ev.pk, "")) for ev in moved],
        "token": signing.dumps(_close_payload(request, unit.pk, period, by_score), salt=CLOSE_SALT),
    }
    return _render(request, "appraisal/close_confirm.html", context, 409 if stale else 200)


def _reopen_payload(
    request: HttpRequest, target: EvaluationPeriod, data: dict[str, Any]
) -> dict[str, Any]:
    return {
        "period": target.pk,
        "version": target.version,
        "user": request.user.pk,
        "number": data["number"],
        "decided_on": data["decided_on"].isoformat(),
        "reason": data["reason"],
    }


def _reopen_confirmed(
    token: str, request: HttpRequest, target: EvaluationPeriod, data: dict[str, Any]
) -> bool:
    return _signed_matches(token, REOPEN_SALT, lambda: _reopen_payload(request, target, data))


def _reopen_confirmation(
    request: HttpRequest,
    line: services.Line,
    unit_id: int,
    period: str,
    target: EvaluationPeriod,
    data: dict[str, Any],
    *,
    stale: bool,
) -> HttpResponse:
    context = {
        "line": line,
        "unit": tree().units[unit_id],
        "period": period,
        "target": target,
        "data": data,
        "stale": stale,
        "count": Evaluation.objects.filter(period=target, status=EvaluationStatus.CLOSED).count(),
        "token": signing.dumps(_reopen_payload(request, target, data), salt=REOPEN_SALT),
    }
    return _render(request, "appraisal/reopen_confirm.html", context, 409 if stale else 200)
