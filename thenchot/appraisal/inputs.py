"""Building the rule packs' inputs from the database, set-based (a few queries per call
whatever the number of people).

Nothing here decides a level: the packs do (`appraisal.rules`). This module reads points from
evaluations, work items from the person's tasks of the period (`directives`), discipline from
the discipline app's selector, leave from `people.Leave`, and the unit's result from the tasks
the unit leads, and turns them into the packs' plain dataclasses.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from thenchot.appraisal import rules
from thenchot.appraisal.rules.params import PackParameters
from thenchot.core.id_sets import CHUNK, InTexts, array_literal, id_groups, id_sets, is_whole
from thenchot.core.prepared import PreparedRows
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.status import APPROVED as EXTENSION_APPROVED
from thenchot.directives.status import (
    delay_count,
    effective_deadline_expr,
    extension_facts,
)
from thenchot.discipline.models import DisciplineDecision
from thenchot.discipline.selectors import decisions_effective_for
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import HeadAssignment, Leave, Staff

log = logging.getLogger(__name__)


# Beyond `core.id_sets.WHOLE` ids, the reads below ask for everyone and keep the rows of the
# ids in Python (`id_groups`), and PostgreSQL reads the due tasks without the ids (`_due_joined`).


# Which evaluation column holds the points of each criterion of the packs.
CRITERION_COLUMN = {
    "discipline_ethics": "general",
    "general": "general",
    "tasks": "tasks",
    "bonus": "bonus",
}


# -- periods and packs ---------------------------------------------------------------------------
def resolve_pack(category: str, period: rules.Period, pack_id: str | None = None) -> Any:
    """The pack an evaluation is computed under (named and checked, else the binding one)."""
    return rules.registry.resolve(category, period, pack_id=pack_id or None)


def current_params(pack_id: str) -> tuple[PackParameters, int | None]:
    """The newest administrator's parameter set of the pack (or the pack's defaults) and its
    version number (None: the defaults)."""
    return current_params_of([pack_id])[pack_id]


def _parameter_sets(*, packs: Any) -> QuerySet[Any]:
    from thenchot.appraisal.models import PackParameterSet

    return (
        PackParameterSet.objects.filter(InTexts(F("pack"), packs))
        .order_by("pack", "-number")
        .values_list("pack", "number", "params")
    )


# Every version of some packs (a few), newest first: compiled once (`core.prepared`), asked by
# each own page and board.
_PARAMETER_SETS = PreparedRows(_parameter_sets, arrays=("packs",))


def current_params_of(pack_ids: Iterable[str]) -> dict[str, tuple[PackParameters, int | None]]:
    """`current_params` of several packs in one query (the board's lines use two packs: a
    query each was a tenth of its statements, issue 18)."""
    wanted = sorted(set(pack_ids))
    if not wanted:
        return {}
    newest: dict[str, tuple[int, Any]] = {}
    for pack_id, number, params in _PARAMETER_SETS.run(packs=wanted):
        newest.setdefault(pack_id, (number, params))  # each pack's first row is its newest
    out: dict[str, tuple[PackParameters, int | None]] = {}
    for pack_id in wanted:
        pack = rules.registry.get(pack_id)
        if pack_id not in newest:
            out[pack_id] = (pack.defaults(), None)
        else:
            number, params = newest[pack_id]
            out[pack_id] = (pack.parameters_class.from_dict(params, base=pack.defaults()), number)
    return out


def points_for(pack: Any, values: Mapping[str, object]) -> dict[str, object]:
    """The evaluation's points (keys general/tasks/bonus) as the pack's criterion ids, leaving
    out those not given (so the pack computes task points from the work items)."""
    out: dict[str, object] = {}
    for criterion in pack.criteria:
        value = values.get(CRITERION_COLUMN.get(criterion.id, criterion.id))
        if value is not None:
            out[criterion.id] = value
    return out


def criteria_limits(pack: Any) -> dict[str, Decimal]:
    """Column (general/tasks/bonus) -> the pack's maximum, for forms and validation."""
    return {CRITERION_COLUMN.get(c.id, c.id): c.max_points for c in pack.criteria}


