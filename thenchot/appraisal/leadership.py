"""A Decree 335 leader's two task components from the records (rules.md `decree-335-2025`:
"Leaders and managers: their task points also weigh (i) the operating result of what they
manage … and (ii) their organising ability …; Deputies are assessed the same way within the
fields assigned to them").

What a leader manages, on the period's reference day: the unit they head; for a deputy, the
fields assigned to them (`DeputyField`), or the whole unit they are deputy of when none is
recorded (*default*). Within it:
- operating result: the levels of the period of the civil servants under them — the final level
  once closed, else the reviewed level, else the proposed one; those not assessed yet are
  counted apart and named as pending in the calculation;
- organising ability: the tasks its units lead that fell due in the period, status on the
  reference day — all completed on time with quality (none "below"): all on time; all completed
  but some late: the middle tier; otherwise the lowest (nothing due: all on time).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from thenchot.appraisal import rules
from thenchot.appraisal.models import DeputyField, Evaluation
from thenchot.directives.models import Task
from thenchot.directives.status import effective_deadline_expr
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.models import HeadAssignment

PACK = "decree-335-2025"
RATED = {"excellent", "good", "complete", "not_complete"}


def _on(evaluation: Evaluation) -> dt.date:
    period = evaluation.period
    return min(period.ends_on, max(period.starts_on, timezone.localdate()))


def managed_units(staff_id: int, on: dt.date) -> tuple[str, list[int]] | None:
    """("head" | "fields" | "unit", the units managed) of a head or deputy on `on`."""
    roles = list(
        HeadAssignment.objects.filter(valid_on_q(on), staff_id=staff_id).values_list(
            "role", "unit_id"
        )
    )
    heads = [unit for role, unit in roles if role == "head"]
    if heads:
        return "head", heads
    deputies = [unit for role, unit in roles if role == "deputy"]
    if not deputies:
        return None
    fields = list(
        DeputyField.objects.filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on), staff_id=staff_id, valid_from__lte=on
        ).values_list("unit_id", flat=True)
    )
    if fields:
        return "fields", fields
    return "unit", deputies


def leader_work(evaluation: Evaluation) -> tuple[rules.LeaderWork | None, dict[str, Any]]:
    """The leader components of `evaluation` and what they were read from (for the calculation
    shown beside the task points); (None, {}) for anyone the components do not concern."""
    if evaluation.rule_pack != PACK or not evaluation.is_leader:
        return None, {}
    on = _on(evaluation)
    managed = managed_units(evaluation.staff_id, on)
    if managed is None:
        return None, {}
    basis, roots = managed
    snap = tree()
    units: set[int] = set()
    for root in roots:
        units |= snap.subtree_on(root, on)
    levels: list[rules.Level] = []
    pending = 0
    for final, reviewed, proposed in (
        Evaluation.objects.filter(
            period_code=evaluation.period_code, unit_id__in=units, category="civil_servant"
        )
        .exclude(staff_id=evaluation.staff_id)
        .values_list("final_level", "reviewed_level", "proposed_level")
    ):
        level = next((x for x in (final, reviewed, proposed) if x in RATED), None)
        if level is None:
            pending += 1
        else:
            levels.append(rules.Level(level))
    start = evaluation.period.starts_on
    due = on_time = done = 0
    for completed_on, eff, quality in (
        Task.objects.filter(lead_unit_id__in=units, assigned_on__lte=on)
        .annotate(eff=effective_deadline_expr(on))
        .filter(eff__gte=start, eff__lte=on)
        .values_list("completed_on", "eff", "quality")
    ):
        due += 1
        if completed_on is not None and completed_on <= on:
            done += 1
            on_time += completed_on <= eff and quality != "below"
    if on_time == due:
        organising = rules.Organising.ALL_ON_TIME
    elif done == due:
        organising = rules.Organising.ALL_DONE_SOME_LATE
    else:
        organising = rules.Organising.OTHER
    about = {
        "basis": basis,
        "units": sorted(snap.units[u].code for u in roots),
        "subordinates": len(levels),
        "pending": pending,
        "not_complete": sum(level is rules.Level.NOT_COMPLETE for level in levels),
        "tasks_due": due,
        "tasks_done": done,
        "tasks_on_time": on_time,
    }
    return rules.LeaderWork(tuple(levels), organising), about
