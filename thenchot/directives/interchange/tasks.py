"""The `tasks` section, with its nested `extensions`: plan (set-based checks) and export; the
writes are in `tasks_apply`.

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

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core.auditing import Change
from thenchot.core.bulk import Line
from thenchot.core.errors import DomainError
from thenchot.directives.choices import ExtensionStatus, Quality
from thenchot.directives.interchange.documents import document_catalogue
from thenchot.directives.models import TASK_CODE, ExtensionRequest, Task
from thenchot.directives.status import ExtensionFact, effective_deadline
from thenchot.core.interchange import (
    CODE,
    CODES,
    DATE,
    DECIMAL,
    ENUM,
    INT,
    NESTED,
    STR,
    Counts,
    ExportRequest,
    Field,
    ImportContext,
    Row,
    Section,
    code_field,
    in_batches,
    iso,
    nested_rows,
    number_out,
)
from thenchot.org.interchange import unit_catalogue
from thenchot.org.tree import tree
from thenchot.people.interchange.history import FileTree, staff_stints, was_within

PARENT_COLUMN = "task"
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
COLUMNS = (
    "id",
    "code",
    "title",
    "document__code",
    "lead_unit__code",
    "assignee__code",
    "assigner_unit__code",
    "assigned_on",
    "deadline",
    "completed_on",
    "quality",
    "weight",
    "major_errors",
)
DEFAULTS: dict[str, Any] = {"weight": Decimal("1.00"), "major_errors": 0}
MAX_WEIGHT = Decimal("10000")  # the column holds 6 digits, 2 of them decimals
MAX_ERRORS = 100
EXT_NAMES = ("requested_on", "previous_deadline", "new_deadline", "reason", "status", "decided_on")

EXTENSION_FIELDS = (
    Field("requested_on", DATE, required=True, help=gettext_lazy("Date of the request.")),
    Field(
        "new_deadline",
        DATE,
        required=True,
        help=gettext_lazy(
            "Requested deadline, later than the deadline in force on the request date."
        ),
    ),
    Field("reason", STR, help=gettext_lazy("Reason given for the request.")),
    Field(
        "status",
        ENUM,
        required=True,
        choices=tuple(ExtensionStatus.values),
        help=gettext_lazy("pending, approved or rejected."),
    ),
    Field(
        "decided_on",
        DATE,
        help=gettext_lazy(
            "Date of the decision (approved or rejected); an approval counts from it."
        ),
    ),
)
EXTENSIONS = Field(
    "extensions",
    NESTED,
    items=EXTENSION_FIELDS,
    parent_column=PARENT_COLUMN,
    help=gettext_lazy(
        "Extension requests: requested_on, new_deadline, reason, status, decided_on."
    ),
)


@dataclass
class TaskPlan:
    row: Row
    old: dict[str, Any] | None  # stored values, references as codes (None: to create)
    values: dict[str, Any]  # FLAT after the import
    coordinating: list[str]  # sorted unit codes after the import
    old_coordinating: list[str] = field(default_factory=list)
    extensions: list[dict[str, Any]] | None = None  # EXT_NAMES dicts, when they are replaced
    old_extensions: list[tuple[Any, ...]] = field(default_factory=list)

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
        return [tuple(e[n] for n in EXT_NAMES) for e in self.extensions] != self.old_extensions

    @property
    def touched(self) -> bool:
        return self.flat_changed or self.coordinating_changed or self.extensions_changed


def plan_previous_deadlines(deadline: dt.date, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`items` (requested_on, new_deadline, status, decided_on, ...) in request order, each
    with `previous_deadline`: the deadline in force on its request date."""
    ordered = sorted(enumerate(items), key=lambda pair: (pair[1]["requested_on"], pair[0]))
    facts: list[ExtensionFact] = []
    out = []
    for _index, item in ordered:
        previous = effective_deadline(deadline=deadline, extensions=facts, on=item["requested_on"])
        facts.append(
            ExtensionFact(
                requested_on=item["requested_on"],
                previous_deadline=previous,
                new_deadline=item["new_deadline"],
                status=item["status"],
                decided_on=item["decided_on"],
            )
        )
        out.append({**item, "previous_deadline": previous})
    return out


