"""Reads the evaluation pages need beyond `selectors` (reads only: every write is a service).

What the pages show is decided here, not in the views or the templates: which evaluation is
"this month's" for a person, the criteria of its pack with their maxima, the task-points
calculation, the units a manager's board may show, the per-agency summary and the quota preview
of the close screen (`closing.close_period(dry_run=True)`, which writes nothing), the heads
rated by the City leadership, and a person's quarter and year roll-ups.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast
from urllib.parse import urlencode

from django.db.models import Count, F, Q, QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.appraisal import (
    closing,
    inputs,
    labels,
    rollup,
    rules,
    selectors,
    services,
    summary,
)
from thenchot.appraisal.choices import EvaluationStatus, Level, PeriodStatus
from thenchot.appraisal.models import (
    CollectiveDecision,
    Evaluation,
    EvaluationPeriod,
    ReopenDecision,
)
from thenchot.appraisal.services.lines import collective_bodies
from thenchot.core.errors import DomainError
from thenchot.core.id_sets import AnyOf, InIds, InTexts
from thenchot.core.prepared import PreparedRead, PreparedRows
from thenchot.core.scope import memo
from thenchot.org.tree import TreeSnapshot, tree

LEVEL_LABELS: dict[str, Any] = dict(Level.choices)
STATUS_LABELS: dict[str, Any] = dict(EvaluationStatus.choices)
LEVEL_ORDER = ("excellent", "good", "complete", "not_complete", "not_rated")
LEVEL_CLASSES = {
    "excellent": "text-bg-success",
    "good": "text-bg-primary",
    "complete": "text-bg-info",
    "not_complete": "text-bg-danger",
    "not_rated": "text-bg-secondary",
}
STATUS_CLASSES = {
    "draft": "text-bg-light border",
    "returned": "text-bg-warning",
    "self_assessed": "text-bg-info",
    "reviewed": "text-bg-primary",
    "approved": "text-bg-success",
    "closed": "text-bg-dark",
}
# The form shows these English labels for the three point columns whatever the pack calls them.
COLUMN_HINTS = {
    "general": _("General criteria (discipline, ethics, working style)"),
    "tasks": _("Results of assigned tasks"),
    "bonus": _("Bonus points (initiatives, achievements)"),
}


def today() -> dt.date:
    return timezone.localdate()


def period_code(on: dt.date) -> str:
    return f"{on.year:04d}-{on.month:02d}"


def previous_month(code: str) -> str:
    year, month = int(code[:4]), int(code[5:7])
    index = year * 12 + month - 2
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def valid_period(code: str | None) -> str | None:
    """The period code as the packs write it, None when unreadable."""
    if not code:
        return None
    try:
        return str(rules.Period.parse(code))
    except rules.RuleInputError:
        return None


# -- the person's own evaluation ------------------------------------------------------------------
def own_evaluations(scope: Scope) -> QuerySet[Evaluation]:
    if scope.own_staff_id is None:
        return Evaluation.objects.none()
    return Evaluation.objects.select_related("period", "period__agency", "staff", "unit").filter(
        staff_id=scope.own_staff_id
    )


def _own_of_period(staff: Any, code: Any) -> QuerySet[Evaluation]:
    """`own_evaluations(...).filter(period_code=code).first()`'s query."""
    return (
        Evaluation.objects.select_related("period", "period__agency", "staff", "unit")
        .filter(staff_id=staff)
        .filter(period_code=code)[:1]
    )


# The own page's read, on every view of it: compiled once per process (`core.prepared`).
_OWN_OF_PERIOD = PreparedRead(_own_of_period, "staff", "code")


def current_evaluation(scope: Scope, code: str | None = None) -> Evaluation | None:
    """The person's evaluation of `code`, else of this month, else their newest open one."""
    qs = own_evaluations(scope)
    if scope.own_staff_id is None:
        return None
    found_list = _OWN_OF_PERIOD.run(staff=scope.own_staff_id, code=code or period_code(today()))
    found = found_list[0] if found_list else None
    if code or found is not None:
        return found
    return (
        qs.filter(period__status=PeriodStatus.OPEN, period__starts_on__lte=today())
        .order_by("-period__starts_on")
        .first()
    )


@dataclass(frozen=True)
class CriterionField:
    column: str  # general / tasks / bonus (the evaluation's columns)
    label: str
    max_points: Decimal
    hint: Any


def criteria_of(evaluation: Evaluation) -> list[CriterionField]:
    """The point criteria of the evaluation's pack, in the pack's order, with their maxima."""
    from thenchot.appraisal.inputs import CRITERION_COLUMN

    try:
        pack = rules.registry.get(evaluation.rule_pack)
    except rules.RuleInputError:
        return []
    return [
        CriterionField(
            column=CRITERION_COLUMN.get(c.id, c.id),
            label=gettext(c.label),
            max_points=c.max_points,
            hint=COLUMN_HINTS.get(CRITERION_COLUMN.get(c.id, c.id), ""),
        )
        for c in pack.criteria
    ]


def pack_title(pack_id: str) -> str:
    try:
        return gettext(rules.registry.get(pack_id).title)
    except rules.RuleInputError:
        return pack_id


def grade_of(pack_id: str, level: str) -> str | None:
    if not level or level == "not_rated":
        return None
    try:
        return rules.registry.get(pack_id).display_grade(rules.Level(level))
    except (rules.RuleInputError, ValueError, AttributeError):
        return None


def level_for_points(evaluation: Evaluation, total: Decimal | None) -> str:
    """The level the pack's bands give a score (a hint beside the proposed level)."""
    if total is None:
        return ""
    try:
        from thenchot.appraisal.inputs import current_params

        params, _number = current_params(evaluation.rule_pack)
        bands = getattr(params, "bands", None)
        return bands.level_for(total).value if bands is not None else ""
    except (rules.RuleInputError, AttributeError):
        return ""


@dataclass
class TaskCalculation:
    """The pre-filled task points and how they were computed, for the page."""

    points: Decimal | None
    tasks: list[dict[str, Any]] = field(default_factory=list)
    quantity: str = ""
    quality: str = ""
    progress: str = ""
    share: str = ""
    max_points: Decimal | None = None
    stored: bool = False

    @property
    def formula(self) -> str:
        return gettext("task points = %(max)s × mean(quantity %%, quality %%, progress %%)") % {
            "max": rules.base.fmt(self.max_points) if self.max_points is not None else "70"
        }


