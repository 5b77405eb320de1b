"""Reads of documents and tasks, always through the user's scope, with a fixed query count.

Who may read a task (NetBox habit: every list is restricted before a view sees it): a city-wide
user; anyone whose readable units (`Scope.read_units`) hold the task's lead unit, one of its
coordinating units or its assigning unit; the assignee; the person who assigned it.

Who may act on a task (`Authority`, used by the services and by the UI to show buttons):
- *manages* a unit: holds a unit_head, personnel or division_manager grant over it (its subtree
  on the date), or is its head or deputy (`HeadAssignment`) on the date;
- *assigns from* a unit: an administrator, the city leadership, or someone who manages it;
- the *lead side* of a task: someone who manages its lead unit, its assignee, or an
  administrator (corrections);
- the *assigning side* of a task: the person who assigned it, anyone holding a unit_head or
  personnel grant over its assigning unit or heading/deputising it, and the city leadership for
  tasks the City itself assigned. Only this side decides extensions and grades completions;
  administrators are deliberately not on it (a decision is a manager's act, not a data fix).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from thenchot.accounts.choices import Role
from thenchot.accounts.models import RoleGrant
from thenchot.accounts.scoping import Scope, compute_scope
from thenchot.core.interchange import ExportRequest
from thenchot.core.registry import RecordAccess, signed_in
from thenchot.directives.models import (
    ExtensionRequest,
    ProgressReport,
    SourceDocument,
    Task,
    TaskComment,
)
from thenchot.directives.status import (
    APPROVED,
    ExtensionFact,
    Status,
    annotate_status,
    effective_deadline,
    task_status,
)
from thenchot.org.models import valid_on_q
from thenchot.org.selectors import in_exported_unit
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, HeadAssignment, Staff
from thenchot.people.selectors import head_user_ids as head_user_ids  # re-export, lives there

if TYPE_CHECKING:
    from thenchot.directives.status import TaskWithStatus

MANAGER_ROLES = {Role.UNIT_HEAD.value, Role.PERSONNEL.value, Role.DIVISION_MANAGER.value}
DECIDER_ROLES = {Role.UNIT_HEAD.value, Role.PERSONNEL.value}

TASK_LIST_RELATED = ("lead_unit", "assigner_unit", "assignee", "document", "assigned_by")


# -- who may act --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Authority:
    """What one user may do with tasks on one date (see the module docstring)."""

    user_id: int | None
    on: dt.date
    admin: bool = False
    city_leader: bool = False
    staff_id: int | None = None
    managed: frozenset[int] = frozenset()  # units managed (subtrees), via grants or headships
    deciding: frozenset[int] = frozenset()  # units whose extension requests this user decides

    def can_assign_from(self, unit_id: int) -> bool:
        return self.admin or self.city_leader or unit_id in self.managed

    def is_lead_side(self, task: Task) -> bool:
        if self.user_id is None:
            return False
        return (
            self.admin
            or task.lead_unit_id in self.managed
            or (task.assignee_id is not None and task.assignee_id == self.staff_id)
        )

    def manages_lead_unit(self, task: Task) -> bool:
        return self.user_id is not None and (self.admin or task.lead_unit_id in self.managed)

    def is_assigning_side(self, task: Task) -> bool:
        if self.user_id is None:
            return False
        if task.assigned_by_id is not None and task.assigned_by_id == self.user_id:
            return True
        if task.assigner_unit_id is None:
            return False
        if task.assigner_unit_id in self.deciding:
            return True
        if self.city_leader:
            info = tree().units.get(task.assigner_unit_id)
            return info is not None and info.kind == "city"
        return False


def authority_for(user: Any, on: dt.date | None = None) -> Authority:
    """The user's `Authority` on `on` (default today): three small queries and the tree."""
    on = on or timezone.localdate()
    if user is None or not getattr(user, "is_authenticated", False):
        return Authority(user_id=None, on=on)
    grants = list(RoleGrant.objects.filter(user_id=user.pk).values_list("role", "unit_id"))
    roles = {role for role, _unit in grants}
    staff_id = Staff.objects.filter(user_id=user.pk).values_list("pk", flat=True).first()
    snapshot = tree()
    managed: set[int] = set()
    deciding: set[int] = set()
    for role, unit_id in grants:
        if unit_id is None or unit_id not in snapshot.units:
            continue
        if role in MANAGER_ROLES:
            sub = snapshot.subtree_on(unit_id, on)
            managed |= sub
            if role in DECIDER_ROLES:
                deciding |= sub
    if staff_id is not None:
        for unit_id in HeadAssignment.objects.filter(valid_on_q(on), staff_id=staff_id).values_list(
            "unit_id", flat=True
        ):
            if unit_id in snapshot.units:
                sub = snapshot.subtree_on(unit_id, on)
                managed |= sub
                deciding |= sub
    return Authority(
        user_id=user.pk,
        on=on,
        admin=bool(user.is_superuser) or Role.ADMIN.value in roles,
        city_leader=Role.CITY_LEADERSHIP.value in roles,
        staff_id=staff_id,
        managed=frozenset(managed),
        deciding=frozenset(deciding),
    )


