"""Per-unit task statistics for a date range, and the `tasks` block of the statistical report.

Set-based: five grouped queries (tasks assigned, tasks due by status — those without and those
with an extension in force —, extensions requested, extensions approved), each grouped by lead unit *and tree epoch*, then folded up the in-memory
tree (`org.tree`) in Python. An epoch is a stretch of days over which the tree did not change;
a year usually has one or two, so the groups stay few while every task is still placed where
its lead unit stood on the day it was assigned (report.md: "the subtree of `unit` on the date of
the record", the record's date of a task — and of its extensions — being its assigned date).

What is counted (report.md, `tasks`): top-level tasks only — sub-tasks are parts of a task
already counted, and would count the same work twice up the tree;
- `assigned`: assigned within [from, to];
- `due`: effective deadline on `as_of` within [from, to]; the four statuses are those of the due
  tasks on `as_of` (`directives.status`, the same expression lists use);
- `extensions_requested`: requests with `requested_on` in range;
- `extensions_approved`: approvals with `decided_on` in range;
- `on_time_rate`: completed on time ÷ due, in percent (None when nothing fell due).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, QuerySet, Value, When
from django.utils.translation import gettext_lazy

from thenchot.accounts.scoping import Scope
from thenchot.core.errors import OutOfScope
from thenchot.core.reporting import ReportBlock
from thenchot.directives.choices import ExtensionStatus
from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.status import effective_deadline_expr, extended_on, status_expr
from thenchot.org.tree import TreeSnapshot, tree

COUNT_KEYS = (
    "assigned",
    "due",
    "completed_on_time",
    "completed_late",
    "overdue",
    "in_progress",
    "extensions_requested",
    "extensions_approved",
)


@dataclass
class UnitRow:
    """One line of the statistics table: a unit (or the total) and its counts."""

    unit_id: int | None  # None for the total row
    code: str
    name: str
    has_children: bool = False
    is_root_itself: bool = False  # tasks led by the root unit directly
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))

    @property
    def on_time_rate(self) -> float | None:
        due = self.counts["due"]
        if not due:
            return None
        return round(100.0 * self.counts["completed_on_time"] / due, 1)

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.code,
            "name": self.name,
            **self.counts,
            "on_time_rate": self.on_time_rate,
        }


@dataclass
class UnitStatistics:
    root_id: int
    date_from: dt.date
    date_to: dt.date
    as_of: dt.date
    rows: list[UnitRow]
    total: UnitRow


# -- epochs -------------------------------------------------------------------------------------
def breakpoints(snapshot: TreeSnapshot, date_to: dt.date) -> list[dt.date]:
    """Days up to `date_to` on which some parent link starts or ends (the day after its last
    day): between two of them every unit has the same ancestors. Placing a unit under the root
    depends only on its ancestors, so unit validity dates do not cut epochs."""
    day = dt.timedelta(days=1)
    points: set[dt.date] = set()
    for links in snapshot.links_by_unit.values():
        ordered = sorted(links, key=lambda ln: ln.valid_from or dt.date.min)
        for i, link in enumerate(ordered):
            # A unit's first link only starts the unit's own life: no task of it came before.
            if i and link.valid_from is not None and link.valid_from <= date_to:
                points.add(link.valid_from)
            if link.valid_to is not None and link.valid_to + day <= date_to:
                points.add(link.valid_to + day)
    return sorted(points)


_breakpoints = breakpoints  # the former private name


def _epoch_expr(path: str, starts: list[dt.date]) -> Any:
    """SQL: the index of the epoch the date at `path` falls in (0 before the first break)."""
    if not starts:
        return Value(0, output_field=IntegerField())
    whens = [
        When(**{f"{path}__gte": start}, then=Value(i + 1))
        for i, start in reversed(list(enumerate(starts)))
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


# -- the counting -------------------------------------------------------------------------------
def _grouped(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    starts: list[dt.date],
    lead_units: Iterable[int] | None,
) -> list[tuple[int, int, str, int]]:
    """(lead unit id, epoch, count key, n) for every non-empty group: four queries."""
    top = _top_tasks(lead_units)
    epoch = _epoch_expr("assigned_on", starts)
    out: list[tuple[int, int, str, int]] = []

    assigned = top.filter(assigned_on__range=(date_from, date_to))
    out.extend((u, e, "assigned", n) for u, e, n in _per_epoch(assigned, epoch, "lead_unit_id"))

    for u, e, st, n in _due_statuses(top, epoch, date_from=date_from, date_to=date_to, as_of=as_of):
        out.append((u, e, "due", n))
        out.append((u, e, st, n))

    ext = ExtensionRequest.objects.filter(task__parent__isnull=True)
    if lead_units is not None:
        ext = ext.filter(task__lead_unit_id__in=sorted(lead_units))
    ext_epoch = _epoch_expr("task__assigned_on", starts)
    requested = ext.filter(requested_on__range=(date_from, date_to))
    for u, e, n in _per_epoch(requested, ext_epoch, "task__lead_unit_id"):
        out.append((u, e, "extensions_requested", n))
    approved = ext.filter(status=ExtensionStatus.APPROVED, decided_on__range=(date_from, date_to))
    for u, e, n in _per_epoch(approved, ext_epoch, "task__lead_unit_id"):
        out.append((u, e, "extensions_approved", n))
    return out


def _per_epoch(qs: QuerySet[Any], epoch: Any, unit_path: str) -> Iterable[tuple[int, int, int]]:
    """(unit id at `unit_path`, epoch, number of rows) of `qs`: one grouped query."""
    return (
        qs.annotate(epoch=epoch).values_list(unit_path, "epoch").annotate(n=Count("id")).order_by()
    )


def _top_tasks(lead_units: Iterable[int] | None) -> QuerySet[Task]:
    top = Task.objects.filter(parent__isnull=True)
    if lead_units is not None:
        top = top.filter(lead_unit_id__in=sorted(lead_units))
    return top


def _due_statuses(
    top: QuerySet[Task], epoch: Any, *, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> Iterator[tuple[int, int, str, int]]:
    """(lead unit id, epoch, status on `as_of`, n) of the tasks of `top` due within
    [`date_from`, `date_to`]: two queries.

    Most tasks have no extension in force: for them the effective deadline is the original
    column, and the status Case compares plain columns (a hash anti-join, no per-row
    subquery). Only the extended ones evaluate `effective_deadline_expr`. The statuses come
    from the one `status_expr` either way."""
    extended = extended_on(as_of)
    plain = (
        top.alias(ext=extended)
        .filter(ext=False, deadline__range=(date_from, date_to))
        .annotate(epoch=epoch, st=status_expr(as_of, F("deadline")))
    )
    moved = (
        top.alias(ext=extended, eff=effective_deadline_expr(as_of))
        .filter(ext=True, eff__range=(date_from, date_to))
        .annotate(epoch=epoch, st=status_expr(as_of, F("eff")))
    )
    for qs in (plain, moved):
        for u, e, st, n in (
            qs.values_list("lead_unit_id", "epoch", "st").annotate(n=Count("id")).order_by()
        ):
            yield u, e, str(st), n


def epoch_day(starts: list[dt.date], date_to: dt.date, epoch: int) -> dt.date:
    """The last day of `epoch`: every link that starts inside an epoch is in force by then."""
    if epoch < len(starts):
        return starts[epoch] - dt.timedelta(days=1)
    return date_to


_epoch_day = epoch_day  # the former private name


def due_groups(
    *,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date,
    starts: list[dt.date],
    lead_units: Iterable[int] | None = None,
) -> list[tuple[int, int, str, int]]:
    """(lead unit id, epoch, status on `as_of`, n) of the top-level tasks due within
    [`date_from`, `date_to`] — the `due` part of the `tasks` block alone (two queries, the same
    two `_grouped` runs for it), for callers that need no assignment or extension counts. An
    epoch's day is `epoch_day(starts, date_to, epoch)`; `starts` come from `breakpoints`."""
    epoch = _epoch_expr("assigned_on", starts)
    return list(
        _due_statuses(
            _top_tasks(lead_units), epoch, date_from=date_from, date_to=date_to, as_of=as_of
        )
    )


