"""Closing a period (and reopening one by a recorded decision).

`close_period` follows rules.md "How a level is decided" for every evaluation of the period in
every agency of the unit's subtree: (1) the pack's score or criteria, (2) overrides that only
lower (discipline through the discipline app's selector), (3) the unit-result ceiling for heads
— steps 1-3 are the pack's `classify` — then (4) the quota per agency and group, applied last on
the levels after 2-3: refused with the list of conflicts until the head names who moves down
(`services.quota_choose`) or the caller asks `resolve_quota="by-score"`, and checked again on
the final levels. Only then are the levels, scores and traces written and the periods locked.

Built for a whole city (200,000 evaluations): inputs are read set-based (values tuples, a few
queries per agency), classified in Python, written with one set-based UPDATE (PostgreSQL: COPY
into a temporary table, then UPDATE ... FROM; SQLite: one executemany) and audited in one batch
with the bulk audit writer (`core.bulk.write_audit`, the same lines `record_many` writes).
Closing twice changes nothing: a closed period is skipped.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.accounts.choices import Role
from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.close_writer import Row, Writer, members_json, write_period_audit
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.rules.batch import BatchClassifier, Graded
from thenchot.core import auditing
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org.models import Unit
from thenchot.org.tree import tree


# -- outcomes and refusals ------------------------------------------------------------------------
@dataclass(frozen=True)
class Person:
    evaluation_id: int
    staff_id: int
    code: str
    full_name: str
    score: Decimal | None

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"


@dataclass(frozen=True)
class Conflict:
    """A quota conflict in one agency and group, with the people concerned."""

    agency: str
    group: str
    pack: str
    ratio: Decimal
    base: int
    base_label: str
    allowed: int
    top: int
    holders: tuple[Person, ...]  # at the top level, lowest score first
    would_move: tuple[Person, ...]  # who would move down by score

    def describe(self) -> str:
        return _(
            "%(agency)s / %(group)s (%(pack)s): %(top)s excellent, %(allowed)s allowed "
            "(%(ratio)s%% of %(base)s %(base_label)s); excellent: %(holders)s; "
            "by score would move down: %(moving)s"
        ) % {
            "agency": self.agency,
            "group": self.group,
            "pack": self.pack,
            "top": self.top,
            "allowed": self.allowed,
            "ratio": rules.base.fmt(self.ratio * 100),
            "base": self.base,
            "base_label": self.base_label,
            "holders": ", ".join(str(p) for p in self.holders),
            "moving": ", ".join(str(p) for p in self.would_move),
        }


class QuotaConflicts(DomainError):
    default_message = _lazy(
        "The quota is exceeded: the head chooses who moves down, or close with "
        "'resolve quota by score'. Nothing was changed."
    )
    code = "quota_conflict"
    status = 409

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = tuple(conflicts)
        super().__init__(
            field_errors={"quota": [c.describe() for c in self.conflicts]},
        )


class NotReady(DomainError):
    code = "not_ready"
    status = 409


@dataclass
class CloseResult:
    code: str
    periods_closed: int = 0
    already_closed: int = 0
    evaluations: int = 0
    by_level: dict[str, int] = field(default_factory=dict)
    moved_by_quota: int = 0
    quota_use: list[dict[str, Any]] = field(default_factory=list)
    discipline_checked: bool = True
    levels: dict[int, str] = field(default_factory=dict)  # dry run: evaluation id -> level


# -- permissions -----------------------------------------------------------------------------------
def _may_close(by: Any, agency_ids: Iterable[int], on: dt.date) -> bool:
    if by is None:
        return True  # the system (the command line runs as the operator)
    from thenchot.appraisal.services import _roles, line_for

    roles = _roles(by)
    if roles & {Role.ADMIN.value, Role.CITY_LEADERSHIP.value}:
        return True
    line = line_for(by, on)
    return all(a in line.approves for a in agency_ids)


# -- the close ----------------------------------------------------------------------------------------
def close_period(
    *,
    unit: Unit,
    period: str,
    by: Any = None,
    resolve_quota: str | None = None,
    dry_run: bool = False,
) -> CloseResult:
    """Close `period` ("2026-03") in every agency of `unit`'s subtree (see the module docstring).
    Refused, with nothing changed, when: `unit` is a division; an evaluation is not approved
    yet; the input of one is refused by its pack; a quota conflict is unresolved.

    `dry_run` computes everything (refusals included) and writes nothing: the close screen's
    preview of levels and quota use."""
    if resolve_quota not in (None, "refuse", "by-score"):
        raise DomainError(_("resolve_quota must be 'by-score' or empty."))
    try:
        parsed = rules.Period.parse(period)
    except rules.RuleInputError as exc:
        raise DomainError(str(exc), field_errors={"period": [str(exc)]}) from None
    code = str(parsed)
    snap = tree()
    if snap.units[unit.pk].kind == "division":
        raise DomainError(
            _("A division alone cannot be closed: quotas are per agency. Close its agency.")
        )
    if parsed.start > timezone.localdate():
        raise DomainError(_("The period %(period)s has not begun.") % {"period": code})
    subtree = snap.subtree_on(unit.pk, parsed.end)
    result = CloseResult(code=code, discipline_checked=inputs.discipline_available())
    was_enabled = gc.isenabled()
    gc.disable()  # a city's close holds ~1M small objects; none are cyclic
    # The writer thread (close_writer) waits on the database and needs the GIL back briefly
    # after each wait; at the default 5 ms switch interval it queues behind the classifying
    # thread for most of the close. A short interval during the close lets both cores work.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, 5e-5))
    try:
        with transaction.atomic():
            periods = list(
                EvaluationPeriod.objects.select_for_update()
                .filter(code=code, agency_id__in=sorted(subtree))
                .select_related("agency")
                .order_by("agency__code")
            )
            if not periods:
                raise DomainError(
                    _("No %(period)s period is open in %(unit)s.")
                    % {"period": code, "unit": unit.code}
                )
            todo = [p for p in periods if p.status != PeriodStatus.CLOSED]
            result.already_closed = len(periods) - len(todo)
            if not todo:
                return result
            if not _may_close(by, [p.agency_id for p in todo], parsed.end):
                raise OutOfScope(_("Only the head of the agency closes its period."))
            _close(
                todo,
                parsed,
                by=by,
                resolve=resolve_quota or "refuse",
                result=result,
                dry_run=dry_run,
            )
    finally:
        sys.setswitchinterval(interval)
        if was_enabled:
            gc.enable()
    return result


BATCH_ROWS = 20_000  # rows handed to the writer at a time (whole agencies)
COLUMNS = {"discipline_ethics": 0, "general": 0, "tasks": 1, "bonus": 2}  # criterion -> points


def _fetch(period_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """Every evaluation of the periods, ordered by period: the reviewed points where the
    manager adjusted them, else the person's own."""
    from django.db.models.functions import Coalesce

    query = (
        Evaluation.objects.filter(period_id__in=sorted(period_ids))
        .order_by("period_id")
        .annotate(
            g=Coalesce("reviewed_general_points", "general_points"),
            t=Coalesce("reviewed_task_points", "task_points"),
            b=Coalesce("reviewed_bonus_points", "bonus_points"),
        )
        .values_list(
            "pk",
            "staff_id",
            "unit_id",
            "period_id",
            "category",
            "is_leader",
            "is_head",
            "rule_pack",
            "g",
            "t",
            "b",
            "quota_demoted",
            "status",
            "final_level",
            "score",
        )
    )
    if connection.vendor != "postgresql":
        return list(query)  # the ORM's converters make Decimals and booleans of SQLite's values
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:  # psycopg's own types already are: no converter pass
        cursor.execute(sql, params)
        return cursor.fetchall()


