"""The `job_positions` and `staff` sections of the interchange format.

Staff files are the large ones (a city's 200,000 people), so everything here is set-based:
the codes, units, users, assignments and headships a file refers to are loaded in a few
batched queries, and writes go out in batches with their audit changes.
"""

from __future__ import annotations

import datetime as dt
import functools
import secrets
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from thenchot.core.auditing import CREATE, DELETE, UPDATE, Change, snapshot
from thenchot.core.registry import interchange_sections
from thenchot.core.text import fold
from thenchot.exchange.bulk import Line, Table, snapshot_of
from thenchot.exchange.engine import (
    BOOL,
    CODE,
    DATE,
    ENUM,
    INT,
    STR,
    USERNAME_RE,
    Counts,
    ExportRequest,
    Field,
    ImportContext,
    Row,
    Section,
    check_email,
    chunked,
    in_batches,
    iso,
)
from thenchot.org.interchange import selected_unit_ids, unit_catalogue, unit_ids
from thenchot.org.models import valid_on_q
from thenchot.org.tree import tree
from thenchot.people.choices import StaffCategory
from thenchot.people.models import (
    Assignment,
    HeadAssignment,
    JobPosition,
    Staff,
    staff_search_text,
)

BATCH = 2000
ROTATION_MIN, ROTATION_MAX = 24, 60


@functools.lru_cache(maxsize=65536)
def _folded(text: str) -> str:
    return fold(text)


def search_text(code: str, full_name: str) -> str:
    """`staff_search_text`, fast for a whole file: names repeat (a city has far fewer distinct
    full names than people) and codes are usually ASCII, whose folding is lower-casing."""
    folded_code = " ".join(code.lower().split()) if code.isascii() else fold(code)
    return f"{_folded(full_name)} {folded_code}"[:300]


def _unusable_password() -> str:
    # What `make_password(None)` stores, without its per-call cost (200,000 accounts per file):
    # people set their password through the reset link.
    return UNUSABLE_PASSWORD_PREFIX + secrets.token_urlsafe(30)


# -- job positions ------------------------------------------------------------------------------
class JobPositionSection(Section):
    key = "job_positions"
    order = 20
    title = _lazy("Job positions")
    fields = (
        Field(
            "code", STR, required=True, max_length=40, help=_lazy("Unique code of the position.")
        ),
        Field("name", STR, required=True, max_length=255, help=_lazy("Name of the job position.")),
        Field(
            "rotation_subject",
            BOOL,
            help=_lazy("Subject to periodic rotation (Decree 59/2019)."),
        ),
        Field(
            "rotation_period_months",
            INT,
            help=_lazy("Rotation period in months, 24 to 60."),
        ),
    )
    _names = ("name", "rotation_subject", "rotation_period_months")

    def plan(self, ctx: ImportContext, rows: list[Row]) -> None:
        existing = {j.code: j for j in JobPosition.objects.all()}
        scope = ctx.scope
        admin = scope is None or (scope.city_wide and scope.can_write_org)
        plans: list[tuple[Row, JobPosition | None, dict[str, Any]]] = []
        for row in rows:
            code = row.get("code")
            if code is None:
                continue
            period = row.get("rotation_period_months")
            if period is not None and not ROTATION_MIN <= period <= ROTATION_MAX:
                ctx.error(
                    row,
                    "rotation_period_months",
                    _("the rotation period must be between 24 and 60 months, got '%(value)s'")
                    % {"value": period},
                )
            job = existing.get(code)
            values: dict[str, Any] = {}
            for name in self._names:
                if row.has(name):
                    value = row.data[name]
                    values[name] = bool(value) if name == "rotation_subject" else value
                elif job is not None:
                    values[name] = getattr(job, name)
                else:
                    values[name] = False if name == "rotation_subject" else None
            changed = job is None or any(getattr(job, n) != values[n] for n in self._names)
            if changed and not admin:
                ctx.error(row, "code", _("only a city-wide administrator can change job positions"))
            plans.append((row, job, values))
        ctx.plans[self.key] = plans

    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        counts = ctx.counts.setdefault(self.key, Counts())
        now = timezone.now()
        creates: list[JobPosition] = []
        updates: list[tuple[JobPosition, dict[str, Any]]] = []
        for row, job, values in ctx.plans.get(self.key, []):
            if job is None:
                creates.append(JobPosition(code=row.data["code"], **values))
                counts.created += 1
            elif any(getattr(job, n) != values[n] for n in self._names):
                before = snapshot(job)
                for name, value in values.items():
                    setattr(job, name, value)
                job.version += 1
                job.updated_at = now
                updates.append((job, before))
                counts.updated += 1
            else:
                counts.unchanged += 1
        JobPosition.objects.bulk_create(creates, batch_size=BATCH)
        for job in creates:
            yield Change(job, CREATE, None, snapshot(job))
        if updates:
            JobPosition.objects.bulk_update(
                [j for j, _b in updates], [*self._names, "version", "updated_at"], batch_size=BATCH
            )
            for job, before in updates:
                yield Change(job, UPDATE, before, snapshot(job))
        ctx.shared["job_positions.ids"] = dict(JobPosition.objects.values_list("code", "id"))

    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        if request.scope is not None and request.scope.user_id is None:
            return []
        return [
            {
                "code": code,
                "name": name,
                "rotation_subject": subject,
                "rotation_period_months": period,
            }
            for code, name, subject, period in JobPosition.objects.order_by("code").values_list(
                "code", "name", "rotation_subject", "rotation_period_months"
            )
        ]


