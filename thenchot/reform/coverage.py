"""Evaluation coverage counted in the database: per unit, (covered, active) people.

The rule (report.md, `reform`; docs/reform.md): the active people of a unit are those with an
assignment in it on the window's last day (a person holding two then is placed by the higher
unit id, once); a person is covered when their evaluations of closed monthly periods among the
window's whole months number at least the months of those in which they held an assignment.

One statement over the assignments and the evaluations; what comes back is one row per unit.
Reading every evaluation of the year into Python (the first version) cost seconds at 200,000
people × 12 months. Here a person's closed months are counted in the unique index (staff,
period code), which holds one row per person and period code — `COUNT(*)` of it is the number
of distinct months — without reading the table. The code being the index's second column, the
scan covers the whole index: its cost grows with the years of evaluations kept, not only with
the window's (an index on (period code, staff) in `appraisal` would bound it to the window).

The period's status is not in that index, so it is read from the few periods instead (an
evaluation's `period_code` is its period's code, copied on creation): a month whose periods
are all closed is counted through the index alone; a month closed in some agencies only is
counted through its closed periods, or — when those are the more numerous — through the index
minus the evaluations of its open periods. A month with no closed period counts nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import connection

from thenchot.appraisal.choices import PeriodKind, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.people.models import Assignment
from thenchot.reform.tuning import pg_settings

Month = tuple[str, dt.date, dt.date]  # (period code, first day, last day)

# PostgreSQL settings for the statement (see the end of `coverage_groups`).
SETTINGS = {"enable_hashjoin": "off", "parallel_setup_cost": "10", "parallel_tuple_cost": "0.001"}


@dataclass
class MonthPlan:
    """How the closed evaluations of the window's months are counted (see the module)."""

    by_code: list[str] = field(default_factory=list)  # every period of the code is closed
    others: list[str] = field(default_factory=list)  # the other codes periods have in that span
    added: list[int] = field(default_factory=list)  # closed periods counted one by one
    added_codes: list[str] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)  # open periods taken off `by_code`


def month_plan(codes: Sequence[str]) -> MonthPlan:
    """`codes`: the window's months, in order."""
    plan = MonthPlan()
    if not codes:
        return plan
    closed: dict[str, list[int]] = {c: [] for c in codes}
    other: dict[str, list[int]] = {c: [] for c in codes}
    seen: set[str] = set()
    # Every period whose code sorts among the months' (the database's order): the codes
    # the index range below must leave out are among them.
    for pk, code, kind, status in EvaluationPeriod.objects.filter(
        code__gte=min(codes), code__lte=max(codes)
    ).values_list("pk", "code", "kind", "status"):
        seen.add(code)
        if code in closed:
            is_closed = kind == PeriodKind.MONTH and status == PeriodStatus.CLOSED
            (closed if is_closed else other)[code].append(pk)
    for code in codes:
        if not closed[code]:
            continue
        if not other[code]:
            plan.by_code.append(code)
        elif len(closed[code]) <= len(other[code]):
            plan.added.extend(closed[code])
            plan.added_codes.append(code)
        else:
            plan.by_code.append(code)
            plan.removed.extend(other[code])
    plan.others = sorted(seen - set(plan.by_code))
    return plan


def _in(values: Sequence[str | int]) -> str:
    return ", ".join(["%s"] * len(values))


def coverage_groups(
    *, date_from: dt.date, date_to: dt.date, months: Sequence[Month]
) -> list[tuple[int, int, int]]:
    """(unit id, covered, active) for every unit with people assigned on `date_to`."""
    a = Assignment._meta.db_table
    e = Evaluation._meta.db_table
    params: list[str | int | dt.date] = []  # in the order their placeholders stand in the text

    def overlaps(first: dt.date, last: dt.date) -> str:
        params.extend([last, first])
        return (
            "(a.valid_from IS NULL OR a.valid_from <= %s) "
            "AND (a.valid_to IS NULL OR a.valid_to >= %s)"
        )

    # Per person: the unit held on the last day, and the months held (a month counts once
    # however many assignments overlap it).
    on_end = overlaps(date_to, date_to)
    needed = " + ".join(
        f"MAX(CASE WHEN {overlaps(first, last)} THEN 1 ELSE 0 END)" for _c, first, last in months
    )
    people = (
        f"SELECT a.staff_id, MAX(CASE WHEN {on_end} THEN a.unit_id END) AS unit_id, "
        f"{needed or '0'} AS needed FROM {a} a WHERE {overlaps(date_from, date_to)} "
        "GROUP BY a.staff_id ORDER BY a.staff_id"
    )
    # Per person, the closed monthly evaluations of those months (see the module).
    plan = month_plan([code for code, _f, _l in months])
    joins: list[str] = []
    terms: list[str] = []

    def evaluations(alias: str, where: str, values: Sequence[str | int], sign: str = "+") -> None:
        joins.append(
            f"LEFT JOIN (SELECT staff_id, COUNT(*) AS n FROM {e} WHERE {where} "
            f"GROUP BY staff_id ORDER BY staff_id) {alias} ON {alias}.staff_id = p.staff_id"
        )
        params.extend(values)
        terms.append(f"{sign} COALESCE({alias}.n, 0)")

    if plan.by_code:
        # A range of the index's second column, checked inside the index; the codes in the
        # range that are not to be counted are left out by name (an evaluation's code is one
        # of the periods').
        where = "period_code >= %s AND period_code <= %s"
        if plan.others:
            where += f" AND period_code NOT IN ({_in(plan.others)})"
        evaluations("ec", where, [min(plan.by_code), max(plan.by_code), *plan.others])
    if plan.added:
        evaluations(
            "ea",
            f"period_id IN ({_in(plan.added)}) AND period_code IN ({_in(plan.added_codes)})",
            [*plan.added, *plan.added_codes],
        )
    if plan.removed:
        evaluations(
            "er",
            f"period_id IN ({_in(plan.removed)}) AND period_code IN ({_in(plan.by_code)})",
            [*plan.removed, *plan.by_code],
            sign="-",
        )
    sql = (
        f"SELECT p.unit_id, SUM(CASE WHEN 0 {' '.join(terms)} >= p.needed THEN 1 ELSE 0 END), "
        f"COUNT(*) FROM ({people}) p {' '.join(joins)} WHERE p.unit_id IS NOT NULL "
        "GROUP BY p.unit_id"
    )
    # Both sides come sorted by person from their indexes (assignments by staff; evaluations
    # by staff and code), so they merge as they stream. PostgreSQL, which cannot estimate how
    # many people a grouped subquery yields (it guesses 200 for 200,000), would rather build
    # hash tables of them, which cost a third more; and it prices parallel workers for the
    # per-person counting above their worth — with them the index took 10 to 20% less
    # (bench/bench_reform.py, medians of interleaved runs).
    with pg_settings(**SETTINGS), connection.cursor() as cur:
        cur.execute(sql, params)
        return [(int(u), int(c), int(n)) for u, c, n in cur.fetchall()]


__all__ = ["coverage_groups", "month_plan"]