# -- tasks of the period -------------------------------------------------------------------------
@dataclass(frozen=True)
class TaskLine:
    """One task behind the pre-filled task points, as the person sees it."""

    code: str
    title: str
    deadline: dt.date
    completed_on: dt.date | None
    major_errors: int
    delays: int
    weight: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "deadline": self.deadline.isoformat(),
            "completed_on": self.completed_on.isoformat() if self.completed_on else None,
            "major_errors": self.major_errors,
            "delays": self.delays,
            "weight": str(self.weight),
        }


def work_of(
    staff_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, list[tuple[rules.WorkItem, TaskLine]]]:
    """Per person, the tasks they are the assignee of whose effective deadline (on the period's
    last day) falls in [start, end], as work items with their delays (rules.md "Tasks: status on a
    date D": an extension asked after the deadline keeps one delay)."""

    out: dict[int, list[tuple[rules.WorkItem, TaskLine]]] = defaultdict(list)
    for chunk in id_sets(staff_ids):
        rows = list(
            Task.objects.filter(assignee_id__in=chunk, assigned_on__lte=end)
            .annotate(eff=effective_deadline_expr(end))
            .filter(eff__gte=start, eff__lte=end)
            .values_list(
                "pk",
                "assignee_id",
                "code",
                "title",
                "deadline",
                "completed_on",
                "major_errors",
                "weight",
            )
        )
        if not rows:
            continue
        extensions: dict[int, list[Any]] = defaultdict(list)
        for tasks in id_sets(r[0] for r in rows):
            for ext in ExtensionRequest.objects.filter(task_id__in=tasks).only(
                "task_id",
                "requested_on",
                "previous_deadline",
                "new_deadline",
                "status",
                "decided_on",
            ):
                extensions[ext.task_id].append(ext)
        for pk, staff_id, code, title, deadline, completed_on, errors, weight in sorted(
            rows, key=lambda r: (r[1], r[4], r[2])
        ):
            done = completed_on is not None and completed_on <= end
            delays = delay_count(
                deadline=deadline,
                extensions=extension_facts(extensions.get(pk, ())),
                completed_on=completed_on,
                on=end,
            )
            item = rules.WorkItem(
                completed=done,
                weight=Decimal(weight),
                major_errors=int(errors or 0) if done else 0,
                delays=delays,
            )
            line = TaskLine(code, title, deadline, completed_on, int(errors or 0), delays, weight)
            out[staff_id].append((item, line))
    return dict(out)


def task_prefill(
    *,
    pack: Any,
    params: PackParameters,
    work: list[tuple[rules.WorkItem, TaskLine]],
    leader: rules.LeaderWork | None = None,
) -> tuple[Decimal | None, dict[str, Any]]:
    """Task points computed from the period's tasks with the pack's formula, and the calculation
    shown beside them (None when there is nothing to compute from: the person enters them)."""
    formula = getattr(params, "tasks", None)
    if formula is None or not any(c.id == "tasks" for c in pack.criteria):
        return None, {}
    result = rules.task_result(
        [item for item, _line in work],
        formula=formula,
        max_points=pack.criterion("tasks").max_points,
        leader=leader,
    )
    if result is None:
        return None, {"tasks": []}
    return result.points, {**result.as_params(), "tasks": [line.as_dict() for _i, line in work]}


# -- the unit's result (the ceiling on a head's level) -----------------------------------------
def head_units(staff_ids: Iterable[int], on: dt.date) -> dict[int, int]:
    """staff id -> the unit they head on `on` (role head)."""

    out: dict[int, int] = {}
    wanted = set(staff_ids)
    for chunk in id_groups(wanted):
        query = HeadAssignment.objects.filter(valid_on_q(on), role="head")
        if chunk is not None:
            query = query.filter(staff_id__in=chunk)
        for staff_id, unit_id in query.order_by("staff_id", "-valid_from").values_list(
            "staff_id", "unit_id"
        ):
            if chunk is not None or staff_id in wanted:
                out.setdefault(staff_id, unit_id)
    return out


def heads_on(on: dt.date) -> dict[int, int]:
    """staff id -> the unit they head on `on` (role head), for everyone: one query."""

    out: dict[int, int] = {}
    for staff_id, unit_id in (
        HeadAssignment.objects.filter(valid_on_q(on), role="head")
        .order_by("staff_id", "-valid_from")
        .values_list("staff_id", "unit_id")
    ):
        out.setdefault(staff_id, unit_id)
    return out


# A task due in a period, as the counts read it: (the unit's or person's id, completed on,
# effective deadline, quality).
DueRow = tuple[int, dt.date | None, dt.date, str | None]

