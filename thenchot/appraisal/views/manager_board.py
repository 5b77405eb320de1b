"""The manager's board: the division for a period on one screen, inline adjustments, return
for revision, bulk review and approval with per-person overrides, those who have not submitted
(handled on their behalf after the deadline, and flagged), the distribution of levels and last
month's.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from thenchot.accounts.scoping import Scope, scope_for
from thenchot.appraisal import selectors, services, views_exports
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.forms import ReviewRowForm
from thenchot.appraisal.views.common import _render, _row_change, _status_of, _unit_and_period
from thenchot.core.errors import DomainError
from thenchot.core.http import HtmxHttpRequest
from thenchot.core.views import login_required
from thenchot.org.tree import tree

# -- the manager's board ---------------------------------------------------------------------------
# The board's status filters: a bulk action's "select all" ticks the rows shown, so a filter is
# how a head approves the reviewed rows of a long board without ticking them one by one.
BOARD_FILTERS: dict[str, tuple[Any, frozenset[str]]] = {
    "to_review": (
        gettext_lazy("Self-assessed, awaiting review"),
        frozenset({EvaluationStatus.SELF_ASSESSED}),
    ),
    "to_approve": (
        gettext_lazy("Reviewed, awaiting approval"),
        frozenset({EvaluationStatus.REVIEWED}),
    ),
    "not_submitted": (
        gettext_lazy("Not submitted or returned"),
        frozenset({EvaluationStatus.DRAFT, EvaluationStatus.RETURNED}),
    ),
    "approved": (gettext_lazy("Approved"), frozenset({EvaluationStatus.APPROVED})),
}
REPORT_KEY = "appraisal.board.report"
BOARD_ROWS = 100  # rows on one page of the board
BOARD_MAX = 10_000  # a larger board is shown by agency (STC with its units, 5,500, is listed)


def _board_filter(request: HttpRequest) -> str:
    source = request.POST if request.method == "POST" else request.GET
    show = (source.get("show") or "").strip()
    return show if show in BOARD_FILTERS else ""


def _board_url(unit_id: int, period: str, show: str) -> str:
    url = vs.unit_page_url("appraisal:board", unit_id, period)
    return f"{url}&show={show}" if show else url


def _review_initial(row: vs.BoardRow) -> dict[str, Any]:
    """A reviewed line shows the review as it stands: what the manager sees on the line is what
    a review of the line keeps (an empty line used to reset the level and comment)."""
    ev = row.evaluation
    if not row.may_review or ev.status != EvaluationStatus.REVIEWED:
        return {}
    # The Decimals are shown in the reader's writing ("50,5") in text inputs, which the row
    # form reads back (core.numbers.LocalDecimalField), as it reads a plain "50.00".
    return {
        "general_points": ev.reviewed_general_points,
        "task_points": ev.reviewed_task_points,
        "bonus_points": ev.reviewed_bonus_points,
        "level": ev.reviewed_level,
        "comment": ev.review_comment,
    }


def _line_values(row: vs.BoardRow, posted: Any) -> dict[str, Any]:
    """What the line's inputs show: the review row form's values, from what was posted, else
    from the line's review as it stands. Unposted, each field's own `prepare_value` of its
    initial value, as a bound field's `value()` gives it, without building a form (a form a
    line was a tenth of the board's time: its fields are deep-copied)."""
    initial = _review_initial(row)
    if posted is None:
        values = {}
        for name, field in ReviewRowForm.base_fields.items():
            value = initial.get(name, field.initial)
            values[name] = field.prepare_value(value() if callable(value) else value)
        return values
    form = ReviewRowForm(posted, prefix=str(row.evaluation.pk), initial=initial)
    return {name: form[name].value() for name in ReviewRowForm.base_fields}


def _board_line(
    row: vs.BoardRow, posted: Any, unit_id: int, errors: list[str], url: tuple[str, str]
) -> dict[str, Any]:
    """A line of the board as `board_lines` draws it: plain values in a dict (issue 18: the
    board's lines were 40 % of its server time). The inputs' values only for a line that draws
    them. `url`: the evaluation page's address before and after its `/<pk>/`."""
    ev = cast(vs.BoardEvaluation, row.evaluation)  # the page's rows (`vs.board_page_rows`)
    inputs = row.may_review or row.may_handle
    return {
        "pk": ev.pk,
        "url": f"{url[0]}/{ev.pk}/{url[1]}",
        "name": ev.full_name,
        "staff_code": ev.staff_code,
        "status": ev.status,
        "is_head": ev.is_head,
        "other_unit": ev.unit_id != unit_id,
        "unit_name": ev.unit_name,
        "submitted_late": ev.submitted_late,
        "handled_by_manager": ev.handled_by_manager,
        "general_points": ev.general_points,
        "task_points": ev.task_points,
        "bonus_points": ev.bonus_points,
        "reviewed": bool(ev.reviewed_at) and ev.status != "returned",
        "reviewed_general_points": ev.reviewed_general_points,
        "reviewed_task_points": ev.reviewed_task_points,
        "reviewed_bonus_points": ev.reviewed_bonus_points,
        "review_comment": ev.review_comment,
        "total": row.total,
        "level": row.level,
        "grade": row.grade,
        "by_points": row.by_points,
        "last_level": row.last_level,
        "late": row.late,
        "collective": row.collective,
        "may_select": row.may_review or row.may_approve,
        "may_review": row.may_review,
        "may_approve": row.may_approve,
        "may_handle": row.may_handle,
        "inputs": inputs,
        "values": _line_values(row, posted) if inputs else {},
        "errors": errors,
    }


