"""XLSX downloads of the evaluation pages (`?format=xlsx` on the page's own address).

Each export is built from what its page reads, after the page's own checks of who may open it
(the views call these functions only past those checks), so a download never holds more than
the page shows: the manager's board (everyone's state, who has not submitted, the levels against
last month), a person's "my results" (month by month, quarters and year) and the use of the
quota per agency and group of the close screen. The workbook itself is `core.exports`: headers
in the reader's language, dates as real dates shown dd/mm/yyyy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thenchot.appraisal import selectors
from thenchot.appraisal import views_support as vs
from thenchot.appraisal.labels import base_label, group_label
from thenchot.core.exports import Column, Sheet, dated_filename, download, workbook_bytes

REASONS_WIDTH = 80


def _level(code: str | None) -> Any:
    return vs.LEVEL_LABELS.get(code or "", code or None)


def _status(code: str) -> Any:
    return vs.STATUS_LABELS.get(code, code)


def _day(value: dt.datetime | None) -> dt.date | None:
    """The Hanoi day of a moment: the sheets show days, not times."""
    return timezone.localdate(value) if value is not None else None


def _lines(reasons: Iterable[str]) -> str | None:
    return "\n".join(reasons) or None


# -- the manager's board ---------------------------------------------------------------------------
def _board_columns() -> list[Column]:
    return [
        Column(_("Staff code"), lambda r: r.evaluation.staff.code, 14),
        Column(_("Name"), lambda r: r.evaluation.staff.full_name, 28),
        Column(_("Unit"), lambda r: r.evaluation.unit.name, 24),
        Column(_("Status"), lambda r: _status(r.evaluation.status), 18),
        Column(_("Self-assessed on"), lambda r: _day(r.evaluation.self_assessed_at)),
        Column(_("Past the deadline"), lambda r: r.late),
        Column(_("Self-assessed after the deadline"), lambda r: r.evaluation.submitted_late),
        Column(_("Handled by the manager"), lambda r: r.evaluation.handled_by_manager),
        Column(_("General points"), lambda r: r.evaluation.general_points),
        Column(_("Task points"), lambda r: r.evaluation.task_points),
        Column(_("Bonus points"), lambda r: r.evaluation.bonus_points),
        Column(_("Reviewed general points"), lambda r: r.evaluation.reviewed_general_points),
        Column(_("Reviewed task points"), lambda r: r.evaluation.reviewed_task_points),
        Column(_("Reviewed bonus points"), lambda r: r.evaluation.reviewed_bonus_points),
        Column(_("Total"), lambda r: r.total),
        Column(_("Level"), lambda r: _level(r.level), 22),
        Column(_("Last month"), lambda r: _level(r.last_level), 22),
        Column(_("Review comment"), lambda r: r.evaluation.review_comment or None, 40),
    ]


def _not_submitted_columns(view: vs.BoardView) -> list[Column]:
    due = view.period.self_due if view.period is not None else None
    return [
        Column(_("Staff code"), lambda e: e.staff.code, 14),
        Column(_("Name"), lambda e: e.staff.full_name, 28),
        Column(_("Unit"), lambda e: e.unit.name, 24),
        Column(_("Status"), lambda e: _status(e.status), 18),
        Column(_("Self-assessment due"), lambda e: due),
        Column(_("Past the deadline"), lambda e: view.deadline_passed),
    ]


def _levels_columns(view: vs.BoardView) -> list[Column]:
    last = view.board.last_period or gettext("Last period")
    return [
        Column(_("Level"), lambda line: line[1], 22),
        Column(view.board.period, lambda line: line[2]),
        Column(last, lambda line: line[3]),
        Column(_("Difference"), lambda line: line[2] - line[3]),
    ]


def board_xlsx(view: vs.BoardView, *, unit_code: str) -> HttpResponse:
    """The board as three sheets: everyone, those who have not submitted, the levels."""
    sheets = [
        Sheet(gettext("Evaluations"), _board_columns(), view.rows),
        Sheet(gettext("Not submitted"), _not_submitted_columns(view), view.board.not_submitted),
        Sheet(gettext("Levels"), _levels_columns(view), view.levels),
    ]
    name = dated_filename(f"board-{unit_code}-{view.board.period}")
    return download(workbook_bytes(sheets), name)


# -- my results ------------------------------------------------------------------------------------
def _history_columns() -> list[Column]:
    return [
        Column(_("Period"), lambda h: h.evaluation.period_code, 12),
        Column(_("Starts on"), lambda h: h.evaluation.period.starts_on),
        Column(_("Ends on"), lambda h: h.evaluation.period.ends_on),
        Column(_("Agency"), lambda h: h.evaluation.period.agency.name, 24),
        Column(_("Unit"), lambda h: h.evaluation.unit.name, 24),
        Column(_("Status"), lambda h: _status(h.evaluation.status), 18),
        Column(_("Level"), lambda h: _level(h.level), 22),
        Column(_("Grade"), lambda h: h.grade),
        Column(_("Score"), lambda h: h.evaluation.score),
        Column(_("Approved on"), lambda h: _day(h.evaluation.approved_at)),
        Column(_("Reasons"), lambda h: _lines(h.reasons), REASONS_WIDTH),
    ]


def _rollup_columns() -> list[Column]:
    return [
        Column(_("Period"), lambda r: r.period, 12),
        Column(_("Level"), lambda r: _level(r.level), 22),
        Column(_("Score"), lambda r: r.score),
        Column(_("Periods counted"), lambda r: r.months),
        Column(_("Reasons"), lambda r: _lines(r.reasons) or r.error or None, REASONS_WIDTH),
    ]


def results_xlsx(
    *,
    staff_code: str,
    history: Sequence[selectors.HistoryLine],
    year: int,
    rollups: Sequence[vs.RollupLine],
) -> HttpResponse:
    """A person's results: month by month (every period of theirs), then the chosen year's
    quarters and year."""
    sheets = [
        Sheet(gettext("Month by month"), _history_columns(), history),
        Sheet(gettext("Quarters and year %(year)s") % {"year": year}, _rollup_columns(), rollups),
    ]
    return download(workbook_bytes(sheets), dated_filename(f"results-{staff_code}"))


# -- the use of the quota --------------------------------------------------------------------------
def _percent(ratio: Any) -> Decimal | None:
    try:
        return Decimal(str(ratio)) * 100
    except (InvalidOperation, TypeError):
        return None


def _quota_columns() -> list[Column]:
    return [
        Column(_("Agency code"), lambda u: u.get("agency"), 14),
        Column(_("Agency"), lambda u: u.get("agency_name") or u.get("agency"), 28),
        Column(_("Period"), lambda u: u.get("period"), 12),
        Column(_("State"), lambda u: u["state"], 18),
        Column(_("Rule pack"), lambda u: vs.pack_title(u.get("pack") or ""), 36),
        Column(_("Group"), lambda u: group_label(u.get("group")), 18),
        Column(_("Excellent used"), lambda u: u.get("top")),
        Column(_("Allowed"), lambda u: u.get("allowed")),
        Column(_("Ratio (%)"), lambda u: _percent(u.get("ratio"))),
        Column(_("Base"), lambda u: u.get("base")),
        Column(
            _("Basis"),
            lambda u: base_label(u.get("base_label")),
            28,
        ),
        Column(_("Quota decision"), lambda u: u.get("decision") or None, 24),
        Column(_("Over the quota"), lambda u: (u.get("top") or 0) > (u.get("allowed") or 0)),
    ]


def quota_xlsx(
    *,
    unit_code: str,
    period: str,
    closed: Sequence[dict[str, Any]],
    previewed: Sequence[dict[str, Any]],
    agency_names: dict[str, str],
) -> HttpResponse:
    """The use of the quota per agency and group: as written by the close for the closed
    periods (`views_support.quota_lines`), as the close would write it now for the open ones (a
    preview, said so, whose lines name agencies by code only)."""
    rows = [{**use, "state": gettext("closed")} for use in closed]
    rows += [
        {
            **use,
            "agency_name": agency_names.get(use.get("agency", ""), use.get("agency")),
            "period": period,
            "state": gettext("preview (not closed)"),
        }
        for use in previewed
    ]
    sheet = Sheet(gettext("Quota use"), _quota_columns(), rows)
    name = dated_filename(f"quota-{unit_code}-{period}")
    return download(workbook_bytes([sheet]), name)
