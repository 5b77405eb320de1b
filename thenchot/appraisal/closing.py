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
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.accounts.choices import Role
from thenchot.appraisal import inputs, rules
from thenchot.appraisal.choices import EvaluationStatus, PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.core import auditing
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.org.models import Unit
from thenchot.org.tree import tree

EVAL_FIELDS = (
    "pk",
    "staff_id",
    "unit_id",
    "category",
    "is_leader",
    "is_head",
    "rule_pack",
    "general_points",
    "task_points",
    "bonus_points",
    "reviewed_general_points",
    "reviewed_task_points",
    "reviewed_bonus_points",
    "quota_demoted",
    "status",
    "final_level",
    "score",
)


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
        if was_enabled:
            gc.enable()
    return result


@dataclass
class _Row:
    """One evaluation during the close: what the quota and the writer need, nothing more."""

    pk: int
    staff_id: int
    agency: str
    level: rules.Level
    score: Decimal | None
    is_leader: bool
    demoted: bool
    reasons: str  # the trace as a JSON array (quota lines are appended to it)
    before: tuple[str, str, Decimal | None]  # status, final level, score


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
    pack_params: dict[str, tuple[Any, int | None]] = {}

    def params_of(pack_id: str) -> tuple[Any, int | None]:
        if pack_id not in pack_params:
            pack_params[pack_id] = inputs.current_params(pack_id)
        return pack_params[pack_id]

    pending: list[tuple[int, str]] = []  # (evaluation id, status) not approved
    refused: list[tuple[int, str]] = []  # (evaluation id, message) refused by the pack
    rows_by_pack: dict[str, list[_Row]] = defaultdict(list)
    snap = tree()
    by_id = {p.pk: p for p in periods}
    values = list(
        Evaluation.objects.filter(period_id__in=sorted(by_id))
        .order_by()
        .values_list(*EVAL_FIELDS, "period_id")
    )
    pending = [
        (v[0], v[14])
        for v in values
        if v[14] not in (EvaluationStatus.APPROVED, EvaluationStatus.CLOSED)
    ]
    if pending:
        raise _not_ready(pending, _("%(count)s evaluations are not approved yet: %(list)s"))
    discipline = inputs.discipline_facts_in(start, end)
    heads = inputs.heads_on(end)
    head_units = {heads[v[1]] for v in values if v[5] and v[1] in heads}
    unit_counts = inputs.unit_task_counts(head_units, start, end) if head_units else {}
    ceilings: dict[str, dict[int, rules.Level | None]] = {}
    classifier = inputs.Classifier()
    for v in values:
        (pk, staff_id, unit_id, category, is_leader, is_head, pack_id) = v[:7]
        period = by_id[v[17]]
        params, _number = params_of(pack_id)
        unit_level = None
        if is_head and staff_id in heads:
            if pack_id not in ceilings:
                ceilings[pack_id] = {
                    u: rules.unit_result(c, rule=params.unit).level for u, c in unit_counts.items()
                }
            unit_level = ceilings[pack_id].get(heads[staff_id])
        points = (
            v[10] if v[10] is not None else v[7],
            v[11] if v[11] is not None else v[8],
            v[12] if v[12] is not None else v[9],
        )
        try:
            found = classifier.classify(
                pack_id=pack_id,
                params=params,
                staff_id=staff_id,
                category=category,
                period=parsed,
                is_leader=is_leader,
                is_head=is_head,
                points=points,
                discipline=discipline.get(staff_id, ()),
                unit_level=unit_level,
            )
        except rules.RuleInputError as exc:
            refused.append((pk, "; ".join(exc.messages)))
            continue
        agency = period.agency.code
        if params.quota.agency_is_division:
            agency = snap.units[unit_id].code
        rows_by_pack[pack_id].append(
            _Row(
                pk=pk,
                staff_id=staff_id,
                agency=agency,
                level=found.level,
                score=found.score,
                is_leader=found.is_leader,
                demoted=v[13],
                reasons=found.reasons,
                before=(v[14], v[15], v[16]),
            )
        )
    if refused:
        raise _not_ready(refused, _("%(count)s evaluations cannot be classified: %(list)s"))

    conflicts: list[tuple[str, rules.QuotaConflict, dict[int, _Row]]] = []
    quota_use: list[dict[str, Any]] = []
    overrides = _overrides(periods)
    for pack_id in sorted(rows_by_pack):
        params, _number = params_of(pack_id)
        by_agency: dict[str, list[_Row]] = defaultdict(list)
        for r in rows_by_pack[pack_id]:
            by_agency[r.agency].append(r)
        # One agency at a time: quotas are per agency (and group), and `apply_quota` copies its
        # level map once per group, which over a whole city at once would be quadratic.
        for agency in sorted(by_agency):
            conflicts.extend(
                (pack_id, c, rows)
                for c, rows in _quota(
                    by_agency[agency], params, resolve, overrides, end, result, quota_use, pack_id
                )
            )
    if conflicts:
        raise QuotaConflicts(_describe_conflicts(conflicts))

    def agency_of_code(code: str) -> int | None:
        unit_id = snap.by_code.get(code)
        return None if unit_id is None else snap.agency_of(unit_id, end)

    all_rows = [r for rows in rows_by_pack.values() for r in rows]
    result.evaluations = len(all_rows)
    result.by_level = dict(Counter(r.level.value for r in all_rows))
    result.quota_use = quota_use
    if dry_run:
        result.levels = {r.pk: r.level.value for r in all_rows}
        return
    _write(all_rows)
    _audit(all_rows)
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
        for pack_id, (params, number) in sorted(pack_params.items())
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
        changes.append(auditing.Change(period, auditing.UPDATE, before, auditing.snapshot(period)))
    EvaluationPeriod.objects.bulk_update(
        periods,
        ["status", "closed_at", "closed_by", "pack_params", "quota_use", "version", "updated_at"],
        batch_size=500,
    )
    auditing.record_many(changes)
    result.periods_closed = len(periods)