# Within `counts_kept()`: (start, end) -> unit id -> its counts, each unit read once.
_KEPT: ContextVar[dict[tuple[dt.date, dt.date], dict[int, rules.UnitTaskCounts]] | None] = (
    ContextVar("appraisal_unit_task_counts", default=None)
)


# Within `counts_kept()`: (start, end) -> unit id -> the `_due_tasks` rows of the tasks it leads.
_ROWS: ContextVar[dict[tuple[dt.date, dt.date], dict[int, list[DueRow]]] | None] = ContextVar(
    "appraisal_unit_task_rows", default=None
)


@contextmanager
def counts_kept() -> Iterator[None]:
    """Inside, the tasks a unit leads are read once per period: a city's year close asks for
    the same units (the heads' ceilings under each pack, the roll-ups', Decree 90's managed
    units and the units' own targets) up to six times, each a scan of the year's tasks. For
    one operation that writes no task (a close), never across requests."""
    token, rows = _KEPT.set({}), _ROWS.set({})
    try:
        yield
    finally:
        _ROWS.reset(rows)
        _KEPT.reset(token)


def _lead_rows(ids: list[int], start: dt.date, end: dt.date) -> Iterator[DueRow]:
    """`_due_tasks` of the units `ids` lead, read once per unit and period inside
    `counts_kept()`."""
    kept = _ROWS.get()
    if kept is None:
        yield from _due_tasks("lead_unit_id", ids, start, end)
        return
    known = kept.setdefault((start, end), {})
    missing = [u for u in ids if u not in known]
    if missing:
        for unit_id in missing:
            known[unit_id] = []
        for row in _due_tasks("lead_unit_id", missing, start, end):
            known[row[0]].append(row)
    for unit_id in ids:
        yield from known[unit_id]


def unit_task_counts(
    unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, rules.UnitTaskCounts]:
    """Per unit, the counts of the tasks it leads that fell due in [start, end], their status
    taken on the period's last day (rules.md "Unit result")."""
    ids = sorted(set(unit_ids))
    kept = _KEPT.get()
    if kept is None:
        return _unit_task_counts(ids, start, end)
    known = kept.setdefault((start, end), {})
    missing = [u for u in ids if u not in known]
    if missing:
        known.update(_unit_task_counts(missing, start, end))
    return {u: known[u] for u in ids}


def _unit_task_counts(
    ids: list[int], start: dt.date, end: dt.date
) -> dict[int, rules.UnitTaskCounts]:
    facts: dict[int, list[rules.UnitTaskFact]] = defaultdict(list)
    made: dict[tuple[bool, bool, bool], rules.UnitTaskFact] = {}  # eight values, shared
    for unit_id, completed_on, eff, quality in _lead_rows(ids, start, end):
        done = completed_on is not None and completed_on <= end
        key = (
            done,
            done and completed_on is not None and completed_on <= eff,
            done and quality == "exceeds",
        )
        fact = made.get(key)
        if fact is None:
            fact = made[key] = rules.UnitTaskFact(completed=key[0], on_time=key[1], exceeded=key[2])
        facts[unit_id].append(fact)
    return {unit_id: rules.UnitTaskCounts.of(facts.get(unit_id, ())) for unit_id in ids}


def unit_results(
    unit_ids: Iterable[int], start: dt.date, end: dt.date, rule: rules.UnitResultRule
) -> dict[int, rules.UnitResult]:
    """Per requested unit, its result for [start, end] (the ceiling on its head's level).

    A unit's result depends on the units it directly manages (rules.md "Unit result"), which
    depend on theirs, so the counts are read for the whole subtree of each requested unit as
    the tree stood on the period's last day, and the results computed bottom-up
    (`rules.unit_results_tree`); only the requested units are returned."""

    requested = sorted(set(unit_ids))
    snapshot = tree()
    everything: set[int] = set()
    for unit_id in requested:
        if unit_id not in everything:
            everything |= snapshot.subtree_on(unit_id, end)
    children = {unit_id: snapshot.children_on(unit_id, end) for unit_id in everything}
    counts = unit_task_counts(everything, start, end)
    results = rules.unit_results_tree(counts, children, rule)
    return {unit_id: results[unit_id] for unit_id in requested}


