"""The `processes` and `cases` blocks of the statistical report (shared/spec/report.md).

- `processes`: `in_force` counts the versions approved on or before `to` and not retired by then
  (`retired_on` after `to`), by level in `in_force_by_level`; `approved_in_range` the versions
  approved within [from, to]. Scope: the owner unit in the subtree of `unit` on the record's
  date — `to` for what is in force then, the approval day for an approval.
- `cases`: `received` counts the cases received within the range; the outcomes are taken on
  `as_of` (`processes.status`) for the cases due within the range or completed within it.
  Scope: the case's unit (its procedure's owner) in the subtree on the day it was received.

Set-based: one grouped query per block. The cases are grouped by unit and by *epoch* — the
stretches of days between two changes of the tree, numbered in SQL — so the query returns at
most one row per unit and epoch whatever the number of cases, and each epoch's subtree is
computed once in memory.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Q
from django.utils.translation import gettext_lazy

from thenchot.core.epochs import epoch_expression
from thenchot.core.reporting import ReportBlock, register_block
from thenchot.inspections.statistics import SubtreeOnDate
from thenchot.org.tree import tree
from thenchot.processes.choices import Level
from thenchot.processes.models import Case, Process
from thenchot.processes.status import open_on

DAY = dt.timedelta(days=1)


def processes_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    snap = tree()
    inside = SubtreeOnDate(unit.pk, snap)
    in_force_units = snap.subtree_on(unit.pk, date_to)
    by_level = dict.fromkeys(Level.values, 0)
    approved = 0
    rows = (
        Process.objects.filter(approved_on__lte=date_to)
        .values_list("owner_unit_id", "level", "approved_on", "retired_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for owner, level, approved_on, retired_on, n in rows:
        if (retired_on is None or retired_on > date_to) and owner in in_force_units:
            by_level[level] = by_level.get(level, 0) + n
        if approved_on >= date_from and owner in inside(approved_on):
            approved += n
    return {
        "in_force": sum(by_level.values()),
        "in_force_by_level": by_level,
        "approved_in_range": approved,
    }


def received_epoch(points: list[dt.date]) -> Any:
    """The number of tree changes on or before `received_on` (`bisect_right`, in SQL)."""
    return epoch_expression("received_on", points)


_epoch = received_epoch  # the former private name


def cases_block(
    *, unit: Any, date_from: dt.date, date_to: dt.date, as_of: dt.date
) -> dict[str, Any]:
    inside = SubtreeOnDate(unit.pk, tree())
    points = inside.points
    in_range = (date_from, date_to)
    received = Q(received_on__range=in_range)
    counted = Q(due_on__range=in_range) | Q(completed_on__range=in_range)
    done = Q(completed_on__isnull=False, completed_on__lte=as_of)
    rows = (
        Case.objects.filter(received | counted)
        .annotate(epoch=_epoch(points))
        .values_list("unit_id", "epoch")
        .annotate(
            received=Count("id", filter=received),
            on_time=Count("id", filter=counted & done & Q(completed_on__lte=F("due_on"))),
            late=Count("id", filter=counted & done & Q(completed_on__gt=F("due_on"))),
            overdue=Count("id", filter=counted & open_on(as_of) & Q(due_on__lt=as_of)),
        )
        .order_by()
    )
    out = {"received": 0, "completed_on_time": 0, "completed_late": 0, "overdue": 0}
    for unit_id, epoch, n_received, on_time, late, overdue in rows:
        day = points[epoch - 1] if epoch else (points[0] - DAY if points else date_to)
        if unit_id not in inside(day):
            continue
        out["received"] += n_received
        out["completed_on_time"] += on_time
        out["completed_late"] += late
        out["overdue"] += overdue
    return out


def _processes_narrative(block: dict[str, Any]) -> str:
    from django.utils.translation import gettext as _

    return _(
        "%(in_force)s internal procedures in force at the end of the period; %(approved)s "
        "approved in the period."
    ) % {"in_force": block["in_force"], "approved": block["approved_in_range"]}


def _cases_narrative(block: dict[str, Any]) -> str:
    from django.utils.translation import gettext as _

    return _(
        "%(received)s cases received in the period; of the cases due or completed in it, "
        "%(on_time)s completed on time, %(late)s late and %(overdue)s overdue."
    ) % {
        "received": block["received"],
        "on_time": block["completed_on_time"],
        "late": block["completed_late"],
        "overdue": block["overdue"],
    }


processes_report_block = ReportBlock(
    key="processes",
    title=gettext_lazy("Internal procedures"),
    compute=processes_block,
    has_data=lambda: Process.objects.exists(),
    narrative=_processes_narrative,
)
cases_report_block = ReportBlock(
    key="cases",
    title=gettext_lazy("Cases"),
    compute=cases_block,
    has_data=lambda: Case.objects.exists(),
    narrative=_cases_narrative,
)
# report.md's order: inspections, discipline, rotations, processes, cases, tasks.
register_block(processes_report_block, order=40)
register_block(cases_report_block, order=45)
