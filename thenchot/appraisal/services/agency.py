"""An agency's own rating for a year under Decree 335/2025 (rules.md: "Agencies themselves are
rated on the same 100-point scale"): its rater enters the general and result points; the tasks
its units led that fell due in the year decide how far the score's level holds
(`rules.rate_agency`). Rated by the level above: the City's leadership, an administrator, or
the personnel office whose subtree holds the agency's parent. Audited; a second rating of the
same year replaces the first under its version (a concurrent edit is refused)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from thenchot.accounts.scoping import compute_scope
from thenchot.appraisal import rules
from thenchot.appraisal.models import AgencyRating
from thenchot.appraisal.services.base import _refuse, _today
from thenchot.core import auditing
from thenchot.core.concurrency import save_versioned
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.status import effective_deadline_expr
from thenchot.org.models import Unit
from thenchot.org.tree import tree


def agency_tasks(*, agency: Unit, year: int, on: dt.date) -> rules.AgencyTasks:
    """The tasks led by the agency's units (its subtree on `on`) whose effective deadline falls
    in `year` up to `on`, their status taken on `on`."""
    start, end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), on)
    units = sorted(tree().subtree_on(agency.pk, end))
    due = completed = on_time = good = 0
    rows = (
        Task.objects.filter(lead_unit_id__in=units, assigned_on__lte=end)
        .annotate(eff=effective_deadline_expr(end))
        .filter(eff__gte=start, eff__lte=end)
        .values_list("completed_on", "eff", "quality")
    )
    for completed_on, eff, quality in rows:
        due += 1
        if completed_on is None or completed_on > end:
            continue
        completed += 1
        if completed_on <= eff:
            on_time += 1
            good += quality != "below"
    return rules.AgencyTasks(due=due, completed=completed, on_time=on_time, good_on_time=good)


def agency_rate(
    *,
    agency: Unit,
    year: int,
    general_points: Any,
    result_points: Any,
    by: Any,
    expected_version: int | None = None,
) -> AgencyRating:
    snap = tree()
    if snap.units[agency.pk].kind == "division":
        raise _refuse(_("A division is part of an agency; the agency is rated."), "unit")
    today = _today()
    if year > today.year:
        raise _refuse(_("The year %(year)s has not begun.") % {"year": year}, "period")
    scope = compute_scope(by)
    on = min(dt.date(year, 12, 31), today)
    parent = snap.parent_on(agency.pk, on)
    if not (scope.city_wide or (parent is not None and scope.can_write_unit(parent))):
        raise OutOfScope(
            _("%(unit)s is rated by the level above it: you may not rate it.")
            % {"unit": agency.name}
        )
    tasks = agency_tasks(agency=agency, year=year, on=on)
    try:
        rating = rules.rate_agency(general=general_points, results=result_points, tasks=tasks)
    except rules.RuleInputError as exc:
        raise DomainError(
            "; ".join(exc.messages),
            field_errors={
                ("general_points" if "general" in m else "result_points"): [m] for m in exc.messages
            },
        ) from None
    values = {
        "general_points": rules.base.to_decimal(general_points, field="general"),
        "result_points": rules.base.to_decimal(result_points, field="results"),
        "score": rating.score,
        "level": rating.level.value,
        "reasons": [step.to_dict() for step in rating.trace],
        "tasks_due": tasks.due,
        "tasks_completed": tasks.completed,
        "tasks_on_time": tasks.on_time,
        "tasks_good": tasks.good_on_time,
        "rated_on": today,
        "rated_by": by,
    }
    with transaction.atomic():
        row = (
            AgencyRating.objects.select_for_update()
            .filter(agency=agency, period_code=str(year))
            .first()
        )
        if row is None:
            made = AgencyRating.objects.create(agency=agency, period_code=str(year), **values)
            auditing.record(made, action=auditing.CREATE)
            return made
        before = auditing.snapshot(row)
        for name, value in values.items():
            setattr(row, name, value)
        save_versioned(
            row,
            expected_version=row.version if expected_version is None else expected_version,
            fields=list(values),
        )
        auditing.record(row, action=auditing.UPDATE, before=before)
        return row
