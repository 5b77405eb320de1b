"""Tasks recorded in batches, as history (the interchange import): the stored state read
set-based, and the writes — new tasks without model instances (`core.bulk.Table`, with
`search_text` filled as `Task.save()` would), changed ones with `bulk_update`, coordinating
units through their link table, extensions diffed in place, parents' progress rolled up.

The caller has checked every record under `directives.rules` (the rules the pages' services
apply); what is written then matches what the services write for the same change
(`tests/test_import_parity.py`): the same columns, progress rule and audit before/after values.
Who acted is not history a file carries: the columns naming a user (assigned_by, requested_by,
decided_by, completion_recorded_by) stay empty and the audit line's actor says who imported.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change, snapshot
from thenchot.core.bulk import Line, Table, snapshot_of, text_of
from thenchot.core.interchange import Counts, chunked, in_batches
from thenchot.directives.models import ExtensionRequest, SourceDocument, Task, task_search_text
from thenchot.directives.rules import progress_after
from thenchot.directives.services.progress import parent_progress_changes
from thenchot.people.models import Staff

BATCH = 2000
# The task fields a record carries, references as codes.
FLAT = (
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
)
REFS = ("document", "lead_unit", "assignee", "assigner_unit")
COLUMNS = ("id", "code", *(f"{n}__code" if n in REFS else n for n in FLAT))
EXT_NAMES = ("requested_on", "previous_deadline", "new_deadline", "reason", "status", "decided_on")
UPDATED = (
    *FLAT,
    "progress",
    "search_text",
    "version",
    "updated_at",
)


@dataclass
class TaskRecord:
    """One task as it is to be stored. `old` is the stored state (`stored_tasks`; None: to
    create); `extensions` are EXT_NAMES dicts in request order, None to keep the stored ones."""

    code: str
    values: dict[str, Any]
    coordinating: list[str]
    old: dict[str, Any] | None = None
    extensions: list[dict[str, Any]] | None = None

    @property
    def old_coordinating(self) -> list[str]:
        return self.old["coordinating"] if self.old is not None else []

    @property
    def old_extensions(self) -> list[tuple[Any, ...]]:
        """Stored extensions as (id, *EXT_NAMES), in request order."""
        return self.old["extensions"] if self.old is not None else []

    @property
    def flat_changed(self) -> bool:
        return self.old is None or any(self.old[n] != self.values[n] for n in FLAT)

    @property
    def coordinating_changed(self) -> bool:
        return self.coordinating != self.old_coordinating

    @property
    def extensions_changed(self) -> bool:
        if self.extensions is None:
            return False
        wanted = [tuple(e[n] for n in EXT_NAMES) for e in self.extensions]
        return wanted != [stored[1:] for stored in self.old_extensions]

    @property
    def touched(self) -> bool:
        return self.flat_changed or self.coordinating_changed or self.extensions_changed


def stored_tasks(codes: Sequence[str]) -> dict[str, dict[str, Any]]:
    """code -> the stored task (id, code, FLAT with references as codes, `coordinating` unit
    codes sorted, `extensions` as (id, *EXT_NAMES) in request order), a few queries per 2,000."""
    old: dict[str, dict[str, Any]] = {}
    for values in in_batches(
        codes, lambda b: Task.objects.filter(code__in=b).values_list(*COLUMNS)
    ):
        record = dict(zip(("id", "code", *FLAT), values, strict=True))
        record["coordinating"] = []
        record["extensions"] = []
        old[record["code"]] = record
    by_id = {o["id"]: o for o in old.values()}
    through = Task.coordinating_units.through
    for task_id, unit in in_batches(
        list(by_id),
        lambda b: through.objects.filter(task_id__in=b).values_list("task_id", "unit__code"),
    ):
        by_id[task_id]["coordinating"].append(unit)
    for values in in_batches(
        list(by_id),
        lambda b: (
            ExtensionRequest.objects.filter(task_id__in=b)
            .order_by("task_id", "requested_on", "id")
            .values_list("task_id", "id", *EXT_NAMES)
        ),
    ):
        by_id[values[0]]["extensions"].append(tuple(values[1:]))
    for record in old.values():
        record["coordinating"].sort()
    return old


def tasks_record(
    *, records: Sequence[TaskRecord], units: dict[str, int], counts: Counts
) -> Iterator[Change | Line]:
    """Write `records` in batches of `BATCH`, yielding every audit line; `units` maps the
    unit codes they name to ids."""
    doc_codes = sorted({r.values["document"] for r in records if r.values["document"]})
    docs = dict(
        in_batches(
            doc_codes,
            lambda b: SourceDocument.objects.filter(code__in=b).values_list("code", "id"),
        )
    )
    staff_codes = sorted({r.values["assignee"] for r in records if r.values["assignee"]})
    staff = dict(
        in_batches(
            staff_codes, lambda b: Staff.objects.filter(code__in=b).values_list("code", "id")
        )
    )
    refs = _Refs(units, docs, staff)
    for batch in chunked(records, BATCH):
        yield from _write_batch(list(batch), counts, refs)


class _Refs:
    def __init__(self, units: dict[str, int], docs: dict[str, int], staff: dict[str, int]) -> None:
        self.units, self.docs, self.staff = units, docs, staff

    def columns(self, values: dict[str, Any]) -> dict[str, Any]:
        """Task columns (attnames) of the record's values."""
        tables = {
            "document": self.docs,
            "lead_unit": self.units,
            "assignee": self.staff,
            "assigner_unit": self.units,
        }
        out: dict[str, Any] = {}
        for name in FLAT:
            value = values[name]
            if name in tables:
                out[f"{name}_id"] = tables[name][value] if value is not None else None
            else:
                out[name] = value
        return out


