"""The writes of the `staff` section: accounts, staff rows, assignments and headships, in
batches, without model instances for the large tables (`core.bulk`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from operator import itemgetter
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from thenchot.core import interchange as engine
from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change, snapshot
from thenchot.core.bulk import Line, Table, snapshot_of, text_of
from thenchot.core.interchange import ImportContext
from thenchot.org.interchange import unit_ids
from thenchot.people.choices import AssignmentReason
from thenchot.people.interchange.common import (
    BATCH,
    RELEASED,
    SIMPLE,
    Closed,
    StaffPlan,
    _unusable_password,
    name_key,
    search_text,
    touched,
)
from thenchot.people.models import (
    Assignment,
    HeadAssignment,
    JobPosition,
    Staff,
    staff_search_text,
)


def apply_staff(
    ctx: ImportContext, plans: list[StaffPlan], counts: engine.Counts
) -> Iterator[Change | Line]:
    units = unit_ids(ctx)
    jobs = ctx.shared.get("job_positions.ids") or dict(
        JobPosition.objects.values_list("code", "id")
    )
    staff_id: dict[str, int] = {}
    # The new rows' ids, reserved before the first batch (no statement between the writes).
    # A move's new assignment takes its id from the sequence in its batch (`bulk_create`):
    # when a file moves people, the first assignments' ids are reserved batch by batch, so
    # that every id stays the one a batch-by-batch import gives.
    moves = any(p.old is not None and p.move and not p.history for p in plans)
    reserved = (
        engine.ReservedIds(get_user_model(), sum(p.user_action == "create" for p in plans)),
        engine.ReservedIds(Staff, sum(p.old is None for p in plans)),
        None
        if moves
        else engine.ReservedIds(Assignment, sum(p.old is None and not p.history for p in plans)),
    )
    for batch in engine.chunked(plans, BATCH):
        yield from _apply_batch(ctx, list(batch), counts, units, jobs, staff_id, reserved)
        # A written plan's row and values are read no more (the headships below read the
        # code of the plans that open one): released batch by batch, their memory holds the
        # next batches' (the import's peak was at the end of this section).
        for plan in batch:
            if not plan.head:
                plan.row.data = RELEASED  # type: ignore[assignment]
                plan.items = ()
    # Headships last, over the whole file: one person's new term may end the term of another
    # whose row sits in another batch (or in no row at all).
    yield from _apply_heads(plans, units, staff_id)
    # The later sections planned before the first write and read neither the staff rows nor
    # these plans again; the ids written here are the ones they ask for (`staff_ids` of
    # `discipline.interchange`, without reading the codes back). A city's 200,000 rows and
    # plans were a third of the import's peak, at the evaluation writes after this section.
    ctx.shared["staff.written"] = staff_id
    plans.clear()
    ctx.rows.get("staff", []).clear()


def _apply_batch(
    ctx: ImportContext,
    plans: list[StaffPlan],
    counts: engine.Counts,
    units: dict[str, int],
    jobs: dict[str, int],
    staff_id: dict[str, int],
    reserved: tuple[engine.ReservedIds, engine.ReservedIds, engine.ReservedIds | None],
) -> Iterator[Change | Line]:
    as_of = ctx.as_of
    now = timezone.now()
    User = get_user_model()
    user_table, staff_table, assignment_table = Table(User), Table(Staff), Table(Assignment)
    changes: list[Change | Line] = []

    # 1. accounts (new ones written set-based, without model instances)
    new_users: list[tuple[StaffPlan, dict[str, Any]]] = []
    user_updates: list[StaffPlan] = []
    for plan in plans:
        if plan.user_action == "create":
            values = plan.values
            row = {
                "username": plan.username,
                "email": values["email"],
                "first_name": values["full_name"][:150],
                "password": _unusable_password(),
                "date_joined": now,
            }
            new_users.append((plan, user_table.complete(row, now)))
        elif plan.user_action in ("rename", "email", "link"):
            user_updates.append(plan)
    if new_users:
        engine.insert_new(
            user_table,
            [row for _p, row in new_users],
            lambda rows: dict(
                User.objects.filter(username__in=[r["username"] for r in rows]).values_list(
                    "username", "id"
                )
            ),
            itemgetter("username"),
            ids=reserved[0],
        )
        for plan, row in new_users:
            plan.user_id = row["id"]
            changes.append(
                Line(User, row["id"], row["username"], CREATE, None, snapshot_of(User, row))
            )
    if user_updates:
        by_id = User.objects.in_bulk([p.user_id for p in user_updates])
        renamed = []
        for plan in user_updates:
            user = by_id[plan.user_id]
            before = snapshot(user)
            if plan.user_action == "rename":
                user.username = plan.login
            if plan.values["email"]:
                user.email = plan.values["email"]
            if snapshot(user) != before:
                renamed.append(user)
                changes.append(Change(user, UPDATE, before, snapshot(user)))
        if renamed:
            User.objects.bulk_update(renamed, ["username", "email"], batch_size=BATCH)

    # 2. staff rows
    creates: list[dict[str, Any]] = []
    updates: list[tuple[StaffPlan, Staff, dict[str, Any]]] = []
    for plan in plans:
        v = plan.values
        job_id = jobs.get(plan.job) if plan.job else None
        if plan.old is None:
            code = plan.row.data["code"]
            row = dict(zip(SIMPLE, plan.items, strict=True))
            row.update(
                code=code,
                unit_id=units[plan.unit_code],
                job_position_id=job_id,
                user_id=plan.user_id,
                search_text=search_text(code, v["full_name"]),
                name_key=name_key(v["full_name"]),
                version=1,
            )
            creates.append(staff_table.complete(row, now))
            counts.created += 1
            continue
        if not touched(plan):
            counts.unchanged += 1
            continue
        counts.updated += 1
        staff = Staff(**plan.old)
        before = snapshot(staff)
        if plan.changed:
            for name in SIMPLE:
                setattr(staff, name, v[name])
            staff.job_position_id = job_id
        if plan.move:
            staff.unit_id = units[plan.unit_code]
        if plan.user_action in ("create", "link"):
            staff.user_id = plan.user_id
        staff.search_text = staff_search_text(staff.code, staff.full_name)
        staff.name_key = name_key(staff.full_name)
        if snapshot(staff) != before:
            staff.version += 1
            staff.updated_at = now
            updates.append((plan, staff, before))
    staff_id.update((p.old["code"], p.old["id"]) for p in plans if p.old is not None)
    if creates:
        engine.insert_new(
            staff_table,
            creates,
            lambda rows: dict(
                Staff.objects.filter(code__in=[r["code"] for r in rows]).values_list("code", "id")
            ),
            itemgetter("code"),
            ids=reserved[1],
        )
        staff_id.update((r["code"], r["id"]) for r in creates)
        changes.extend(_created(Staff, creates))
    if updates:
        Staff.objects.bulk_update(
            [s for _p, s, _b in updates],
            [
                *SIMPLE,
                *("job_position", "unit", "user", "search_text", "name_key"),
                *("version", "updated_at"),
            ],
            batch_size=BATCH,
        )
        for _plan, staff, before in updates:
            changes.append(Change(staff, UPDATE, before, snapshot(staff)))

    # 3. assignments: one from joined_on for a new person; a move ends the open one. The
    # people whose history the file gives get it from the `assignments` section instead.
    historied = {p.row.data["code"] for p in plans if p.history}
    first_assignments = [
        assignment_table.complete(
            {
                "staff_id": r["id"],
                "unit_id": r["unit_id"],
                "valid_from": r["joined_on"],
                "valid_to": r["left_on"],
                "reason": AssignmentReason.APPOINTMENT,
            },
            now,
        )
        for r in creates
        if r["code"] not in historied
    ]
    if first_assignments:
        # A new person's only assignment: found by the person.
        engine.insert_new(
            assignment_table,
            first_assignments,
            lambda rows: dict(
                Assignment.objects.filter(staff_id__in=[r["staff_id"] for r in rows]).values_list(
                    "staff_id", "id"
                )
            ),
            itemgetter("staff_id"),
            ids=reserved[2],
        )
        changes.extend(_created(Assignment, first_assignments))
    # A move is a transfer on as_of: the plan closed the running assignments by the rule the
    # pages apply (`people.rules.transfer_closings`); here they are written.
    movers = [p for p in plans if p.old is not None and p.move and not p.history]
    changes.extend(_write_closings(Assignment, [c for p in movers for c in p.closings]))
    changes.extend(_write_endings(Assignment, [e for p in plans for e in p.endings]))
    new_assignments = [
        Assignment(
            staff_id=p.old["id"],
            unit_id=units[p.unit],
            valid_from=as_of,
            valid_to=_last_day(p.values["left_on"], as_of),
            reason=AssignmentReason.TRANSFER,
        )
        for p in movers
        if p.old is not None and p.unit is not None
    ]
    for batch in engine.chunked(new_assignments, BATCH):
        Assignment.objects.bulk_create(batch, batch_size=BATCH)
        for assignment in batch:
            changes.append(Change(assignment, CREATE, None, snapshot(assignment)))

    yield from changes


def _created(model: type[Any], rows: list[dict[str, Any]]) -> Iterator[Line]:
    """The creation lines of rows inserted in bulk (`engine.insert_new` gave their ids)."""
    for row in rows:
        yield Line(model, row["id"], text_of(model, row), CREATE, None, snapshot_of(model, row))


def _last_day(left_on: dt.date | None, start: dt.date) -> dt.date | None:
    return left_on if left_on is not None and left_on >= start else None


def _write_endings(model: type[Any], endings: list[Closed]) -> list[Change]:
    """Move the last day of the terms the end of employment moved (`rules.leaving_ends`)."""
    ends = dict(endings)
    changes: list[Change] = []
    moved = []
    for term in engine.in_batches(list(ends), lambda b: model.objects.filter(pk__in=b)):
        before = snapshot(term)
        term.valid_to = ends[term.pk]
        moved.append(term)
        changes.append(Change(term, UPDATE, before, snapshot(term)))
    model.objects.bulk_update(moved, ["valid_to"], batch_size=BATCH)
    return changes


def _write_closings(model: type[Any], closings: list[Closed]) -> list[Change]:
    """End (or delete, when replaced the day they began) the assignments or headships a plan
    closed, in bulk, with their audit changes. Several rows may close one headship (a new head
    and the old one's own row): the earliest end stands."""
    ends: dict[int, dt.date | None] = {}
    for pk, ends_on in closings:
        if pk in ends:
            current = ends[pk]
            ends_on = None if current is None or ends_on is None else min(current, ends_on)
        ends[pk] = ends_on
    changes: list[Change] = []
    ended, deleted = [], []
    for term in engine.in_batches(list(ends), lambda b: model.objects.filter(pk__in=b)):
        before = snapshot(term)
        if ends[term.pk] is None:
            deleted.append(term.pk)
            changes.append(Change(term, DELETE, before, None))
            continue
        term.valid_to = ends[term.pk]
        ended.append(term)
        changes.append(Change(term, UPDATE, before, snapshot(term)))
    model.objects.bulk_update(ended, ["valid_to"], batch_size=BATCH)
    for batch in engine.chunked(deleted, BATCH):
        model.objects.filter(pk__in=batch).delete()
    return changes


def _apply_heads(
    plans: list[StaffPlan], units: dict[str, int], staff_id: dict[str, int]
) -> Iterator[Change]:
    """Headships on as_of (is_head is derived from them): the terms the plan ended, then the
    new ones from `head_since`."""
    yield from _write_closings(HeadAssignment, [c for p in plans for c in p.head_closings])
    yield from _write_endings(HeadAssignment, [e for p in plans for e in p.head_endings])
    created = [
        HeadAssignment(
            unit_id=units[plan.unit_code],
            staff_id=staff_id[plan.row.data["code"]],
            role="head",
            valid_from=plan.head_since,
        )
        for plan in plans
        if plan.head and plan.unit is not None
    ]
    for batch in engine.chunked(created, BATCH):
        HeadAssignment.objects.bulk_create(batch, batch_size=BATCH)
        yield from (Change(h, CREATE, None, snapshot(h)) for h in batch)
