"""Data versions of what the dashboard counts: per family of records, and per series and month.

A write that changes a series bumps, after its transaction commits, the counters
(`core.models.Counter`) of the *months it touches* in that series —
"dashboards.<series>@YYYY-MM" — so every process recounts only those months of its grids on
its next view; a write whose months cannot be told bumps its family's counter
"dashboards.<family>", and the family's grids are counted whole. The writing process also
forgets at once (a local generation), which keeps the first view after a write right even
before the commit hook runs (tests run inside a transaction that never commits).

The months a write touches in a series are those of the record's bucket dates before and after
it (`Feeds`; by default every date of the record): a record is bucketed by one of its own dates
(`metrics`), so the months of its old and new dates hold every figure it left or joined; a write
that changes none of the fields a series reads (an urge, a title) touches nothing. A task is
bucketed by its *effective* deadline, which an extension may have moved: that month is read as
well. Extensions and assignments move records whose dates they do not hold (a task's deadline;
the unit a decision is placed in), and the satisfaction and reform figures are not monthly:
their writes bump the family.

Who bumps: `pre_save`/`post_save`/`post_delete` of the models (the old values read before the
save), `post_save` of an audit line naming one of them (services write through
`core.concurrency.save_versioned` — an UPDATE, no signal — but always audit through
`core.auditing.record`, whose line holds the before and after), and `core.registry.bulk_written`
for bulk paths (imports, a period's close), which name only the models: the family is bumped.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models, transaction
from django.db.models import Q

from thenchot.core.models import Counter
from thenchot.core.models import bump as bump_counter
from thenchot.org.tree import TREE_COUNTER

PREFIX = "dashboards."
WARM_JOB = "dashboards.warm"  # `jobs.warm`
TREE = "__tree__"
FAMILIES = (
    "tasks",
    "cases",
    "evaluations",
    "inspections",
    "discipline",
    "rotations",
    # read through other apps' report blocks (`external`), named by label only
    "satisfaction",
    "reform",
)

# model label -> family
MODELS: dict[str, str] = {
    "directives.task": "tasks",
    "directives.extensionrequest": "tasks",
    "processes.case": "cases",
    "appraisal.evaluation": "evaluations",
    "appraisal.evaluationperiod": "evaluations",
    "inspections.inspection": "inspections",
    "inspections.recommendation": "inspections",
    "discipline.disciplinedecision": "discipline",
    "people.assignment": "discipline",
    "rotation.rotation": "rotations",
    "surveys.survey": "satisfaction",
    "surveys.response": "satisfaction",
    "surveys.answer": "satisfaction",
    "reform.score": "reform",
    "reform.criterion": "reform",
    "reform.assessmentround": "reform",
    "reform.councildecision": "reform",
    "reform.publishedresult": "reform",
}
# Their writes move records of the family that do not carry their dates, or feed figures that
# are not counted by month (an index, a score): the whole family.
FAMILY_WIDE = frozenset(
    {"directives.extensionrequest", "people.assignment"}
    | {label for label, family in MODELS.items() if family in ("satisfaction", "reform")}
)
# Character fields holding a month ("2025-03"): an evaluation's period.
MONTH_FIELDS = ("period_code",)

_MONTH = re.compile(r"^(\d{4}-\d{2})(?:-\d{2})?$")

_local_lock = threading.Lock()
# Bumps of this process not yet carried by the database's counters (their transaction has not
# committed): a key's version is its counter plus these, the same in every process once the
# transaction commits — which lets a grid stored in the database (`GridSnapshot`) be shared.
_pending: dict[str, int] = {}


def month_key(family: str, month: str) -> str:
    return f"{PREFIX}{family}@{month}"


def local_generation(key: str) -> int:
    """This process's bumps of a family ("cases") or a series' month ("cases@2025-03") that
    the database's counter does not carry yet."""
    return _pending.get(key, 0)


def versions() -> dict[str, int]:
    """Every family's counter, every family's months' counters ("cases@2025-03") and the
    tree's (`TREE`), in one query."""
    rows = Counter.objects.filter(Q(key__startswith=PREFIX) | Q(key=TREE_COUNTER))
    out: dict[str, int] = dict.fromkeys(FAMILIES, 0)
    out[TREE] = 0
    for key, value in rows.values_list("key", "value"):
        out[TREE if key == TREE_COUNTER else key[len(PREFIX) :]] = int(value)
    return out


def version(versions: dict[str, int], key: str) -> int:
    """A family's ("cases") or a family's month's ("cases@2025-03") version as read in
    `versions`, with this process's own bumps."""
    return versions.get(key, 0) + local_generation(key)


def installed(label: str) -> bool:
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


def _bump_keys(keys: Iterable[str]) -> None:
    keys = sorted(set(keys))
    with _local_lock:
        for key in keys:
            _pending[key] = _pending.get(key, 0) + 1
    for key in keys:
        transaction.on_commit(lambda k=key: _carried(k))  # type: ignore[misc]


def _carried(key: str) -> None:
    bump_counter(PREFIX + key)
    with _local_lock:
        _pending[key] = _pending.get(key, 0) - 1


def bump(*families: str) -> None:
    """Mark these families changed, every month: at once in this process, for all after the
    commit."""
    _bump_keys(families)


# -- what a write touches -------------------------------------------------------------------------
@dataclass(frozen=True)
class Feeds:
    """A series a model's records feed: the fields whose change moves a record in it (its
    bucket, status, unit or date of placement) and the fields whose months hold its bucket."""

    series: str
    watch: tuple[str, ...]
    bucket: tuple[str, ...]