def task_calculation(evaluation: Evaluation) -> TaskCalculation:
    """The calculation stored with the self-assessment, or computed now for a draft (a read:
    nothing is written until the person submits)."""
    max_points = next((c.max_points for c in criteria_of(evaluation) if c.column == "tasks"), None)
    data: dict[str, Any] = evaluation.task_calculation or {}
    points: Decimal | None = evaluation.task_points
    stored = bool(data)
    if not data and evaluation.status in (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED):
        try:
            points, data = services.task_points_prefill(evaluation)
        except (rules.RuleInputError, DomainError):
            points, data = None, {}
    elif data.get("points"):
        points = Decimal(data["points"])
    tasks = []
    for line in data.get("tasks", []) or []:
        item = dict(line)
        for key in ("deadline", "completed_on"):
            item[key] = dt.date.fromisoformat(item[key]) if item.get(key) else None
        tasks.append(item)
    return TaskCalculation(
        points=points,
        tasks=tasks,
        quantity=str(data.get("quantity", "")),
        quality=str(data.get("quality", "")),
        progress=str(data.get("progress", "")),
        share=str(data.get("share", "")),
        max_points=max_points,
        stored=stored,
    )


def reasons_of(evaluation: Evaluation) -> list[str]:
    return selectors.reasons_text(evaluation.reasons)


# -- managers --------------------------------------------------------------------------------------
def top_units(units: Iterable[int], snap: TreeSnapshot, on: dt.date) -> list[int]:
    """The units of a set that have no ancestor in the set (the roots of what one manages),
    those existing on `on` first: the first is a page's default, and an agency that ended in a
    merger (read as the successor's history) has no current period."""
    wanted = {u for u in units if u in snap.units}
    out = [u for u in wanted if not any(a in wanted for a in snap.ancestors_on(u, on))]
    return sorted(
        out,
        key=lambda u: (
            not snap.units[u].valid_on(on),
            len(snap.ancestors_on(u, on)),
            snap.units[u].code,
        ),
    )


def board_units(scope: Scope, line: services.Line) -> list[int]:
    """Units whose board the reader may open: those they review, else those they read."""
    snap = tree()
    if line.reviews:
        return top_units(line.reviews, snap, scope.on)
    if scope.city_wide:
        return snap.roots_on(scope.on)
    return top_units(scope.read_units, snap, scope.on)


def may_see_board(scope: Scope, line: services.Line, unit_id: int) -> bool:
    return scope.city_wide or unit_id in line.reviews or unit_id in scope.read_units


@dataclass
class BoardRow:
    evaluation: Evaluation
    total: Decimal | None
    level: str
    grade: str | None
    late: bool  # past the self-assessment deadline without one
    may_review: bool
    may_approve: bool
    may_handle: bool
    collective: bool
    last_level: str = ""
    by_points: str = ""  # the level the pack gives the current points (steps 1-3, no quota)


def levels_by_points(evaluations: Iterable[Evaluation]) -> dict[int, str]:
    """Per evaluation not yet closed, the level its pack gives its current points (score and
    the person's discipline; no quota, no ceiling): what the close would start from, shown
    beside a proposal that may say otherwise."""
    evs = [e for e in evaluations if not e.final_level]
    if not evs:
        return {}
    period = rules.Period.parse(evs[0].period_code)
    facts = inputs.discipline_facts([e.staff_id for e in evs], period.start, period.end)
    # The packs' parameters read at once (one query, where each pack was one).
    params = inputs.current_params_of({ev.rule_pack for ev in evs})
    batches: dict[str, Any] = {}
    out: dict[int, str] = {}
    for ev in evs:
        pack = rules.registry.get(ev.rule_pack)
        if ev.rule_pack not in batches:
            batches[ev.rule_pack] = pack.batch(params[ev.rule_pack][0])
        points = inputs.points_for(pack, ev.effective_points())
        try:
            found = batches[ev.rule_pack].classify(
                staff_id=ev.staff_id,
                category=ev.category,
                period=rules.Period.parse(ev.period_code),
                is_leader=ev.is_leader,
                is_head=ev.is_head,
                points=points,
                discipline=facts.get(ev.staff_id, ()),
            )
        except rules.RuleInputError:
            continue  # points missing or refused: nothing to show yet
        out[ev.pk] = found.level.value
    return out


@dataclass
class BoardView:
    board: selectors.Board
    rows: list[BoardRow]
    period: EvaluationPeriod | None
    levels: list[tuple[str, Any, int, int]]  # code, label, this period, last period
    deadline_passed: bool
    reviewable: int
    approvable: int


def total_points(ev: Evaluation) -> Decimal | None:
    points = ev.effective_points()
    values = [v for v in points.values() if v is not None]
    if points["general"] is None or points["tasks"] is None:
        return None
    return sum(values, Decimal(0))


def board_rows(
    evaluations: list[Evaluation],
    line: services.Line,
    *,
    passed: bool,
    last_period: str,
    last_known: dict[int, str] | None = None,
) -> list[BoardRow]:
    """The board's lines of these evaluations (full rows, in the order given): what each may be
    done to by the reader, the level the points give, last month's level. `last_known`: last
    month's final level of people whose evaluation of `last_period` was already read (a person
    has one evaluation a period): only the others' are asked for."""
    last: dict[int, str] = {}
    if last_period and evaluations:
        known = last_known or {}
        last = {e.staff_id: known[e.staff_id] for e in evaluations if known.get(e.staff_id)}
        unknown = [e.staff_id for e in evaluations if e.staff_id not in known]
        if unknown:
            last.update(
                Evaluation.objects.filter(period_code=last_period, staff_id__in=unknown)
                .exclude(final_level="")
                .values_list("staff_id", "final_level")
            )
    computed = levels_by_points(evaluations)
    bodies = collective_bodies([ev for ev in evaluations if ev.is_head])
    rows = []
    for ev in evaluations:
        level = ev.final_level or ev.reviewed_level or ev.proposed_level
        open_ = not ev.period.is_closed
        collective = ev.is_head and bodies[ev.pk] is not None
        rows.append(
            BoardRow(
                evaluation=ev,
                total=ev.score if ev.score is not None else total_points(ev),
                level=level,
                grade=grade_of(ev.rule_pack, level),
                late=passed and ev.status in selectors.NOT_SUBMITTED,
                may_review=open_
                and line.may_review(ev)
                and ev.status in (EvaluationStatus.SELF_ASSESSED, EvaluationStatus.REVIEWED),
                may_approve=open_
                and not collective
                and line.may_approve(ev)
                and ev.status == EvaluationStatus.REVIEWED,
                may_handle=open_
                and passed
                and line.may_review(ev)
                and ev.status in selectors.NOT_SUBMITTED,
                collective=collective,
                last_level=last.get(ev.staff_id, ""),
                by_points=computed.get(ev.pk, ""),
            )
        )
    return rows


