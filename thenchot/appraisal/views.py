"""Pages of monthly evaluation and classification (issue 5, points 3, 4 and 6).

- the self-assessment of the person's current month, built for a phone (one column, big
  targets), with the task points pre-filled and their calculation shown;
- the manager's board: the division for a period on one screen, inline adjustments, return for
  revision, bulk review and approval with per-person overrides, those who have not submitted
  (handled on their behalf after the deadline, and flagged), the distribution of levels and
  last month's;
- the close screen of a head or personnel officer: summary per agency and group, quota use, the
  quota conflicts naming the people with the head's choice or "by score", the close, the results
  with their reasons, and the reopening by a recorded decision;
- the City leadership's collective decision rating heads of departments;
- "my results": month by month with reasons, quarter and year roll-ups, the agency's published
  results.

Reads go through `selectors`/`views_support` (an evaluation out of reach is a 404, like a
missing one); writes go through `services`/`closing`, which re-check who may act and refuse bad
input with field errors; a refusal changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.appraisal import closing, reopening, selectors, services, views_exports
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import SELF_EDITABLE, EvaluationStatus, PeriodStatus
from thenchot.appraisal.forms import (
    CloseForm,
    CollectiveDecisionForm,
    ReopenForm,
    ReviewRowForm,
    SelfAssessmentForm,
)
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.forms import apply_domain_error
from thenchot.core.views import login_required
from thenchot.org.models import Unit
from thenchot.org.tree import tree

PREVIEW_LIMIT = 20_000
LABELS = {
    "levels": vs.LEVEL_LABELS,
    "statuses": vs.STATUS_LABELS,
    "level_classes": vs.LEVEL_CLASSES,
    "status_classes": vs.STATUS_CLASSES,
}


def _status_of(exc: DomainError) -> int:
    return int(getattr(exc, "status", 400) or 400)


def _blank(value: Any) -> Any:
    return None if value in (None, "") else value


def _nav(request: HttpRequest, scope: Scope, line: services.Line) -> dict[str, bool]:
    return {
        "nav_board": bool(line.reviews) or bool(scope.read_units) or scope.city_wide,
        "nav_close": bool(line.approves) or bool(scope.read_units) or scope.city_wide,
        "nav_collective": scope.city_wide,
    }


def _render(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    scope = scope_for(request)
    line = context.get("line") or services.line_for(request.user)
    return render(
        request,
        template,
        {**LABELS, **_nav(request, scope, line), **context},
        status=status,
    )


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
                    % {"period": evaluation.period_code},
                )
                return redirect(reverse("appraisal:me_period", args=[evaluation.period_code]))
        else:
            status = 400
    total = vs.total_points(evaluation)
    context = {
        "evaluation": evaluation,
        "form": form,
        "criteria": criteria,
        "calculation": calculation,
        "closed": closed,
        "editable": editable,
        "pack_title": vs.pack_title(evaluation.rule_pack),
        "total": total,
        "suggested_level": vs.level_for_points(evaluation, total),
        "reasons": vs.reasons_of(evaluation),
        "grade": vs.grade_of(evaluation.rule_pack, evaluation.final_level),
    }
    return _render(request, "appraisal/self_assessment.html", context, status)


# -- one evaluation --------------------------------------------------------------------------------
@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_for(request)
    evaluation = vs.readable_evaluation(scope, pk)
    if evaluation is None:
        raise Http404
    return _render(
        request,
        "appraisal/evaluation.html",
        {
            "evaluation": evaluation,
            "criteria": vs.criteria_of(evaluation),
            "calculation": vs.task_calculation(evaluation),
            "reasons": vs.reasons_of(evaluation),
            "grade": vs.grade_of(evaluation.rule_pack, evaluation.final_level),
            "pack_title": vs.pack_title(evaluation.rule_pack),
        },
    )


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
    published = (
        list(
            selectors.published(scope, period=published_code).order_by(
                "unit__code", "staff__full_name"
            )
        )
        if published_code
        else []
    )
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
            "published_code": published_code,
            "published": published,
            "published_counts": vs.level_counts(published),
        },
    )


# -- the manager's board ---------------------------------------------------------------------------
def _board_target(request: HttpRequest, scope: Scope, line: services.Line) -> tuple[int, str]:
    snap = tree()
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("unit") or "").strip()
    if code:
        unit_id = snap.by_code.get(code)
        if unit_id is None or not vs.may_see_board(scope, line, unit_id):
            raise Http404
    else:
        units = vs.board_units(scope, line)
        if not units:
            raise PermissionDenied
        unit_id = units[0]
    period = vs.valid_period(source.get("period")) or vs.period_code(vs.today())
    return unit_id, period


def _board_url(unit_id: int, period: str) -> str:
    return (
        reverse("appraisal:board")
        + "?"
        + urlencode({"unit": tree().units[unit_id].code, "period": period})
    )


def _board_page(
    request: HttpRequest,
    scope: Scope,
    line: services.Line,
    unit_id: int,
    period: str,
    *,
    row_errors: dict[int, list[str]] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    view = vs.board_view(scope, line, unit_id=unit_id, period=period)
    snap = tree()
    posted = request.POST if request.method == "POST" else None
    forms = {
        row.evaluation.pk: ReviewRowForm(posted, prefix=str(row.evaluation.pk)) for row in view.rows
    }
    rows = [
        (row, forms[row.evaluation.pk], (row_errors or {}).get(row.evaluation.pk, []))
        for row in view.rows
    ]
    units = vs.board_units(scope, line)
    context = {
        "line": line,
        "view": view,
        "rows": rows,
        "unit": snap.units[unit_id],
        "units": [snap.units[u] for u in units],
        "period": period,
        "periods": vs.period_choices(scope, unit_id),
        "errors": errors or [],
        "selected": {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
        if posted
        else set(),
    }
    template = "appraisal/board.html"
    if request.htmx and request.htmx.target == "board":
        template = "appraisal/_board.html"
    return _render(request, template, context, status)


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    line = services.line_for(request.user)
    unit_id, period = _board_target(request, scope, line)
    if request.GET.get("format") == "xlsx":
        view = vs.board_view(scope, line, unit_id=unit_id, period=period)
        return views_exports.board_xlsx(view, unit_code=tree().units[unit_id].code)
    return _board_page(request, scope, line, unit_id, period)


def _row_change(form: ReviewRowForm, *, return_for_revision: bool = False) -> services.ReviewChange:
    data = form.cleaned_data
    return services.ReviewChange(
        general_points=_blank(data.get("general_points")),
        task_points=_blank(data.get("task_points")),
        bonus_points=_blank(data.get("bonus_points")),
        level=data.get("level") or "",
        comment=data.get("comment") or "",
        return_for_revision=return_for_revision,
    )


@login_required
@require_POST
def board_act(request: HttpRequest) -> HttpResponse:
    """Every write of the board: `action` is review / approve (the selected rows, with each
    row's inputs as its override) or review:<id> / return:<id> / approve:<id> / handle:<id>."""
    scope = scope_for(request)
    line = services.line_for(request.user)
    unit_id, period = _board_target(request, scope, line)
    action, _sep, target = (request.POST.get("action") or "").partition(":")
    readable = selectors.evaluation_queryset(scope)
    comment = (request.POST.get("comment") or "").strip()
    row_errors: dict[int, list[str]] = {}
    try:
        if action in ("review", "approve") and not target:
            ids = sorted({int(x) for x in request.POST.getlist("selected") if x.isdigit()})
            if not ids:
                raise DomainError(_("Select at least one person."))
            if readable.filter(pk__in=ids).count() != len(ids):
                raise Http404
            if action == "review":
                overrides = {}
                for pk in ids:
                    form = ReviewRowForm(request.POST, prefix=str(pk))
                    if not form.is_valid():
                        row_errors[pk] = [" ".join(v) for v in form.errors.values()]
                        continue
                    if form.has_override():
                        change = _row_change(form)
                        if not change.comment:
                            change = services.ReviewChange(
                                change.general_points,
                                change.task_points,
                                change.bonus_points,
                                change.level,
                                comment,
                            )
                        overrides[pk] = change
                if row_errors:
                    raise DomainError(_("Some lines have errors: nothing was changed."))
                outcome = services.bulk_review(
                    evaluations=ids, by=request.user, comment=comment, overrides=overrides
                )
                messages.success(
                    request, _("%(count)s evaluations reviewed.") % {"count": len(outcome.changed)}
                )
            else:
                outcome = services.bulk_approve(evaluations=ids, by=request.user, comment=comment)
                messages.success(
                    request, _("%(count)s evaluations approved.") % {"count": len(outcome.changed)}
                )
        elif action in ("review", "return", "approve", "handle") and target.isdigit():
            pk = int(target)
            evaluation = readable.filter(pk=pk).first()
            if evaluation is None:
                raise Http404
            form = ReviewRowForm(request.POST, prefix=str(pk))
            if not form.is_valid():
                row_errors[pk] = [" ".join(v) for v in form.errors.values()]
                raise DomainError(_("Correct the errors on this line: nothing was changed."))
            change = _row_change(form)
            if action == "review":
                services.review(
                    evaluation=evaluation,
                    by=request.user,
                    general_points=change.general_points,
                    task_points=change.task_points,
                    bonus_points=change.bonus_points,
                    level=change.level,
                    comment=change.comment,
                )
                message = _("%(name)s: reviewed.")
            elif action == "return":
                services.review(
                    evaluation=evaluation,
                    by=request.user,
                    comment=change.comment,
                    return_for_revision=True,
                )
                message = _("%(name)s: returned for revision.")
            elif action == "approve":
                services.approve(evaluation=evaluation, by=request.user, comment=change.comment)
                message = _("%(name)s: approved.")
            else:
                services.manager_handle_missing(
                    evaluation=evaluation,
                    by=request.user,
                    general_points=change.general_points,
                    task_points=change.task_points,
                    bonus_points=change.bonus_points,
                    level=change.level,
                    comment=change.comment,
                )
                message = _("%(name)s: assessed on their behalf (recorded as such).")
            messages.success(request, message % {"name": evaluation.staff.full_name})
        else:
            raise DomainError(_("Unknown action."))
    except DomainError as exc:
        for key, msgs in exc.field_errors.items():
            if key.isdigit():
                row_errors.setdefault(int(key), []).extend(str(m) for m in msgs)
            elif target.isdigit():
                row_errors.setdefault(int(target), []).extend(str(m) for m in msgs)
        return _board_page(
            request,
            scope,
            line,
            unit_id,
            period,
            row_errors=row_errors,
            errors=[str(exc.message)],
            status=_status_of(exc),
        )
    return redirect(_board_url(unit_id, period))


# -- the close screen ------------------------------------------------------------------------------
def _close_target(request: HttpRequest, scope: Scope, line: services.Line) -> tuple[int, str]:
    snap = tree()
    source = request.POST if request.method == "POST" else request.GET
    code = (source.get("unit") or "").strip()
    if code:
        unit_id = snap.by_code.get(code)
        if unit_id is None or not vs.may_see_close(scope, line, unit_id):
            raise Http404
        if snap.units[unit_id].kind == "division":
            unit_id = snap.agency_of(unit_id, scope.on)
    else:
        units = vs.close_units(scope, line)
        if not units:
            raise PermissionDenied
        unit_id = units[0]
    default = vs.previous_month(vs.period_code(vs.today()))
    period = vs.valid_period(source.get("period")) or default
    return unit_id, period


def _close_url(unit_id: int, period: str) -> str:
    return (
        reverse("appraisal:close")
        + "?"
        + urlencode({"unit": tree().units[unit_id].code, "period": period})
    )


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
    status: int = 200,
) -> HttpResponse:
    snap = tree()
    summary = vs.agency_summary(unit_id, period)
    periods = [line_.period for line_ in summary if line_.period is not None]
    open_periods = [p for p in periods if p.status == PeriodStatus.OPEN]
    closed_periods = [p for p in periods if p.status == PeriodStatus.CLOSED]
    preview = None
    # The preview classifies every evaluation (a dry-run close): automatic for an agency, on
    # request for a whole city's worth of people.
    people = sum(line_.total for line_ in summary)
    wanted = people <= PREVIEW_LIMIT or request.GET.get("preview") == "1"
    if open_periods and conflicts is None and wanted:
        preview = vs.close_preview(unit=Unit(pk=unit_id), period=period, by=request.user)
        conflicts = preview.conflicts
    results = vs.closed_results(unit_id, period) if closed_periods else []
    quota_use = vs.quota_lines(closed_periods)
    may_reopen = bool(closed_periods) and (scope.city_wide or "personnel" in scope.roles)
    context = {
        "line": line,
        "unit": snap.units[unit_id],
        "units": [snap.units[u] for u in vs.close_units(scope, line)],
        "period": period,
        "periods": vs.period_choices(scope, unit_id),
        "summary": summary,
        "open_periods": open_periods,
        "closed_periods": closed_periods,
        "preview": preview,
        "conflicts": conflicts or [],
        "demoted": vs.demoted_in(unit_id, period) if open_periods else [],
        "results": [
            (ev, vs.reasons_of(ev), vs.grade_of(ev.rule_pack, ev.final_level)) for ev in results
        ],
        "quota_use": quota_use,
        "errors": errors or [],
        "close_form": CloseForm(),
        "reopen_form": reopen_form or ReopenForm(initial={"decided_on": vs.today()}),
        "reopenings": vs.reopenings_of(periods),
        "may_close": bool(open_periods)
        and (scope.city_wide or all(p.agency_id in line.approves for p in open_periods)),
        "may_reopen": may_reopen,
        "preview_skipped": bool(open_periods) and preview is None and not conflicts,
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
    wanted = people <= PREVIEW_LIMIT or request.GET.get("preview") == "1"
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
            form = ReopenForm(request.POST)
            if not form.is_valid():
                return _close_page(
                    request, scope, line, unit_id, period, reopen_form=form, status=400
                )
            try:
                target = EvaluationPeriod.objects.get(
                    pk=int(request.POST.get("period_id") or 0), code=period
                )
            except (EvaluationPeriod.DoesNotExist, ValueError):
                raise Http404 from None
            if target.agency_id not in tree().subtree_on(unit_id, scope.on):
                raise Http404
            data = form.cleaned_data
            try:
                reopening.reopen_period(
                    period=target,
                    decision=data["number"],
                    decided_on=data["decided_on"],
                    reason=data["reason"],
                    by=request.user,
                )
            except OutOfScope:
                raise
            except DomainError as exc:
                apply_domain_error(form, exc)
                return _close_page(
                    request,
                    scope,
                    line,
                    unit_id,
                    period,
                    reopen_form=form,
                    status=_status_of(exc),
                )
            messages.success(
                request,
                _("%(agency)s %(period)s reopened by decision %(decision)s.")
                % {"agency": target.agency.name, "period": period, "decision": data["number"]},
            )
        else:
            raise DomainError(_("Unknown action."))
    except closing.QuotaConflicts as exc:
        return _close_page(
            request,
            scope,
            line,
            unit_id,
            period,
            conflicts=list(exc.conflicts),
            errors=[str(exc.message)],
            status=exc.status,
        )
    except DomainError as exc:
        errors = [str(exc.message)]
        errors += [str(m) for key, msgs in exc.field_errors.items() for m in msgs if key != "quota"]
        return _close_page(
            request, scope, line, unit_id, period, errors=errors, status=_status_of(exc)
        )
    return redirect(_close_url(unit_id, period))


# -- the City leadership's collective decision -------------------------------------------------------
@login_required
def collective(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request)
    if not scope.city_wide:
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    period = vs.valid_period(source.get("period")) or vs.previous_month(vs.period_code(vs.today()))
    rows = vs.collective_rows(period)
    posted = request.POST if request.method == "POST" else None
    form = CollectiveDecisionForm(posted)
    row_forms = {ev.pk: ReviewRowForm(posted, prefix=str(ev.pk)) for ev in rows}
    row_errors: dict[int, list[str]] = {}
    status = 200
    if request.method == "POST":
        ids = {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
        valid = form.is_valid()
        ratings: dict[int, services.ReviewChange] = {}
        for ev in rows:
            if ev.pk not in ids:
                continue
            row_form = row_forms[ev.pk]
            if not row_form.is_valid():
                row_errors[ev.pk] = [" ".join(v) for v in row_form.errors.values()]
                valid = False
                continue
            ratings[ev.pk] = _row_change(row_form)
        if ids - {ev.pk for ev in rows}:
            raise Http404
        if valid:
            data = form.cleaned_data
            try:
                decision = services.collective_decision_record(
                    number=data["number"],
                    decided_on=data["decided_on"],
                    chaired_by=data["chaired_by"],
                    summary=data.get("summary", ""),
                    by=request.user,
                    ratings=ratings,
                )
            except DomainError as exc:
                apply_domain_error(form, exc)
                for key, msgs in exc.field_errors.items():
                    if key.isdigit():
                        row_errors.setdefault(int(key), []).extend(str(m) for m in msgs)
                status = _status_of(exc)
            else:
                messages.success(
                    request,
                    _("Decision %(number)s recorded: %(count)s heads rated.")
                    % {"number": decision.number, "count": len(ratings)},
                )
                return redirect(
                    reverse("appraisal:collective") + "?" + urlencode({"period": period})
                )
        else:
            status = 400
    return _render(
        request,
        "appraisal/collective.html",
        {
            "period": period,
            "rows": [(ev, row_forms[ev.pk], row_errors.get(ev.pk, [])) for ev in rows],
            "form": form,
            "decisions": vs.recent_decisions(),
            "selected": {int(x) for x in request.POST.getlist("selected") if x.isdigit()}
            if posted
            else set(),
        },
        status,
    )
