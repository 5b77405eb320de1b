"""The `staff` section of the interchange format: plan (set-based checks) and export; the
writes are in `staff_apply`.

Staff files are the large ones (a city's 200,000 people), so everything here is set-based:
the codes, units, users, assignments and headships a file refers to are loaded in a few
batched queries, and writes go out in batches with their audit changes.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thenchot.core import interchange as engine
from thenchot.core import interchange_fields as spec
from thenchot.core.auditing import Change
from thenchot.core.bulk import Line
from thenchot.core.interchange import ExportRequest, ImportContext, Row, Section
from thenchot.org.interchange import UnitRef, selected_unit_ids, unit_catalogue
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people import rules
from thenchot.people.choices import StaffCategory
from thenchot.people.interchange.common import (
    SIMPLE,
    STAFF_COLUMNS,
    StaffPlan,
    Stint,
    file_values,
    staff_value,
    touched,
    unit_on,
)
from thenchot.people.interchange.staff_apply import apply_staff
from thenchot.people.models import (
    Assignment,
    HeadAssignment,
    JobPosition,
    Staff,
)


def _leaving_ends(terms: list[Any], left_on: Any, previous: Any) -> list[tuple[Any, Any]]:
    """(term id, new end) of the running `terms` when the last day of employment moves from
    `previous` to `left_on` (`rules.leaving_ends`)."""
    ends = rules.leaving_ends(terms, left_on=left_on, previous=previous)
    return [(e.term.id, e.ends_on) for e in ends]


@spec.section("staff", 30, gettext_lazy("Staff"))
class StaffSection(Section):
    fields = (
        spec.code(gettext_lazy("Unique staff code."), max_length=40),
        spec.text("full_name", gettext_lazy("Full name."), required=True, max_length=200),
        spec.enum(
            "category",
            tuple(StaffCategory.values),
            gettext_lazy("Cadre, civil servant, public employee or contract worker."),
            required=True,
        ),
        spec.unit(
            "unit", gettext_lazy("Code of the person's unit on the file's date."), required=True
        ),
        spec.text("position_title", gettext_lazy("Position title."), max_length=200),
        spec.flag(
            "is_head",
            gettext_lazy("Head of the unit on the file's date (recorded as a dated headship)."),
        ),
        spec.flag("is_leader", gettext_lazy("Holds a leadership or management post.")),
        spec.ref(
            "job_position",
            "job_positions",
            gettext_lazy("Code of the job position."),
            max_length=40,
        ),
        spec.date("in_position_since", gettext_lazy("In the current position since.")),
        spec.date(
            "joined_on",
            gettext_lazy("Start of the first known assignment; empty: since the unit began."),
        ),
        spec.date("left_on", gettext_lazy("End of employment: the last assignment ends that day.")),
        spec.date("date_of_birth", gettext_lazy("Date of birth.")),
        spec.date("retirement_on", gettext_lazy("Expected retirement date.")),
        spec.text("email", gettext_lazy("Work e-mail address."), max_length=254),
        spec.text(
            "username",
            gettext_lazy("Login name; the account gets no password until the person resets it."),
            max_length=150,
        ),
    )

    # -- import: plan ---------------------------------------------------------------------------
    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        as_of = ctx.as_of
        units = unit_catalogue(ctx)
        job_codes = set(JobPosition.objects.values_list("code", flat=True))
        job_codes |= {r.data["code"] for r in ctx.rows.get("job_positions", []) if r.get("code")}
        rows = [r for r in rows if r.get("code") is not None]
        codes = [r.data["code"] for r in rows]
        old_rows: dict[str, dict[str, Any]] = {}
        for values in engine.in_batches(
            codes, lambda b: Staff.objects.filter(code__in=b).values_list(*STAFF_COLUMNS)
        ):
            record = dict(zip(STAFF_COLUMNS, values, strict=True))
            old_rows[record["code"]] = record
        old_ids = [r["id"] for r in old_rows.values()]
        job_code_of = dict(JobPosition.objects.values_list("id", "code"))
        unit_code_of = {ref.id: code for code, ref in units.items() if ref.id is not None}

        # Assignments and headships of the people already known, for the rules that decide
        # what a move or a change of head closes (`people.rules`, as on the pages).
        assignments: dict[int, list[Stint]] = defaultdict(list)
        for pk, staff_id, unit_id, vf, vt in engine.in_batches(
            old_ids,
            lambda b: Assignment.objects.filter(staff_id__in=b).values_list(
                "id", "staff_id", "unit_id", "valid_from", "valid_to"
            ),
        ):
            assignments[staff_id].append(Stint(pk, unit_id, vf, vt))
        heads_now: dict[tuple[int, int], list[Stint]] = defaultdict(list)
        for pk, staff_id, unit_id, vf, vt in engine.in_batches(
            old_ids,
            lambda b: HeadAssignment.objects.filter(
                valid_on_q(as_of), staff_id__in=b, role="head"
            ).values_list("id", "staff_id", "unit_id", "valid_from", "valid_to"),
        ):
            heads_now[staff_id, unit_id].append(Stint(pk, unit_id, vf, vt))
        # People whose history the file gives (`assignments`): that section writes it, so no
        # transfer is made here and their units are checked on the dates the history gives.
        historied = {r.data["staff"] for r in ctx.rows.get("assignments", []) if r.get("staff")}
        leaving = [
            old_rows[r.data["code"]]["id"]
            for r in rows
            if r.has("left_on")
            and r.data["code"] in old_rows
            and old_rows[r.data["code"]]["left_on"] != r.data["left_on"]
        ]
        all_heads: dict[int, list[Stint]] = defaultdict(list)
        for pk, staff_id, unit_id, vf, vt in engine.in_batches(
            leaving,
            lambda b: (
                HeadAssignment.objects.filter(staff_id__in=b)
                .order_by("valid_from", "id")
                .values_list("id", "staff_id", "unit_id", "valid_from", "valid_to")
            ),
        ):
            all_heads[staff_id].append(Stint(pk, unit_id, vf, vt))

        # Accounts: by the usernames the file names and by the accounts the staff hold.
        User = get_user_model()
        usernames = {r.data["username"] for r in rows if r.get("username")}
        users_by_name: dict[str, tuple[int, str]] = {}
        for pk, name, email in engine.in_batches(
            usernames,
            lambda b: User.objects.filter(username__in=b).values_list("id", "username", "email"),
        ):
            users_by_name[name] = (pk, email)
        held_ids = [r["user_id"] for r in old_rows.values() if r["user_id"]]
        username_of: dict[int, tuple[str, str]] = {
            pk: (name, email)
            for pk, name, email in engine.in_batches(
                held_ids,
                lambda b: User.objects.filter(pk__in=b).values_list("id", "username", "email"),
            )
        }
        holder_of: dict[int, str] = dict(
            engine.in_batches(
                [pk for pk, _e in users_by_name.values()],
                lambda b: Staff.objects.filter(user_id__in=b).values_list("user_id", "code"),
            )
        )

        scope = ctx.scope
        first_username: dict[str, Row] = {}
        head_rows: dict[str, Row] = {}
        plans: list[StaffPlan] = []
        for row in rows:
            code = row.data["code"]
            old = old_rows.get(code)
            values = file_values(row, SIMPLE, old, staff_value)
            if row.has("job_position"):
                job = row.data["job_position"]
            else:
                job = job_code_of.get(old["job_position_id"]) if old else None
            plan = StaffPlan(
                row=row, old=old, items=tuple(values.values()), job=job, history=code in historied
            )
            if old is not None:
                changed = [n for n in SIMPLE if old[n] != values[n]]
                if job_code_of.get(old["job_position_id"]) != job:
                    changed.append("job_position")
                plan.changed = changed

            # References and dates.
            unit_code = row.get("unit")
            ref = units.get(unit_code) if unit_code is not None else None
            joined = values["joined_on"] if old is None and not plan.history else None
            # Nobody leaves before joining; the other checks of the leaving day wait for it.
            employment = rules.employment_refusal(values["joined_on"], values["left_on"])
            left_on = values["left_on"] if employment is None else None
            if employment is not None:
                ctx.error(row, employment.field, employment.clause)
            if unit_code is not None and ref is None:
                ctx.error(row, "unit", _("unknown unit code '%(value)s'") % {"value": unit_code})
            elif ref is not None:
                # As on the pages, with the file's date for today and no joining day for a
                # person already recorded, nor for one whose history the file gives (their
                # first assignment may be in an earlier unit: checked on its own row).
                for refusal in rules.placement_refusals(
                    ref, code=unit_code, on=as_of, joined_on=joined, left_on=left_on
                ):
                    ctx.error(row, refusal.field, refusal.clause)
            if row.has("job_position") and job is not None and job not in job_codes:
                ctx.error(
                    row,
                    "job_position",
                    _("unknown job position code '%(value)s'") % {"value": job},
                )
            email = row.get("email")
            if email and not engine.check_email(email):
                ctx.error(
                    row, "email", _("'%(value)s' is not a valid e-mail address") % {"value": email}
                )

            # The unit on as_of: a move when it differs, made as a transfer on as_of (unless
            # the file gives the history, which then says where the person was).
            plan.unit = unit_code
            if plan.history:
                if old is not None:
                    plan.current_unit_id = old["unit_id"]
                    plan.move = ref is not None and ref.id != old["unit_id"]
            elif old is not None and unit_code is not None:
                stints = assignments.get(old["id"], [])
                current = unit_on(stints, as_of)
                current_id = current.unit_id if current is not None else old["unit_id"]
                plan.current_unit_id = current_id
                if ref is not None and ref.id != current_id:
                    plan.move = True
                    if current is not None and current.valid_to is not None:
                        ctx.error(
                            row,
                            "unit",
                            _(
                                "the person was in unit '%(unit)s' on %(date)s and has moved since;"
                                " history before the last move cannot be rewritten here"
                            )
                            % {
                                "unit": unit_code_of.get(current_id, "?"),
                                "date": as_of.isoformat(),
                            },
                        )
                    else:
                        try:
                            closings = rules.transfer_closings(stints, on=as_of)
                        except rules.Refused as refusal:
                            ctx.error(row, "unit", refusal.clause)
                        else:
                            plan.closings = [(c.term.id, c.ends_on) for c in closings]

            # The end of employment moved: the running terms end on the new last day.
            if (
                old is not None
                and not plan.history
                and employment is None
                and values["left_on"] != old["left_on"]
            ):
                try:
                    dates = (values["left_on"], old["left_on"])
                    plan.endings = _leaving_ends(assignments.get(old["id"], []), *dates)
                    plan.head_endings = _leaving_ends(all_heads.get(old["id"], []), *dates)
                except rules.Refused as refusal:
                    ctx.error(row, refusal.field, refusal.clause)

            # Headship on as_of.
            if row.has("is_head") and row.data["is_head"] is not None:
                wanted = bool(row.data["is_head"])
                if wanted and unit_code is not None:
                    other = head_rows.get(unit_code)
                    if other is not None:
                        ctx.error(
                            row,
                            "is_head",
                            _("unit '%(unit)s' has another head in this file (%(other)s)")
                            % {"unit": unit_code, "other": other.at()},
                        )
                    else:
                        head_rows[unit_code] = row
                held = (
                    heads_now.get((old["id"], ref.id), [])
                    if old is not None and ref is not None and ref.id is not None
                    else []
                )
                if wanted != bool(held):
                    plan.head = wanted
                if plan.head:
                    since = values["in_position_since"]
                    plan.head_since = since if since is not None and since <= as_of else as_of
                elif plan.head is False:
                    closings = rules.end_closings(held, on=as_of)
                    plan.head_closings = [(c.term.id, c.ends_on) for c in closings]

            # The account.
            username = row.get("username")
            if username is not None:
                self._plan_user(
                    ctx,
                    plan,
                    username,
                    first_username,
                    users_by_name,
                    username_of,
                    holder_of,
                )
            if plan.user_action == "" and old is not None and old["user_id"] and row.has("email"):
                held_user = username_of.get(old["user_id"])
                if held_user is not None and values["email"] and held_user[1] != values["email"]:
                    plan.user_action = "email"
                    plan.user_id = old["user_id"]

            if scope is not None and self.touched(plan):
                self._check_scope(ctx, plan, ref.id if ref is not None else None)
            plans.append(plan)
        self._plan_new_heads(ctx, plans, units)
        ctx.plans[self.key] = plans

    @staticmethod
    def _plan_new_heads(
        ctx: ImportContext, plans: list[StaffPlan], units: dict[str, UnitRef]
    ) -> None:
        """A new head ends the term of the head still running on the day the new one starts,
        as `people.services.head_assign` does: the same rule, over the heads of every unit
        the file gives a new head, loaded at once."""
        starting: list[tuple[StaffPlan, int, dt.date]] = []
        for plan in plans:
            ref = units.get(plan.unit) if plan.head and plan.unit is not None else None
            # A unit this file creates has no head yet.
            if ref is not None and ref.id is not None and plan.head_since is not None:
                starting.append((plan, ref.id, plan.head_since))
        if not starting:
            return
        earliest = min(since for _p, _u, since in starting)
        running: dict[int, list[Stint]] = defaultdict(list)
        for pk, unit_id, vf, vt in engine.in_batches(
            sorted({unit_id for _p, unit_id, _s in starting}),
            lambda b: (
                HeadAssignment.objects.filter(
                    Q(valid_to__isnull=True) | Q(valid_to__gte=earliest), unit_id__in=b, role="head"
                )
                .order_by("valid_from", "id")
                .values_list("id", "unit_id", "valid_from", "valid_to")
            ),
        ):
            running[unit_id].append(Stint(pk, unit_id, vf, vt))
        for plan, unit_id, since in starting:
            try:
                closings = rules.head_closings(running.get(unit_id, []), on=since, field="is_head")
            except rules.Refused as refusal:
                ctx.error(plan.row, refusal.field, refusal.clause)
            else:
                plan.head_closings = [(c.term.id, c.ends_on) for c in closings]

    def _plan_user(
        self,
        ctx: ImportContext,
        plan: StaffPlan,
        username: str,
        first_username: dict[str, Row],
        users_by_name: dict[str, tuple[int, str]],
        username_of: dict[int, tuple[str, str]],
        holder_of: dict[int, str],
    ) -> None:
        row = plan.row
        code = row.data["code"]
        if not engine.USERNAME_RE.match(username):
            ctx.error(
                row,
                "username",
                _("'%(value)s' is not a valid username (letters, digits and @ . + - _ only)")
                % {"value": username},
            )
            return
        seen = first_username.get(username)
        if seen is not None:
            ctx.error(
                row,
                "username",
                _("username '%(value)s' is used twice in this file (first at %(first)s)")
                % {"value": username, "first": seen.at("username")},
            )
            return
        first_username[username] = row
        held_id = plan.old["user_id"] if plan.old is not None else None
        held = username_of.get(held_id) if held_id else None
        if held is not None and held[0] == username:
            plan.user_id = held_id
            if plan.values["email"] and held[1] != plan.values["email"]:
                plan.user_action = "email"
            return
        existing = users_by_name.get(username)
        if existing is not None:
            holder = holder_of.get(existing[0])
            if holder is not None and holder != code:
                ctx.error(
                    row,
                    "username",
                    _("username '%(value)s' already belongs to staff member '%(holder)s'")
                    % {"value": username, "holder": holder},
                )
                return
            plan.user_action = "link"
            plan.user_id = existing[0]
        elif held is not None:
            plan.user_action = "rename"
            plan.user_id = held_id
        else:
            plan.user_action = "create"
        plan.username = username

    @staticmethod
    def touched(plan: StaffPlan) -> bool:
        return touched(plan)

    def _check_scope(self, ctx: ImportContext, plan: StaffPlan, unit_id: int | None) -> None:
        scope = ctx.scope
        row = plan.row
        # Both ends of a move must be writable: nobody moves a record out of their reach, nor
        # pulls one in from a unit they cannot see. A unit created by this file is checked on
        # its own row of the units section.
        targets = []
        if unit_id is not None:
            targets.append((unit_id, plan.unit))
        if (
            plan.old is not None
            and plan.current_unit_id is not None
            and plan.current_unit_id != unit_id
        ):
            targets.append((plan.current_unit_id, None))
        for target, label in targets:
            if not scope.can_write_unit(target):
                info = tree().units.get(target)
                ctx.error(
                    row,
                    "unit",
                    _("you may not change records of unit '%(value)s'")
                    % {"value": label or (info.code if info else target)},
                )
                return

    # -- import: apply --------------------------------------------------------------------------
    def apply(self, ctx: ImportContext) -> Iterator[Change | Line]:
        return apply_staff(
            ctx, ctx.plans.get(self.key, []), ctx.counts.setdefault(self.key, engine.Counts())
        )

    # -- export ---------------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        as_of = request.as_of
        snap = tree()
        qs = exported_staff(request)
        rows = list(
            # The order of official lists (given name, middle, family: `Staff.name_key`).
            qs.order_by("name_key", "code").values_list(
                "id",
                "code",
                "full_name",
                "category",
                "unit_id",
                "position_title",
                "is_leader",
                "job_position__code",
                "in_position_since",
                "joined_on",
                "left_on",
                "date_of_birth",
                "retirement_on",
                "email",
                "user__username",
            )
        )
        ids_qs = qs.values("id")
        unit_on: dict[int, int] = {}
        for staff_id, unit_id in (
            Assignment.objects.filter(valid_on_q(as_of), staff_id__in=ids_qs)
            .order_by("valid_from")
            .values_list("staff_id", "unit_id")
        ):
            unit_on[staff_id] = unit_id
        heads = set(
            HeadAssignment.objects.filter(
                valid_on_q(as_of), role="head", staff_id__in=ids_qs
            ).values_list("staff_id", "unit_id")
        )
        records = []
        for (
            pk,
            code,
            full_name,
            category,
            current_unit,
            title,
            leader,
            job,
            since,
            joined,
            left,
            born,
            retires,
            email,
            username,
        ) in rows:
            unit_id = unit_on.get(pk, current_unit)
            info = snap.units.get(unit_id)
            records.append(
                {
                    "code": code,
                    "full_name": full_name,
                    "category": category,
                    "unit": info.code if info is not None else None,
                    "position_title": title or None,
                    "is_head": (pk, unit_id) in heads,
                    "is_leader": leader,
                    "job_position": job,
                    "in_position_since": engine.iso(since),
                    "joined_on": engine.iso(joined),
                    "left_on": engine.iso(left),
                    "date_of_birth": engine.iso(born),
                    "retirement_on": engine.iso(retires),
                    "email": email or None,
                    "username": username,
                }
            )
        return records


def exported_staff(request: ExportRequest) -> QuerySet[Staff]:
    """The staff an export writes (their rows and their `assignments`): readable by the
    scope, with the list filters of the page, in the unit's subtree or the date range."""
    from thenchot.people.filtersets import StaffFilterSet
    from thenchot.people.selectors import head_exists, staff_queryset

    as_of = request.as_of
    qs: QuerySet[Staff]
    if request.scope is not None:
        qs = staff_queryset(request.scope, as_of)
    else:
        qs = Staff.objects.annotate(is_head=head_exists(as_of))
    params = {k: v for k, v in request.params.items() if k != "unit" and v not in ("", None)}
    if params:
        qs = StaffFilterSet(params, queryset=qs).qs
    unit_filtered = bool(request.unit_code or request.params.get("unit"))
    if unit_filtered or request.date_from or request.date_to:
        ids = sorted(selected_unit_ids(tree(), request))
        if request.date_from or request.date_to:
            from thenchot.org.interchange import valid_in_range_q

            window = valid_in_range_q(request.date_from, request.date_to)
        else:
            window = valid_on_q(as_of)
        qs = qs.filter(
            Exists(Assignment.objects.filter(window, staff_id=OuterRef("pk"), unit_id__in=ids))
        )
    return qs