def _deadline_passed(period_row: EvaluationPeriod | None) -> bool:
    return period_row is not None and today() > period_row.self_due


def _board_period_row(
    scope: Scope, unit_id: int, period: str, first: Evaluation | None
) -> EvaluationPeriod | None:
    """The period whose deadlines the board shows: its first person's, else the unit's
    agency's."""
    if first is not None:
        return first.period
    snap = tree()
    agency = snap.agency_of(unit_id, scope.on) if unit_id in snap.units else None
    return EvaluationPeriod.objects.filter(agency_id=agency, code=period).first()


def board_view(scope: Scope, line: services.Line, *, unit_id: int, period: str) -> BoardView:
    """Every line of the board built (the XLSX export); the page reads `board_summary` and
    builds only the lines it shows."""
    board = selectors.division_board(scope, unit_id=unit_id, period=period)
    rows_in = sorted(board.rows, key=lambda e: (e.unit.code, not e.is_head, e.staff.name_key))
    period_row = _board_period_row(scope, unit_id, period, rows_in[0] if rows_in else None)
    passed = _deadline_passed(period_row)
    rows = board_rows(rows_in, line, passed=passed, last_period=board.last_period)
    levels = [
        (code, LEVEL_LABELS[code], board.by_level.get(code, 0), board.last_by_level.get(code, 0))
        for code in LEVEL_ORDER
    ]
    return BoardView(
        board=board,
        rows=rows,
        period=period_row,
        levels=levels,
        deadline_passed=passed,
        reviewable=sum(1 for r in rows if r.may_review),
        approvable=sum(1 for r in rows if r.may_approve),
    )


# The board's "not submitted" card names this many; the rest are a filter away.
NOT_SUBMITTED_SHOWN = 50
_WAITING_REVIEW = (EvaluationStatus.SELF_ASSESSED, EvaluationStatus.REVIEWED)


@dataclass
class BoardSummary:
    """A board's figures counted over everyone on it without building their lines (issue 16:
    a large agency's board counted 4,400 lines to show 100): its people in the board's order,
    as light rows (`entries`: id, person, unit, period, status, head), the counts by status and
    level, this month's against last month's, who has not submitted, and how many lines the
    reader may review and approve — what the bulk buttons say."""

    unit_id: int
    period: str
    entries: list[BoardEntry]
    period_row: EvaluationPeriod | None
    last_period: str
    by_status: dict[str, int]
    levels: list[tuple[str, Any, int, int]]  # code, label, this period, last period
    not_submitted: list[BoardEntry]  # the first NOT_SUBMITTED_SHOWN (their names: `full_name`)
    not_submitted_count: int
    deadline_passed: bool
    reviewable: int
    approvable: int
    # Last month's final level ("" for none) of the people whose evaluation of `last_period`
    # the board's read holds (`board_rows`'s `last_known`).
    last_known: dict[int, str] = field(default_factory=dict)
    # The lines' columns (`_PAGE_COLUMNS`) by id, when the board's read held them.
    lines_read: dict[int, tuple[Any, ...]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.entries)

    def count_of(self, statuses: Iterable[str]) -> int:
        return sum(self.by_status.get(s, 0) for s in statuses)


def board_evaluations(scope: Scope, *, unit_id: int, period: str) -> QuerySet[Evaluation]:
    """The evaluations on the board of `unit_id` in `period`: those of the units of its subtree
    the reader sees in full (`selectors.division_board`'s rows), read through the (period, unit)
    index — the period rows of the code first, a few hundred: a filter on the code alone read
    every period of each unit (12 months and more of a city's 200,000 people)."""
    parsed = rules.Period.parse(period)
    units = sorted(tree().subtree_on(unit_id, parsed.end))
    periods = _period_ids(str(parsed))
    return (
        selectors.full_evaluations(scope)
        .filter(AnyOf(F("period_id"), periods), AnyOf(F("unit_id"), units))
        .order_by()
    )


def _period_ids(code: str) -> list[int]:
    """The ids of the period rows of `code`, read once per request (the board asks for them
    for its rows and for last month's; a page never opens a period)."""
    return _period_ids_of([code])[code]


def _period_ids_of(codes: list[str]) -> dict[str, list[int]]:
    """`_period_ids` of several codes, those not yet read this request in one query (the board
    reads its month's and the month before's together)."""
    kept = memo()
    found: dict[str, list[int]] = {}
    wanted = []
    for code in codes:
        key = ("appraisal.period_ids", code)
        if kept is not None and key in kept:
            found[code] = cast(list[int], kept[key])
        else:
            wanted.append(code)
    if wanted:
        read: dict[str, list[int]] = {code: [] for code in wanted}
        # In the model's order (start, agency), as one code's read gave them.
        rows = EvaluationPeriod.objects.filter(
            **({"code": wanted[0]} if len(wanted) == 1 else {"code__in": wanted})
        ).values_list("pk", "code")
        for pk, code in rows:
            read[code].append(pk)
        for code, ids in read.items():
            found[code] = ids
            if kept is not None:
                kept[("appraisal.period_ids", code)] = ids
    return found


def _city_board(scope: Scope, unit_id: int, on: dt.date) -> bool:
    """The city's board read by a city-wide reader: counted from `summary`'s kept counts."""
    return scope.city_wide and tree().parent_on(unit_id, on) is None