class _Packs:
    """Per pack met in the close: its parameters (kept with the period), its batch classifier
    and which points column feeds each criterion."""

    def __init__(self) -> None:
        self.params: dict[str, tuple[Any, int | None]] = {}
        self.batches: dict[str, BatchClassifier] = {}
        self.columns: dict[str, tuple[tuple[str, int], ...]] = {}

    def get(self, pack_id: str) -> BatchClassifier:
        batch = self.batches.get(pack_id)
        if batch is None:
            params, number = inputs.current_params(pack_id)
            pack = rules.registry.get(pack_id)
            self.params[pack_id] = (params, number)
            batch = self.batches[pack_id] = pack.batch(params)
            self.columns[pack_id] = tuple(
                (c.id, COLUMNS[c.id]) for c in pack.criteria if c.id in COLUMNS
            )
        return batch


def _close(
    periods: list[EvaluationPeriod],
    parsed: rules.Period,
    *,
    by: Any,
    resolve: str,
    result: CloseResult,
    dry_run: bool = False,
) -> None:
    start, end = parsed.start, parsed.end
    snap = tree()
    by_id = {p.pk: p for p in periods}
    values = _fetch(list(by_id))
    pending = [
        (v[0], v[12])
        for v in values
        if v[12] not in (EvaluationStatus.APPROVED, EvaluationStatus.CLOSED)
    ]
    if pending:
        raise _not_ready(pending, _("%(count)s evaluations are not approved yet: %(list)s"))
    discipline = inputs.discipline_facts_in(start, end)
    heads = inputs.heads_on(end)
    head_units = {heads[v[1]] for v in values if v[6] and v[1] in heads}
    packs = _Packs()
    ceilings: dict[str, dict[int, rules.Level | None]] = {}

    def ceiling(pack_id: str, staff_id: int) -> rules.Level | None:
        if pack_id not in ceilings:
            rule = packs.params[pack_id][0].unit
            found = inputs.unit_results(head_units, start, end, rule) if head_units else {}
            ceilings[pack_id] = {u: r.level for u, r in found.items()}
        return ceilings[pack_id].get(heads[staff_id])

    refused: list[tuple[int, str]] = []
    conflicts: list[tuple[str, rules.QuotaConflict, dict[int, Row]]] = []
    quota_use: list[dict[str, Any]] = []
    overrides = _overrides(periods)
    cache: dict[tuple[Any, ...], Graded | rules.RuleInputError] = {}
    by_period: dict[int, list[Row]] = defaultdict(list)
    writer = None if dry_run else Writer()
    batch_rows: list[Row] = []
    counts: Counter[str] = Counter()
    try:
        for period_id, group in itertools.groupby(values, key=lambda v: v[3]):
            period = by_id[period_id]
            rows_by_key: dict[tuple[str, str], list[Row]] = defaultdict(list)
            for v in group:
                (pk, staff_id, unit_id, _p, category, is_leader, is_head, pack_id) = v[:8]
                batch = packs.get(pack_id)
                points = (v[8], v[9], v[10])
                facts = discipline.get(staff_id, ())
                unit_level = ceiling(pack_id, staff_id) if is_head and staff_id in heads else None
                key = (pack_id, category, is_leader, is_head, points, facts, unit_level)
                found = cache.get(key)
                if found is None:
                    given = {
                        c: points[i] for c, i in packs.columns[pack_id] if points[i] is not None
                    }
                    try:
                        found = batch.classify(
                            staff_id=staff_id,
                            category=category,
                            period=parsed,
                            is_leader=is_leader,
                            is_head=is_head,
                            points=given,
                            discipline=facts,
                            unit_result=unit_level,
                        )
                    except rules.RuleInputError as exc:
                        found = exc
                    cache[key] = found
                if isinstance(found, rules.RuleInputError):
                    refused.append((pk, "; ".join(found.messages)))
                    continue
                params = packs.params[pack_id][0]
                agency = (
                    snap.units[unit_id].code
                    if params.quota.agency_is_division
                    else (period.agency.code)
                )
                rows_by_key[(pack_id, agency)].append(
                    Row(
                        pk=pk,
                        staff_id=staff_id,
                        period_id=period_id,
                        agency=agency,
                        level=found.level,
                        score=found.score,
                        is_leader=found.is_leader,
                        demoted=v[11],
                        reasons=found.reasons,
                        before=(v[12], v[13], v[14]),
                    )
                )
            for (pack_id, _agency), rows in sorted(rows_by_key.items()):
                params = packs.params[pack_id][0]
                conflicts.extend(
                    (pack_id, c, by_staff)
                    for c, by_staff in _quota(
                        rows, params, resolve, overrides, end, result, quota_use, pack_id
                    )
                )
                by_period[period_id].extend(rows)
                batch_rows.extend(rows)
                counts.update(r.level.value for r in rows)
            if writer is not None and not (refused or conflicts) and len(batch_rows) >= BATCH_ROWS:
                writer.put(batch_rows)
                batch_rows = []
        if refused:
            raise _not_ready(refused, _("%(count)s evaluations cannot be classified: %(list)s"))
        if conflicts:
            raise QuotaConflicts(_describe_conflicts(conflicts))
        if writer is not None:
            writer.put(batch_rows)
            writer.finish()
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise
    result.evaluations = sum(counts.values())
    result.by_level = dict(counts)
    result.quota_use = quota_use
    if dry_run:
        result.levels = {r.pk: r.level.value for rows in by_period.values() for r in rows}
        return
    _close_periods(periods, by, packs, quota_use, by_period, snap, end)
    result.periods_closed = len(periods)


