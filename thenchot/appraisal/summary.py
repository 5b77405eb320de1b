"""The counts of a period's evaluations that the city-wide pages show — the close screen's
summary by agency and group, the board by agency, who the heads named to move down for the
quota — kept in the cache and counted again only for the periods written since.

Issue 16: a city's month is 200,000 evaluations in a table of 2.4 million wide rows; counting
them on every view of the close screen or of the city's board cost 0.5–1 s of the database
(several seconds under load). Each period's counts are kept with the *state* they were counted
in — the period's version, status and closing time and its write counter — and used only while
that state stands. The write counters (`core.models.Counter`, in the database) take a new
random value inside the writing transaction, so a reader sees a write's counter exactly when it
sees the write (a view that read the counter before a commit counted before it too, and its
figures are kept under the old value):

- "appraisal.counts:<period>" moves with every write of one evaluation of the period: its
  `post_save`/`post_delete` (the ORM's saves: factories, the admin) and the `post_save` of its
  audit line (the workflow's services write through `core.concurrency.save_versioned`, an
  UPDATE without a signal, and always audit through `core.auditing.record`, whose line holds
  the period), and with every audited write of the period itself (opened, reopened, its dates);
- a bulk write (`core.bulk`, whose writer calls `core.registry.bulk_written` with the models
  written, not the records) moves the counters of the periods its service names (`writing`: a
  bulk review or approval, the quota choices, an agency's month opened), else
  "appraisal.counts", part of every open period's state (an import): every open period is
  counted again;
- a close writes in bulk too, but changes the period's status and closing time, which are part
  of the state; a closed period's evaluations do not change until it is reopened (its version
  moves), so the shared counter is not part of a closed period's state: a close or an import
  elsewhere does not make every closed month be counted again.

The counts of one set of periods (a city's month: 300) are one cache entry (the default
in-memory cache keeps 300 entries), each period's figures beside the state they were counted
in: a reader recounts the periods whose state moved and writes the entry back. Two readers
writing it back at once lose nothing that matters: each period's figures are right for the
state stored with them, and a period missing its current state is counted again.

`AppraisalConfig.imports` imports this module, which connects the receivers.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.db.models.signals import post_delete, post_save

from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.core.models import Counter as WriteCounter
from thenchot.core.registry import bulk_written

# status, final level, reviewed level, proposed level, leader, moved down by the head, count
GroupRow = tuple[str, str, str, str, bool, bool, int]
# unit, status, count
UnitRow = tuple[int, str, int]

KEPT_SECONDS = 7 * 24 * 3600
# Periods counted by one query. A city's month in one query (294 periods, 200,000 of the
# table's 2.4 million rows) was planned as a parallel scan of the whole table (1.8 GB, 2.1 s,
# JIT compiled); 25 periods at a time are read through the (period, unit) index, the month's
# rows lying together (20,000 pages), in 0.5-0.7 s for the city (PostgreSQL 15, bench_pages).
CHUNK = 25
COUNTER = "appraisal.counts"  # + ":<period id>" for one period's writes; alone: bulk writes
LABELS = frozenset({"appraisal.evaluation", "appraisal.evaluationperiod"})
_FIELDS = (
    "period_id",
    "unit_id",
    "status",
    "final_level",
    "reviewed_level",
    "proposed_level",
    "is_leader",
    "quota_demoted",
)


# -- reading ---------------------------------------------------------------------------------------
def group_counts(periods: Iterable[EvaluationPeriod]) -> dict[int, list[GroupRow]]:
    """Per period, its evaluations counted by status, levels (final, reviewed, proposed),
    leader or not and the head's quota choice (the close screen's summary)."""
    return {pk: groups for pk, (groups, _units) in _kept(list(periods)).items()}


def unit_counts(periods: Iterable[EvaluationPeriod]) -> dict[int, list[UnitRow]]:
    """Per period, its evaluations counted by unit and status (the board by agency)."""
    return {pk: units for pk, (_groups, units) in _kept(list(periods)).items()}


def _kept(periods: list[EvaluationPeriod]) -> dict[int, tuple[list[GroupRow], list[UnitRow]]]:
    if not periods:
        return {}
    states = _states(periods)
    ids = ",".join(str(pk) for pk in sorted(states))
    key = "appraisal.counts:" + hashlib.sha1(ids.encode(), usedforsecurity=False).hexdigest()
    entry: dict[int, tuple[str, list[GroupRow], list[UnitRow]]] = cache.get(key) or {}
    stale = [pk for pk, state in states.items() if entry.get(pk, ("",))[0] != state]
    if stale:
        counted = _count(stale)
        for pk in stale:
            entry[pk] = (states[pk], *counted[pk])
        cache.set(key, entry, timeout=KEPT_SECONDS)
    return {pk: (entry[pk][1], entry[pk][2]) for pk in states}


def _states(periods: list[EvaluationPeriod]) -> dict[int, str]:
    """The state each period's counts are right for (read before counting)."""
    names = [f"{COUNTER}:{p.pk}" for p in periods] + [COUNTER]
    written = dict(WriteCounter.objects.filter(key__in=names).values_list("key", "value"))
    shared = written.get(COUNTER, 0)
    out = {}
    for p in periods:
        closed = p.status == PeriodStatus.CLOSED
        stamp = p.closed_at.isoformat() if closed and p.closed_at is not None else ""
        own = written.get(f"{COUNTER}:{p.pk}", 0)
        out[p.pk] = f"{p.version}:{p.status}:{stamp}:{own}:{'' if closed else shared}"
    return out