def _fold(
    *,
    snapshot: TreeSnapshot,
    root_id: int,
    groups: list[tuple[int, int, str, int]],
    starts: list[dt.date],
    date_to: dt.date,
) -> dict[int, dict[str, int]]:
    """Counts per direct child of the root (key: child id; the root's own key: root id)."""
    placed: dict[tuple[int, int], int | None] = {}
    rows: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(COUNT_KEYS, 0))
    for unit_id, epoch, key, n in groups:
        slot = placed.get((unit_id, epoch), -1)
        if slot == -1:
            slot = _child_of_root(snapshot, root_id, unit_id, _epoch_day(starts, date_to, epoch))
            placed[(unit_id, epoch)] = slot
        if slot is None:
            continue
        rows[slot][key] += n
    return rows


def _child_of_root(snapshot: TreeSnapshot, root_id: int, unit_id: int, on: dt.date) -> int | None:
    """The child of `root_id` whose subtree held `unit_id` on `on` (root_id for the root itself;
    None when `unit_id` was not under the root that day)."""
    if unit_id == root_id:
        return root_id
    chain = [unit_id, *snapshot.ancestors_on(unit_id, on)]
    if root_id not in chain:
        return None
    return chain[chain.index(root_id) - 1]


def _counts(
    snapshot: TreeSnapshot, root: int, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[int, dict[str, int]]:
    starts = _breakpoints(snapshot, date_to)
    lead_units: set[int] | None = None
    if any(snapshot.links_by_unit.get(root, ())):
        # Below the top, ask only for units that were under the root in some epoch.
        lead_units = set()
        for epoch in range(len(starts) + 1):
            lead_units |= snapshot.subtree_on(root, _epoch_day(starts, date_to, epoch))
    groups = _grouped(
        date_from=date_from, date_to=date_to, as_of=as_of, starts=starts, lead_units=lead_units
    )
    return _fold(snapshot=snapshot, root_id=root, groups=groups, starts=starts, date_to=date_to)


def unit_statistics(
    *,
    scope: Scope,
    root: int,
    date_from: dt.date,
    date_to: dt.date,
    as_of: dt.date | None = None,
) -> UnitStatistics:
    """One row per direct child of `root` (and one for tasks the root leads itself, when it
    has any), each counting over that child's subtree, plus the total. Drill down by calling
    again with a child as `root`. Refused (`OutOfScope`) when `root` is not readable."""
    as_of = as_of or date_to
    if not scope.can_read_unit(root):
        raise OutOfScope()
    snapshot = tree()
    folded = _counts(snapshot, root, date_from, date_to, as_of)
    child_ids = set(snapshot.children_on(root, date_to)) | (set(folded) - {root})
    rows: list[UnitRow] = []
    for cid in sorted(child_ids, key=lambda i: (snapshot.units[i].name, snapshot.units[i].code)):
        info = snapshot.units[cid]
        row = UnitRow(
            unit_id=cid,
            code=info.code,
            name=info.name,
            has_children=bool(snapshot.children_on(cid, date_to)),
        )
        row.counts.update(folded.get(cid, {}))
        rows.append(row)
    if root in folded:
        info = snapshot.units[root]
        own = UnitRow(unit_id=root, code=info.code, name=info.name, is_root_itself=True)
        own.counts.update(folded[root])
        rows.insert(0, own)
    root_info = snapshot.units[root]
    total = UnitRow(unit_id=None, code=root_info.code, name=root_info.name)
    for row in rows:
        for key in COUNT_KEYS:
            total.counts[key] += row.counts[key]
    return UnitStatistics(
        root_id=root, date_from=date_from, date_to=date_to, as_of=as_of, rows=rows, total=total
    )


def report_block_tasks(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, int]:
    """The `tasks` block of shared/spec/report.md for `unit`'s subtree (no scope: the report
    command runs as the operator)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    folded = _counts(tree(), unit_id, date_from, date_to, as_of)
    totals = dict.fromkeys(COUNT_KEYS, 0)
    for counts in folded.values():
        for key in COUNT_KEYS:
            totals[key] += counts[key]
    return totals


def has_tasks() -> bool:
    return Task.objects.exists()


def narrative_tasks(block: dict[str, Any]) -> str:
    """One sentence for the PDF summary, in the active language."""
    from django.utils.translation import gettext

    return gettext(
        "%(assigned)s tasks assigned, %(due)s fell due: %(on_time)s completed on time, "
        "%(late)s completed late, %(overdue)s overdue, %(in_progress)s still in progress; "
        "%(ext_req)s extensions requested, %(ext_ok)s approved."
    ) % {
        "assigned": block["assigned"],
        "due": block["due"],
        "on_time": block["completed_on_time"],
        "late": block["completed_late"],
        "overdue": block["overdue"],
        "in_progress": block["in_progress"],
        "ext_req": block["extensions_requested"],
        "ext_ok": block["extensions_approved"],
    }


tasks_block = ReportBlock(
    key="tasks",
    title=gettext_lazy("Tasks"),
    compute=report_block_tasks,
    has_data=has_tasks,
    narrative=narrative_tasks,
)