class TaskSection(Section):
    key = "tasks"
    order = 55
    title = gettext_lazy("Tasks")
    fields = (
        code_field(gettext_lazy("Unique task code."), check=TASK_CODE.error),
        Field(
            "title", STR, required=True, max_length=500, help=gettext_lazy("What is to be done.")
        ),
        Field("document", CODE, ref="documents", help=gettext_lazy("Code of the source document.")),
        Field(
            "lead_unit",
            CODE,
            required=True,
            ref="units",
            help=gettext_lazy("Code of the lead unit."),
        ),
        Field(
            "coordinating_units",
            CODES,
            ref="units",
            help=gettext_lazy("Codes of the coordinating units, separated by ;."),
        ),
        Field(
            "assignee",
            CODE,
            ref="staff",
            help=gettext_lazy("Staff code of the person in charge, in the lead unit's subtree."),
        ),
        Field(
            "assigner_unit",
            CODE,
            ref="units",
            help=gettext_lazy(
                "Code of the assigning unit; empty on a new task: the document's issuer."
            ),
        ),
        Field("assigned_on", DATE, required=True, help=gettext_lazy("Date the task was assigned.")),
        Field("deadline", DATE, required=True, help=gettext_lazy("Original deadline.")),
        Field("completed_on", DATE, help=gettext_lazy("Completion date; empty while open.")),
        Field(
            "quality",
            ENUM,
            choices=tuple(Quality.values),
            help=gettext_lazy("Quality mark of a completed task: exceeds, meets or below."),
        ),
        Field("weight", DECIMAL, help=gettext_lazy("Weight in converted work units (default 1).")),
        Field("major_errors", INT, help=gettext_lazy("Number of major errors (default 0).")),
        EXTENSIONS,
    )

    # -- import -----------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        rows = [r for r in rows if r.get("code") is not None]
        units = unit_catalogue(ctx)
        old = self._stored([r.data["code"] for r in rows])
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
            stored = old.get(row.data["code"])
            plan = self._values(row, stored, documents)
            self._check(ctx, plan, units, documents)
            self._check_assignee(ctx, plan, stints, file_tree)
            self._plan_extensions(ctx, plan, nested_rows(ctx, row, EXTENSIONS))
            if ctx.scope is not None and plan.touched:
                self._check_scope(ctx, plan, units)
            plans.append(plan)
        ctx.plans[self.key] = plans

    @staticmethod
    def _stored(codes: list[str]) -> dict[str, dict[str, Any]]:
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
                .values_list("task_id", *EXT_NAMES)
            ),
        ):
            by_id[values[0]]["extensions"].append(tuple(values[1:]))
        for record in old.values():
            record["coordinating"].sort()
        return old

    @staticmethod
    def _values(
        row: Row, old: dict[str, Any] | None, documents: dict[str, tuple[Any, str | None]]
    ) -> TaskPlan:
        values: dict[str, Any] = {}
        for name in FLAT:
            if row.has(name):
                value = row.data[name]
                values[name] = DEFAULTS[name] if value is None and name in DEFAULTS else value
            elif old is not None:
                values[name] = old[name]
            else:
                values[name] = DEFAULTS.get(name)
        if old is None and not row.has("assigner_unit") and values["document"]:
            values["assigner_unit"] = documents.get(values["document"], (None, None))[1]
        if row.has("coordinating_units"):
            coordinating = sorted(set(row.data["coordinating_units"] or []))
        else:
            coordinating = list(old["coordinating"]) if old is not None else []
        return TaskPlan(
            row=row,
            old=old,
            values=values,
            coordinating=coordinating,
            old_coordinating=old["coordinating"] if old is not None else [],
            old_extensions=old["extensions"] if old is not None else [],
        )

    @staticmethod
    def _check(
        ctx: ImportContext,
        plan: TaskPlan,
        units: dict[str, Any],
        documents: dict[str, tuple[Any, str | None]],
    ) -> None:
        row, v = plan.row, plan.values
        assigned = v["assigned_on"]
        for name in ("lead_unit", "assigner_unit"):
            code = v[name]
            if code is not None and code not in units:
                ctx.error(row, name, _("unknown unit code '%(value)s'") % {"value": code})
        lead = units.get(v["lead_unit"] or "")
        if lead is not None and assigned is not None and not lead.valid_on(assigned):
            ctx.error(
                row,
                "lead_unit",
                _("unit '%(value)s' did not exist on %(date)s")
                % {"value": v["lead_unit"], "date": iso(assigned)},
            )
        for code in plan.coordinating:
            if code not in units:
                ctx.error(
                    row, "coordinating_units", _("unknown unit code '%(value)s'") % {"value": code}
                )
            elif code == v["lead_unit"]:
                ctx.error(
                    row,
                    "coordinating_units",
                    _("the lead unit '%(value)s' cannot also coordinate") % {"value": code},
                )
        doc = v["document"]
        if doc is not None:
            if doc not in documents:
                ctx.error(row, "document", _("unknown document code '%(value)s'") % {"value": doc})
            else:
                issued = documents[doc][0]
                if issued is not None and assigned is not None and assigned < issued:
                    ctx.error(
                        row,
                        "assigned_on",
                        _("'%(value)s' is before the document was issued (%(date)s)")
                        % {"value": iso(assigned), "date": iso(issued)},
                    )
        if assigned is not None:
            for name in ("deadline", "completed_on"):
                if v[name] is not None and v[name] < assigned:
                    ctx.error(
                        row,
                        name,
                        _("'%(value)s' is before the assigned date (%(date)s)")
                        % {"value": iso(v[name]), "date": iso(assigned)},
                    )
        if v["quality"] is not None and v["completed_on"] is None:
            ctx.error(
                row, "quality", _("only a completed task has a quality mark (no completed_on)")
            )
        if v["major_errors"] is not None and not 0 <= v["major_errors"] <= MAX_ERRORS:
            ctx.error(
                row,
                "major_errors",
                _("major errors must be between 0 and %(max)s, got '%(value)s'")
                % {"max": MAX_ERRORS, "value": v["major_errors"]},
            )
        weight = v["weight"]
        if weight is not None and not Decimal(0) < weight < MAX_WEIGHT:
            ctx.error(
                row,
                "weight",
                _("the weight must be more than 0 and less than %(max)s, got '%(value)s'")
                % {"max": MAX_WEIGHT, "value": number_out(weight)},
            )

    @staticmethod
    def _check_assignee(
        ctx: ImportContext,
        plan: TaskPlan,
        stints: dict[str, list[Any]],
        file_tree: FileTree,
    ) -> None:
        v = plan.values
        assignee, lead, assigned = v["assignee"], v["lead_unit"], v["assigned_on"]
        if assignee is None:
            return
        if assignee not in stints:
            ctx.error(
                plan.row, "assignee", _("unknown staff code '%(value)s'") % {"value": assignee}
            )
            return
        if lead is None or assigned is None:
            return
        unchanged = plan.old is not None and all(
            plan.old[n] == v[n] for n in ("assignee", "lead_unit", "assigned_on")
        )
        if not unchanged and not was_within(stints[assignee], lead, assigned, file_tree):
            ctx.error(
                plan.row,
                "assignee",
                _(
                    "staff member '%(value)s' was not in unit '%(unit)s' or a unit under it on %(date)s"
                )
                % {"value": assignee, "unit": lead, "date": iso(assigned)},
            )

    def _plan_extensions(self, ctx: ImportContext, plan: TaskPlan, items: list[Row] | None) -> None:
        v = plan.values
        deadline, assigned, completed = v["deadline"], v["assigned_on"], v["completed_on"]
        if deadline is None or assigned is None:
            return
        if items is None:
            # The file leaves the list as it is; a changed deadline still moves what was in force.
            if plan.old is None or not plan.old_extensions or plan.old["deadline"] == deadline:
                return
            kept = [dict(zip(EXT_NAMES, e, strict=True)) for e in plan.old_extensions]
            planned = plan_previous_deadlines(deadline, kept)
            for ext in planned:
                if ext["new_deadline"] <= ext["previous_deadline"]:
                    ctx.error(
                        plan.row,
                        "deadline",
                        _(
                            "the extension requested on %(date)s would no longer be later than"
                            " the deadline in force"
                        )
                        % {"date": iso(ext["requested_on"])},
                    )
            plan.extensions = planned
            return
        wanted: list[dict[str, Any]] = []
        places: dict[int, Row] = {}
        for item in items:
            requested, status = item.get("requested_on"), item.get("status")
            if requested is None or item.get("new_deadline") is None or status is None:
                continue  # reported by the engine
            decided = item.get("decided_on")
            if requested < assigned:
                ctx.error(
                    item,
                    "requested_on",
                    _("'%(value)s' is before the assigned date (%(date)s)")
                    % {"value": iso(requested), "date": iso(assigned)},
                )
            if completed is not None and requested > completed:
                ctx.error(
                    item,
                    "requested_on",
                    _("'%(value)s' is after the task was completed (%(date)s)")
                    % {"value": iso(requested), "date": iso(completed)},
                )
            if decided is not None and status == ExtensionStatus.PENDING:
                ctx.error(item, "decided_on", _("a pending request has no decision date"))
            elif decided is not None and decided < requested:
                ctx.error(
                    item,
                    "decided_on",
                    _("'%(value)s' is before the request (%(date)s)")
                    % {"value": iso(decided), "date": iso(requested)},
                )
            places[len(wanted)] = item
            wanted.append(
                {
                    "requested_on": requested,
                    "new_deadline": item.get("new_deadline"),
                    "reason": item.get("reason") or "",
                    "status": status,
                    "decided_on": decided,
                    "_place": len(wanted),
                }
            )
        planned = plan_previous_deadlines(deadline, wanted)
        pending: Row | None = None
        for ext in planned:
            item = places[ext.pop("_place")]
            if ext["new_deadline"] <= ext["previous_deadline"]:
                ctx.error(
                    item,
                    "new_deadline",
                    _(
                        "'%(value)s' is not later than the deadline in force when it was "
                        "requested (%(date)s)"
                    )
                    % {"value": iso(ext["new_deadline"]), "date": iso(ext["previous_deadline"])},
                )
            if ext["status"] == ExtensionStatus.PENDING:
                if pending is not None:
                    ctx.error(
                        item,
                        "status",
                        _("a task has at most one pending request (the other at %(first)s)")
                        % {"first": pending.at()},
                    )
                pending = pending or item
        plan.extensions = planned

    @staticmethod
    def _check_scope(ctx: ImportContext, plan: TaskPlan, units: dict[str, Any]) -> None:
        # A task is written by whoever may write its lead unit or its assigning unit — before
        # the change and after it, so that nobody moves a task out of another unit's reach.
        scope = ctx.scope
        sides = [(plan.values["lead_unit"], plan.values["assigner_unit"])]
        if plan.old is not None:
            sides.append((plan.old["lead_unit"], plan.old["assigner_unit"]))
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
        from thenchot.directives.interchange.tasks_apply import apply_tasks

        return apply_tasks(
            ctx, ctx.plans.get(self.key, []), ctx.counts.setdefault(self.key, Counts())
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
                    "requested_on": iso(requested),
                    "new_deadline": iso(new),
                    "reason": reason or None,
                    "status": status,
                    "decided_on": iso(decided),
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
                    "assigned_on": iso(r["assigned_on"]),
                    "deadline": iso(r["deadline"]),
                    "completed_on": iso(r["completed_on"]),
                    "quality": r["quality"] or None,
                    "weight": number_out(r["weight"]),
                    "major_errors": r["major_errors"],
                    "extensions": extensions.get(r["id"], []),
                }
            )
        return out


def exported_tasks(request: ExportRequest) -> QuerySet[Task]:
    """The tasks an export covers: readable with the scope, led by a unit of the `unit`
    subtree on `as_of`, assigned in the [from, to] range."""
    from thenchot.directives.selectors import restrict_tasks

    qs = Task.objects.all()
    if request.scope is not None:
        qs = restrict_tasks(request.scope, qs)
    code = request.unit_code or request.params.get("unit") or None
    if code:
        snap = tree()
        unit_id = snap.by_code.get(str(code))
        if unit_id is None:
            raise DomainError(_("unknown unit code '%(value)s'") % {"value": code})
        qs = qs.filter(lead_unit_id__in=sorted(snap.subtree_on(unit_id, request.as_of)))
    if request.date_from:
        qs = qs.filter(assigned_on__gte=request.date_from)
    if request.date_to:
        qs = qs.filter(assigned_on__lte=request.date_to)
    return qs