def _count(period_ids: list[int]) -> dict[int, tuple[list[GroupRow], list[UnitRow]]]:
    """The periods' evaluations counted by grouped queries of `CHUNK` periods, folded here into
    the two shapes kept."""
    groups: dict[int, Counter[tuple[Any, ...]]] = {pk: Counter() for pk in period_ids}
    units: dict[int, Counter[tuple[Any, ...]]] = {pk: Counter() for pk in period_ids}
    ordered = sorted(period_ids)
    for start in range(0, len(ordered), CHUNK):
        rows = (
            Evaluation.objects.filter(period_id__in=ordered[start : start + CHUNK])
            .order_by()
            .values_list(*_FIELDS)
            .annotate(n=Count("*"))
        )
        for period_id, unit_id, status, final, reviewed, proposed, leader, demoted, n in rows:
            groups[period_id][(status, final, reviewed, proposed, leader, demoted)] += n
            units[period_id][(unit_id, status)] += n
    return {
        pk: (
            [(*k, n) for k, n in groups[pk].items()],  # type: ignore[misc]
            [(*k, n) for k, n in units[pk].items()],  # type: ignore[misc]
        )
        for pk in period_ids
    }


# -- freshness -------------------------------------------------------------------------------------
def touched(period_ids: Iterable[int | None]) -> None:
    """These periods' evaluations changed (inside the writing transaction): their counts are
    made again on the next read that sees the change."""
    for pk in sorted({pk for pk in period_ids if pk is not None}):
        _move(f"{COUNTER}:{pk}")


def touched_all() -> None:
    """Evaluations of periods not named changed (a bulk write): every open period's counts are
    made again."""
    _move(COUNTER)


def _move(key: str) -> None:
    """Give the counter a new random value, not the next one: a value comes back only with the
    data it stood for (a rolled-back transaction, a restored backup — or a test's rollback, the
    same period id made again with other evaluations, where a count would have matched)."""
    value = secrets.randbits(62)
    # One statement as SQL (the ORM compiled it for 0.4 ms on every self-assessment).
    table = connection.ops.quote_name(WriteCounter._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f'UPDATE {table} SET "value" = %s WHERE "key" = %s', [value, key])
        moved = cursor.rowcount
    if not moved:
        _made, created = WriteCounter.objects.get_or_create(key=key, defaults={"value": value})
        if not created:
            WriteCounter.objects.filter(key=key).update(value=value)


def _period_of(values: dict[str, Any] | None) -> int | None:
    period = (values or {}).get("period_id")
    return int(period) if period is not None else None


def _saved(sender: Any, instance: Evaluation, **kwargs: Any) -> None:
    touched([instance.period_id])


def _audited(sender: Any, instance: Any, created: bool = False, **kwargs: Any) -> None:
    if not created or instance.model_label not in LABELS:
        return
    if instance.model_label == "appraisal.evaluationperiod":
        touched([int(instance.object_id)])
    else:
        touched([_period_of(instance.before), _period_of(instance.after)])


_local = threading.local()


@contextlib.contextmanager
def writing(period_ids: Iterable[int]) -> Iterator[None]:
    """A bulk write of evaluations of these periods only (a bulk review or approval, the quota
    choices, an agency's month opened): `core.registry.bulk_written`, which names the models
    and not the records, then moves these periods' counters instead of every open period's."""
    ids = {int(pk) for pk in period_ids}
    outer = getattr(_local, "periods", None)
    _local.periods = ids | (outer or set())
    try:
        yield
    finally:
        _local.periods = outer


def _bulk(labels: frozenset[str]) -> None:
    if not labels & LABELS:
        return
    named = getattr(_local, "periods", None)
    if named is not None:
        touched(named)
    else:
        touched_all()


def connect() -> None:
    uid = "appraisal.summary"
    post_save.connect(_saved, sender=Evaluation, dispatch_uid=uid + ":save")
    post_delete.connect(_saved, sender=Evaluation, dispatch_uid=uid + ":delete")
    entry = apps.get_model("audit", "AuditEntry")
    post_save.connect(_audited, sender=entry, dispatch_uid=uid + ":audit")
    bulk_written.register(uid, _bulk)


connect()