# -- staff --------------------------------------------------------------------------------------
# Plain columns copied from the file to Staff; "" stands for an empty text in the database.
SIMPLE = (
    "full_name",
    "category",
    "position_title",
    "is_leader",
    "in_position_since",
    "joined_on",
    "date_of_birth",
    "retirement_on",
    "email",
)
TEXT_BLANK = {"position_title", "email"}
STAFF_COLUMNS = [f.attname for f in Staff._meta.concrete_fields]


@dataclass
class StaffPlan:
    row: Row
    old: dict[str, Any] | None  # the database row (None: to create)
    values: dict[str, Any]  # SIMPLE fields + job_position code, after the import
    changed: list[str] = field(default_factory=list)
    unit: str | None = None  # unit code on as_of
    move: bool = False  # unit on as_of changes
    current_unit_id: int | None = None
    username: str | None = None  # account to create, rename or link
    user_action: str = ""  # "", "create", "link", "rename", "email"
    user_id: int | None = None
    head: bool | None = None  # desired is_head when it changes


class StaffSection(Section):
    key = "staff"
    order = 30
    title = _lazy("Staff")
    fields = (
        Field("code", STR, required=True, max_length=40, help=_lazy("Unique staff code.")),
        Field("full_name", STR, required=True, max_length=200, help=_lazy("Full name.")),
        Field(
            "category",
            ENUM,
            required=True,
            choices=tuple(StaffCategory.values),
            help=_lazy("Cadre, civil servant, public employee or contract worker."),
        ),
        Field(
            "unit",
            CODE,
            required=True,
            max_length=40,
            ref="units",
            help=_lazy("Code of the person's unit on the file's date."),
        ),
        Field("position_title", STR, max_length=200, help=_lazy("Position title.")),
        Field(
            "is_head",
            BOOL,
            help=_lazy("Head of the unit on the file's date (recorded as a dated headship)."),
        ),
        Field("is_leader", BOOL, help=_lazy("Holds a leadership or management post.")),
        Field(
            "job_position",
            CODE,
            max_length=40,
            ref="job_positions",
            help=_lazy("Code of the job position."),
        ),
        Field("in_position_since", DATE, help=_lazy("In the current position since.")),
        Field(
            "joined_on",
            DATE,
            help=_lazy("Start of the first known assignment; empty: since the unit began."),
        ),
        Field("date_of_birth", DATE, help=_lazy("Date of birth.")),
        Field("retirement_on", DATE, help=_lazy("Expected retirement date.")),
        Field("email", STR, max_length=254, help=_lazy("Work e-mail address.")),
        Field(
            "username",
            STR,
            max_length=150,
            help=_lazy("Login name; the account gets no password until the person resets it."),
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
        for values in in_batches(
            codes, lambda b: Staff.objects.filter(code__in=b).values_list(*STAFF_COLUMNS)
        ):
            record = dict(zip(STAFF_COLUMNS, values, strict=True))
            old_rows[record["code"]] = record
        old_ids = [r["id"] for r in old_rows.values()]
        job_code_of = dict(JobPosition.objects.values_list("id", "code"))
        unit_code_of = {ref.id: code for code, ref in units.items() if ref.id is not None}

        # Assignments and headships of the people already known.
        assignments: dict[int, list[tuple[int, dt.date | None, dt.date | None]]] = defaultdict(list)
        for staff_id, unit_id, vf, vt in in_batches(
            old_ids,
            lambda b: Assignment.objects.filter(staff_id__in=b).values_list(
                "staff_id", "unit_id", "valid_from", "valid_to"
            ),
        ):
            assignments[staff_id].append((unit_id, vf, vt))
        heads_now: set[tuple[int, int]] = set(
            in_batches(
                old_ids,
                lambda b: HeadAssignment.objects.filter(
                    valid_on_q(as_of), staff_id__in=b, role="head"
                ).values_list("staff_id", "unit_id"),
            )
        )

        # Accounts: by the usernames the file names and by the accounts the staff hold.
        User = get_user_model()
        usernames = {r.data["username"] for r in rows if r.get("username")}
        users_by_name: dict[str, tuple[int, str]] = {}
        for pk, name, email in in_batches(
            usernames,
            lambda b: User.objects.filter(username__in=b).values_list("id", "username", "email"),
        ):
            users_by_name[name] = (pk, email)
        held_ids = [r["user_id"] for r in old_rows.values() if r["user_id"]]
        username_of: dict[int, tuple[str, str]] = {
            pk: (name, email)
            for pk, name, email in in_batches(
                held_ids,
                lambda b: User.objects.filter(pk__in=b).values_list("id", "username", "email"),
            )
        }
        holder_of: dict[int, str] = dict(
            in_batches(
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
            values: dict[str, Any] = {}
            for name in SIMPLE:
                if row.has(name):
                    value = row.data[name]
                    if name in TEXT_BLANK and value is None:
                        value = ""
                    if name == "is_leader":
                        value = bool(value)
                    values[name] = value
                elif old is not None:
                    values[name] = old[name]
                else:
                    values[name] = (
                        "" if name in TEXT_BLANK else (False if name == "is_leader" else None)
                    )
            if row.has("job_position"):
                values["job_position"] = row.data["job_position"]
            else:
                values["job_position"] = job_code_of.get(old["job_position_id"]) if old else None
            plan = StaffPlan(row=row, old=old, values=values)
            if old is not None:
                plan.changed = [n for n in SIMPLE if old[n] != values[n]]
                if job_code_of.get(old["job_position_id"]) != values["job_position"]:
                    plan.changed.append("job_position")

            # References and dates.
            unit_code = row.get("unit")
            ref = units.get(unit_code) if unit_code is not None else None
            if unit_code is not None and ref is None:
                ctx.error(row, "unit", _("unknown unit code '%(value)s'") % {"value": unit_code})
            elif ref is not None:
                if not ref.valid_on(as_of):
                    ctx.error(
                        row,
                        "unit",
                        _("unit '%(value)s' did not exist on %(date)s")
                        % {"value": unit_code, "date": as_of.isoformat()},
                    )
                joined = values["joined_on"]
                if old is None and joined is not None and not ref.valid_on(joined):
                    ctx.error(
                        row,
                        "joined_on",
                        _("unit '%(value)s' did not exist on %(date)s")
                        % {"value": unit_code, "date": joined.isoformat()},
                    )
            job = values["job_position"]
            if row.has("job_position") and job is not None and job not in job_codes:
                ctx.error(
                    row,
                    "job_position",
                    _("unknown job position code '%(value)s'") % {"value": job},
                )
            email = row.get("email")
            if email and not check_email(email):
                ctx.error(
                    row, "email", _("'%(value)s' is not a valid e-mail address") % {"value": email}
                )

            # The unit on as_of: a move when it differs.
            plan.unit = unit_code
            if old is not None and unit_code is not None:
                current = _unit_on(assignments.get(old["id"], []), as_of)
                current_id = current[0] if current is not None else old["unit_id"]
                plan.current_unit_id = current_id
                if ref is not None and ref.id != current_id:
                    plan.move = True
                    if current is not None and current[2] is not None:
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
                has_now = (
                    old is not None
                    and ref is not None
                    and ref.id is not None
                    and (old["id"], ref.id) in heads_now
                )
                if wanted != has_now:
                    plan.head = wanted

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
                held = username_of.get(old["user_id"])
                if held is not None and values["email"] and held[1] != values["email"]:
                    plan.user_action = "email"
                    plan.user_id = old["user_id"]

            if scope is not None and self.touched(plan):
                self._check_scope(ctx, plan, ref.id if ref is not None else None)
            plans.append(plan)
        ctx.plans[self.key] = plans

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
        if not USERNAME_RE.match(username):
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
        return (
            plan.old is None
            or bool(plan.changed)
            or plan.move
            or plan.head is not None
            or bool(plan.user_action)
        )

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
    def apply(self, ctx: ImportContext) -> Iterator[Change]:
        plans: list[StaffPlan] = ctx.plans.get(self.key, [])
        counts = ctx.counts.setdefault(self.key, Counts())
        units = unit_ids(ctx)
        jobs = ctx.shared.get("job_positions.ids") or dict(
            JobPosition.objects.values_list("code", "id")
        )
        for batch in chunked(plans, BATCH):
            yield from self._apply_batch(ctx, list(batch), counts, units, jobs)

    def _apply_batch(
        self,
        ctx: ImportContext,
        plans: list[StaffPlan],
        counts: Counts,
        units: dict[str, int],
        jobs: dict[str, int],
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
                row = {
                    "username": plan.username,
                    "email": plan.values["email"],
                    "first_name": plan.values["full_name"][:150],
                    "password": _unusable_password(),
                    "date_joined": now,
                }
                new_users.append((plan, user_table.complete(row, now)))
            elif plan.user_action in ("rename", "email", "link"):
                user_updates.append(plan)
        if new_users:
            user_table.insert([row for _p, row in new_users])
            ids = dict(
                User.objects.filter(username__in=[p.username for p, _r in new_users]).values_list(
                    "username", "id"
                )
            )
            for plan, row in new_users:
                plan.user_id = row["id"] = ids[plan.username]
                changes.append(
                    Line(User, row["id"], row["username"], CREATE, None, snapshot_of(User, row))
                )
        if user_updates:
            by_id = User.objects.in_bulk([p.user_id for p in user_updates])
            touched = []
            for plan in user_updates:
                user = by_id[plan.user_id]
                before = snapshot(user)
                if plan.user_action == "rename":
                    user.username = plan.username
                if plan.values["email"]:
                    user.email = plan.values["email"]
                if snapshot(user) != before:
                    touched.append(user)
                    changes.append(Change(user, UPDATE, before, snapshot(user)))
            if touched:
                User.objects.bulk_update(touched, ["username", "email"], batch_size=BATCH)

        # 2. staff rows
        creates: list[dict[str, Any]] = []
        updates: list[tuple[StaffPlan, Staff, dict[str, Any]]] = []
        for plan in plans:
            v = plan.values
            job_id = jobs.get(v["job_position"]) if v["job_position"] else None
            if plan.old is None:
                code = plan.row.data["code"]
                row = {n: v[n] for n in SIMPLE}
                row.update(
                    code=code,
                    unit_id=units[plan.unit],
                    job_position_id=job_id,
                    user_id=plan.user_id,
                    search_text=search_text(code, v["full_name"]),
                    version=1,
                )
                creates.append(staff_table.complete(row, now))
                counts.created += 1
                continue
            if not self.touched(plan):
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
                staff.unit_id = units[plan.unit]
            if plan.user_action in ("create", "link"):
                staff.user_id = plan.user_id
            staff.search_text = staff_search_text(staff.code, staff.full_name)
            if snapshot(staff) != before:
                staff.version += 1
                staff.updated_at = now
                updates.append((plan, staff, before))
        staff_id = {p.old["code"]: p.old["id"] for p in plans if p.old is not None}
        if creates:
            staff_table.insert(creates)
            staff_id.update(
                Staff.objects.filter(code__in=[r["code"] for r in creates]).values_list(
                    "code", "id"
                )
            )
            for row in creates:
                row["id"] = staff_id[row["code"]]
                changes.append(
                    Line(
                        Staff,
                        row["id"],
                        f"{row['full_name']} ({row['code']})",
                        CREATE,
                        None,
                        snapshot_of(Staff, row),
                    )
                )
        if updates:
            Staff.objects.bulk_update(
                [s for _p, s, _b in updates],
                [*SIMPLE, "job_position", "unit", "user", "search_text", "version", "updated_at"],
                batch_size=BATCH,
            )
            for _plan, staff, before in updates:
                changes.append(Change(staff, UPDATE, before, snapshot(staff)))

        # 3. assignments: one from joined_on for a new person; a move ends the open one.
        first_assignments = [
            assignment_table.complete(
                {"staff_id": r["id"], "unit_id": r["unit_id"], "valid_from": r["joined_on"]}, now
            )
            for r in creates
        ]
        if first_assignments:
            assignment_table.insert(first_assignments)
            assignment_id = dict(
                Assignment.objects.filter(staff_id__in=[r["id"] for r in creates]).values_list(
                    "staff_id", "id"
                )
            )
            for row in first_assignments:
                row["id"] = assignment_id[row["staff_id"]]
                changes.append(
                    Line(
                        Assignment,
                        row["id"],
                        f"{row['staff_id']} @ {row['unit_id']} [{row['valid_from']}..None]",
                        CREATE,
                        None,
                        snapshot_of(Assignment, row),
                    )
                )
        new_assignments: list[Assignment] = []
        movers = [p for p in plans if p.old is not None and p.move]
        if movers:
            mover_unit = {p.old["id"]: units[p.unit] for p in movers}
            open_ones = Assignment.objects.filter(
                staff_id__in=[p.old["id"] for p in movers], valid_to__isnull=True
            )
            ended: list[Assignment] = []
            for assignment in open_ones:
                before = snapshot(assignment)
                if assignment.valid_from is not None and assignment.valid_from >= as_of:
                    assignment.unit_id = mover_unit[assignment.staff_id]
                    assignment.valid_from = as_of
                else:
                    assignment.valid_to = as_of - dt.timedelta(days=1)
                ended.append(assignment)
                changes.append(Change(assignment, UPDATE, before, snapshot(assignment)))
            Assignment.objects.bulk_update(ended, ["unit", "valid_from", "valid_to"])
            reused = {a.staff_id for a in ended if a.valid_to is None}
            for plan in movers:
                if plan.old["id"] not in reused:
                    new_assignments.append(
                        Assignment(
                            staff_id=plan.old["id"], unit_id=units[plan.unit], valid_from=as_of
                        )
                    )
        for batch in chunked(new_assignments, BATCH):
            Assignment.objects.bulk_create(batch, batch_size=BATCH)
            for assignment in batch:
                changes.append(Change(assignment, CREATE, None, snapshot(assignment)))

        # 4. headships on as_of (derived is_head): open one, or end the one that covers as_of.
        heads = [p for p in plans if p.head is not None]
        if heads:
            changes.extend(self._apply_heads(heads, as_of, units, staff_id))
        yield from changes

    def _apply_heads(
        self,
        plans: list[StaffPlan],
        as_of: dt.date,
        units: dict[str, int],
        staff_id: dict[str, int],
    ) -> list[Change]:
        changes: list[Change] = []
        day_before = as_of - dt.timedelta(days=1)
        unit_of = {staff_id[p.row.data["code"]]: units[p.unit] for p in plans}
        becoming = {sid for p in plans if p.head for sid in [staff_id[p.row.data["code"]]]}
        ending = {sid for p in plans if not p.head for sid in [staff_id[p.row.data["code"]]]}
        new_units = {unit_of[s] for s in becoming}
        covering = HeadAssignment.objects.filter(valid_on_q(as_of), role="head").filter(
            Q(staff_id__in=sorted(ending)) | Q(unit_id__in=sorted(new_units))
        )
        for head in covering:
            # The person stops being head, or another person becomes head of that unit.
            stops = head.staff_id in ending and head.unit_id == unit_of.get(head.staff_id)
            replaced = head.unit_id in new_units and head.staff_id not in becoming
            if not (stops or replaced):
                continue
            before = snapshot(head)
            if head.valid_from is not None and head.valid_from >= as_of:
                head.delete()
                changes.append(Change(head, DELETE, before, None))
                continue
            head.valid_to = day_before
            head.save(update_fields=["valid_to"])
            changes.append(Change(head, UPDATE, before, snapshot(head)))
        created = []
        for plan in plans:
            if not plan.head:
                continue
            since = plan.values["in_position_since"]
            start = since if since is not None and since <= as_of else as_of
            created.append(
                HeadAssignment(
                    unit_id=units[plan.unit],
                    staff_id=staff_id[plan.row.data["code"]],
                    role="head",
                    valid_from=start,
                )
            )
        HeadAssignment.objects.bulk_create(created, batch_size=BATCH)
        changes.extend(Change(h, CREATE, None, snapshot(h)) for h in created)
        return changes

    # -- export ---------------------------------------------------------------------------------
    def export(self, request: ExportRequest) -> list[dict[str, Any]]:
        from thenchot.people.filtersets import StaffFilterSet
        from thenchot.people.selectors import head_exists, staff_queryset

        as_of = request.as_of
        scope = request.scope
        snap = tree()
        if scope is not None:
            qs = staff_queryset(scope, as_of)
        else:
            qs = Staff.objects.annotate(is_head=head_exists(as_of))
        params = {k: v for k, v in request.params.items() if k != "unit" and v not in ("", None)}
        if params:
            filterset = StaffFilterSet(params, queryset=qs)
            qs = filterset.qs
        unit_filtered = bool(request.unit_code or request.params.get("unit"))
        if unit_filtered or request.date_from or request.date_to:
            ids = sorted(selected_unit_ids(snap, request))
            if request.date_from or request.date_to:
                from thenchot.org.interchange import valid_in_range_q

                window = valid_in_range_q(request.date_from, request.date_to)
            else:
                window = valid_on_q(as_of)
            qs = qs.filter(
                Exists(Assignment.objects.filter(window, staff_id=OuterRef("pk"), unit_id__in=ids))
            )
        rows = list(
            qs.order_by("code").values_list(
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
                    "in_position_since": iso(since),
                    "joined_on": iso(joined),
                    "date_of_birth": iso(born),
                    "retirement_on": iso(retires),
                    "email": email or None,
                    "username": username,
                }
            )
        return records


def _unit_on(
    assignments: list[tuple[int, dt.date | None, dt.date | None]], on: dt.date
) -> tuple[int, dt.date | None, dt.date | None] | None:
    covering = [
        a for a in assignments if (a[1] is None or a[1] <= on) and (a[2] is None or on <= a[2])
    ]
    if not covering:
        return None
    return max(covering, key=lambda a: a[1] or dt.date.min)


interchange_sections.register("job_positions", JobPositionSection(), order=20)
interchange_sections.register("staff", StaffSection(), order=30)
