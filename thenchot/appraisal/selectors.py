"""Reads of evaluations for the pages, the API and the report, always through the reader's scope.

Who sees what:
- everyone sees their own evaluations, every status, with the reasons of each result;
- managers (a grant over the unit, or the head of a unit on the day) and personnel officers see
  the evaluations of the people of their units, every status;
- the results of a closed period are published inside the agency (Decree 90/2020 art. 17 cl. 7:
  "công khai ... trong cơ quan"): a person sees the final levels of their own agency's closed
  periods, nothing of another agency's;
- administrators and the City leadership see everything.

What is published is the decision (who, period, final level), not the working papers: the
points, evidence, self-assessment, task calculation, the reviewer's and approver's levels and
comments and the trace stay with the person, those in whose line of review they are, the
personnel office of the subtree and the City (`FULL`). A colleague who reads a row only through
the publication gets `PUBLISHED` access: `evaluation_queryset` annotates each row with
`full_access`, and `access_of` is the one decision every page, export and serializer asks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import transaction
from django.db.models import BooleanField, CharField, ExpressionWrapper, Q, QuerySet, Value
from django.utils.translation import gettext, gettext_lazy

from thenchot.accounts.scoping import Scope
from thenchot.appraisal import labels, rules
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import ClosedLevelCount, Evaluation, EvaluationPeriod
from thenchot.core.prepared import PreparedRead
from thenchot.core.registry import RecordAccess
from thenchot.core.reporting import ReportBlock
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, HeadAssignment, Staff

NOT_SUBMITTED = (EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)

# The two ways a reader may see an evaluation (`access_of`).
FULL = "full"  # the working papers and the result
PUBLISHED = "published"  # the published decision only: who, period, final level


@dataclass(frozen=True)
class _ReaderFacts:
    """What the appraisal reads of the reader besides their grants, once per scope."""

    headed: tuple[int, ...]  # units they head on the scope's date
    own_unit: int | None  # their staff record's unit


def _reader_facts(scope: Scope) -> _ReaderFacts:
    """The units the reader heads on the scope's date and their own unit: read with the scope's
    grants, else one query (a union), kept on the scope (a request's), never across requests: a
    headship ends at once."""
    cached = getattr(scope, "_appraisal_facts", None)
    if cached is not None:
        return cast(_ReaderFacts, cached)
    headed: list[int] = []
    own_unit = None
    if scope.facts_read:  # read with the grants (`accounts.scoping`): no query
        headed = sorted({unit_id for unit_id, _role in scope.headships})
        own_unit = scope.own_unit_id
    elif scope.own_staff_id is not None:
        heads = (
            HeadAssignment.objects.filter(valid_on_q(scope.on), staff_id=scope.own_staff_id)
            .annotate(mark=Value("head", output_field=CharField()))
            .values_list("mark", "unit_id")
            .order_by()
        )
        own = (
            Staff.objects.filter(pk=scope.own_staff_id)
            .annotate(mark=Value("own", output_field=CharField()))
            .values_list("mark", "unit_id")
            .order_by()
        )
        for mark, unit_id in heads.union(own, all=True):
            if mark == "own":
                own_unit = unit_id
            else:
                headed.append(unit_id)
    facts = _ReaderFacts(headed=tuple(sorted(headed)), own_unit=own_unit)
    scope._appraisal_facts = facts  # type: ignore[attr-defined]
    return facts


def _managed_units(scope: Scope) -> set[int]:
    """Units whose evaluations the reader manages: the scope's readable units (grants) plus the
    subtrees of the units they head on the scope's date."""
    cached = getattr(scope, "_appraisal_units", None)
    if cached is not None:
        return cast(set[int], cached)
    units: set[int] = set(scope.read_units)
    headed = _reader_facts(scope).headed
    if headed:
        snap = tree()
        for unit_id in headed:
            if unit_id in snap.units:
                units |= snap.subtree_on(unit_id, scope.on)
    scope._appraisal_units = units  # type: ignore[attr-defined]
    return units


def managed_units(scope: Scope) -> set[int]:
    """The units whose evaluations the reader sees in full besides their own
    (`evaluation_full_q`; everything when `scope.city_wide`)."""
    return _managed_units(scope)


def published_periods(scope: Scope, code: str | None = None) -> list[int]:
    """The closed periods of the reader's own agency published to them (of `code` only, when
    given): what `evaluation_published_q` shows of colleagues."""
    return _published_periods(scope, code)


def own_agency(scope: Scope) -> int | None:
    unit_id = _reader_facts(scope).own_unit
    if unit_id is None:
        return None
    return tree().agency_of(unit_id, scope.on)


def _published_periods(scope: Scope, code: str | None = None) -> list[int]:
    """The closed periods of the reader's own agency (what is published to them). Read each
    time, not kept on the scope: a close publishes at once. The list of ids lets the database
    answer the publication branch of a read by the index on the evaluation's period, where a
    join to the period (agency, status) inside the OR made it read every evaluation of the
    month (issue 18: 93 ms of PostgreSQL for one person's own list)."""
    agency = own_agency(scope)
    if agency is None:
        return []
    periods = EvaluationPeriod.objects.filter(agency_id=agency, status=PeriodStatus.CLOSED)
    if code is not None:
        periods = periods.filter(code=code)
    return sorted(periods.values_list("pk", flat=True))


def evaluation_full_q(scope: Scope) -> Q:
    """Evaluations whose working papers the reader may read: their own, those of the units they
    review, approve or keep the personnel records of, everything for the City."""
    if scope.city_wide:
        return Q()
    q = Q(pk__in=[])
    units = _managed_units(scope)
    if units:
        q |= Q(unit_id__in=sorted(units))
    if scope.own_staff_id is not None:
        q |= Q(staff_id=scope.own_staff_id)
    return q


def evaluation_read_q(scope: Scope) -> Q:
    """The rows an export of whole evaluations (the interchange format: points, levels, reasons)
    may carry: the full-access rows only, never those a reader sees through the publication."""
    return evaluation_full_q(scope)


def evaluation_published_q(scope: Scope, *, period: str | None = None) -> Q:
    """The closed results of the reader's own agency (publication inside the agency); of the
    period with the code `period` only, when given."""
    periods = _published_periods(scope, period)
    if not periods:
        return Q(pk__in=[])
    return Q(period_id__in=periods)


def evaluation_queryset(scope: Scope, *, period: str | None = None) -> QuerySet[Evaluation]:
    """Evaluations the reader may see, with the period, agency, person and unit joined, each
    annotated `full_access` (False: the reader sees it through the publication only); those of
    the period with the code `period` only, when given."""
    if scope.city_wide:
        full: Any = Value(True)
        seen = Q()
    else:
        full_q = evaluation_full_q(scope)
        # A boolean column: a list decides every row's access in its own query, none per row.
        full = ExpressionWrapper(full_q, output_field=BooleanField())
        seen = full_q | evaluation_published_q(scope, period=period)
    if period is not None:
        seen &= Q(period_code=period)
    return (
        Evaluation.objects.select_related("period", "period__agency", "staff", "unit")
        .filter(seen)
        .annotate(full_access=full)
        .order_by("-period_code", "staff__name_key", "pk")
    )


def own_evaluations(scope: Scope) -> QuerySet[Evaluation]:
    """The reader's own evaluations, always in full, joined as `evaluation_queryset` joins
    them: a person's own read or write needs neither the units they manage nor what their
    agency publishes, so none of the queries that find them (issue 18: the self-assessment)."""
    if scope.own_staff_id is None:
        return Evaluation.objects.none()
    return _own(scope.own_staff_id)


def own_rows(staff: int) -> QuerySet[Evaluation]:
    """The evaluations of the staff member `staff`, joined and annotated as
    `own_evaluations`' (for a read compiled once with the staff id as its parameter)."""
    return _own(staff)


def _own(staff: int) -> QuerySet[Evaluation]:
    return (
        Evaluation.objects.select_related("period", "period__agency", "staff", "unit")
        .filter(staff_id=staff)
        .annotate(full_access=Value(True))
    )


# The month-end's most frequent read: compiled once per process (`core.prepared`).
_OWN_ONE = PreparedRead(lambda staff, pk: _own(staff).filter(pk=pk), "staff", "pk")
_OWN_ONE_LOCKED = PreparedRead(
    lambda staff, pk: _own(staff).filter(pk=pk).select_for_update(of=("self",)), "staff", "pk"
)


def own_evaluation(scope: Scope, pk: int, *, lock: bool = False) -> Evaluation | None:
    """The reader's own evaluation `pk` (None when it is not theirs), as `own_evaluations`
    gives it; with `lock`, read with SELECT … FOR UPDATE (inside a transaction)."""
    if scope.own_staff_id is None:
        return None
    read = _OWN_ONE_LOCKED if lock else _OWN_ONE
    found = read.run(staff=scope.own_staff_id, pk=pk)
    return found[0] if found else None


def full_evaluations(scope: Scope) -> QuerySet[Evaluation]:
    """The evaluations the reader sees in full (boards, histories, the change log), joined and
    ordered as `evaluation_queryset`'s; every row `full_access`. The publication is not asked
    for: a row seen only through it is not one of these."""
    return (
        Evaluation.objects.select_related("period", "period__agency", "staff", "unit")
        .filter(evaluation_full_q(scope))
        .annotate(full_access=Value(True))
        .order_by("-period_code", "staff__name_key", "pk")
    )


def is_full_reader(scope: Scope, evaluation: Evaluation) -> bool:
    """`evaluation_full_q` for one row in memory (no query once the scope's units are known)."""
    if scope.city_wide:
        return True
    if scope.own_staff_id is not None and evaluation.staff_id == scope.own_staff_id:
        return True
    return evaluation.unit_id in _managed_units(scope)


def access_of(scope: Scope | None, evaluation: Evaluation) -> str:
    """FULL or PUBLISHED for a row the reader already reads: the row's `full_access`
    annotation when it came from `evaluation_queryset`, else `is_full_reader`. Without a scope
    (a caller that forgot it), the published shape: never the working papers by mistake."""
    annotated = getattr(evaluation, "full_access", None)
    if annotated is not None:
        return FULL if annotated else PUBLISHED
    if scope is None:
        return PUBLISHED
    return FULL if is_full_reader(scope, evaluation) else PUBLISHED


def can_read(scope: Scope, evaluation: Evaluation) -> bool:
    """Whether the reader may read the change log of an evaluation: its before/after values are
    the working papers, so full access only."""
    return Evaluation.objects.filter(evaluation_full_q(scope), pk=evaluation.pk).exists()


# -- reasons ---------------------------------------------------------------------------------------
def reasons_text(reasons: Iterable[dict[str, Any]]) -> list[str]:
    """The trace of a result in the reader's language (the English detail when a rule has no
    template, e.g. an imported line)."""
    lines: list[str] = []
    for data in reasons or ():
        try:
            lines.append(rules.TraceStep.from_dict(data).render(gettext, labels.shown))
        except (KeyError, ValueError, TypeError):
            lines.append(str(data.get("detail", "")) if isinstance(data, dict) else str(data))
    return lines


@dataclass(frozen=True)
class HistoryLine:
    evaluation: Evaluation
    level: str  # final level, else the reviewer's or the person's proposal
    grade: str | None  # the Hanoi letter, for display
    reasons: list[str]


def my_history(scope: Scope, *, staff_id: int | None = None) -> list[HistoryLine]:
    """A person's evaluations month by month, newest first, each with its reasons (own history
    by default; another person's when the reader manages them)."""
    target = staff_id or scope.own_staff_id
    if target is None:
        return []
    lines = []
    for ev in full_evaluations(scope).filter(staff_id=target):
        level = ev.final_level or ev.reviewed_level or ev.proposed_level
        grade = None
        if ev.final_level and ev.final_level != "not_rated":
            try:
                grade = rules.registry.get(ev.rule_pack).display_grade(rules.Level(ev.final_level))
            except rules.RuleInputError:
                grade = None
        lines.append(HistoryLine(ev, level, grade, reasons_text(ev.reasons)))
    return lines


# -- the manager's board ---------------------------------------------------------------------------
@dataclass
class Board:
    unit_id: int
    period: str
    rows: list[Evaluation] = field(default_factory=list)
    not_submitted: list[Evaluation] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    by_level: dict[str, int] = field(default_factory=dict)  # final, else proposed
    last_period: str = ""
    last_by_level: dict[str, int] = field(default_factory=dict)


def division_board(scope: Scope, *, unit_id: int, period: str) -> Board:
    """A manager's board for `unit_id` (and the units under it) in `period`: everyone's state,
    who has not submitted, the distribution of levels (final, else the reviewer's or the
    person's proposal) and the same distribution for the previous month."""
    snap = tree()
    parsed = rules.Period.parse(period)
    units = snap.subtree_on(unit_id, parsed.end)
    base = full_evaluations(scope).filter(unit_id__in=sorted(units))
    rows = list(base.filter(period_code=str(parsed)))
    board = Board(unit_id=unit_id, period=str(parsed), rows=rows)
    board.not_submitted = [r for r in rows if r.status in NOT_SUBMITTED]
    board.by_status = dict(Counter(r.status for r in rows))
    board.by_level = dict(
        Counter(lvl for r in rows if (lvl := r.final_level or r.reviewed_level or r.proposed_level))
    )
    if parsed.kind is rules.PeriodKind.MONTH:
        prev = dt.date(parsed.year, parsed.number, 1) - dt.timedelta(days=1)
        board.last_period = f"{prev.year:04d}-{prev.month:02d}"
        board.last_by_level = dict(
            Counter(
                base.filter(period_code=board.last_period)
                .exclude(final_level="")
                .values_list("final_level", flat=True)
            )
        )
    return board


# -- quota use for personnel officers --------------------------------------------------------------
def quota_use(scope: Scope, *, period: str) -> list[dict[str, Any]]:
    """The use of the quota per agency and group of the closed periods the reader manages
    (as written by the close); open periods are previewed with `closing.close_period(...,
    dry_run=True)` on the close screen."""
    qs = EvaluationPeriod.objects.filter(code=period, status=PeriodStatus.CLOSED).select_related(
        "agency"
    )
    if not scope.city_wide:
        qs = qs.filter(agency_id__in=sorted(_managed_units(scope)))
    out: list[dict[str, Any]] = []
    for p in qs.order_by("agency__code"):
        for use in p.quota_use:
            out.append({**use, "period": p.code, "agency_name": p.agency.name})
    return out


def published(scope: Scope, *, period: str) -> QuerySet[Evaluation]:
    """The closed results of `period` published inside the reader's agency."""
    agency = own_agency(scope)
    if agency is None:
        return Evaluation.objects.none()
    return evaluation_queryset(scope).filter(
        period__agency_id=agency, period__code=period, period__status=PeriodStatus.CLOSED
    )


def periods_of(scope: Scope, *, agency_id: int) -> QuerySet[EvaluationPeriod]:
    return EvaluationPeriod.objects.filter(agency_id=agency_id).order_by("-starts_on")


# -- the report block ------------------------------------------------------------------------------
def report_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    """`evaluations` of shared/spec/report.md: the final levels of the closed monthly periods
    within [from, to], for the people whose unit lay in the subtree of `unit` in that month;
    `rated` counts those with a level other than not_rated; `active_staff` the people assigned in
    the subtree on `as_of`; `years` the same figures of the closed year periods ending within
    the range (rules.md "Settled points" 3: one row per person-year)."""

    unit_id = unit if isinstance(unit, int) else unit.pk
    snap = tree()
    counts = _closed_levels(
        unit_id, kind="month", starts_from=date_from, ends_from=None, to=date_to
    )
    # The year part: closed year periods ending within the range (roll-ups and Decree 90 years).
    years = _closed_levels(unit_id, kind="year", starts_from=None, ends_from=date_from, to=date_to)
    units_now = sorted(snap.subtree_on(unit_id, as_of))
    active = (
        Assignment.objects.filter(valid_on_q(as_of), unit_id__in=units_now)
        .values("staff_id")
        .distinct()
        .count()
    )
    return {
        **_level_figures(counts),
        "active_staff": active,
        "years": _level_figures(years),
    }


def _level_figures(counts: Counter[str]) -> dict[str, Any]:
    return {
        "by_level": {level.value: counts.get(level.value, 0) for level in rules.Level},
        "rated": sum(n for level, n in counts.items() if level != "not_rated"),
    }


def _closed_levels(
    unit_id: int,
    *,
    kind: str,
    starts_from: dt.date | None,
    ends_from: dt.date | None,
    to: dt.date,
) -> Counter[str]:
    """Final levels of the closed periods of `kind` within the range, for the people whose unit
    lay in the subtree of `unit_id` on each period's last day: read from the periods' level
    counts per unit (`ClosedLevelCount`, made here once per close), folded with the subtree of
    each period's end."""
    from django.db.models import Sum

    snap = tree()
    periods = EvaluationPeriod.objects.filter(
        kind=kind, status=PeriodStatus.CLOSED, ends_on__lte=to
    )
    if starts_from is not None:
        periods = periods.filter(starts_on__gte=starts_from)
    if ends_from is not None:
        periods = periods.filter(ends_on__gte=ends_from)
    rows = list(periods.values_list("pk", "closed_at"))
    level_counts_ensure(rows)
    counts: Counter[str] = Counter()
    subtrees: dict[dt.date, set[int]] = {}
    for member, ends_on, level, n in (
        ClosedLevelCount.objects.filter(period_id__in=[pk for pk, _at in rows])
        .values_list("unit_id", "period__ends_on", "level")
        .annotate(n=Sum("n"))
        .order_by()
    ):
        units = subtrees.get(ends_on)
        if units is None:
            units = subtrees[ends_on] = snap.subtree_on(unit_id, ends_on)
        if member in units:
            counts[level] += n
    return counts


def level_counts_ensure(periods: list[tuple[int, Any]]) -> None:
    """Make the level counts of the closed periods (id, closed_at) that have none for their
    current close: one grouped query over their evaluations (those of an earlier close go)."""
    from django.db.models import Count

    if not periods:
        return
    made = set(
        ClosedLevelCount.objects.filter(period_id__in=[pk for pk, _at in periods])
        .values_list("period_id", "closed_at")
        .distinct()
    )
    missing = {pk: at for pk, at in periods if (pk, at) not in made}
    if not missing:
        return
    with transaction.atomic():
        ClosedLevelCount.objects.filter(period_id__in=list(missing)).delete()
        new = [
            ClosedLevelCount(period_id=pk, closed_at=missing[pk], unit_id=member, level=level, n=n)
            for pk, member, level, n in Evaluation.objects.filter(period_id__in=list(missing))
            .exclude(final_level="")
            .values_list("period_id", "unit_id", "final_level")
            .annotate(n=Count("pk"))
            .order_by()
        ]
        ClosedLevelCount.objects.bulk_create(new, batch_size=5000, ignore_conflicts=True)


def has_report_data() -> bool:
    return Evaluation.objects.filter(status=EvaluationStatus.CLOSED).exists()


def narrative(block: dict[str, Any]) -> str:
    levels = block.get("by_level", {})
    return gettext(
        "%(rated)s monthly results: %(excellent)s excellent, %(good)s good, %(complete)s "
        "complete, %(not_complete)s not complete."
    ) % {
        "rated": block.get("rated", 0),
        "excellent": levels.get("excellent", 0),
        "good": levels.get("good", 0),
        "complete": levels.get("complete", 0),
        "not_complete": levels.get("not_complete", 0),
    }


evaluations_block = ReportBlock(
    key="evaluations",
    title=gettext_lazy("Evaluations"),
    compute=report_block,
    has_data=has_report_data,
    narrative=narrative,
)
RECORD_ACCESS: dict[str, RecordAccess] = {"appraisal.evaluation": can_read}