def _with_units(data: dict[str, Any], codes: list[str], shown: bool) -> dict[str, Any]:
    # The services audit a task's coordinating units with the task (as codes) when they set
    # them; a change that leaves them alone audits the task's own columns only.
    return {**data, "coordinating_units": codes} if shown else data


def _write_batch(records: list[TaskRecord], counts: Counts, refs: _Refs) -> Iterator[Change | Line]:
    now = timezone.now()
    table = Table(Task)
    changes: list[Change | Line] = []

    # 1. new tasks, set-based
    creates: list[tuple[TaskRecord, dict[str, Any]]] = []
    for record in records:
        if record.old is None:
            row = refs.columns(record.values)
            row.update(
                code=record.code,
                search_text=task_search_text(record.code, record.values["title"]),
                progress=progress_after(progress=0, completed_on=record.values["completed_on"]),
                version=1,
            )
            creates.append((record, table.complete(row, now)))
            counts.created += 1
    task_id: dict[str, int] = {}
    if creates:
        table.insert([row for _r, row in creates])
        task_id.update(
            Task.objects.filter(code__in=[r.code for r, _row in creates]).values_list("code", "id")
        )
        for record, row in creates:
            row["id"] = task_id[row["code"]]
            after = {**snapshot_of(Task, row), "coordinating_units": record.coordinating}
            changes.append(Line(Task, row["id"], text_of(Task, row), CREATE, None, after))

    # 2. changed tasks
    changed = [r for r in records if r.old is not None and r.touched]
    counts.unchanged += sum(1 for r in records if r.old is not None and not r.touched)
    counts.updated += len(changed)
    task_id.update({r.code: r.old["id"] for r in records if r.old is not None})
    rewritten = [r for r in changed if r.flat_changed or r.coordinating_changed]
    parents: list[int | None] = []
    if rewritten:
        stored = Task.objects.in_bulk([r.old["id"] for r in rewritten])  # type: ignore[index]
        updates = []
        for record in rewritten:
            task = stored[record.old["id"]]  # type: ignore[index]
            shown = record.coordinating_changed
            before = _with_units(snapshot(task), record.old_coordinating, shown)
            for name, value in refs.columns(record.values).items():
                setattr(task, name, value)
            if record.old["completed_on"] is None:  # type: ignore[index]
                task.progress = progress_after(
                    progress=task.progress, completed_on=task.completed_on
                )
            task.search_text = task_search_text(task.code, task.title)
            task.version += 1
            task.updated_at = now
            updates.append(task)
            parents.append(task.parent_id)
            after = _with_units(snapshot(task), record.coordinating, shown)
            changes.append(Change(task, UPDATE, before, after))
        Task.objects.bulk_update(updates, list(UPDATED), batch_size=BATCH)

    # 3. coordinating units: the new tasks' links, and the changed sets replaced
    through = Task.coordinating_units.through
    replaced = [r for r in changed if r.coordinating_changed]
    if replaced:
        through.objects.filter(task_id__in=[r.old["id"] for r in replaced]).delete()  # type: ignore[index]
    links = [
        {"task_id": task_id[r.code], "unit_id": refs.units[code]}
        for r in [*(r for r, _row in creates), *replaced]
        for code in r.coordinating
    ]
    Table(through).insert(links)

    # 4. extensions, paired with the stored ones in request order: a decided request is the
    # same row updated (as `extension_decide` does), extra ones are added, missing ones deleted
    changes.extend(_write_extensions(records, task_id, now))

    # 5. the parents of changed sub-tasks
    changes.extend(parent_progress_changes(parents))
    yield from changes


def _write_extensions(records: list[TaskRecord], task_id: dict[str, int], now: Any) -> list[Change]:
    redo = [
        r for r in records if r.extensions is not None and (r.old is None or r.extensions_changed)
    ]
    if not redo:
        return []
    changes: list[Change] = []
    stored_ids = [e[0] for r in redo for e in r.old_extensions]
    stored = ExtensionRequest.objects.in_bulk(stored_ids)
    new: list[ExtensionRequest] = []
    updates: list[tuple[ExtensionRequest, dict[str, Any]]] = []
    gone: list[ExtensionRequest] = []
    for record in redo:
        wanted = record.extensions or []
        olds = record.old_extensions
        for position, values in enumerate(wanted):
            if position >= len(olds):
                new.append(
                    ExtensionRequest(
                        task_id=task_id[record.code], **{n: values[n] for n in EXT_NAMES}
                    )
                )
                continue
            ext = stored[olds[position][0]]
            if tuple(values[n] for n in EXT_NAMES) == olds[position][1:]:
                continue
            before = snapshot(ext)
            for name in EXT_NAMES:
                setattr(ext, name, values[name])
            ext.version += 1
            ext.updated_at = now
            updates.append((ext, before))
        gone.extend(stored[old[0]] for old in olds[len(wanted) :])
    for ext in gone:
        changes.append(Change(ext, DELETE, snapshot(ext), None))
    ExtensionRequest.objects.filter(pk__in=[e.pk for e in gone]).delete()
    # Updated before created: a decided request leaves the one-pending constraint free for
    # the new pending one.
    ExtensionRequest.objects.bulk_update(
        [e for e, _b in updates], [*EXT_NAMES, "version", "updated_at"], batch_size=BATCH
    )
    changes.extend(Change(ext, UPDATE, before, snapshot(ext)) for ext, before in updates)
    ExtensionRequest.objects.bulk_create(new, batch_size=BATCH)
    changes.extend(Change(ext, CREATE, None, snapshot(ext)) for ext in new)
    return changes