def _close_periods(
    periods: list[EvaluationPeriod],
    by: Any,
    packs: _Packs,
    quota_use: list[dict[str, Any]],
    by_period: dict[int, list[Row]],
    snap: Any,
    end: dt.date,
) -> None:
    """Lock the periods with the parameters and quota use they were closed with; one audit line
    per period carries its evaluations' changes (`close_writer.write_period_audit`)."""

    def agency_of_code(code: str) -> int | None:
        unit_id = snap.by_code.get(code)
        return None if unit_id is None else snap.agency_of(unit_id, end)

    now = timezone.now()
    use_by_agency: dict[int | None, list[dict[str, Any]]] = defaultdict(list)
    for use in quota_use:
        use_by_agency[agency_of_code(use["agency"])].append(use)
    kept = {
        pack_id: {
            "pack_version": rules.registry.get(pack_id).version,
            "parameter_set": number,
            "params": params.to_dict(),
        }
        for pack_id, (params, number) in sorted(packs.params.items())
    }
    closer = by if by is not None and getattr(by, "pk", None) else None
    changes = []
    for period in periods:
        before = auditing.snapshot(period)
        period.status = PeriodStatus.CLOSED
        period.closed_at = now
        period.closed_by = closer
        period.pack_params = kept
        period.quota_use = use_by_agency.get(period.agency_id, [])
        period.version += 1
        period.updated_at = now
        changes.append(
            (period, before, auditing.snapshot(period), members_json(by_period.get(period.pk, ())))
        )
    # What every period shares in one statement, each one's quota use in one batch.
    EvaluationPeriod.objects.filter(pk__in=[p.pk for p in periods]).update(
        status=PeriodStatus.CLOSED,
        closed_at=now,
        closed_by=closer,
        pack_params=kept,
        version=F("version") + 1,
        updated_at=now,
    )
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    table = connection.ops.quote_name(EvaluationPeriod._meta.db_table)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET quota_use = %s{cast} WHERE id = %s",
            [(json.dumps(p.quota_use), p.pk) for p in periods],
        )
    write_period_audit(changes)


