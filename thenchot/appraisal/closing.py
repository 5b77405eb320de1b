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

A quarter or a year that a pack rolls up from months closes the same way (rules.md "Settled
points" 3): `close_rollup.prepare` first refuses while a month is open, makes the agencies'
period rows and one approved evaluation per person-period, and computes the roll-ups, which
stand for steps 1-3; a Decree 90 year is classified on the facts counted from the records
(`inputs.decree90_inputs`, "Settled points" 2), with months worked and leave ("Settled points"
10) and the months beside it as evidence.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.accounts.choices import Role
from thenchot.appraisal import close_rollup, inputs, labels, rules
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.close_compute import (
    COLUMNS,
    D90,
    Context,
    PackUse,
    Rendered,
    kept_params,
    rendered,
)
from thenchot.appraisal.close_writer import AuditLines, PeriodLock, Row, Writer
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.appraisal.services.quota import overrides_in_force
from thenchot.core import auditing, signals
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.core.id_sets import id_sets
from thenchot.org.models import Unit
from thenchot.org.tree import tree
from thenchot.people.models import Staff


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
    # Why it is refused (`rules.quota.ConflictReason`) and what the head must name (rules.md
    # "Settled points" 1): how many must move (among `tied` for a tie), the tied people and
    # their score, and those the head named in this group.
    reason: str = "exceeded"
    needed: int = 0
    tied: tuple[Person, ...] = ()
    tie_score: Decimal | None = None
    named: tuple[Person, ...] = ()
    decision: str = ""

    @property
    def undecided(self) -> tuple[Person, ...]:
        """Those among whom the head names who moves: the tied people for a tie, else the
        people at the top level (the close screen's check boxes)."""
        return self.tied if self.reason == "tie" else self.holders

    def describe(self) -> str:
        return self._text(full=True)

    @property
    def reason_text(self) -> str:
        """Why the group is refused and what the head must name (the close screen's line)."""
        return self._text(full=False)

    def _text(self, *, full: bool) -> str:
        values = {
            "agency": self.agency,
            "group": labels.group_label(self.group),
            "pack": self.pack,
            "top": self.top,
            "allowed": self.allowed,
            "ratio": rules.base.fmt(self.ratio * 100),
            "base": self.base,
            "base_label": labels.base_label(self.base_label),
            "holders": ", ".join(str(p) for p in self.holders),
            "moving": ", ".join(str(p) for p in self.would_move),
            "tied": ", ".join(str(p) for p in self.tied),
            "named": ", ".join(str(p) for p in self.named),
            "needed": self.needed,
            "score": rules.base.fmt(self.tie_score) if self.tie_score is not None else "—",
        }
        head = (
            _(
                "%(agency)s / %(group)s (%(pack)s): %(top)s excellent, %(allowed)s allowed "
                "(%(ratio)s%% of %(base)s %(base_label)s)"
            )
            % values
        )
        if self.decision:
            head += " " + _("by decision %(decision)s") % {"decision": self.decision}
        if self.reason == "tie":
            tail = _(
                "tie at the quota boundary, score %(score)s: %(tied)s; %(needed)s of them must "
                "move down and the head names who (the close screen, or --move)"
            )
        elif self.reason == "no_score":
            tail = _(
                "%(pack)s gives no scores, so nobody moves by score: the head names the "
                "%(needed)s who move down among %(holders)s (the close screen, or --move)"
            )
        elif self.reason == "too_many":
            tail = _(
                "the head named %(named)s, but only %(needed)s must move down: name exactly "
                "%(needed)s"
            )
        elif self.reason == "not_top":
            tail = _("%(named)s: named to move down, but not at the top level")
        elif self.named:
            tail = _(
                "the head named %(named)s; %(needed)s more must move down among %(holders)s "
                "(by score: %(moving)s)"
            )
        else:
            tail = _("excellent: %(holders)s; by score would move down: %(moving)s")
        if self.reason == "exceeded" and self.tied:
            tail += "; " + _(
                "by score, a tie at the quota boundary, score %(score)s: %(tied)s (the head "
                "names who of them moves)"
            )
        return f"{head}; {tail % values}" if full else tail % values


class QuotaConflicts(DomainError):
    default_message = gettext_lazy(
        "The quota is exceeded: the head chooses who moves down, or closes resolving any "
        "quota conflict by score. Nothing was changed."
    )
    code = "quota_conflict"
    status = 409

    def __init__(self, conflicts: Sequence[Conflict]) -> None:
        self.conflicts = tuple(conflicts)
        message = None
        if any(c.reason in ("tie", "no_score") for c in self.conflicts):
            message = _(
                "The quota cannot be resolved by score: the head names who moves down (the "
                "close screen's choice, or close_period --move). Nothing was changed."
            )
        elif any(c.reason in ("too_many", "not_top") for c in self.conflicts):
            message = _(
                "The head's choice of who moves down does not fit the quota. Nothing was changed."
            )
        super().__init__(
            message,
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
    # Who the quota moves down (evaluation ids): the close's confirmation names them.
    moved_ids: list[int] = field(default_factory=list)
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
    move: Sequence[str] = (),
) -> CloseResult:
    """Close `period` ("2026-03") in every agency of `unit`'s subtree (see the module docstring).
    Refused, with nothing changed, when: `unit` is a division; an evaluation is not approved
    yet; the input of one is refused by its pack; a quota conflict is unresolved (a tie at the
    boundary under "by score" included); the head's choice does not fit the quota. `move`: the
    staff codes the head names to move down (`close_period --move`), with those chosen on the
    close screen (rules.md "Settled points" 1).

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
        with transaction.atomic(), inputs.counts_kept():
            if not dry_run:
                _locked(unit, parsed, subtree, by, resolve_quota, move, result, dry_run=False)
            else:
                # A dry run's roll-up rows are rolled back with the rest of it.
                savepoint = transaction.savepoint()
                try:
                    _locked(unit, parsed, subtree, by, resolve_quota, move, result, dry_run=True)
                finally:
                    transaction.savepoint_rollback(savepoint)
    finally:
        sys.setswitchinterval(interval)
        if was_enabled:
            gc.enable()
    return result


def _locked(
    unit: Unit,
    parsed: rules.Period,
    subtree: set[int],
    by: Any,
    resolve_quota: str | None,
    move: Sequence[str],
    result: CloseResult,
    *,
    dry_run: bool,
) -> None:
    """The close inside its transaction: the periods locked, then computed and written."""
    code = str(parsed)
    # A quarter or a year rolled up from months: its rows first (rules.md "Settled points" 3).
    prepared = close_rollup.prepare(unit_id=unit.pk, parsed=parsed, dry_run=dry_run)
    periods = list(
        EvaluationPeriod.objects.select_for_update()
        .filter(code=code, agency_id__in=sorted(subtree))
        .select_related("agency")
        .order_by("agency__code")
    )
    if not periods:
        raise DomainError(
            _("No %(period)s period is open in %(unit)s.") % {"period": code, "unit": unit.code}
        )
    todo = [p for p in periods if p.status != PeriodStatus.CLOSED]
    result.already_closed = len(periods) - len(todo)
    if not todo:
        return
    if not _may_close(by, [p.agency_id for p in todo], parsed.end):
        raise OutOfScope(_("Only the head of the agency closes its period."))
    _close(
        todo,
        parsed,
        by=by,
        resolve=resolve_quota or "refuse",
        result=result,
        dry_run=dry_run,
        move=move,
        prepared=prepared,
    )
    if not dry_run:
        signals.period_closed.send(sender=EvaluationPeriod, period_ids=[p.pk for p in todo], by=by)


BATCH_ROWS = 20_000  # rows handed to the writer at a time (whole periods)


def _fetch(period_ids: Sequence[int]) -> list[tuple[Any, ...]]:
    """Every evaluation of the periods, in no particular order: the reviewed points where the
    manager adjusted them, else the person's own.

    On PostgreSQL the points come as text ("25.50", the column's scale): the close keys its
    cache of classifications by them, and a fresh Decimal hashes ten times slower than a short
    string; `close_compute` makes Decimals of the distinct ones only. Unsorted: sorting a
    city's month spilled to disk, and the close groups the rows by period itself."""
    from django.db.models import TextField
    from django.db.models.functions import Cast, Coalesce

    def points(reviewed: str, own: str) -> Any:
        both = Coalesce(reviewed, own)
        return Cast(both, TextField()) if connection.vendor == "postgresql" else both

    query = (
        Evaluation.objects.filter(period_id__in=sorted(period_ids))
        .order_by()
        .annotate(
            g=points("reviewed_general_points", "general_points"),
            t=points("reviewed_task_points", "task_points"),
            b=points("reviewed_bonus_points", "bonus_points"),
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
        # Not compiled to machine code: once a 1,000,000 month has been closed this scan's
        # estimate crosses `jit_above_cost` (a 200,000 month's does not), and compiling cost
        # the read 0.2 s of its 1.0 s of backend CPU. In the close's transaction: SET LOCAL.
        cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        cursor.execute("RESET jit")
        return rows


def _packs(values: Sequence[tuple[Any, ...]]) -> dict[str, PackUse]:
    """The packs met in the close, each with the administrator's current parameters."""
    out: dict[str, PackUse] = {}
    for pack_id in sorted({v[7] for v in values}):
        params, number = inputs.current_params(pack_id)
        pack = rules.registry.get(pack_id)
        columns = tuple((c.id, COLUMNS[c.id]) for c in pack.criteria if c.id in COLUMNS)
        out[pack_id] = PackUse(pack.batch(params), params, number, columns)
    return out


def _context(
    periods: list[EvaluationPeriod],
    values: Sequence[tuple[Any, ...]],
    parsed: rules.Period,
    resolve: str,
    named: frozenset[int] = frozenset(),
) -> Context:
    """Everything the computation needs, read from the database set-based."""
    start, end = parsed.start, parsed.end
    snap = tree()
    packs = _packs(values)
    heads = inputs.heads_on(end)
    head_units = {heads[v[1]] for v in values if v[6] and v[1] in heads}
    ceilings: dict[str, dict[int, rules.Level | None]] = {}
    for pack_id, use in packs.items():
        found = inputs.unit_results(head_units, start, end, use.params.unit) if head_units else {}
        ceilings[pack_id] = {u: r.level for u, r in found.items()}
    unit_codes = {u: info.code for u, info in snap.units.items()}
    decree90: dict[int, inputs.Decree90Input] = {}
    presence: dict[int, inputs.YearPresence] = {}
    if D90 in packs and parsed.kind is rules.PeriodKind.YEAR:
        decree90, presence = _decree90_year(periods, values, parsed, packs[D90].params)
    return Context(
        period=parsed,
        resolve=resolve,
        packs=packs,
        agency_codes={p.pk: p.agency.code for p in periods},
        unit_codes=unit_codes,
        discipline=inputs.discipline_facts_in(start, end),
        heads=heads,
        ceilings=ceilings,
        overrides=overrides_in_force(str(parsed), unit_codes),
        named=named,
        decree90=decree90,
        presence=presence,
    )


def _decree90_year(
    periods: list[EvaluationPeriod],
    values: Sequence[tuple[Any, ...]],
    parsed: rules.Period,
    params: Any,
) -> tuple[dict[int, inputs.Decree90Input], dict[int, inputs.YearPresence]]:
    """The year's Decree 90 inputs of everyone closed under decree-90, read set-based (rules.md
    "Settled points" 2 and 10): the counts an evaluation gives itself win over the tasks."""
    rows = [v for v in values if v[7] == D90]
    given = inputs.given_counts(
        Evaluation.objects.filter(period_id__in=sorted(p.pk for p in periods), rule_pack=D90)
    )
    people = [inputs.Decree90Person(v[1], v[4], bool(v[5]), v[2], given.get(v[1])) for v in rows]
    ids = [v[1] for v in rows]
    return (
        inputs.decree90_inputs(people, parsed, params.unit),
        inputs.presence_in(ids, parsed.start, parsed.end),
    )


def _close(
    periods: list[EvaluationPeriod],
    parsed: rules.Period,
    *,
    by: Any,
    resolve: str,
    result: CloseResult,
    dry_run: bool = False,
    move: Sequence[str] = (),
    prepared: close_rollup.Prepared | None = None,
) -> None:
    by_id = {p.pk: p for p in periods}
    values = _fetch(list(by_id))
    new_staff: dict[int, int] = {}
    if prepared is not None and prepared.new_values:
        # A roll-up's new rows, not inserted yet (PostgreSQL): the writer inserts them closed.
        values += prepared.new_values
        new_staff = prepared.new_staff
    pending = [
        (v[0], v[12])
        for v in values
        if v[12] not in (EvaluationStatus.APPROVED, EvaluationStatus.CLOSED)
    ]
    if pending:
        raise _not_ready(
            pending, _("%(count)s evaluations are not approved yet: %(list)s"), new_staff
        )
    named = _named(move, values, parsed)
    ctx = _context(periods, values, parsed, resolve, named)
    if prepared is not None:
        ctx.rolled, ctx.evidence = prepared.rolled, prepared.evidence
        ctx.new_rows = prepared.new_rows
    by_period: dict[int, list[tuple[Any, ...]]] = {p.pk: [] for p in periods}
    for v in values:
        by_period[v[3]].append(v)
    groups = list(by_period.items())  # in the periods' order (agency code), empty ones too
    now = timezone.now()
    closer = by if by is not None and getattr(by, "pk", None) else None
    kept = kept_params(ctx.packs)
    writer = (
        None
        if dry_run
        else Writer(
            now=now,
            closed_by=getattr(closer, "pk", None),
            pack_params=json.dumps(kept),
            drafts=prepared.drafts if prepared is not None else (),
        )
    )
    lines = AuditLines(now, closer)
    refused: list[tuple[int, str]] = []
    conflicts: list[tuple[str, rules.QuotaConflict, dict[int, Row]]] = []
    counts: Counter[str] = Counter()
    levels: dict[int, str] = {}
    payloads: list[Any] = []
    locks: list[PeriodLock] = []
    size = 0
    left = len(values)
    copy = connection.vendor == "postgresql"
    try:
        for done in rendered(groups, ctx, copy=copy, dry_run=dry_run):
            refused += done.refused
            conflicts += done.conflicts
            counts += done.counts
            result.moved_by_quota += done.moved
            result.moved_ids += done.moved_ids
            result.quota_use += done.quota_use
            if done.levels is not None:
                levels.update(done.levels)
            if writer is None or refused or conflicts:
                continue
            payloads.append(done.payload)
            locks.append(_lock(by_id[done.period_id], done, lines, now, closer, kept))
            size += sum(done.counts.values())
            left -= sum(done.counts.values())
            # Smaller batches towards the end: the last one is written after the computing is
            # done, and nothing else overlaps it.
            if size >= min(BATCH_ROWS, max(left // 2, BATCH_ROWS // 5)):
                writer.put(payloads, locks)
                payloads, locks, size = [], [], 0
        if refused:
            raise _not_ready(
                refused, _("%(count)s evaluations cannot be classified: %(list)s"), new_staff
            )
        if conflicts:
            raise QuotaConflicts(_describe_conflicts(conflicts, new_staff))
        if writer is not None:
            writer.put(payloads, locks)
            writer.finish()
    except BaseException:
        if writer is not None:
            writer.abandon()
        raise
    result.evaluations = sum(counts.values())
    result.by_level = dict(counts)
    if dry_run:
        result.levels = levels
        return
    result.periods_closed = len(periods)


def _lock(
    period: EvaluationPeriod,
    outcome: Rendered,
    lines: AuditLines,
    now: Any,
    closer: Any,
    kept: dict[str, Any],
) -> PeriodLock:
    """The period as it will be once closed (for its audit line), and what the writer sets."""
    before = auditing.snapshot(period)
    period.status = PeriodStatus.CLOSED
    period.closed_at = now
    period.closed_by = closer
    period.pack_params = kept
    period.quota_use = outcome.quota_use
    period.version += 1
    period.updated_at = now
    after = auditing.snapshot(period)
    return PeriodLock(
        period.pk, json.dumps(outcome.quota_use), lines.line(period, before, after, outcome.members)
    )


def _named(
    move: Sequence[str], values: Sequence[tuple[Any, ...]], parsed: rules.Period
) -> frozenset[int]:
    """The staff the head names with `--move`, each one with an evaluation in the close:
    an unknown code, or a person outside the close, is refused by name (rules.md "Settled
    points" 1). Whether each may move (at the top level, no more than needed) is the quota's
    check."""
    codes = sorted({c.strip() for c in move if c.strip()})
    if not codes:
        return frozenset()
    found = dict(Staff.objects.filter(code__in=codes).values_list("code", "pk"))
    closing_ids = {v[1] for v in values}
    problems = []
    for code in codes:
        if code not in found:
            problems.append(_("--move: unknown staff code '%(value)s'") % {"value": code})
        elif found[code] not in closing_ids:
            problems.append(
                _("--move: '%(value)s' has no evaluation of %(period)s in this close")
                % {"value": code, "period": str(parsed)}
            )
    if problems:
        raise DomainError(
            _("The head's choice names people outside the close. Nothing was changed."),
            field_errors={"move": problems},
        )
    return frozenset(found[c] for c in codes)


def _people(
    evaluation_ids: Iterable[int], new_staff: dict[int, int] | None = None
) -> dict[int, tuple[int, str, str]]:
    """evaluation id -> (staff id, code, name); `new_staff`: the staff of rows not inserted yet
    (`close_rollup.Prepared.new_staff`)."""
    out: dict[int, tuple[int, str, str]] = {}
    new_staff = new_staff or {}
    ids = set(evaluation_ids)
    unsaved = {pk: new_staff[pk] for pk in ids if pk in new_staff}
    for chunk in id_sets(ids - unsaved.keys()):
        for pk, staff_id, code, name in Evaluation.objects.filter(pk__in=chunk).values_list(
            "pk", "staff_id", "staff__code", "staff__full_name"
        ):
            out[pk] = (staff_id, code, name)
    if unsaved:
        staff = {
            pk: (code, name)
            for chunk in id_sets(unsaved.values())
            for pk, code, name in Staff.objects.filter(pk__in=chunk).values_list(
                "pk", "code", "full_name"
            )
        }
        for pk, staff_id in unsaved.items():
            out[pk] = (staff_id, *staff[staff_id])
    return out


def _not_ready(
    items: list[tuple[int, str]], template: str, new_staff: dict[int, int] | None = None
) -> NotReady:
    shown = items[:50]
    people = _people((pk for pk, _m in shown), new_staff)
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
    new_staff: dict[int, int] | None = None,
) -> list[Conflict]:
    ids = [
        rows[s].pk
        for _p, c, rows in found
        for s in (*c.holders, *c.would_move, *c.tied, *c.named)
        if isinstance(s, int) and s in rows
    ]
    people = _people(ids, new_staff)

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
            reason=c.reason,
            needed=c.needed,
            tied=tuple(person(s, rows) for s in c.tied),
            tie_score=c.tie_score,
            named=tuple(person(s, rows) for s in c.named),
            decision=c.group.decision,
        )
        for pack_id, c, rows in found
    ]


def heads_naming_ties(*, unit: Unit, period: str, by: Any = None) -> list[str]:
    """The staff codes a head would name where "by score" cannot decide (a tie at the quota
    boundary, a pack without scores): the first in code order among those undecided — for the
    demo and the benchmarks, which stand in for the heads. A dry run: nothing is written."""
    try:
        close_period(unit=unit, period=period, by=by, resolve_quota="by-score", dry_run=True)
    except QuotaConflicts as exc:
        return [
            person.code
            for conflict in exc.conflicts
            if conflict.reason in ("tie", "no_score")
            for person in sorted(conflict.undecided, key=lambda p: p.code)[: conflict.needed]
        ]
    return []