# -- discipline ------------------------------------------------------------------------------------
def discipline_available() -> bool:
    try:
        from thenchot.discipline.selectors import decisions_effective_for  # noqa: F401
    except ImportError:  # the discipline app is optional for evaluation
        return False
    return True


def discipline_facts(
    staff_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, tuple[rules.DisciplineFact, ...]]:
    """Per person, the disciplinary decisions (Party and administrative) of the acts whose
    discipline took effect in [start, end], through the discipline app's selector (which counts
    an act once). Empty when the discipline app is not installed.

    Only people with a decision taking effect in the period can have an act whose first decision
    did: for many people, they alone are asked about (one query finds them)."""
    if not discipline_available():
        return {}
    ids = set(staff_ids)
    if len(ids) > CHUNK:
        ids &= _decided_in(start, end)
    return _facts(ids, start, end)


def _facts(
    ids: set[int], start: dt.date, end: dt.date
) -> dict[int, tuple[rules.DisciplineFact, ...]]:
    if not ids:
        return {}
    found = decisions_effective_for(staff_ids=ids, date_from=start, date_to=end)
    out: dict[int, tuple[rules.DisciplineFact, ...]] = {}
    for staff_id, violations in found.items():
        facts: list[rules.DisciplineFact] = []
        for violation in violations:
            for decision in violation.decisions:
                if decision.form not in rules.inputs.DISCIPLINE_FORMS:
                    continue
                facts.append(
                    rules.DisciplineFact(
                        form=decision.form,
                        effective_on=decision.effective_on,
                        track=decision.track or "administrative",
                        violation=violation.violation,
                    )
                )
        if facts:
            out[staff_id] = tuple(facts)
    return out


def _decided_in(start: dt.date, end: dt.date) -> set[int]:
    """The people with a disciplinary decision taking effect in [start, end]."""
    return set(
        DisciplineDecision.objects.filter(effective_on__gte=start, effective_on__lte=end)
        .values_list("staff_id", flat=True)
        .distinct()
    )


def discipline_facts_in(
    start: dt.date, end: dt.date
) -> dict[int, tuple[rules.DisciplineFact, ...]]:
    """`discipline_facts` for everyone: only people with a decision taking effect in the period
    can have an act whose first decision did, so they are the only ones asked about."""
    if not discipline_available():
        return {}
    return _facts(_decided_in(start, end), start, end)


# -- months worked and leave -----------------------------------------------------------------------
# Lawful leave that caps the year at `complete` (3 to < 6 months, Decree 90 art. 2). Maternity is
# leave (not worked) but never caps: rated on the time worked. Secondment is not leave at all:
# the person works, rated with the receiving agency's comments (rules.md "Settled points" 10).
LAWFUL_LEAVE = {"sick", "study", "unpaid", "other"}
NOT_LEAVE = {"secondment"}


@dataclass(frozen=True)
class YearPresence:
    months_worked: Decimal
    lawful_leave_months: Decimal
    maternity: bool


