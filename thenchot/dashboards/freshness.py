"""Data versions of the families of records the dashboard counts.

A write that changes a family bumps its counter (`core.models.Counter`, key
"dashboards.<family>") after its transaction commits, so every process sees the change on its
next view; the writing process also forgets its own grids of the family at once (a local
generation), which keeps the first view after a write right even before the commit hook runs
(tests run inside a transaction that never commits).

Who bumps: `post_save`/`post_delete` of the family's models, and `post_save` of an audit line
naming one of them — services write through `core.concurrency.save_versioned` (an UPDATE,
no signal) but always audit through `core.auditing.record`, which saves the line. Bulk paths
(imports, a period's close) write their audit lines without signals: they call `bump(...)`, or
the cache's time limit (`DASHBOARD_MAX_AGE` in `aggregates`) catches them.
"""

from __future__ import annotations

import threading

from django.db import transaction

from thenchot.core.models import Counter
from thenchot.core.models import bump as bump_counter
from thenchot.org.tree import TREE_COUNTER

PREFIX = "dashboards."
TREE = "__tree__"
FAMILIES = ("tasks", "cases", "evaluations", "inspections", "discipline", "rotations")

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
}

_local_lock = threading.Lock()
_local: dict[str, int] = {}


def local_generation(family: str) -> int:
    return _local.get(family, 0)


def versions() -> dict[str, int]:
    """Every family's counter and the tree's, in one query."""
    keys = [PREFIX + f for f in FAMILIES] + [TREE_COUNTER]
    found = dict(Counter.objects.filter(key__in=keys).values_list("key", "value"))
    out = {f: int(found.get(PREFIX + f, 0)) for f in FAMILIES}
    out[TREE] = int(found.get(TREE_COUNTER, 0))
    return out


def bump(*families: str) -> None:
    """Mark these families changed: at once in this process, for all after the commit."""
    with _local_lock:
        for family in families:
            _local[family] = _local.get(family, 0) + 1
    for family in families:
        transaction.on_commit(lambda f=family: bump_counter(PREFIX + f))  # type: ignore[misc]


def bump_for_label(model_label: str) -> None:
    family = MODELS.get(model_label)
    if family is not None:
        bump(family)
