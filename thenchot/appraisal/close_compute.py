"""Steps 1-4 of a close in memory, one period at a time: no database here.

`closing` reads the inputs (evaluations, discipline, heads, unit results, parameters) into a
`Context`, then `compute` classifies each period's evaluations under their packs' batch
classifiers (people with the same input share one classification) and applies the quota per
agency and group, while the database writes the previous batch (`close_writer`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from thenchot.appraisal import rules
from thenchot.appraisal.close_writer import Row
from thenchot.appraisal.rules.base import TraceStep
from thenchot.appraisal.rules.batch import BatchClassifier, Graded, trace_json

# The evaluation's points column (0 general, 1 tasks, 2 bonus) feeding each criterion.
COLUMNS = {"discipline_ethics": 0, "general": 0, "tasks": 1, "bonus": 2}


@dataclass(frozen=True)
class PackUse:
    batch: BatchClassifier
    params: Any
    number: int | None  # the administrator's parameter set, None: the pack's defaults
    columns: tuple[tuple[str, int], ...]  # (criterion id, points column)


@dataclass
class Context:
    """What the close read before computing: everything `compute` needs."""

    period: rules.Period
    resolve: str  # "refuse" or "by-score"
    packs: dict[str, PackUse]
    agency_codes: dict[int, str]  # period id -> its agency's code
    unit_codes: dict[int, str]  # unit id -> code (a division as its own agency)
    discipline: dict[int, tuple[rules.DisciplineFact, ...]]
    heads: dict[int, int]  # staff id -> the unit they head
    ceilings: dict[str, dict[int, rules.Level | None]]  # pack -> unit -> its result
    # Quota overrides by decision (rules.md "Settled points" 14): agency code, or (agency code,
    # group), -> the override (`services.overrides_in_force`).
    overrides: dict[Any, rules.QuotaOverride]
    # Who the head names to move down (`close_period --move`), beside those chosen on the close
    # screen (`Evaluation.quota_demoted`): staff ids (rules.md "Settled points" 1).
    named: frozenset[int] = frozenset()
    # A Decree 90 year (rules.md "Settled points" 2, 10): staff id -> the year's facts counted
    # from the records (`inputs.decree90_inputs`), and months worked and leave.
    decree90: dict[int, Any] = field(default_factory=dict)
    presence: dict[int, Any] = field(default_factory=dict)
    # A roll-up (rules.md "Settled points" 3, `close_rollup`): staff id -> the rolled-up
    # classification (steps 1-3) or why there is none; the months beside a decree-90 year.
    rolled: dict[int, Graded | str] = field(default_factory=dict)
    evidence: dict[int, dict[str, object]] = field(default_factory=dict)
    # The roll-up's rows the writer inserts (PostgreSQL): evaluation id -> its draft's number.
    new_rows: dict[int, int] = field(default_factory=dict)


D90 = "decree-90-2020"


@dataclass
class Outcome:
    """One period computed: its rows with final levels, or what refused them."""

    period_id: int
    rows: list[Row] = field(default_factory=list)
    quota_use: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[tuple[str, rules.QuotaConflict, dict[int, Row]]] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)
    moved: int = 0
    moved_ids: list[int] = field(default_factory=list)  # evaluations moved down by the quota
    counts: Counter[str] = field(default_factory=Counter)


def compute(
    groups: Iterable[tuple[int, Sequence[tuple[Any, ...]]]], ctx: Context
) -> Iterator[Outcome]:
    """For each (period id, its evaluation value tuples as `closing._fetch` reads them)."""
    cache: dict[tuple[Any, ...], Graded | rules.RuleInputError] = {}
    packs, discipline, heads, period = ctx.packs, ctx.discipline, ctx.heads, ctx.period
    # The people of a roll-up or a Decree 90 year take `_special` (the month's loop stays as
    # lean as it was: a city's month is 200,000 rows).
    special = set(ctx.rolled) | set(ctx.decree90) | set(ctx.evidence)
    for period_id, values in groups:
        out = Outcome(period_id)
        home = ctx.agency_codes[period_id]
        rows_by_key: dict[tuple[str, str], list[Row]] = defaultdict(list)
        for v in values:
            (pk, staff_id, unit_id, _p, category, is_leader, is_head, pack_id) = v[:8]
            use = packs[pack_id]
            if special and staff_id in special:
                found: Any = _special(v, use, ctx, cache)
                if type(found) is str:
                    out.refused.append((pk, found))
                    continue
            else:
                points = (v[8], v[9], v[10])
                facts = discipline.get(staff_id, ())
                unit_level = None
                if is_head and staff_id in heads:
                    unit_level = ctx.ceilings[pack_id].get(heads[staff_id])
                key = (pack_id, category, is_leader, is_head, points, facts, unit_level)
                found = cache.get(key)
                if found is None:
                    given = {
                        c: _decimal(points[i]) for c, i in use.columns if points[i] is not None
                    }
                    try:
                        found = use.batch.classify(
                            staff_id=staff_id,
                            category=category,
                            period=period,
                            is_leader=is_leader,
                            is_head=is_head,
                            points=given,
                            discipline=facts,
                            unit_result=unit_level,
                        )
                    except rules.RuleInputError as exc:
                        found = exc
                    cache[key] = found
                if type(found) is not Graded:
                    out.refused.append((pk, "; ".join(found.messages)))
                    continue
            agency = ctx.unit_codes[unit_id] if use.params.quota.agency_is_division else home
            rows_by_key[(pack_id, agency)].append(
                Row(
                    pk,
                    staff_id,
                    period_id,
                    agency,
                    found.level,
                    found.score,
                    found.is_leader,
                    v[11],
                    found.reasons,
                    (v[12], v[13], v[14]),
                )
            )
        for (pack_id, _agency), rows in sorted(rows_by_key.items()):
            _quota(out, pack_id, rows, packs[pack_id].params, ctx)
            out.rows.extend(rows)
        out.counts.update(str(r.level) for r in out.rows)
        yield out


def _special(
    v: tuple[Any, ...],
    use: PackUse,
    ctx: Context,
    cache: dict[tuple[Any, ...], Graded | rules.RuleInputError],
) -> Graded | str:
    """Steps 1-3 of a roll-up row (rules.md "Settled points" 3: made by `close_rollup`) or of a
    Decree 90 year (the facts counted from the records, months worked and leave: "Settled
    points" 2 and 10), with the months beside a decree-90 year as a line of its reasons; a
    refusal comes back as its message."""
    staff_id, category, is_leader, is_head, pack_id = v[1], v[4], v[5], v[6], v[7]
    rolled = ctx.rolled.get(staff_id)
    year: Any = None
    if rolled is not None:
        found: Any = rolled
    else:
        points = (v[8], v[9], v[10])
        facts = ctx.discipline.get(staff_id, ())
        unit_level = None
        if is_head and staff_id in ctx.heads:
            unit_level = ctx.ceilings[pack_id].get(ctx.heads[staff_id])
        stay: Any = None
        if pack_id == D90:
            year = ctx.decree90.get(staff_id)
            stay = ctx.presence.get(staff_id)
        key = (pack_id, category, is_leader, is_head, points, facts, unit_level, year, stay)
        found = cache.get(key)
        if found is None:
            extra: dict[str, Any] = {}
            if year is not None:
                extra["decree90"] = year.facts
            if stay is not None:
                extra.update(
                    months_worked=stay.months_worked,
                    lawful_leave_months=stay.lawful_leave_months or None,
                    maternity=stay.maternity,
                )
            try:
                found = use.batch.classify(
                    staff_id=staff_id,
                    category=category,
                    period=ctx.period,
                    is_leader=is_leader,
                    is_head=is_head,
                    points={
                        c: _decimal(points[i]) for c, i in use.columns if points[i] is not None
                    },
                    discipline=facts,
                    unit_result=unit_level,
                    **extra,
                )
            except rules.RuleInputError as exc:
                found = exc
            cache[key] = found
    if type(found) is str:
        return found
    if type(found) is not Graded:
        # Settled point 2: a Decree 90 year with no counts names what is missing.
        missing = year.missing if year is not None and year.missing else ""
        return missing or "; ".join(found.messages)
    if staff_id in ctx.evidence:
        # Settled point 3: the months beside a decree-90 year, in its reasons.
        line = TraceStep.json_of(
            "evidence.months", found.level, found.level, ctx.evidence[staff_id]
        )
        found = found._replace(reasons=f"{found.reasons[:-1]}, {line}]")
    return found


def _decimal(value: Any) -> Any:
    """Points as the packs take them: `closing._fetch` reads them as text on PostgreSQL."""
    return Decimal(value) if type(value) is str else value


def _quota(out: Outcome, pack_id: str, rows: list[Row], params: Any, ctx: Context) -> None:
    """Step 4 for one agency under one pack: apply, then check the final levels again (only
    needed when someone moved: otherwise the levels checked are the final ones)."""
    end: dt.date = ctx.period.end
    by_staff = {r.staff_id: r for r in rows}
    # The head's choice, checked by the quota: someone named who is not at the top level, or more
    # people than the group needs, refuses the close (rules.md "Settled points" 1).
    named = ctx.named
    chosen = {r.staff_id for r in rows if r.demoted or r.staff_id in named}
    outcome = rules.apply_quota(
        rows,
        params.quota,
        resolve="by-score" if ctx.resolve == "by-score" else "refuse",
        overrides=ctx.overrides,
        chosen=chosen,
        on=end,
        scored=ctx.packs[pack_id].batch.pack.scored,
    )
    if not outcome.ok:
        out.conflicts.extend((pack_id, c, by_staff) for c in outcome.conflicts)
        return
    for row in rows:  # the candidates were these rows: each who moved is one of them
        steps = outcome.steps.get(row.staff_id)
        if steps is None:
            continue
        row.level = outcome.levels[row.staff_id]
        extra = trace_json(steps)
        row.reasons = row.reasons[:-1] + ", " + extra[1:]
        out.moved += 1
        out.moved_ids.append(row.pk)
    # The final state is checked again on the final levels (rules.md step 4).
    if outcome.steps:
        left = rules.check_quota(rows, params.quota, overrides=ctx.overrides, on=end)
        if left:
            out.conflicts.extend((pack_id, c, by_staff) for c in left)
            return
    out.quota_use.extend(
        {
            "pack": pack_id,
            "agency": g.agency,
            "group": g.group,
            "ratio": rules.base.fmt(g.ratio),
            "base_label": g.base_label,
            "base": g.base,
            "allowed": g.allowed,
            "top": g.top,
            "decision": g.decision,
            "decided_on": g.decided_on,
        }
        for g in outcome.groups
    )


def kept_params(packs: dict[str, PackUse]) -> dict[str, Any]:
    """What a closed period keeps of the packs it was closed under."""
    return {
        pack_id: {
            "pack_version": use.batch.pack.version,
            "parameter_set": use.number,
            "params": use.params.to_dict(),
        }
        for pack_id, use in sorted(packs.items())
    }


# -- rendering and the second core -----------------------------------------------------------------
@dataclass
class Rendered:
    """An `Outcome` as the writer and the close's result need it: strings and counts."""

    period_id: int
    # (COPY text of the rows to update, of those to insert) on PostgreSQL, else a list of
    # tuples (`close_writer.row_tuples`)
    payload: Any
    members: str  # the evaluations' before/after for the period's audit line
    quota_use: list[dict[str, Any]]
    counts: Counter[str]
    moved: int
    moved_ids: list[int]
    refused: list[tuple[int, str]]
    conflicts: list[tuple[str, rules.QuotaConflict, dict[int, Row]]]
    levels: dict[int, str] | None  # a dry run's levels


def render(
    outcome: Outcome, *, copy: bool, dry_run: bool, new_rows: dict[int, int] | None = None
) -> Rendered:
    from thenchot.appraisal.close_writer import (
        copy_payload,
        members_json,
        new_payload,
        row_tuples,
    )

    failed = bool(outcome.refused or outcome.conflicts)
    rows = [] if failed or dry_run else outcome.rows
    payload: Any
    if not copy:
        payload = row_tuples(rows)
    elif new_rows:
        updated = [r for r in rows if r.pk not in new_rows]
        payload = (copy_payload(updated), new_payload(rows, new_rows))
    else:
        payload = (copy_payload(rows), "")
    return Rendered(
        period_id=outcome.period_id,
        payload=payload,
        members=members_json(rows),
        quota_use=outcome.quota_use,
        counts=outcome.counts,
        moved=outcome.moved,
        moved_ids=outcome.moved_ids,
        refused=outcome.refused,
        conflicts=outcome.conflicts,
        levels={r.pk: r.level.value for r in outcome.rows} if dry_run else None,
    )


def rendered(
    groups: Sequence[tuple[int, Sequence[tuple[Any, ...]]]],
    ctx: Context,
    *,
    copy: bool,
    dry_run: bool,
) -> Iterator[Rendered]:
    """Every period computed and rendered, in order.

    Measured (docs/performance.md): computing part of the periods in a forked process on the
    second core made a city's close slower, not faster — the database's one backend writing
    the batches is the other half of the work, and it needs that core."""
    for outcome in compute(groups, ctx):
        yield render(outcome, copy=copy, dry_run=dry_run, new_rows=ctx.new_rows)