def _report(request: HttpRequest, title: str, outcome: services.BulkOutcome) -> None:
    """What a bulk action left out, one person a line, shown once on the board it returns to."""
    if outcome.skipped:
        request.session[REPORT_KEY] = {
            "title": title % {"count": len(outcome.skipped)},
            "lines": [str(s) for s in outcome.skipped],
        }


def _board_target(request: HttpRequest, scope: Scope, line: services.Line) -> tuple[int, str]:
    unit_id, period, _code = _unit_and_period(
        request,
        may_see=lambda u: vs.may_see_board(scope, line, u),
        units=lambda: vs.board_units(scope, line),
        default_period=vs.period_code(vs.today()),
    )
    return unit_id, period


def _board_page(
    request: HtmxHttpRequest,
    scope: Scope,
    line: services.Line,
    unit_id: int,
    period: str,
    *,
    row_errors: dict[int, list[str]] | None = None,
    errors: list[str] | None = None,
    status: int = 200,
) -> HttpResponse:
    snap = tree()
    # The figures over the whole board come from light rows; only the page's lines are built
    # (issue 16: a board of 4,400 people built every line to show 100).
    view = vs.board_summary(
        scope, line, unit_id=unit_id, period=period, limit=BOARD_MAX, lines=BOARD_ROWS
    )
    if isinstance(view, vs.BoardByAgency):
        # A city's or a district's board holds tens of thousands of people: it aggregates by
        # agency, each a link to that agency's board (issue 16: no page of thousands of rows).
        return _render(
            request,
            "appraisal/board_agencies.html",
            {
                "line": line,
                "unit": snap.units[unit_id],
                "units": [snap.units[u] for u in vs.board_units(scope, line)],
                "period": period,
                "periods": vs.period_choices(scope, unit_id),
                "total": view.total,
                "agencies": view.agencies,
                "statuses": EvaluationStatus.choices,
            },
            status,
        )
    posted = request.POST if request.method == "POST" else None
    show = _board_filter(request)
    matching = [e for e in view.entries if not show or e.status in BOARD_FILTERS[show][1]]
    # A city's board holds thousands of people: the page shows them BOARD_ROWS at a time (the
    # counts, the distribution and the bulk buttons' numbers stay those of the whole board).
    page = Paginator(matching, BOARD_ROWS).get_page(request.GET.get("page"))
    shown = vs.board_page_rows(scope, line, view, list(page))
    # The evaluation page's address reversed once: `/0/` stands for each line's evaluation.
    head, _zero, tail = reverse("appraisal:evaluation", args=[0]).rpartition("/0/")
    rows = [
        _board_line(
            row, posted, unit_id, (row_errors or {}).get(row.evaluation.pk, []), (head, tail)
        )
        for row in shown
    ]
    filters = [
        (key, label, view.count_of(statuses)) for key, (label, statuses) in BOARD_FILTERS.items()
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
        "show": show,
        "page": page,
        "filters": filters,
        "level_choices": ReviewRowForm.base_fields["level"].choices,  # type: ignore[attr-defined]
        "report": request.session.pop(REPORT_KEY, None) if posted is None else None,
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
def board(request: HtmxHttpRequest) -> HttpResponse:
    scope = scope_for(request)
    line = services.line_for(request.user)
    unit_id, period = _board_target(request, scope, line)
    if request.GET.get("format") == "xlsx":
        view = vs.board_view(scope, line, unit_id=unit_id, period=period)
        return views_exports.board_xlsx(view, unit_code=tree().units[unit_id].code)
    return _board_page(request, scope, line, unit_id, period)


@login_required
@require_POST
def board_act(request: HtmxHttpRequest) -> HttpResponse:
    """Every write of the board: `action` is review / approve (the selected rows, with each
    row's inputs as its override) or review:<id> / return:<id> / approve:<id> / handle:<id>."""
    scope = scope_for(request)
    line = services.line_for(request.user)
    unit_id, period = _board_target(request, scope, line)
    action, _sep, target = (request.POST.get("action") or "").partition(":")
    show = _board_filter(request)
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
                        row_errors[pk] = [" ".join(map(str, v)) for v in form.errors.values()]
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
                done = _("%(count)s evaluations reviewed.")
            else:
                outcome = services.bulk_approve(evaluations=ids, by=request.user, comment=comment)
                done = _("%(count)s evaluations approved.")
            count = {"count": len(outcome.changed)}
            if outcome.changed:
                messages.success(request, done % count)
            else:
                messages.warning(request, _("Nothing was changed."))
            _report(request, _("Left as they were (%(count)s):"), outcome)
        elif action in ("review", "return", "approve", "handle") and target.isdigit():
            pk = int(target)
            evaluation = readable.filter(pk=pk).first()
            if evaluation is None:
                raise Http404
            form = ReviewRowForm(request.POST, prefix=str(pk))
            if not form.is_valid():
                row_errors[pk] = [" ".join(map(str, v)) for v in form.errors.values()]
                raise DomainError(_("Correct the errors on this line: nothing was changed."))
            change = _row_change(form)
            typed = {
                "general_points": change.general_points,
                "task_points": change.task_points,
                "bonus_points": change.bonus_points,
                "level": change.level,
                "comment": change.comment,
            }
            if action == "review":
                services.review(evaluation=evaluation, by=request.user, **typed)
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
                # The line shows the review's own comment (kept by a review): it is not the
                # head's comment on the approval.
                approval = "" if change.comment == evaluation.review_comment else change.comment
                services.approve(evaluation=evaluation, by=request.user, comment=approval)
                message = _("%(name)s: approved.")
            else:
                services.manager_handle_missing(evaluation=evaluation, by=request.user, **typed)
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
    return redirect(_board_url(unit_id, period, show))