def _candidates(rows: Sequence[_Row]) -> list[rules.QuotaCandidate]:
    return [
        rules.QuotaCandidate(
            staff_id=r.staff_id,
            agency=r.agency,
            level=r.level,
            score=r.score,
            is_leader=r.is_leader,
        )
        for r in rows
    ]


def _quota(
    rows: list[_Row],
    params: Any,
    resolve: str,
    overrides: dict[str, rules.QuotaOverride],
    end: dt.date,
    result: CloseResult,
    quota_use: list[dict[str, Any]],
    pack_id: str,
) -> list[tuple[rules.QuotaConflict, dict[int, _Row]]]:
    """Step 4 for one agency under one pack: apply, then check the final levels again."""
    by_staff = {r.staff_id: r for r in rows}
    chosen = {r.staff_id for r in rows if r.demoted and r.level is rules.Level.EXCELLENT}
    outcome = rules.apply_quota(
        _candidates(rows),
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
    left = rules.check_quota(_candidates(rows), params.quota, overrides=overrides, on=end)
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
    found: list[tuple[str, rules.QuotaConflict, dict[int, _Row]]],
) -> list[Conflict]:
    ids = [
        rows[s].pk
        for _p, c, rows in found
        for s in (*c.holders, *c.would_move)
        if isinstance(s, int) and s in rows
    ]
    people = _people(ids)

    def person(staff_id: Any, rows: dict[int, _Row]) -> Person:
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