def _quota(
    rows: list[Row],
    params: Any,
    resolve: str,
    overrides: dict[str, rules.QuotaOverride],
    end: dt.date,
    result: CloseResult,
    quota_use: list[dict[str, Any]],
    pack_id: str,
) -> list[tuple[rules.QuotaConflict, dict[int, Row]]]:
    """Step 4 for one agency under one pack: apply, then check the final levels again (only
    needed when someone moved: otherwise the levels checked are the final ones)."""
    by_staff = {r.staff_id: r for r in rows}
    chosen = {r.staff_id for r in rows if r.demoted and r.level is rules.Level.EXCELLENT}
    outcome = rules.apply_quota(
        rows,
        params.quota,
        resolve="by-score" if resolve == "by-score" else "refuse",
        overrides=overrides,
        chosen=chosen,
        on=end,
    )
    if not outcome.ok:
        return [(c, by_staff) for c in outcome.conflicts]
    for staff_id, steps in outcome.steps.items():
        row = by_staff[staff_id]
        row.level = outcome.levels[staff_id]
        extra = json.dumps([s.to_dict() for s in steps], ensure_ascii=False)
        row.reasons = row.reasons[:-1] + ", " + extra[1:]
        result.moved_by_quota += 1
    # The final state is checked again on the final levels (rules.md step 4).
    if outcome.steps:
        left = rules.check_quota(rows, params.quota, overrides=overrides, on=end)
        if left:
            return [(c, by_staff) for c in left]
    quota_use.extend(
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
        }
        for g in outcome.groups
    )
    return []