def board_agencies(scope: Scope, *, unit_id: int, period: str) -> tuple[int, list[dict[str, Any]]]:
    """How many evaluations the board of `unit_id` holds in `period`, and per agency of the
    subtree its count by status: what decides whether the board lists its people, and what it
    shows instead when they are too many. The unit's own agency (the city is one: its office's
    divisions) is shown with its parts under it, each linking to its own board — its line
    linked to the board it is on.

    The city's board for a city-wide reader reads each period's counts kept by `summary` (its
    200,000 evaluations counted again only for the periods written since); any other board
    counts its rows in one grouped query through the (period, unit) index."""
    snap = tree()
    parsed = rules.Period.parse(period)
    units = snap.subtree_on(unit_id, parsed.end)
    counted: list[tuple[int, int, str, int]] = []  # agency, unit, status, count
    if _city_board(scope, unit_id, parsed.end):
        periods = list(
            EvaluationPeriod.objects.defer("pack_params", "quota_use")
            .filter(code=str(parsed))
            .order_by()
        )
        kept = summary.unit_counts(periods)
        for p in periods:
            counted += [(p.agency_id, u, s, n) for u, s, n in kept.get(p.pk, []) if u in units]
    else:
        rows = (
            board_evaluations(scope, unit_id=unit_id, period=period)
            .values_list("period_id", "unit_id", "status")
            .annotate(n=Count("*"))
        )
        found = list(rows)
        agency_of = dict(
            EvaluationPeriod.objects.filter(pk__in={r[0] for r in found}).values_list(
                "pk", "agency_id"
            )
        )
        counted = [(agency_of[p], u, s, n) for p, u, s, n in found]
    own = snap.agency_of(unit_id, parsed.end) if unit_id in snap.units else None
    by_agency: dict[int, dict[str, Any]] = {}
    parts: dict[int, dict[str, Any]] = {}
    part_of: dict[int, int] = {}
    for agency_id, unit, status, n in counted:
        row = by_agency.get(agency_id)
        if row is None:
            info = snap.units[agency_id]
            row = by_agency[agency_id] = _agency_row(info.code, info.name)
            row["own"] = agency_id == own
        row["total"] += n
        row["by_status"][status] += n
        if agency_id == own:
            if unit not in part_of:
                part_of[unit] = _part_under(snap, unit, unit_id, parsed.end)
            part = part_of[unit]
            if part not in parts:
                info = snap.units[part]
                parts[part] = _agency_row(info.code, info.name)
                parts[part]["link"] = part != unit_id
            parts[part]["total"] += n
            parts[part]["by_status"][status] += n
    if own in by_agency:
        by_agency[own]["parts"] = sorted(
            parts.values(), key=lambda r: (r["link"], r["code"])
        )  # the people placed in the unit itself first (no board of their own), then its parts
    total = sum(row["total"] for row in by_agency.values())
    return total, sorted(by_agency.values(), key=lambda r: r["code"])


def _agency_row(code: str, name: str) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "total": 0,
        "by_status": Counter(),
        "own": False,
        "link": True,
        "parts": [],
    }


def _part_under(snap: TreeSnapshot, unit: int, top: int, on: dt.date) -> int:
    """The unit directly under `top` that holds `unit` (`top` itself for its own people)."""
    if unit == top:
        return top
    chain = [unit, *snap.ancestors_on(unit, on)]
    if top not in chain:
        return top
    return chain[chain.index(top) - 1]


@dataclass(slots=True)
class BoardEntry:
    """One person on a board, the columns the counts and `services.Line` read (a light row: a
    model instance of 60 fields cost 0.2 ms to build, a second for an agency's board), and the
    person's name, for the card of those who have not submitted."""

    pk: int
    staff_id: int
    unit_id: int
    status: str
    is_head: bool
    level: str  # final, else the reviewer's, else the person's proposal
    period: EvaluationPeriod
    full_name: str = ""

    def as_evaluation(self) -> Evaluation:
        """An unsaved evaluation holding these columns, for the rules that take one."""
        ev = Evaluation(pk=self.pk, staff_id=self.staff_id, unit_id=self.unit_id)
        ev.status, ev.is_head, ev.period = self.status, self.is_head, self.period
        return ev


_ENTRY_COLUMNS = (
    "pk", "staff_id", "unit_id", "period_id", "status", "is_head",
    "final_level", "reviewed_level", "proposed_level", "unit__code", "staff__name_key",
    "staff__full_name", "period_code",
)  # fmt: skip


def _board_entries(
    scope: Scope,
    unit_id: int,
    period: str,
    limit: int | None = None,
    last_period: str = "",
    lines: int | None = None,
) -> tuple[list[BoardEntry], dict[str, int], dict[int, str], dict[int, tuple[Any, ...]]] | None:
    """The board's people as light rows (the period rows attached: one query for the rows, one
    for their periods), in the board's order (unit code, heads first, name), and last month's
    final levels counted over the board of `last_period` (when given) and each of its people's;
    None when there are more than `limit` people.

    The two months are one read (their units together, by the evaluations' own copy of their
    period's code through the (unit, code) index, each row kept for the month whose units and
    code it is of): the months' period rows (a few hundred ids, one statement, and an array
    PostgreSQL planned on every view) are read only for a board of thousands (issue 18). The
    read stops after `limit` + 1 rows a month: it is the board's count too, where a COUNT ran
    before the rows on every view.

    A board of at most `lines` people (a month, or two) is read with the columns of its lines
    (`_PAGE_COLUMNS`, returned by id): its page's lines need no second read. A larger one is
    read light, and its page's lines apart (`board_page_rows`)."""
    codes = [period, last_period] if last_period else [period]
    units: set[int] = set()
    for code in codes:
        units |= tree().subtree_on(unit_id, rules.Period.parse(code).end)
    wide: dict[int, tuple[Any, ...]] = {}
    by_pk: dict[int, EvaluationPeriod] = {}
    found: list[tuple[Any, ...]] | None = None
    if lines is not None:
        read = _board_read(scope, codes, units, wide=True, limit=len(codes) * (lines + 1))
        if len(read) < len(codes) * (lines + 1):
            found = [tuple(w[i] for i in _WIDE_ENTRY) for w in read]
            wide = {w[0]: w[: len(_PAGE_COLUMNS)] for w in read}
            # The period rows' columns the board reads, joined: no read of the rows apart.
            at = len(_PAGE_COLUMNS) + len(_WIDE_EXTRA) - len(_PERIOD_COLUMNS)
            for w in read:
                if w[at] not in by_pk:
                    by_pk[w[at]] = EvaluationPeriod.from_db(
                        "default", _PERIOD_FIELDS, list(w[at : at + len(_PERIOD_COLUMNS)])
                    )
    cap = None if limit is None else len(codes) * (limit + 1)
    if found is None:
        found = _board_read(scope, codes, units, wide=False, limit=cap)
    if cap is not None and len(found) >= cap:
        # As many rows as the read takes: each month on its own (a board of thousands), by
        # their period rows (both months' read at once).
        _period_ids_of(codes)
        found = list(
            board_evaluations(scope, unit_id=unit_id, period=period).values_list(*_ENTRY_COLUMNS)[
                : cast(int, limit) + 1
            ]
        )
        last_by_level = (
            _last_levels(scope, unit_id, last_period) if len(found) <= cast(int, limit) else {}
        )
        last_known: dict[int, str] = {}
    elif last_period:
        last_units = tree().subtree_on(unit_id, rules.Period.parse(last_period).end)
        last_rows = [r for r in found if r[12] == last_period and r[2] in last_units]
        last_by_level = dict(Counter(r[6] for r in last_rows if r[6]))
        last_known = {r[1]: r[6] for r in last_rows}
        this_units = tree().subtree_on(unit_id, rules.Period.parse(period).end)
        found = [r for r in found if r[12] == period and r[2] in this_units]
    else:
        last_by_level, last_known = {}, {}
    if limit is not None and len(found) > limit:
        return None
    found.sort(key=lambda r: (r[9], not r[5], r[10]))
    if not by_pk:
        by_pk = EvaluationPeriod.objects.in_bulk(sorted({r[3] for r in found}))
    entries = [
        BoardEntry(
            pk,
            staff_id,
            unit,
            status,
            is_head,
            final or reviewed or proposed,
            by_pk[period_id],
            full_name,
        )
        for pk, staff_id, unit, period_id, status, is_head, final, reviewed, proposed, _unit_code, _name_key, full_name, _code in found
    ]
    return entries, last_by_level, last_known, wide


