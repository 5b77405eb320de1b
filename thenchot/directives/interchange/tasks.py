"""The `tasks` section, with its nested `extensions`: plan and export. The plan checks every row
under `directives.rules` — the rules the pages' services apply — with facts gathered set-based
for the whole file, and the writes are `directives.services.recording.tasks_record`.

A task is keyed by `code`; references are codes (`document`, `lead_unit`,
`coordinating_units`, `assignee` (staff), `assigner_unit`). `assigner_unit` is a field the
project adds to the spec's list: the assigning side decides extensions and grades completions,
so a round trip must keep it; a new task without it takes its document's issuer.

Extensions belong to their task and are replaced with it: the stored list is deleted and
written again only when it differs from the file's (so a second import of the same file
writes nothing). Each extension's `previous_deadline` is the deadline in force on its
`requested_on` — the original deadline or the latest approved extension in force that day
(`directives.status.effective_deadline`) — so a request made after that deadline keeps the
delay on record, as one made in the application does.

History stands as given (statuses, decision dates, completions), but a file cannot say what
could never have happened: a deadline before the assigned date, an extension to a date not
later than the deadline in force, two pending requests at once, an assignee who was not in
the lead unit's subtree on the assigned date.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.bulk import Line
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.directives import rules
from thenchot.directives.choices import ExtensionStatus, Quality
from thenchot.directives.interchange.documents import document_catalogue
from thenchot.directives.models import TASK_CODE, ExtensionRequest, Task
from thenchot.directives.rules import Breach
from thenchot.directives.selectors import exported_tasks
from thenchot.directives.services.recording import (
    COLUMNS,
    EXT_NAMES,
    FLAT,
    TaskRecord,
    stored_tasks,
    tasks_record,
)
from thenchot.org.interchange import unit_catalogue, unit_ids
from thenchot.people.interchange.history import FileTree, staff_stints, was_within

PARENT_COLUMN = "task"
DEFAULTS: dict[str, Any] = {"weight": rules.normal_weight(1), "major_errors": 0}

EXTENSION_FIELDS = (
    spec.date("requested_on", gettext_lazy("Date of the request."), required=True),
    spec.date(
        "new_deadline",
        gettext_lazy("Requested deadline, later than the deadline in force on the request date."),
        required=True,
    ),
    spec.text("reason", gettext_lazy("Reason given for the request.")),
    spec.enum(
        "status",
        tuple(ExtensionStatus.values),
        gettext_lazy("pending, approved or rejected."),
        required=True,
    ),
    spec.date(
        "decided_on",
        gettext_lazy("Date of the decision (approved or rejected); an approval counts from it."),
    ),
)
EXTENSIONS = spec.nested(
    "extensions",
    EXTENSION_FIELDS,
    PARENT_COLUMN,
    gettext_lazy("Extension requests: requested_on, new_deadline, reason, status, decided_on."),
)


@dataclass
class TaskPlan:
    row: Row
    record: TaskRecord


def file_message(breach: Breach, assigned_on: Any = None, first: Row | None = None) -> str:
    """A rule's breach worded for a file: the place is given by the caller, the offending value
    is quoted (shared/spec/interchange.md)."""
    value, limit = breach.value, breach.limit

    def text(x: Any) -> Any:
        return engine.iso(x) if hasattr(x, "isoformat") else x

    shown = {"value": text(value), "date": text(limit)}
    rule = breach.rule
    if rule == rules.BEFORE_ASSIGNED:
        return _("'%(value)s' is before the assigned date (%(date)s)") % shown
    if rule == rules.UNIT_NOT_VALID:
        return _("unit '%(value)s' did not exist on %(date)s") % shown
    if rule == rules.LEAD_COORDINATES:
        return _("the lead unit '%(value)s' cannot also coordinate") % shown
    if rule == rules.BEFORE_DOCUMENT:
        return _("'%(value)s' is before the document was issued (%(date)s)") % shown
    if rule == rules.ASSIGNEE_OUTSIDE:
        return _(
            "staff member '%(value)s' was not in unit '%(unit)s' or a unit under it on %(date)s"
        ) % {"value": value, "unit": limit, "date": engine.iso(assigned_on)}
    if rule == rules.QUALITY_WITHOUT_COMPLETION:
        return _("only a completed task has a quality mark (no completed_on)")
    if rule == rules.ERRORS_RANGE:
        return _("major errors must be between 0 and %(max)s, got '%(value)s'") % {
            "max": limit,
            "value": value,
        }
    if rule == rules.WEIGHT_RANGE:
        return _("the weight must be more than 0 and less than %(max)s, got '%(value)s'") % {
            "max": limit,
            "value": engine.number_out(value),
        }
    if rule == rules.NOT_LATER:
        return (
            _(
                "'%(value)s' is not later than the deadline in force when it was requested"
                " (%(date)s)"
            )
            % shown
        )
    if rule == rules.AFTER_COMPLETION:
        return _("'%(value)s' is after the task was completed (%(date)s)") % shown
    if rule == rules.PENDING_DECIDED:
        return _("a pending request has no decision date")
    if rule == rules.DECIDED_BEFORE_REQUEST:
        return _("'%(value)s' is before the request (%(date)s)") % shown
    if rule == rules.SECOND_PENDING and first is not None:
        return _("a task has at most one pending request (the other at %(first)s)") % {
            "first": first.at()
        }
    return _("required field is missing")  # TITLE_MISSING: a title of blanks only


@spec.section("tasks", 55, gettext_lazy("Tasks"))
class TaskSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique task code."), check=TASK_CODE.error),
        spec.text("title", gettext_lazy("What is to be done."), required=True, max_length=500),
        spec.ref("document", "documents", gettext_lazy("Code of the source document.")),
        spec.unit(
            "lead_unit", gettext_lazy("Code of the lead unit."), required=True, max_length=None
        ),
        spec.refs(
            "coordinating_units",
            "units",
            gettext_lazy("Codes of the coordinating units, separated by ;."),
        ),
        spec.ref(
            "assignee",
            "staff",
            gettext_lazy("Staff code of the person in charge, in the lead unit's subtree."),
        ),
        spec.unit(
            "assigner_unit",
            gettext_lazy("Code of the assigning unit; empty on a new task: the document's issuer."),
            max_length=None,
        ),
        spec.date("assigned_on", gettext_lazy("Date the task was assigned."), required=True),
        spec.date("deadline", gettext_lazy("Original deadline."), required=True),
        spec.date("completed_on", gettext_lazy("Completion date; empty while open.")),
        spec.enum(
            "quality",
            tuple(Quality.values),
            gettext_lazy("Quality mark of a completed task: exceeds, meets or below."),
        ),
        spec.number("weight", gettext_lazy("Weight in converted work units (default 1).")),
        spec.whole("major_errors", gettext_lazy("Number of major errors (default 0).")),
        EXTENSIONS,
    )

    # -- import -----------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        rows = [r for r in rows if r.get("code") is not None]
        units = unit_catalogue(ctx)
        old = stored_tasks([r.data["code"] for r in rows])
        wanted = {r.data["document"] for r in rows if r.get("document")}
        documents = document_catalogue(
            ctx, wanted | {o["document"] for o in old.values() if o["document"]}
        )
        assignees = {r.data["assignee"] for r in rows if r.get("assignee")}
        assignees |= {o["assignee"] for o in old.values() if o["assignee"]}
        stints = staff_stints(ctx, assignees)
        file_tree = FileTree(ctx)
        plans: list[TaskPlan] = []
        for row in rows:
            plan = TaskPlan(row, self._record(row, old.get(row.data["code"]), documents))
            self._check(ctx, plan, units, documents, stints, file_tree)
            self._plan_extensions(ctx, plan, engine.nested_rows(ctx, row, EXTENSIONS))
            if ctx.scope is not None and plan.record.touched:
                self._check_scope(ctx, plan, units)
            plans.append(plan)
        ctx.plans[self.key] = plans

    @staticmethod
    def _record(
        row: Row, old: dict[str, Any] | None, documents: dict[str, tuple[Any, str | None]]
    ) -> TaskRecord:
        values: dict[str, Any] = {}
        for name in FLAT:
            if row.has(name):
                value = row.data[name]
                values[name] = DEFAULTS[name] if value is None and name in DEFAULTS else value
            elif old is not None:
                values[name] = old[name]
            else:
                values[name] = DEFAULTS.get(name)
        if values["weight"] is not None:
            values["weight"] = rules.normal_weight(values["weight"])
        if old is None and not row.has("assigner_unit") and values["document"]:
            values["assigner_unit"] = documents.get(values["document"], (None, None))[1]
        if row.has("coordinating_units"):
            coordinating = sorted(set(row.data["coordinating_units"] or []))
        else:
            coordinating = list(old["coordinating"]) if old is not None else []
        return TaskRecord(row.data["code"], values, coordinating, old)

    @staticmethod
    def _check(
        ctx: ImportContext,
        plan: TaskPlan,
        units: dict[str, Any],
        documents: dict[str, tuple[Any, str | None]],
        stints: dict[str, list[Any]],
        file_tree: FileTree,
    ) -> None:
        row, record, v = plan.row, plan.record, plan.record.values
        # References first: a code the database and the file do not know.
        for name in ("lead_unit", "assigner_unit"):
            if v[name] is not None and v[name] not in units:
                ctx.error(row, name, _("unknown unit code '%(value)s'") % {"value": v[name]})
        for code in record.coordinating:
            if code not in units:
                ctx.error(
                    row, "coordinating_units", _("unknown unit code '%(value)s'") % {"value": code}
                )
        doc = v["document"]
        if doc is not None and doc not in documents:
            ctx.error(row, "document", _("unknown document code '%(value)s'") % {"value": doc})
        assignee, assigned = v["assignee"], v["assigned_on"]
        if assignee is not None and assignee not in stints:
            ctx.error(row, "assignee", _("unknown staff code '%(value)s'") % {"value": assignee})
        # Then the rules the services apply, the assignee's unit asked of the file's history
        # (a person the same file creates or moves); unchanged assignments are not asked again.
        within = None
        unchanged = record.old is not None and all(
            record.old[n] == v[n] for n in ("assignee", "lead_unit", "assigned_on")
        )
        if assignee in stints and v["lead_unit"] and assigned is not None and not unchanged:
            within = was_within(stints[assignee], v["lead_unit"], assigned, file_tree)
        facts = rules.TaskFacts(
            title=v["title"],
            lead_unit=v["lead_unit"],
            assigner_unit=v["assigner_unit"],
            coordinating_units=record.coordinating,
            assigned_on=assigned,
            deadline=v["deadline"],
            document_issued_on=documents[doc][0] if doc in documents else None,
            completed_on=v["completed_on"],
            quality=v["quality"],
            weight=v["weight"],
            major_errors=v["major_errors"],
            assignee=assignee,
            assignee_within=within,
        )
        for breach in rules.task_breaches(facts, units):
            ctx.error(row, breach.field, file_message(breach, assigned))

    def _plan_extensions(self, ctx: ImportContext, plan: TaskPlan, items: list[Row] | None) -> None:
        record = plan.record
        v = record.values
        deadline, assigned = v["deadline"], v["assigned_on"]
        if deadline is None or assigned is None:
            return
        if items is None:
            # The file leaves the list as it is; a changed deadline still moves what was in force.
            if (
                record.old is None
                or not record.old_extensions
                or record.old["deadline"] == deadline
            ):
                return
            kept = [dict(zip(EXT_NAMES, e[1:], strict=True)) for e in record.old_extensions]
            planned, breaches = rules.plan_extensions(
                deadline=deadline,
                assigned_on=None,
                completed_on=None,
                items=[_item(e) for e in kept],
            )
            for breach in breaches:
                if breach.rule == rules.NOT_LATER:
                    ctx.error(
                        plan.row,
                        "deadline",
                        _(
                            "the extension requested on %(date)s would no longer be later than"
                            " the deadline in force"
                        )
                        % {"date": engine.iso(kept[breach.item or 0]["requested_on"])},
                    )
            record.extensions = _planned(planned)
            return
        given = [
            item
            for item in items
            if None not in (item.get("requested_on"), item.get("new_deadline"), item.get("status"))
        ]  # the others are reported by the engine
        planned, breaches = rules.plan_extensions(
            deadline=deadline,
            assigned_on=assigned,
            completed_on=v["completed_on"],
            items=[_item(item.data) for item in given],
        )
        for breach in breaches:
            first = given[breach.limit] if breach.rule == rules.SECOND_PENDING else None
            item = given[breach.item or 0]
            ctx.error(item, breach.field, file_message(breach, assigned, first))
        record.extensions = _planned(planned)

    @staticmethod
    def _check_scope(ctx: ImportContext, plan: TaskPlan, units: dict[str, Any]) -> None:
        # A task is written by whoever may write its lead unit or its assigning unit — before
        # the change and after it, so that nobody moves a task out of another unit's reach.
        scope = ctx.scope
        record = plan.record
        sides = [(record.values["lead_unit"], record.values["assigner_unit"])]
        if record.old is not None:
            sides.append((record.old["lead_unit"], record.old["assigner_unit"]))
        for lead, assigner in sides:
            refs = [units.get(code or "") for code in (lead, assigner)]
            ids = [ref.id for ref in refs if ref is not None]
            if any(unit_id is None for unit_id in ids):
                continue  # a unit the file creates: checked on its own row
            if not any(scope.can_write_unit(unit_id) for unit_id in ids):
                ctx.error(
                    plan.row,
                    "lead_unit",
                    _("you may not change tasks of unit '%(value)s'") % {"value": lead},
                )
                return

    def apply(self, ctx: ImportContext) -> Iterator[Change | Line]:
        plans: list[TaskPlan] = ctx.plans.get(self.key, [])
        return tasks_record(
            records=[p.record for p in plans],
            units=unit_ids(ctx),
            counts=ctx.counts.setdefault(self.key, engine.Counts()),
        )

    # -- export -----------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        qs = exported_tasks(request)
        ids = qs.values("id")
        through = Task.coordinating_units.through
        coordinating: dict[int, list[str]] = defaultdict(list)
        for task_id, unit in (
            through.objects.filter(task_id__in=ids)
            .order_by("task_id", "unit__code")
            .values_list("task_id", "unit__code")
        ):
            coordinating[task_id].append(unit)
        extensions: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for task_id, requested, new, reason, status, decided in (
            ExtensionRequest.objects.filter(task_id__in=ids)
            .order_by("task_id", "requested_on", "id")
            .values_list(
                "task_id", "requested_on", "new_deadline", "reason", "status", "decided_on"
            )
        ):
            extensions[task_id].append(
                {
                    "requested_on": engine.iso(requested),
                    "new_deadline": engine.iso(new),
                    "reason": reason or None,
                    "status": status,
                    "decided_on": engine.iso(decided),
                }
            )
        out = []
        for values in qs.order_by("code").values_list(*COLUMNS):
            r = dict(zip(("id", "code", *FLAT), values, strict=True))
            out.append(
                {
                    "code": r["code"],
                    "title": r["title"],
                    "document": r["document"],
                    "lead_unit": r["lead_unit"],
                    "coordinating_units": coordinating.get(r["id"], []),
                    "assignee": r["assignee"],
                    "assigner_unit": r["assigner_unit"],
                    "assigned_on": engine.iso(r["assigned_on"]),
                    "deadline": engine.iso(r["deadline"]),
                    "completed_on": engine.iso(r["completed_on"]),
                    "quality": r["quality"] or None,
                    "weight": engine.number_out(r["weight"]),
                    "major_errors": r["major_errors"],
                    "extensions": extensions.get(r["id"], []),
                }
            )
        return out


def _item(values: Mapping[str, Any]) -> rules.ExtensionItem:
    return rules.ExtensionItem(
        requested_on=values["requested_on"],
        new_deadline=values["new_deadline"],
        status=values["status"],
        decided_on=values.get("decided_on"),
        reason=values.get("reason") or "",
    )


def _planned(planned: list[rules.PlannedExtension]) -> list[dict[str, Any]]:
    """EXT_NAMES dicts in request order, as `tasks_record` stores them."""
    return [
        {
            "requested_on": p.item.requested_on,
            "previous_deadline": p.previous_deadline,
            "new_deadline": p.item.new_deadline,
            "reason": p.item.reason,
            "status": p.item.status,
            "decided_on": p.item.decided_on,
        }
        for p in planned
    ]