# -- who may read -------------------------------------------------------------------------------
def task_read_q(scope: Scope) -> Q:
    """Q over Task rows readable with `scope` (the rule in the module docstring)."""
    if scope.city_wide:
        return Q()
    q = Q(pk__in=[])
    if scope.read_units:
        units = sorted(scope.read_units)
        through = Task.coordinating_units.through
        q |= Q(lead_unit_id__in=units) | Q(assigner_unit_id__in=units)
        q |= Q(Exists(through.objects.filter(task_id=OuterRef("pk"), unit_id__in=units)))
    if scope.own_staff_id is not None:
        q |= Q(assignee_id=scope.own_staff_id)
    if scope.user_id is not None:
        q |= Q(assigned_by_id=scope.user_id)
    return q


def restrict_tasks(scope: Scope, qs: QuerySet[Task]) -> QuerySet[Task]:
    if scope.is_anonymous:
        return qs.none()
    return qs.filter(task_read_q(scope))


def can_read_task(scope: Scope, task: Task) -> bool:
    """One task, in memory (used by the record-access registry and the services)."""
    if scope.is_anonymous:
        return False
    if scope.city_wide:
        return True
    if task.assignee_id is not None and task.assignee_id == scope.own_staff_id:
        return True
    if task.assigned_by_id is not None and task.assigned_by_id == scope.user_id:
        return True
    units = {task.lead_unit_id, task.assigner_unit_id}
    if units & scope.read_units:
        return True
    through = Task.coordinating_units.through
    return through.objects.filter(task_id=task.pk, unit_id__in=sorted(scope.read_units)).exists()


def _via_task(scope: Scope, record: Any) -> bool:
    return can_read_task(scope, record.task)


RECORD_ACCESS: dict[str, RecordAccess] = {
    "directives.task": can_read_task,
    "directives.progressreport": _via_task,
    "directives.extensionrequest": _via_task,
    "directives.taskcomment": _via_task,
    "directives.sourcedocument": signed_in,
    "directives.documentattachment": signed_in,
}


def document_queryset(scope: Scope) -> QuerySet[SourceDocument]:
    """Documents are city-wide references: every signed-in user may read them."""
    if scope.is_anonymous:
        return SourceDocument.objects.none()
    return SourceDocument.objects.select_related("issuer")


# -- task lists ---------------------------------------------------------------------------------
def task_queryset(scope: Scope, on: dt.date | None = None) -> QuerySet[TaskWithStatus]:
    """Tasks readable with `scope`, with `effective_deadline` and `status` on `on` (default
    today) annotated and the list's foreign keys joined: a fixed number of queries per page."""
    on = on or timezone.localdate()
    return cast("QuerySet[TaskWithStatus]", restrict_tasks(scope, _annotated_tasks(on)))


@functools.lru_cache(maxsize=4)
def _annotated_tasks(on: dt.date) -> QuerySet[TaskWithStatus]:
    """Every task with the list's foreign keys joined and its status on `on` annotated, built
    once per process and day: the status's expressions (the effective deadline's subquery,
    used four times) cost more to build than the home page's counts take to run (issue 18).
    Never handed out itself: each caller filters a copy (a queryset's filter clones it)."""
    return annotate_status(Task.objects.select_related(*TASK_LIST_RELATED), on)