def _board_read_build(
    shape: tuple[bool, bool, int | None], *, codes: Any, units: Any, allowed: Any, own: int
) -> QuerySet[Evaluation]:
    """The board's read (`_board_read`) as a queryset, for `PreparedRows` to compile."""
    city_wide, wide, limit = shape
    rows = Evaluation.objects.filter(InTexts(F("period_code"), codes), InIds(F("unit_id"), units))
    if not city_wide:
        # `selectors.evaluation_full_q`, with its units already cut to the board's.
        rows = rows.filter(Q(InIds(F("unit_id"), allowed)) | Q(staff_id=own))
    columns = (*_PAGE_COLUMNS, *_WIDE_EXTRA) if wide else _ENTRY_COLUMNS
    read = rows.order_by().values_list(*columns)
    return read if limit is None else read[:limit]


_BOARD_READ = PreparedRows(
    _board_read_build, scalars=("own",), arrays=("codes", "units", "allowed"), shaped=True
)


def _board_read(
    scope: Scope, codes: list[str], units: set[int], *, wide: bool, limit: int | None
) -> list[tuple[Any, ...]]:
    """The rows of `codes` in `units` the reader sees in full (`selectors.full_evaluations`'s),
    with the columns of the board's lines (`wide`) or of its light rows, at most `limit`: one
    statement compiled once per shape (issue 18: building and compiling the queryset was a
    tenth of the board's time), the lists of units and codes each one parameter."""
    if scope.city_wide:
        allowed: set[int] = set()
    else:
        allowed = units & selectors.managed_units(scope)
    return _BOARD_READ.run(
        shape=(scope.city_wide, wide, limit),
        codes=codes,
        units=units,
        allowed=allowed,
        own=scope.own_staff_id or 0,
    )


def _last_levels(scope: Scope, unit_id: int, last_period: str) -> dict[str, int]:
    """Last month's final levels counted over the board of `last_period`."""
    if not last_period:
        return {}
    return dict(
        board_evaluations(scope, unit_id=unit_id, period=last_period)
        .exclude(final_level="")
        .values_list("final_level")
        .annotate(n=Count("*"))
    )


@dataclass
class BoardByAgency:
    """A board too large to list its people: its size and `board_agencies`'s lines."""

    total: int
    agencies: list[dict[str, Any]]


def board_summary(
    scope: Scope,
    line: services.Line,
    *,
    unit_id: int,
    period: str,
    limit: int | None = None,
    lines: int | None = None,
) -> BoardSummary | BoardByAgency:
    """The board's figures (`BoardSummary`): the same as `board_view`'s over all its lines,
    counted from light rows; a head's collective rating is asked only where it decides a
    count (a reviewed head the reader could otherwise approve). With more than `limit` people
    the board is shown by agency (`BoardByAgency`). A board of at most `lines` people (a page)
    is read with its lines' columns (`_board_entries`)."""
    parsed = rules.Period.parse(period)
    last_period = previous_month(str(parsed)) if parsed.kind is rules.PeriodKind.MONTH else ""
    if limit is not None and _city_board(scope, unit_id, parsed.end):
        _period_ids_of([str(parsed), last_period] if last_period else [str(parsed)])
        # The city's board read by a city-wide reader: its size from `summary`'s kept counts.
        total, agencies = board_agencies(scope, unit_id=unit_id, period=period)
        if total > limit:
            return BoardByAgency(total, agencies)
        limit = None
    read = _board_entries(scope, unit_id, str(parsed), limit, last_period, lines)
    if read is None:
        return BoardByAgency(*board_agencies(scope, unit_id=unit_id, period=period))
    entries, last_by_level, last_known, wide = read
    first = entries[0].as_evaluation() if entries else None
    period_row = _board_period_row(scope, unit_id, str(parsed), first)
    passed = _deadline_passed(period_row)
    by_status = dict(Counter(e.status for e in entries))
    by_level = Counter(e.level for e in entries if e.level)
    reviewable = 0
    approvable_heads: list[Evaluation] = []
    approvable_others = 0
    for entry in entries:
        if entry.period.is_closed:
            continue
        # `Line` reads the person, the unit and the period's agency: the light row has them.
        ev = cast(Evaluation, entry)
        if entry.status in _WAITING_REVIEW and line.may_review(ev):
            reviewable += 1
        if entry.status == EvaluationStatus.REVIEWED and line.may_approve(ev):
            if entry.is_head:
                approvable_heads.append(entry.as_evaluation())
            else:
                approvable_others += 1
    # The heads' collective rating asked once for all of them (one query, not one a head).
    bodies = collective_bodies(approvable_heads)
    approvable = approvable_others + sum(1 for ev in approvable_heads if bodies[ev.pk] is None)
    missing = [e for e in entries if e.status in selectors.NOT_SUBMITTED]
    return BoardSummary(
        unit_id=unit_id,
        period=str(parsed),
        entries=entries,
        period_row=period_row,
        last_period=last_period,
        by_status=by_status,
        levels=[
            (code, LEVEL_LABELS[code], by_level.get(code, 0), last_by_level.get(code, 0))
            for code in LEVEL_ORDER
        ],
        not_submitted=missing[:NOT_SUBMITTED_SHOWN],
        not_submitted_count=len(missing),
        deadline_passed=passed,
        reviewable=reviewable,
        approvable=approvable,
        last_known=last_known,
        lines_read=wide,
    )


