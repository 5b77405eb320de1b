"""A parent task's progress, rolled up from its sub-tasks (`rules.rolled_up_progress`), for one
changed task (the pages) and for a batch of them (the import): the same set-based walk up the
tree, one level of parents per query."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from thenchot.core import auditing
from thenchot.core.auditing import UPDATE, Change
from thenchot.directives.models import Task
from thenchot.directives.rules import rolled_up_progress


def parent_progress_changes(parent_ids: Iterable[int | None]) -> list[Change]:
    """Recompute the progress of `parent_ids` and of their ancestors, writing the open parents
    whose value moves; returns the audit Changes for the caller to record. A parent whose
    sub-tasks weigh nothing stops its branch (nothing to average)."""
    changes: list[Change] = []
    level = {pk for pk in parent_ids if pk is not None}
    seen: set[int] = set()
    while level:
        seen |= level
        children: dict[int, list[tuple[Decimal, int, Any]]] = defaultdict(list)
        for parent_id, weight, progress, completed_on in Task.objects.filter(
            parent_id__in=sorted(level)
        ).values_list("parent_id", "weight", "progress", "completed_on"):
            children[parent_id].append((weight, progress, completed_on))
        parents = Task.objects.in_bulk(sorted(level))
        moved: list[Task] = []
        up: set[int] = set()
        for parent_id in sorted(level):
            parent = parents.get(parent_id)
            value = rolled_up_progress(children.get(parent_id, []))
            if parent is None or value is None:
                continue
            if parent.progress != value and parent.completed_on is None:
                before = auditing.snapshot(parent)
                parent.progress = value
                moved.append(parent)
                changes.append(Change(parent, UPDATE, before, auditing.snapshot(parent)))
            if parent.parent_id is not None:
                up.add(parent.parent_id)
        if moved:
            Task.objects.bulk_update(moved, ["progress"])
        level = up - seen  # a cycle in bad data must not loop forever
    return changes


def rollup_parent_progress(task: Task) -> None:
    """After one task changed: its parents' progress, each move audited."""
    for change in parent_progress_changes([task.parent_id]):
        auditing.record(
            change.instance,
            action=UPDATE,
            before=change.before,
            after=change.after,
            reason=_("progress rolled up from sub-tasks"),
        )