def my_tasks(user: Any, on: dt.date | None = None) -> QuerySet[TaskWithStatus]:
    """ "My tasks": those assigned to me by name, and those with no named assignee whose lead unit
    I head (or deputise) on `on`."""
    on = on or timezone.localdate()

    scope = compute_scope(user, on)
    staff_id = scope.own_staff_id
    if staff_id is None:
        return task_queryset(scope, on).none()
    return task_queryset(scope, on).filter(_mine_q(staff_id, on))


def _mine_q(staff_id: int, on: dt.date) -> Q:
    """Assigned to the person by name, or to nobody by name in a unit they head on `on`."""
    headed = HeadAssignment.objects.filter(valid_on_q(on), staff_id=staff_id).values("unit_id")
    return Q(assignee_id=staff_id) | Q(assignee__isnull=True, lead_unit_id__in=headed)


@dataclass(frozen=True)
class MyTaskCounts:
    overdue: int
    due_soon: int  # in progress, due on or before the `soon` asked for


def my_task_counts(user: Any, on: dt.date, *, soon: dt.date) -> MyTaskCounts:
    """How many of `my_tasks(user, on)` are overdue on `on`, and how many are in progress and
    due by `soon`: the home page's two counts. The tasks not completed on `on` (the only ones
    either count can hold) are read as plain columns, with their approved extensions, and
    their status is the pure rule's (`status.task_status`, which the list's expression agrees
    with): the expression inlined the effective deadline's subquery four times, and compiling
    it was most of the home page's to-do list (issue 18)."""
    scope = compute_scope(user, on)
    staff_id = scope.own_staff_id
    if staff_id is None:
        return MyTaskCounts(0, 0)
    mine = restrict_tasks(scope, Task.objects.all()).filter(_mine_q(staff_id, on))
    open_ = dict(mine.exclude(completed_on__lte=on).order_by().values_list("pk", "deadline"))
    if not open_:
        return MyTaskCounts(0, 0)
    extensions: dict[int, list[ExtensionFact]] = defaultdict(list)
    for task_id, requested_on, previous, new, decided_on in ExtensionRequest.objects.filter(
        task_id__in=sorted(open_), status=APPROVED
    ).values_list("task_id", "requested_on", "previous_deadline", "new_deadline", "decided_on"):
        extensions[task_id].append(ExtensionFact(requested_on, previous, new, APPROVED, decided_on))
    overdue = due_soon = 0
    for task_id, deadline in open_.items():
        facts = extensions.get(task_id, [])
        state = task_status(deadline=deadline, extensions=facts, completed_on=None, on=on)
        if state is Status.OVERDUE:
            overdue += 1
        elif effective_deadline(deadline=deadline, extensions=facts, on=on) <= soon:
            due_soon += 1
    return MyTaskCounts(overdue, due_soon)


def unit_tasks(scope: Scope, unit_id: int, on: dt.date | None = None) -> QuerySet[TaskWithStatus]:
    """Tasks led by `unit_id` or any unit under it on `on` (the tree as it was that day)."""
    on = on or timezone.localdate()
    ids = tree().subtree_on(unit_id, on)
    return task_queryset(scope, on).filter(lead_unit_id__in=sorted(ids))


def tasks_assigned_by(user: Any, on: dt.date | None = None) -> QuerySet[TaskWithStatus]:
    """Tasks this user gave (as `assigned_by`)."""
    on = on or timezone.localdate()
    tasks = task_queryset(compute_scope(user, on), on)
    if user is None or not user.is_authenticated:
        return tasks.none()
    return tasks.filter(assigned_by_id=user.pk)


def task_detail(scope: Scope, code: str, on: dt.date | None = None) -> TaskWithStatus | None:
    """One task for its "3 rõ" page with everything the page shows prefetched, or None when it
    does not exist or is not readable (the caller answers 404 either way)."""
    on = on or timezone.localdate()
    qs = task_queryset(scope, on).prefetch_related(
        "coordinating_units",
        Prefetch(
            "progress_reports",
            queryset=ProgressReport.objects.select_related("reported_by").order_by(
                "-reported_on", "-id"
            ),
        ),
        Prefetch(
            "extensions",
            queryset=ExtensionRequest.objects.select_related("requested_by", "decided_by").order_by(
                "-requested_on", "-id"
            ),
        ),
        Prefetch(
            "comments",
            queryset=TaskComment.objects.select_related("author").order_by("-created_at"),
        ),
        Prefetch(
            "subtasks",
            queryset=annotate_status(
                Task.objects.select_related("lead_unit", "assignee"), on
            ).order_by("deadline", "code"),
        ),
    )
    return qs.filter(code=code).first()