@dataclass(slots=True)
class BoardEvaluation:
    """An evaluation on a page of the board, the columns its line reads, with the person's
    name and code, the unit's name and the period row of its entry: a plain row, where the
    page's model instances (each with its period, agency, person and unit) were the board's
    largest Python cost (issue 18). Read by `Line`, `board_rows` and the rules as an
    evaluation is."""

    pk: int
    staff_id: int
    unit_id: int
    period_code: str
    status: str
    is_head: bool
    is_leader: bool
    category: str
    rule_pack: str
    submitted_late: bool
    handled_by_manager: bool
    general_points: Decimal | None
    task_points: Decimal | None
    bonus_points: Decimal | None
    reviewed_general_points: Decimal | None
    reviewed_task_points: Decimal | None
    reviewed_bonus_points: Decimal | None
    reviewed_at: dt.datetime | None
    review_comment: str
    reviewed_level: str
    proposed_level: str
    final_level: str
    score: Decimal | None
    full_name: str
    staff_code: str
    unit_name: str
    period: EvaluationPeriod

    def effective_points(self) -> dict[str, Decimal | None]:
        return Evaluation.effective_points(cast(Evaluation, self))


# The columns `BoardEvaluation` holds, in its order, the period row aside.
_PAGE_COLUMNS = (
    "pk", "staff_id", "unit_id", "period_code", "status", "is_head", "is_leader", "category",
    "rule_pack", "submitted_late", "handled_by_manager", "general_points", "task_points",
    "bonus_points", "reviewed_general_points", "reviewed_task_points", "reviewed_bonus_points",
    "reviewed_at", "review_comment", "reviewed_level", "proposed_level", "final_level", "score",
    "staff__full_name", "staff__code", "unit__name",
)  # fmt: skip


# A wide row: `_PAGE_COLUMNS`, then these; `_WIDE_ENTRY`: where its `_ENTRY_COLUMNS` are.
# The period row's fields the board reads (its deadlines, state, agency and dates), as joined
# columns: the rest of the row (its JSON parameters and quota use) stays unread.
_PERIOD_FIELDS = [
    "id", "agency_id", "code", "kind", "starts_on", "ends_on", "self_due", "review_due",
    "approval_due", "status",
]  # fmt: skip
_PERIOD_COLUMNS = tuple("period_id" if f == "id" else f"period__{f}" for f in _PERIOD_FIELDS)
_WIDE_EXTRA = ("unit__code", "staff__name_key", *_PERIOD_COLUMNS)
_WIDE_ENTRY = tuple((_PAGE_COLUMNS + _WIDE_EXTRA).index(c) for c in _ENTRY_COLUMNS)


def board_page_rows(
    scope: Scope, line: services.Line, summary: BoardSummary, shown: list[BoardEntry]
) -> list[BoardRow]:
    """The full lines of the entries shown on a page of the board (one query for them, none
    when the board's read held them)."""
    pks = [e.pk for e in shown]
    full = summary.lines_read
    if not all(pk in full for pk in pks):
        read = (
            selectors.full_evaluations(scope)
            .filter(pk__in=pks)
            .order_by()
            .values_list(*_PAGE_COLUMNS)
        )
        full = {row[0]: row for row in read}
    make: Any = BoardEvaluation  # its fields are `_PAGE_COLUMNS`, then the period row
    evaluations = [make(*full[entry.pk], entry.period) for entry in shown if entry.pk in full]
    return board_rows(
        cast(list[Evaluation], evaluations),
        line,
        passed=summary.deadline_passed,
        last_period=summary.last_period,
        last_known=summary.last_known,
    )


def _period_codes(*, agencies: Any) -> QuerySet[Any]:
    # Without the model's ordering, which made it DISTINCT (code, start, agency): a city's 294
    # agencies filled the 500 rows with its two newest months.
    return (
        EvaluationPeriod.objects.filter(InIds(F("agency_id"), agencies))
        .order_by()
        .values_list("code")
        .distinct()[:500]
    )


_PERIOD_CODES = PreparedRows(_period_codes, arrays=("agencies",))


def period_choices(scope: Scope, unit_id: int | None, *, limit: int = 24) -> list[str]:
    """Period codes the reader can pick for a unit's agency (newest first), this month first."""
    codes: set[str] = {period_code(today())}
    if unit_id is not None:
        snap = tree()
        if unit_id in snap.units:
            agencies = {
                snap.agency_of(u, scope.on)
                for u in snap.subtree_on(unit_id, scope.on)
                if u in snap.units
            }
            codes |= {code for (code,) in _PERIOD_CODES.run(agencies=agencies)}
    # The quarters and years of those months (rules.md "Settled points" 3: a roll-up closes).
    months = [c for c in codes if len(c) == 7 and c[4] == "-" and c[5:].isdigit()]
    rolled = {c[:4] for c in months} | {f"{c[:4]}-Q{(int(c[5:]) - 1) // 3 + 1}" for c in months}
    return sorted(codes, reverse=True)[:limit] + sorted(rolled - codes, reverse=True)


# -- closing ---------------------------------------------------------------------------------------
def close_units(scope: Scope, line: services.Line) -> list[int]:
    """Agencies (or the city) the reader may open the close screen of."""
    snap = tree()
    on = scope.on
    if scope.city_wide:
        return snap.roots_on(on)
    units = set(line.approves) | set(scope.read_units)
    agencies = {u for u in units if u in snap.units and snap.units[u].kind != "division"}
    return top_units(agencies, snap, on)


def may_see_close(scope: Scope, line: services.Line, unit_id: int) -> bool:
    return scope.city_wide or unit_id in line.approves or unit_id in scope.read_units