def _overrides(periods: Sequence[EvaluationPeriod]) -> dict[str, rules.QuotaOverride]:
    out: dict[str, rules.QuotaOverride] = {}
    for p in periods:
        if p.quota_decision or p.exceptional_collective or p.quota_ratio is not None:
            out[p.agency.code] = rules.QuotaOverride(
                decision=p.quota_decision,
                ratio=p.quota_ratio,
                exceptional_collective=p.exceptional_collective,
            )
    return out


def _people(evaluation_ids: Iterable[int]) -> dict[int, tuple[int, str, str]]:
    out: dict[int, tuple[int, str, str]] = {}
    for chunk in inputs.chunks(evaluation_ids):
        for pk, staff_id, code, name in Evaluation.objects.filter(pk__in=chunk).values_list(
            "pk", "staff_id", "staff__code", "staff__full_name"
        ):
            out[pk] = (staff_id, code, name)
    return out


def _not_ready(items: list[tuple[int, str]], template: str) -> NotReady:
    shown = items[:50]
    people = _people(pk for pk, _m in shown)
    lines = [f"{people[pk][2]} ({people[pk][1]}): {msg}" for pk, msg in shown]
    more = len(items) - len(shown)
    if more > 0:
        lines.append(_("and %(count)s more") % {"count": more})
    return NotReady(
        template % {"count": len(items), "list": "; ".join(lines)},
        field_errors={"evaluations": lines},
    )


def _describe_conflicts(
    found: list[tuple[str, rules.QuotaConflict, dict[int, Row]]],
) -> list[Conflict]:
    ids = [
        rows[s].pk
        for _p, c, rows in found
        for s in (*c.holders, *c.would_move)
        if isinstance(s, int) and s in rows
    ]
    people = _people(ids)

    def person(staff_id: Any, rows: dict[int, Row]) -> Person:
        row = rows[staff_id]
        _sid, code, name = people[row.pk]
        return Person(row.pk, staff_id, code, name, row.score)

    return [
        Conflict(
            agency=c.group.agency,
            group=c.group.group,
            pack=pack_id,
            ratio=c.group.ratio,
            base=c.group.base,
            base_label=c.group.base_label,
            allowed=c.group.allowed,
            top=c.group.top,
            holders=tuple(person(s, rows) for s in c.holders),
            would_move=tuple(person(s, rows) for s in c.would_move),
        )
        for pack_id, c, rows in found
    ]