# -- writing ---------------------------------------------------------------------------------------
def _write(rows: list[_Row]) -> None:
    """Level, score, reasons and status of every row, in one set-based statement per batch."""
    if not rows:
        return
    now = timezone.now()
    table = Evaluation._meta.db_table
    q = connection.ops.quote_name
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE appraisal_close_rows (id bigint PRIMARY KEY,"
                " final_level varchar(20), score numeric(5, 2), reasons jsonb) ON COMMIT DROP"
            )
            with cursor.cursor.copy(
                "COPY appraisal_close_rows (id, final_level, score, reasons) FROM STDIN"
            ) as copy:
                for r in rows:
                    copy.write_row((r.pk, r.level.value, r.score, r.reasons))
            cursor.execute(
                f"UPDATE {q(table)} AS e SET final_level = t.final_level, score = t.score,"
                " reasons = t.reasons, status = %s, version = e.version + 1, updated_at = %s"
                " FROM appraisal_close_rows AS t WHERE e.id = t.id",
                [EvaluationStatus.CLOSED.value, now],
            )
            cursor.execute("DROP TABLE appraisal_close_rows")
        return
    if connection.vendor == "sqlite":
        stamp = connection.ops.adapt_datetimefield_value(now)
        sql = (
            f"UPDATE {q(table)} SET final_level = %s, score = %s, reasons = %s, status = %s,"
            f" version = version + 1, updated_at = %s WHERE id = %s"
        )
        closed = EvaluationStatus.CLOSED.value
        with connection.cursor() as cursor:
            for start in range(0, len(rows), 5000):
                cursor.executemany(
                    sql,
                    [
                        (
                            r.level.value,
                            str(r.score) if r.score is not None else None,
                            r.reasons,
                            closed,
                            stamp,
                            r.pk,
                        )
                        for r in rows[start : start + 5000]
                    ],
                )
        return
    objs = []
    for r in rows:  # other databases: the ORM's bulk path
        objs.append(
            Evaluation(
                pk=r.pk,
                final_level=r.level.value,
                score=r.score,
                reasons=json.loads(r.reasons),
                status=EvaluationStatus.CLOSED,
                updated_at=now,
            )
        )
    Evaluation.objects.bulk_update(objs, ["final_level", "score", "reasons", "status"], 1000)


def _audit(rows: list[_Row]) -> None:
    """One audit line per evaluation (status, final level, score before and after), in one
    batch, written like `core.bulk.write_audit` writes them (same columns, same action
    context) but with the JSON of these three small fields formatted directly: encoding 600,000
    small objects with `json.dumps` was a quarter of a city's close. The trace itself stays on
    the record: the audit says what changed, the record why."""
    import uuid

    from django.contrib.contenttypes.models import ContentType

    from thenchot.audit.models import AuditEntry
    from thenchot.core.bulk import RawJSON, Table
    from thenchot.core.context import current

    ctx = current()
    actor = ctx.actor
    actor_id = actor.pk if actor is not None and getattr(actor, "pk", None) else None
    actor_name = str(getattr(actor, "username", "")) if actor is not None else ""
    table = Table(AuditEntry)
    ct = ContentType.objects.get_for_model(Evaluation).pk
    batch = uuid.uuid4().hex
    now = timezone.now()
    closed = EvaluationStatus.CLOSED.value
    fields_cache: dict[tuple[bool, bool], RawJSON] = {}
    pending: list[dict[str, Any]] = []

    def js(value: str | None) -> str:
        # Level and status codes and decimal strings: nothing in them needs escaping.
        return "null" if value is None else f'"{value}"'

    for r in rows:
        status, level, score = r.before
        new_score = None if r.score is None else str(r.score)
        old_score = None if score is None else str(score)
        changed = (level != r.level.value, old_score != new_score)
        fields = fields_cache.get(changed)
        if fields is None:
            names = sorted(n for n, c in zip(("final_level", "score"), changed, strict=True) if c)
            fields = fields_cache[changed] = RawJSON(json.dumps(sorted({*names, "status"})))
        pending.append(
            {
                "at": now,
                "actor_id": actor_id,
                "actor_name": actor_name,
                "request_id": ctx.request_id,
                "source": ctx.source,
                "action": auditing.UPDATE,
                "content_type_id": ct,
                "model_label": "appraisal.evaluation",
                "object_id": str(r.pk),
                "object_repr": f"{r.staff_id} @ {r.pk}",
                "before": RawJSON(
                    f'{{"final_level": {js(level)}, "score": {js(old_score)},'
                    f' "status": {js(status)}}}'
                ),
                "after": RawJSON(
                    f'{{"final_level": {js(r.level.value)}, "score": {js(new_score)},'
                    f' "status": "{closed}"}}'
                ),
                "changed_fields": fields,
                "reason": ctx.reason,
                "batch": batch,
            }
        )
        if len(pending) >= 5000:
            table.insert([table.complete(p, now) for p in pending])
            pending = []
    if pending:
        table.insert([table.complete(p, now) for p in pending])