def _period_months(start: dt.date, end: dt.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month + 1


def months_of(days: int, start: dt.date, end: dt.date) -> Decimal:
    """Days as months of the period [start, end]: days ÷ (the period's days ÷ its months),
    unrounded (rules.md "Settled points" 10: 182 days of 365 = 5.98, under 6) — cut, never
    rounded up, to four places so that the trace stays readable."""
    total = (end - start).days + 1
    exact = Decimal(days) * _period_months(start, end) / Decimal(total)
    return exact.quantize(Decimal("0.0001"), rounding="ROUND_DOWN")


def presence_in(staff_ids: Iterable[int], start: dt.date, end: dt.date) -> dict[int, YearPresence]:
    """Per person, months worked in [start, end] — the days employed (from `joined_on` to
    `left_on`) and not on leave — and months of lawful leave, from the `leaves` records (Decree
    90/2020 art. 2; rules.md "Settled points" 10). People employed the whole period with no
    leave are absent from the result."""

    total_days = (end - start).days + 1
    leave_days: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    employed: dict[int, tuple[dt.date | None, dt.date | None]] = {}
    wanted = set(staff_ids)
    for chunk in id_groups(wanted):
        leaves = Leave.objects.filter(date_from__lte=end, date_to__gte=start)
        staff = Staff.objects.filter(Q(joined_on__gt=start) | Q(left_on__lt=end))
        if chunk is not None:
            leaves, staff = leaves.filter(staff_id__in=chunk), staff.filter(pk__in=chunk)
        for staff_id, kind, d_from, d_to in leaves.values_list(
            "staff_id", "kind", "date_from", "date_to"
        ):
            if kind in NOT_LEAVE or (chunk is None and staff_id not in wanted):
                continue
            lo, hi = max(d_from, start), min(d_to, end)
            offsets = range((lo - start).days, (hi - start).days + 1)
            leave_days[staff_id][kind].update(offsets)
        for staff_id, joined_on, left_on in staff.values_list("pk", "joined_on", "left_on"):
            if chunk is not None or staff_id in wanted:
                employed[staff_id] = (joined_on, left_on)
    out: dict[int, YearPresence] = {}
    for staff_id in set(leave_days) | set(employed):
        by_kind = leave_days.get(staff_id, {})
        joined_on, left_on = employed.get(staff_id, (None, None))
        first = 0 if joined_on is None or joined_on <= start else (joined_on - start).days
        last = total_days - 1 if left_on is None or left_on >= end else (left_on - start).days
        days = set(range(max(first, 0), min(last, total_days - 1) + 1))
        away: set[int] = set().union(*by_kind.values()) if by_kind else set()
        lawful = (
            set().union(*(v for k, v in by_kind.items() if k in LAWFUL_LEAVE)) if by_kind else set()
        )
        out[staff_id] = YearPresence(
            months_worked=months_of(len(days - away), start, end),
            lawful_leave_months=months_of(len(lawful & days), start, end),
            maternity=bool(by_kind.get("maternity")),
        )
    return out


# -- Decree 90 inputs from the tasks (rules.md "Settled points" 2) ----------------------------------
@dataclass(frozen=True)
class OwnTaskLine:
    """One own task behind a person's Decree 90 counts, as the year page shows it."""

    code: str
    title: str
    effective_deadline: dt.date
    completed_on: dt.date | None
    quality: str
    fact: rules.TaskFact


def led_units(on: dt.date, staff_ids: Iterable[int] | None = None) -> dict[int, int]:
    """staff id -> the unit they head on `on`, else the unit they are deputy of (rules.md
    "Settled points" 2): one query for everyone, or a few per 900 people asked about."""
    query = HeadAssignment.objects.filter(valid_on_q(on)).order_by("staff_id", "-valid_from")
    rows: list[tuple[int, int, str]] = []
    if staff_ids is None:
        rows = list(query.values_list("staff_id", "unit_id", "role"))
    else:
        wanted = set(staff_ids)
        for chunk in id_groups(wanted):
            if chunk is None:
                rows += (
                    r for r in query.values_list("staff_id", "unit_id", "role") if r[0] in wanted
                )
            else:
                rows += query.filter(staff_id__in=chunk).values_list("staff_id", "unit_id", "role")
    out: dict[int, int] = {}
    for staff_id, unit_id, _role in sorted(rows, key=lambda r: r[2] != "head"):
        out.setdefault(staff_id, unit_id)
    return out


def own_task_lines(
    staff_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, list[OwnTaskLine]]:
    """Per person, the tasks they are the assignee of whose effective deadline, taken on `end`,
    falls in [start, end], with their status on `end`: a few queries per 900 people."""
    out: dict[int, list[OwnTaskLine]] = defaultdict(list)
    for chunk in id_sets(staff_ids):
        for staff_id, code, title, completed_on, eff, quality in (
            _due("assignee_id", chunk, start, end)
            .order_by("assignee_id", "eff", "code")
            .values_list("assignee_id", "code", "title", "completed_on", "eff", "quality")
        ):
            fact = rules.TaskFact.of(
                completed_on=completed_on, effective_deadline=eff, quality=quality, year_end=end
            )
            out[staff_id].append(OwnTaskLine(code, title, eff, completed_on, quality or "", fact))
    return dict(out)


def _due(field: str, ids: Any, start: dt.date, end: dt.date) -> Any:
    """The tasks whose `field` (assignee_id, lead_unit_id) is in `ids` and whose effective
    deadline, taken on `end`, is in [start, end] (annotated `eff`)."""
    return (
        Task.objects.filter(**{f"{field}__in": ids}, assigned_on__lte=end)
        .annotate(eff=effective_deadline_expr(end))
        .filter(eff__gte=start, eff__lte=end)
    )


# Beyond this many ids (a district's units, a city's people), PostgreSQL reads the due tasks
# with `_DUE_SQL` (each task's effective deadline worked out once, by a join) instead of `_due`;
# beyond `core.id_sets.WHOLE`, without the ids.
JOINED = 100

# `_due` in SQL for many ids: the extension in force on the period's last day joined to each
# task (the latest by the day it took effect, then by the new deadline: `directives.status.
# effective_deadline_expr`'s order), where `_due`'s subquery is evaluated for every task up to
# three times (in the SELECT and on both sides of the range). `{field}`, `{ids}`: the column
# and the condition on it.
_DUE_SQL = (
    "SELECT t.{field}, t.completed_on, COALESCE(x.new_deadline, t.deadline), t.quality"
    " FROM {task} t LEFT JOIN ("
    "SELECT DISTINCT ON (e.task_id) e.task_id, e.new_deadline FROM {extension} e"
    " WHERE e.status = %s AND COALESCE(e.decided_on, e.requested_on) <= %s"
    " ORDER BY e.task_id, COALESCE(e.decided_on, e.requested_on) DESC, e.new_deadline DESC"
    ") x ON x.task_id = t.id"
    " WHERE {ids} AND t.assigned_on <= %s"
    " AND COALESCE(x.new_deadline, t.deadline) BETWEEN %s AND %s"
)


def _due_tasks(field: str, ids: Iterable[int], start: dt.date, end: dt.date) -> Iterator[DueRow]:
    """(`field`'s id, completed on, effective deadline, quality) of the tasks `_due` finds, in no
    order: what the counts of a person's or a unit's tasks are made of."""
    ids = set(ids)
    if connection.vendor == "postgresql" and len(ids) > JOINED:
        yield from _due_joined(field, ids, start, end)
        return
    for chunk in id_sets(ids):
        yield from (
            _due(field, chunk, start, end)
            .order_by()
            .values_list(field, "completed_on", "eff", "quality")
        )


def _due_joined(field: str, ids: set[int], start: dt.date, end: dt.date) -> Iterator[DueRow]:
    """`_due_tasks` of many ids on PostgreSQL (`_DUE_SQL`)."""
    q = connection.ops.quote_name
    column = q(next(str(f.column) for f in Task._meta.concrete_fields if f.attname == field))
    whole = is_whole(len(ids))
    if whole:
        condition, first = f"t.{column} IS NOT NULL", []
    else:
        condition, first = f"t.{column} = ANY(%s::bigint[])", [array_literal(ids)]
    sql = _DUE_SQL.format(
        field=column,
        task=q(Task._meta.db_table),
        extension=q(ExtensionRequest._meta.db_table),
        ids=condition,
    )
    params: list[Any] = [EXTENSION_APPROVED, end, *first, end, start, end]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(20_000):
            if whole:
                yield from (row for row in batch if row[0] in ids)
            else:
                yield from batch


def own_task_counts(
    staff_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, rules.TaskCounts]:
    """Per person with a task due in [start, end], the Decree 90 counts of their own tasks (the
    facts of `own_task_lines`, without reading the tasks' codes and titles, nor sorting them)."""
    return _counts(_due_tasks("assignee_id", staff_ids, start, end), end)


def _counts(rows: Iterable[DueRow], end: dt.date) -> dict[int, rules.TaskCounts]:
    """Per id, the Decree 90 counts of its tasks (`_due_tasks` rows) with their status on `end`."""
    facts: dict[int, list[rules.TaskFact]] = defaultdict(list)
    for key, completed_on, eff, quality in rows:
        facts[key].append(
            rules.TaskFact.of(
                completed_on=completed_on, effective_deadline=eff, quality=quality, year_end=end
            )
        )
    return {key: rules.TaskCounts.of(found) for key, found in facts.items()}


def unit_year_counts(
    unit_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, rules.TaskCounts]:
    """Per unit, the Decree 90 counts of the tasks it leads due in [start, end] (its targets)."""
    ids = sorted(set(unit_ids))
    counted = _counts(_lead_rows(ids, start, end), end)
    return {unit_id: counted.get(unit_id) or rules.TaskCounts.of(()) for unit_id in ids}


@dataclass(frozen=True)
class Decree90Person:
    """What the year's Decree 90 inputs need to know of one person."""

    staff_id: int
    category: str
    is_leader: bool
    unit_id: int  # the unit they belong to (the evaluation's)
    given: rules.TaskCounts | None = None  # counts the evaluation gives itself


@dataclass(frozen=True)
class Decree90Input:
    """One person-year's Decree 90 facts, or why there are none (`missing`, for the refusal)."""

    facts: rules.Decree90Facts | None
    own: rules.TaskCounts | None
    led_unit: int | None
    unit: rules.TaskCounts | None
    managed_levels: tuple[rules.Level, ...]
    missing: str = ""
    given: bool = False  # the evaluation gave the own counts itself


def leads_for_decree90(category: str, is_leader: bool, led: bool) -> bool:
    """Decree 90 art. 4-7: leaders and managers, and every cán bộ, meet the unit criteria."""
    return bool(is_leader or led or category == "cadre")


def decree90_inputs(
    people: Iterable[Decree90Person],
    period: rules.Period,
    rule: rules.UnitResultRule,
) -> dict[int, Decree90Input]:
    """Every person's Decree 90 facts for the year, counted from the records set-based (rules.md
    "Settled points" 2): own tasks (or the counts the evaluation gives), and for leaders and
    every cán bộ the targets of the unit they head or are deputy of — else, with no dated
    headship, the unit they belong to — and the year's results of the units directly under it.
    The number of queries grows with the number of people ÷ 900, never per person."""
    start, end = period.start, period.end
    people = list(people)
    ids = [p.staff_id for p in people]
    counted = own_task_counts([p.staff_id for p in people if p.given is None], start, end)
    led = led_units(end, ids)
    leaders = {
        p.staff_id: led.get(p.staff_id, p.unit_id)
        for p in people
        if leads_for_decree90(p.category, p.is_leader, p.staff_id in led)
    }
    snap = tree()
    managed = {u: tuple(snap.children_on(u, end)) for u in set(leaders.values())}
    children = {c for kids in managed.values() for c in kids}
    results = unit_results(children, start, end, rule) if children else {}
    targets = unit_year_counts(set(leaders.values()), start, end) if leaders else {}
    out: dict[int, Decree90Input] = {}
    for p in people:
        own = p.given if p.given is not None else counted.get(p.staff_id)
        unit_id = leaders.get(p.staff_id)
        unit = targets.get(unit_id) if unit_id is not None else None
        levels: tuple[rules.Level, ...] = ()
        if unit_id is not None:
            found = (results[c].level for c in managed[unit_id] if c in results)
            levels = tuple(level for level in found if level is not None)
        if own is None or own.due == 0:
            out[p.staff_id] = Decree90Input(
                None,
                None,
                unit_id,
                unit,
                levels,
                missing=_(
                    "no own task falls due in %(period)s (tasks whose assignee is the person) "
                    "and the evaluation gives no own task counts (own_tasks_due, "
                    "own_tasks_completed, own_tasks_on_time, own_tasks_exceeded)"
                )
                % {"period": str(period)},
            )
            continue
        facts = rules.decree90_facts(
            own, leads=unit_id is not None, unit=unit, managed_levels=levels
        )
        out[p.staff_id] = Decree90Input(
            facts, own, unit_id, unit, levels, given=p.given is not None
        )
    return out


def counts_given(
    due: int | None, completed: int | None, on_time: int | None, exceeded: int | None
) -> rules.TaskCounts | None:
    """The counts an evaluation gives itself (the four together, checked on entry and by the
    database), those short being the due not on time; None when it gives none."""
    if due is None or completed is None or on_time is None or exceeded is None:
        return None
    return rules.TaskCounts(due, completed, on_time, exceeded, due - on_time)


def given_counts(evaluations: QuerySet[Any]) -> dict[int, rules.TaskCounts]:
    """Staff id -> the Decree 90 counts that these evaluations give themselves (the interchange's
    `own_tasks_*`), for the evaluations that give them."""
    out: dict[int, rules.TaskCounts] = {}
    for staff_id, due, completed, on_time, exceeded in (
        evaluations.filter(own_tasks_due__isnull=False)
        .order_by()
        .values_list(
            "staff_id",
            "own_tasks_due",
            "own_tasks_completed",
            "own_tasks_on_time",
            "own_tasks_exceeded",
        )
    ):
        found = counts_given(due, completed, on_time, exceeded)
        if found is not None:
            out[staff_id] = found
    return out
