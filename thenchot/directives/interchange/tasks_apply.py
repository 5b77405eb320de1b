"""The writes of the `tasks` section, in batches: new tasks without model instances
(`core.bulk.Table`, with `search_text` filled as `Task.save()` would), changed ones with
`bulk_update`, coordinating units through their link table, and extensions replaced when they
differ. Every write has its audit line; a task's `coordinating_units` appear in its own audit
snapshot (as codes), as `directives.services.task_create` records them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change, snapshot
from thenchot.core.bulk import Line, Table, snapshot_of
from thenchot.directives.interchange.tasks import EXT_NAMES, TaskPlan
from thenchot.directives.models import ExtensionRequest, SourceDocument, Task, task_search_text
from thenchot.core.interchange import Counts, ImportContext, chunked, in_batches
from thenchot.org.interchange import unit_ids
from thenchot.people.models import Staff

BATCH = 2000
UPDATED = (
    "title",
    "document",
    "lead_unit",
    "assignee",
    "assigner_unit",
    "assigned_on",
    "deadline",
    "completed_on",
    "quality",
    "weight",
    "major_errors",
    "progress",
    "search_text",
    "version",
    "updated_at",
)


def apply_tasks(
    ctx: ImportContext, plans: list[TaskPlan], counts: Counts
) -> Iterator[Change | Line]:
    units = unit_ids(ctx)
    doc_codes = sorted({p.values["document"] for p in plans if p.values["document"]})
    docs = dict(
        in_batches(
            doc_codes,
            lambda b: SourceDocument.objects.filter(code__in=b).values_list("code", "id"),
        )
    )
    staff_codes = sorted({p.values["assignee"] for p in plans if p.values["assignee"]})
    staff = dict(
        in_batches(
            staff_codes, lambda b: Staff.objects.filter(code__in=b).values_list("code", "id")
        )
    )
    refs = _Refs(units, docs, staff)
    for batch in chunked(plans, BATCH):
        yield from _apply_batch(list(batch), counts, refs)


class _Refs:
    def __init__(self, units: dict[str, int], docs: dict[str, int], staff: dict[str, int]) -> None:
        self.units, self.docs, self.staff = units, docs, staff

    def columns(self, values: dict[str, Any]) -> dict[str, Any]:
        """Task columns (attnames) of the planned values."""

        def ref(table: dict[str, int], code: str | None) -> int | None:
            return table[code] if code is not None else None

        return {
            "title": values["title"],
            "document_id": ref(self.docs, values["document"]),
            "lead_unit_id": self.units[values["lead_unit"]],
            "assignee_id": ref(self.staff, values["assignee"]),
            "assigner_unit_id": ref(self.units, values["assigner_unit"]),
            "assigned_on": values["assigned_on"],
            "deadline": values["deadline"],
            "completed_on": values["completed_on"],
            "quality": values["quality"],
            "weight": values["weight"],
            "major_errors": values["major_errors"],
        }


def _apply_batch(plans: list[TaskPlan], counts: Counts, refs: _Refs) -> Iterator[Change | Line]:
    now = timezone.now()
    table = Table(Task)
    changes: list[Change | Line] = []

    # 1. new tasks, set-based
    creates: list[tuple[TaskPlan, dict[str, Any]]] = []
    for plan in plans:
        if plan.old is None:
            code = plan.row.data["code"]
            row = refs.columns(plan.values)
            row.update(
                code=code,
                search_text=task_search_text(code, plan.values["title"]),
                progress=100 if plan.values["completed_on"] is not None else 0,
                version=1,
            )
            creates.append((plan, table.complete(row, now)))
            counts.created += 1
    task_id: dict[str, int] = {}
    if creates:
        table.insert([row for _p, row in creates])
        task_id.update(
            Task.objects.filter(code__in=[p.row.data["code"] for p, _r in creates]).values_list(
                "code", "id"
            )
        )
        for plan, row in creates:
            row["id"] = task_id[row["code"]]
            after = {**snapshot_of(Task, row), "coordinating_units": plan.coordinating}
            changes.append(
                Line(Task, row["id"], f"{row['code']} — {row['title']}", CREATE, None, after)
            )

    # 2. changed tasks
    changed = [p for p in plans if p.old is not None and p.touched]
    counts.unchanged += sum(1 for p in plans if p.old is not None and not p.touched)
    counts.updated += len(changed)
    task_id.update({p.old["code"]: p.old["id"] for p in plans if p.old is not None})
    rewritten = [p for p in changed if p.flat_changed or p.coordinating_changed]
    if rewritten:
        stored = Task.objects.in_bulk([p.old["id"] for p in rewritten])
        updates = []
        for plan in rewritten:
            task = stored[plan.old["id"]]
            before = {**snapshot(task), "coordinating_units": plan.old_coordinating}
            was_open = task.completed_on is None
            for name, value in refs.columns(plan.values).items():
                setattr(task, name, value)
            if was_open and task.completed_on is not None:
                task.progress = 100
            task.search_text = task_search_text(task.code, task.title)
            task.version += 1
            task.updated_at = now
            updates.append(task)
            after = {**snapshot(task), "coordinating_units": plan.coordinating}
            changes.append(Change(task, UPDATE, before, after))
        Task.objects.bulk_update(updates, list(UPDATED), batch_size=BATCH)

    # 3. coordinating units: the new tasks' links, and the changed sets replaced
    through = Task.coordinating_units.through
    replaced = [p for p in changed if p.coordinating_changed]
    if replaced:
        through.objects.filter(task_id__in=[p.old["id"] for p in replaced]).delete()
    links = [
        {"task_id": task_id[p.row.data["code"]], "unit_id": refs.units[code]}
        for p in [*(p for p, _r in creates), *replaced]
        for code in p.coordinating
    ]
    Table(through).insert(links)

    # 4. extensions: replaced when they differ (a new task's are all new)
    redo = [
        p for p in plans if p.extensions is not None and (p.old is None or p.extensions_changed)
    ]
    if redo:
        old_ids = [p.old["id"] for p in redo if p.old is not None and p.old_extensions]
        for ext in ExtensionRequest.objects.filter(task_id__in=old_ids).order_by("id"):
            changes.append(Change(ext, DELETE, snapshot(ext), None))
        ExtensionRequest.objects.filter(task_id__in=old_ids).delete()
        new = [
            ExtensionRequest(task_id=task_id[p.row.data["code"]], **{n: ext[n] for n in EXT_NAMES})
            for p in redo
            for ext in p.extensions or []
        ]
        ExtensionRequest.objects.bulk_create(new, batch_size=BATCH)
        changes.extend(Change(ext, CREATE, None, snapshot(ext)) for ext in new)
    yield from changes
