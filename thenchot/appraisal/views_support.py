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
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from thenchot.accounts.scoping import Scope
from thenchot.appraisal import closing, inputs, labels, rollup, rules, selectors, services
from thenchot.appraisal.choices import EvaluationStatus, Level, PeriodStatus
from thenchot.appraisal.models import (
    CollectiveDecision,
    Evaluation,
    EvaluationPeriod,
    ReopenDecision,
)
from thenchot.core.errors import DomainError
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


def current_evaluation(scope: Scope, code: str | None = None) -> Evaluation | None:
    """The person's evaluation of `code`, else of this month, else their newest open one."""
    qs = own_evaluations(scope)
    if code:
        return qs.filter(period_code=code).first()
    found = qs.filter(period_code=period_code(today())).first()
    if found is not None:
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
    batches: dict[str, Any] = {}
    out: dict[int, str] = {}
    for ev in evs:
        pack = rules.registry.get(ev.rule_pack)
        if ev.rule_pack not in batches:
            batches[ev.rule_pack] = pack.batch(inputs.current_params(ev.rule_pack)[0])
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


def board_view(scope: Scope, line: services.Line, *, unit_id: int, period: str) -> BoardView:
    board = selectors.division_board(scope, unit_id=unit_id, period=period)
    rows_in = sorted(board.rows, key=lambda e: (e.unit.code, not e.is_head, e.staff.name_key))
    period_row = rows_in[0].period if rows_in else None
    if period_row is None:
        snap = tree()
        agency = snap.agency_of(unit_id, scope.on) if unit_id in snap.units else None
        period_row = EvaluationPeriod.objects.filter(agency_id=agency, code=period).first()
    now = today()
    passed = period_row is not None and now > period_row.self_due
    last: dict[int, str] = {}
    if board.last_period:
        last = dict(
            Evaluation.objects.filter(
                period_code=board.last_period, staff_id__in=[e.staff_id for e in rows_in]
            )
            .exclude(final_level="")
            .values_list("staff_id", "final_level")
        )
    rows = []
    computed = levels_by_points(rows_in)
    for ev in rows_in:
        level = ev.final_level or ev.reviewed_level or ev.proposed_level
        open_ = not ev.period.is_closed
        collective = ev.is_head and services.rated_collectively(ev)
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
            codes |= set(
                EvaluationPeriod.objects.filter(agency_id__in=sorted(agencies))
                .values_list("code", flat=True)
                .distinct()[:500]
            )
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
        for p in EvaluationPeriod.objects.filter(code=str(parsed), agency_id__in=sorted(subtree))
    }
    lines: dict[int, AgencyLine] = {}
    for agency_id, p in periods.items():
        info = snap.units[agency_id]
        lines[agency_id] = AgencyLine(agency_id, info.code, info.name, p)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    levels: dict[int, Counter[str]] = defaultdict(Counter)
    groups: dict[int, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for agency_id, status, final, reviewed, proposed, leader in Evaluation.objects.filter(
        period_id__in=[p.pk for p in periods.values()]
    ).values_list(
        "period__agency_id", "status", "final_level", "reviewed_level", "proposed_level",
        "is_leader",
    ):  # fmt: skip
        counts[agency_id][status] += 1
        level = final or reviewed or proposed
        if level:
            levels[agency_id][level] += 1
            groups[agency_id]["leaders" if leader else "others"][level] += 1
    for agency_id, line in lines.items():
        line.by_status = dict(counts[agency_id])
        line.total = sum(counts[agency_id].values())
        line.by_level = dict(levels[agency_id])
        line.groups = {g: dict(c) for g, c in groups[agency_id].items()}
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


def demoted_in(unit_id: int, period: str) -> list[Evaluation]:
    """Evaluations the head has named to move down for the quota (not closed yet)."""
    snap = tree()
    parsed = rules.Period.parse(period)
    subtree = sorted(snap.subtree_on(unit_id, parsed.end))
    return list(
        Evaluation.objects.select_related("staff")
        .filter(
            period_code=str(parsed),
            period__agency_id__in=subtree,
            quota_demoted=True,
            period__status=PeriodStatus.OPEN,
        )
        .order_by("staff__name_key")
    )


def closed_results(unit_id: int, period: str, *, limit: int = 500) -> list[Evaluation]:
    snap = tree()
    parsed = rules.Period.parse(period)
    subtree = sorted(snap.subtree_on(unit_id, parsed.end))
    return list(
        Evaluation.objects.select_related("staff", "unit", "period__agency")
        .filter(
            period_code=str(parsed),
            period__agency_id__in=subtree,
            period__status=PeriodStatus.CLOSED,
        )
        .order_by("period__agency__code", "unit__code", "staff__name_key")[:limit]
    )


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
    candidates = (
        Evaluation.objects.select_related("period", "period__agency", "staff", "unit")
        .filter(period_code=period, is_head=True, period__status=PeriodStatus.OPEN)
        .order_by("period__agency__code")
    )
    return [ev for ev in candidates if services.collective_body(ev) == body]


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