@dataclass
class AgencyLine:
    agency_id: int
    code: str
    name: str
    period: EvaluationPeriod | None
    total: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)
    groups: dict[str, dict[str, int]] = field(default_factory=dict)  # leaders / others
    demoted: int = 0  # named by the head to move down for the quota (open periods)

    @property
    def pending(self) -> int:
        return self.total - self.by_status.get("approved", 0) - self.by_status.get("closed", 0)


def agency_summary(unit_id: int, period: str) -> list[AgencyLine]:
    """Per agency of the unit's subtree: its period, counts by status, by level (final, else
    the reviewer's or the person's proposal) and by group (leaders, others)."""
    snap = tree()
    parsed = rules.Period.parse(period)
    subtree = snap.subtree_on(unit_id, parsed.end)
    periods = {
        p.agency_id: p
        for p in EvaluationPeriod.objects.select_related("agency")
        .defer("pack_params")
        .filter(code=str(parsed), agency_id__in=sorted(subtree))
        .order_by()
    }
    lines: dict[int, AgencyLine] = {}
    for agency_id, p in periods.items():
        info = snap.units[agency_id]
        lines[agency_id] = AgencyLine(agency_id, info.code, info.name, p)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    levels: dict[int, Counter[str]] = defaultdict(Counter)
    groups: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    demoted: Counter[int] = Counter()
    # Counted once per period and kept until a write changes it (`summary`: a city's month is
    # 200,000 evaluations, a second of the database's time on every view).
    kept = summary.group_counts(periods.values())
    for agency_id, p in periods.items():
        for status, final, reviewed, proposed, leader, chosen, n in kept.get(p.pk, []):
            counts[agency_id][status] += n
            level = final or reviewed or proposed
            if level:
                levels[agency_id][level] += n
                groups[agency_id]["leaders" if leader else "others"][level] += n
            if chosen:
                demoted[agency_id] += n
    for agency_id, line in lines.items():
        line.by_status = dict(counts[agency_id])
        line.total = sum(counts[agency_id].values())
        line.by_level = dict(levels[agency_id])
        line.groups = {g: dict(c) for g, c in groups[agency_id].items()}
        line.demoted = demoted[agency_id]
    return sorted(lines.values(), key=lambda x: x.code)


@dataclass
class ClosePreview:
    """What closing now would do: the levels and quota use, or why it is refused."""

    result: closing.CloseResult | None = None
    conflicts: list[closing.Conflict] = field(default_factory=list)
    not_ready: list[str] = field(default_factory=list)
    error: str = ""


def close_preview(*, unit: Any, period: str, by: Any) -> ClosePreview:
    """`close_period(dry_run=True)`: computes everything, refusals included, and writes nothing."""
    try:
        result = closing.close_period(unit=unit, period=period, by=by, dry_run=True)
    except closing.QuotaConflicts as exc:
        return ClosePreview(conflicts=list(exc.conflicts))
    except closing.NotReady as exc:
        return ClosePreview(
            not_ready=[str(x) for x in exc.field_errors.get("evaluations", [])],
            error=str(exc.message),
        )
    except DomainError as exc:
        return ClosePreview(error=str(exc.message))
    return ClosePreview(result=result)


def demoted_in(lines: Iterable[AgencyLine]) -> list[Evaluation]:
    """Evaluations the head has named to move down for the quota in the open periods of these
    summary lines (the close screen's). Only the periods the summary counts a choice in are
    read, through the (period, unit) index: a filter on the choice over a city's open month
    read its 200,000 rows to find a handful."""
    chosen = sorted(
        line_.period.pk
        for line_ in lines
        if line_.demoted and line_.period is not None and line_.period.status == PeriodStatus.OPEN
    )
    if not chosen:
        return []
    return list(
        Evaluation.objects.select_related("staff")
        .filter(period_id__in=chosen, quota_demoted=True)
        .order_by("staff__name_key")
    )


def closed_results(closed_periods: Iterable[EvaluationPeriod]) -> QuerySet[Evaluation]:
    """The evaluations of these closed periods (the close screen's), in its order (agency,
    unit, name): the page shows them a page at a time."""
    return (
        Evaluation.objects.select_related("staff", "unit", "period__agency")
        .filter(period_id__in=sorted(p.pk for p in closed_periods))
        .order_by("period__agency__code", "unit__code", "staff__name_key", "pk")
    )


def page_links(request: Any, param: str, page: Any, *, path: str) -> dict[str, str]:
    """The addresses of the first, previous, next and last pages of `page`: the page at `path`
    with the request's query and `param` set (a screen with two lists paged apart). A page
    shown in answer to a POST (a refusal) links to the page itself, by its unit and period."""
    query = request.GET.copy()
    if request.method == "POST":
        query = QueryDict(mutable=True)
        for key in ("unit", "period"):
            if request.POST.get(key):
                query[key] = request.POST[key]

    def url(number: int) -> str:
        query[param] = str(number)
        return f"{path}?{query.urlencode()}"

    links = {}
    if page.has_previous():
        links["first"], links["previous"] = url(1), url(page.previous_page_number())
    if page.has_next():
        links["next"], links["last"] = url(page.next_page_number()), url(page.paginator.num_pages)
    return links


def summary_total(lines: list[AgencyLine]) -> AgencyLine:
    """The summary's lines added up: the whole unit on one line."""
    total = AgencyLine(0, "", "", None)
    status: Counter[str] = Counter()
    levels: Counter[str] = Counter()
    groups: dict[str, Counter[str]] = defaultdict(Counter)
    for line_ in lines:
        total.total += line_.total
        status.update(line_.by_status)
        levels.update(line_.by_level)
        for group, counts in line_.groups.items():
            groups[group].update(counts)
    total.by_status = dict(status)
    total.by_level = dict(levels)
    total.groups = {g: dict(c) for g, c in groups.items()}
    return total


def quota_lines(periods: Iterable[EvaluationPeriod]) -> list[dict[str, Any]]:
    """The use of the quota per agency and group as the close wrote it, with the agency's name
    and the period (the close screen's table and its export)."""
    return [
        {**use, "agency_name": p.agency.name, "period": p.code}
        for p in periods
        for use in p.quota_use
    ]


def reopenings_of(periods: Iterable[EvaluationPeriod]) -> list[ReopenDecision]:
    """The decisions that reopened these periods, newest decision first (shown on the close
    screen, so a period closed again still says it was reopened, when and why)."""
    ids = [p.pk for p in periods]
    if not ids:
        return []
    return list(
        ReopenDecision.objects.select_related("period__agency")
        .filter(period_id__in=ids)
        .order_by("-decided_on", "-created_at")
    )