# -- the "3 rõ" page ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Parties:
    """Who is responsible for a task on a date (the second "rõ")."""

    lead_unit_id: int
    lead_heads: tuple[Staff, ...]
    coordinating_unit_ids: tuple[int, ...]
    assignee: Staff | None
    assigner_unit_id: int | None
    assigner_heads: tuple[Staff, ...]
    assigned_by_id: int | None


def task_parties(task: Task, on: dt.date | None = None) -> Parties:
    on = on or timezone.localdate()
    unit_ids = [u for u in (task.lead_unit_id, task.assigner_unit_id) if u is not None]
    heads: dict[int, list[Staff]] = defaultdict(list)
    for ha in (
        HeadAssignment.objects.filter(valid_on_q(on), unit_id__in=unit_ids, role="head")
        .select_related("staff")
        .order_by("staff__name_key")
    ):
        heads[ha.unit_id].append(ha.staff)
    return Parties(
        lead_unit_id=task.lead_unit_id,
        lead_heads=tuple(heads.get(task.lead_unit_id, ())),
        coordinating_unit_ids=tuple(u.pk for u in task.coordinating_units.all()),
        assignee=task.assignee,
        assigner_unit_id=task.assigner_unit_id,
        assigner_heads=tuple(heads.get(task.assigner_unit_id or 0, ())),
        assigned_by_id=task.assigned_by_id,
    )


@dataclass(frozen=True)
class TaskEvent:
    """One line of a task's checking/urging/handling history (the third "rõ")."""

    on: dt.date
    kind: str  # progress, extension_requested, extension_approved, extension_rejected,
    #            comment, completed
    actor_id: int | None
    text: str
    percent: int | None = None


def task_events(task: Task) -> list[TaskEvent]:
    """Progress reports, extension requests and decisions, comments and the completion of
    `task`, newest first. Reminders and escalations live in `notifications` (its inbox keeps
    them by model label and object id) and are added by the page that shows both."""
    events: list[TaskEvent] = []
    for r in task.progress_reports.all():
        events.append(TaskEvent(r.reported_on, "progress", r.reported_by_id, r.note, r.percent))
    for e in task.extensions.all():
        events.append(TaskEvent(e.requested_on, "extension_requested", e.requested_by_id, e.reason))
        if e.status != "pending" and e.decided_on is not None:
            events.append(
                TaskEvent(
                    e.decided_on, f"extension_{e.status}", e.decided_by_id, e.decision_comment
                )
            )
    for c in task.comments.all():
        events.append(TaskEvent(timezone.localdate(c.created_at), "comment", c.author_id, c.text))
    if task.completed_on is not None:
        events.append(
            TaskEvent(task.completed_on, "completed", task.completion_recorded_by_id, task.product)
        )
    return sorted(events, key=lambda ev: ev.on, reverse=True)


# -- helpers for services and due dates ----------------------------------------------------------
def staff_in_subtree_on(staff_id: int, unit_id: int, on: dt.date) -> bool:
    """Was `staff_id` assigned, on `on`, to `unit_id` or a unit under it on that date?"""
    ids = tree().subtree_on(unit_id, on)
    return Assignment.objects.filter(
        valid_on_q(on), staff_id=staff_id, unit_id__in=sorted(ids)
    ).exists()


def exported_tasks(request: ExportRequest) -> QuerySet[Task]:
    """The tasks an export covers (the `tasks` section, and the documents they refer to):
    readable with the scope, led by a unit of the `unit` subtree on `as_of`, assigned in the
    [from, to] range."""
    qs = Task.objects.all()
    if request.scope is not None:
        qs = restrict_tasks(request.scope, qs)
    qs = in_exported_unit(qs, request, "lead_unit_id")
    if request.date_from:
        qs = qs.filter(assigned_on__gte=request.date_from)
    if request.date_to:
        qs = qs.filter(assigned_on__lte=request.date_to)
    return qs