# The models whose series are told field by field (the busiest writes: a case or a task
# completed, a deadline moved). A case completed leaves its due date's month and joins its
# completion's month in `cases` and does not touch `cases_received` at all.
FEEDS: dict[str, tuple[Feeds, ...]] = {
    "directives.task": (
        Feeds(
            "tasks",
            ("deadline", "completed_on", "assigned_on", "lead_unit_id", "parent_id"),
            ("deadline",),
        ),
    ),
    "processes.case": (
        Feeds("cases_received", ("received_on", "unit_id"), ("received_on",)),
        Feeds(
            "cases",
            ("completed_on", "due_on", "received_on", "unit_id"),
            ("completed_on", "due_on"),
        ),
    ),
}

_fields: dict[str, tuple[str, ...]] = {}


def _series_of(family: str) -> list[str]:
    from thenchot.dashboards.metrics import SERIES

    return [key for key, series in SERIES.items() if series.family == family]


def feeds(label: str) -> tuple[Feeds, ...]:
    """What a model's records feed: its `FEEDS`, else every series of its family, moved by any
    of its dates (DateFields, and the period code of an evaluation) and bucketed by them."""
    found = FEEDS.get(label)
    if found is not None:
        return found
    dates = date_fields(label)
    return tuple(Feeds(key, dates, dates) for key in _series_of(MODELS[label]))


def tracked_fields(label: str) -> tuple[str, ...]:
    """The columns a save reads before it overwrites them."""
    found = _fields.get(label)
    if found is None:
        names: list[str] = []
        for feed in feeds(label):
            names += [n for n in (*feed.watch, *feed.bucket) if n not in names]
        found = _fields[label] = tuple(names)
    return found


def date_fields(label: str) -> tuple[str, ...]:
    model = apps.get_model(label)
    return tuple(
        f.attname
        for f in model._meta.concrete_fields
        if (isinstance(f, models.DateField) and not isinstance(f, models.DateTimeField))
        or f.name in MONTH_FIELDS
    )


def _months(names: tuple[str, ...], values: dict[str, Any] | None) -> set[str]:
    out: set[str] = set()
    if not values:
        return out
    for name in names:
        value = values.get(name)
        if isinstance(value, dt.date):
            out.add(value.isoformat()[:7])
        elif isinstance(value, str):
            match = _MONTH.match(value)
            if match:
                out.add(match.group(1))
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dt.date):
        a = a.isoformat()
    if isinstance(b, dt.date):
        b = b.isoformat()
    return bool(a == b)


def _task_effective_months(pks: Iterable[Any]) -> set[str]:
    """The months of these tasks' effective deadlines today (an extension may have moved them
    off the dates the tasks hold): one query."""
    from django.utils import timezone

    from thenchot.directives.models import Task
    from thenchot.directives.status import annotate_status

    ids = []
    for pk in pks:
        try:
            ids.append(int(pk))
        except (TypeError, ValueError):
            continue
    if not ids:
        return set()
    found = (
        annotate_status(Task.objects.filter(pk__in=ids), timezone.localdate())
        .values_list("effective_deadline", flat=True)
        .distinct()
    )
    return {day.isoformat()[:7] for day in found if day}


# More months than this in one batch of writes: the family is counted whole, as cheap.
MAX_MONTH_KEYS = 120


def _keys_of(
    label: str, changes: Iterable[tuple[Any, dict[str, Any] | None, dict[str, Any] | None]]
) -> set[str] | None:
    """The "<series>@<month>" keys these changes (pk, before, after) of `label` touch; None when
    they cannot be told (the whole family)."""
    if label in FAMILY_WIDE:
        return None
    keys: set[str] = set()
    tasks: list[Any] = []
    for pk, before, after in changes:
        for feed in feeds(label):
            if before is not None and after is not None:
                moved = [
                    n
                    for n in feed.watch
                    if (n in before or n in after) and not _same(before.get(n), after.get(n))
                ]
                if not moved:
                    continue  # e.g. an urge's audit line, a title edited
            months = _months(feed.bucket, before) | _months(feed.bucket, after)
            if not months:
                return None
            keys |= {f"{feed.series}@{m}" for m in months}
            if label == "directives.task" and pk is not None:
                tasks.append(pk)
        if len(keys) > MAX_MONTH_KEYS:
            return None
    if tasks:
        keys |= {f"tasks@{m}" for m in _task_effective_months(tasks)}
    return keys


def changed(
    label: str,
    pk: Any = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """A record of `label` changed from `before` to `after` (None: created / deleted): bump the
    months of each series it left or joined, or its whole family when they cannot be told."""
    changed_many(label, [(pk, before, after)])


def changed_many(
    label: str, changes: Iterable[tuple[Any, dict[str, Any] | None, dict[str, Any] | None]]
) -> None:
    """Records of `label` changed, each (pk, before, after): as `changed`, for a batch (a bulk
    writer's lines)."""
    family = MODELS.get(label)
    if family is None:
        return
    keys = _keys_of(label, changes)
    if keys is None:
        bump(family)
    elif keys:
        _bump_keys(keys)


def bulk_written(labels: frozenset[str]) -> None:
    """`core.registry.bulk_written` receiver: an import or a close wrote these models, which
    record and which months unknown — their families are recomputed whole."""
    families = sorted({MODELS[label] for label in labels if label in MODELS})
    if families:
        bump(*families)
        # Count the default dashboards again in the background once the write is committed,
        # rather than on their next reader's time.
        transaction.on_commit(lambda: _warm(families))


def _warm(families: list[str]) -> None:
    from thenchot.core.jobs import enqueue

    enqueue(WARM_JOB, families=families)