# -- collective decisions --------------------------------------------------------------------------
def collective_rows(period: str, body: str = "city_committee") -> list[Evaluation]:
    """Heads `body` rates by collective decision in `period` (open periods)."""
    # Only the head of an agency is rated collectively (`services.collective_body`, which
    # decides): the heads of divisions — a city's hundreds — are left out before it is asked,
    # by whether the person ever headed the agency of the evaluation (one query, not one each).
    from thenchot.people.models import HeadAssignment

    periods = dict(
        EvaluationPeriod.objects.filter(code=period, status=PeriodStatus.OPEN).values_list(
            "pk", "agency_id"
        )
    )
    heads = set(
        HeadAssignment.objects.filter(unit_id__in=set(periods.values())).values_list(
            "staff_id", "unit_id"
        )
    )
    candidates = (
        Evaluation.objects.select_related("period", "period__agency", "staff", "unit")
        .filter(
            period_id__in=sorted(periods),
            is_head=True,
            staff_id__in=sorted({staff for staff, _unit in heads}),
        )
        .order_by("period__agency__code")
    )
    return [
        ev
        for ev in candidates
        if (ev.staff_id, periods[ev.period_id]) in heads and services.collective_body(ev) == body
    ]


def recent_decisions(limit: int = 10) -> list[CollectiveDecision]:
    return list(CollectiveDecision.objects.order_by("-decided_on", "-pk")[:limit])


# -- roll-ups --------------------------------------------------------------------------------------
@dataclass
class RollupLine:
    period: str
    level: str | None
    score: Decimal | None
    reasons: list[str]
    months: int
    error: str = ""
    # A Decree 90 year: the counts it was rated on and the own tasks behind them (rules.md
    # "Settled points" 2); `counts_given`: the evaluation gave the counts itself.
    counts: rules.TaskCounts | None = None
    counts_given: bool = False
    tasks: list[inputs.OwnTaskLine] = field(default_factory=list)


def _rolls_up(category: str, period: rules.Period) -> bool:
    """True when the pack in force rolls `period` up from its months."""
    try:
        pack = rules.registry.resolve(category, period)
    except rules.RuleInputError:
        return False
    return period.kind in pack.period_kinds and period.kind not in pack.classified_kinds


def _rated_on_the_year(category: str, year: int) -> bool:
    """True when the pack in force rates the year directly (Decree 90): its line is shown
    with the counts and tasks behind it before anything is closed."""
    period = rules.Period.parse(str(year))
    try:
        pack = rules.registry.resolve(category, period)
    except rules.RuleInputError:
        return False
    return period.kind in pack.classified_kinds


def rollups_for(staff: Any, year: int) -> list[RollupLine]:
    """The person's quarters (where a month of it is closed) and year under the pack in force."""
    closed = set(
        Evaluation.objects.filter(
            staff_id=staff.pk, status=EvaluationStatus.CLOSED, period_code__startswith=f"{year}-"
        ).values_list("period_code", flat=True)
    )
    if not closed and not _rated_on_the_year(staff.category, year):
        return []
    codes = []
    for q in range(1, 5):
        quarter = rules.Period.quarter(year, q)
        if not _rolls_up(staff.category, quarter):
            continue  # a pack that classifies quarters directly (Decree 335) or has none
        months = {str(m) for m in quarter.months()}
        if months & closed:
            codes.append(str(quarter))
    codes.append(str(year))
    out: list[RollupLine] = []
    for code in codes:
        try:
            found = rollup.rollup_for(staff=staff, period=code)
        except rules.RuleInputError as exc:
            out.append(RollupLine(code, None, None, [], 0, "; ".join(exc.messages)))
            continue
        c = found.classification
        line = RollupLine(
            period=code,
            level=c.level.value if c else None,
            score=c.score if c else None,
            reasons=[step.render(gettext, labels.shown) for step in c.trace] if c else [],
            months=len(found.periods),
            error=found.error,
        )
        if found.decree90 is not None:
            rolled = rules.Period.parse(code)
            lines = inputs.own_task_lines([staff.pk], rolled.start, rolled.end).get(staff.pk, [])
            counted = rules.TaskCounts.of(t.fact for t in lines)
            line.counts = found.decree90.own or counted
            line.counts_given = found.decree90.given
            line.tasks = lines
        out.append(line)
    return out


def unit_page_url(name: str, unit_id: int, period: str) -> str:
    """A page chosen by unit and period (the board, the close screen), as its form submits it."""
    query = urlencode({"unit": tree().units[unit_id].code, "period": period})
    return f"{reverse(name)}?{query}"


def published_period(scope: Scope) -> str | None:
    """The newest closed period of the reader's own agency (published inside it)."""
    agency = selectors.own_agency(scope)
    if agency is None:
        return None
    return (
        EvaluationPeriod.objects.filter(agency_id=agency, status=PeriodStatus.CLOSED)
        .order_by("-starts_on")
        .values_list("code", flat=True)
        .first()
    )


def level_counts(evaluations: Iterable[Evaluation]) -> list[tuple[str, Any, int]]:
    counts = Counter(e.final_level for e in evaluations if e.final_level)
    return [(code, LEVEL_LABELS[code], counts.get(code, 0)) for code in LEVEL_ORDER]


def level_counts_of(evaluations: QuerySet[Evaluation]) -> list[tuple[str, Any, int]]:
    """`level_counts` counted in the database (an agency's thousands of published results)."""
    counts = dict(
        evaluations.exclude(final_level="")
        .order_by()
        .values_list("final_level")
        .annotate(n=Count("*"))
    )
    return [(code, LEVEL_LABELS[code], counts.get(code, 0)) for code in LEVEL_ORDER]


def readable_evaluation(scope: Scope, pk: int) -> Evaluation | None:
    return selectors.evaluation_queryset(scope).filter(pk=pk).first()


def year_due(summary: list[Any], period: str) -> dict[str, Any] | None:
    """For a year: the rating's deadline (rules.md "Timing": the agencies' period rows, or 15
    December when none is scheduled yet) and whether it has passed."""
    if not period.isdigit():
        return None
    rows = [line_.period for line_ in summary if line_.period is not None]
    deadlines = sorted({p.approval_due for p in rows}) or [rules.year_deadline(int(period))]
    return {"first": deadlines[0], "last": deadlines[-1], "passed": deadlines[0] < today()}
