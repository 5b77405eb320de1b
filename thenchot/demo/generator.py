"""Write the demo organisation and staff into the database, in bulk and audited in bulk.

`generate()` builds the Hanoi-shaped structure (`structure.py`) and the staff plan
(`staffing.py`), then writes units, dated parent links, successions, job positions, staff,
assignments, heads and deputies with `bulk_create` in batches. `bulk_create` bypasses `save()`
and signals, so every batch is audited explicitly with `core.auditing.record_many` under one
action context (source "command", reason "demo data"). Only the personas get user accounts and
a usable password.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from thenchot.accounts.models import RoleGrant, User
from thenchot.core import auditing
from thenchot.core.collation import name_sort_key
from thenchot.core.context import acting
from thenchot.core.text import fold
from thenchot.demo import bulk
from thenchot.demo.positions import JOB_POSITIONS
from thenchot.demo.staffing import PERSONAS, PlannedStaff, plan_staff
from thenchot.demo.structure import build_structure
from thenchot.org.models import Unit, UnitLink, UnitSuccession
from thenchot.org.tree import invalidate
from thenchot.people.choices import AssignmentReason
from thenchot.people.models import (
    Assignment,
    HeadAssignment,
    JobPosition,
    Staff,
    staff_search_text,
)

DEFAULT_SEED = 2026
DEFAULT_STAFF = 2000
DEMO_PASSWORD = "ThenChot@2026"  # printed by load_demo; personas only
BATCH = 5000
REASON = "demo data"

Progress = Callable[[str], None]


@dataclass
class Login:
    username: str
    role: str
    unit_code: str | None
    unit_name: str | None
    full_name: str


@dataclass
class DemoResult:
    counts: dict[str, int] = field(default_factory=dict)
    logins: list[Login] = field(default_factory=list)
    seconds: float = 0.0


def _quiet(_message: str) -> None:
    return None


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _created(objs: Iterable[models.Model]) -> Iterator[auditing.Change]:
    for obj in objs:
        yield auditing.Change(obj, auditing.CREATE, None, auditing.snapshot(obj))


def generate(
    *,
    staff: int = DEFAULT_STAFF,
    seed: int = DEFAULT_SEED,
    password: str = DEMO_PASSWORD,
    progress: Progress | None = None,
) -> DemoResult:
    """Build the demo into an empty database; refuses when units already exist."""
    say = progress or _quiet
    started = time.monotonic()
    if Unit.objects.exists():
        raise ValueError("The database already has units; the demo needs an empty one.")
    structure = build_structure()
    say(f"planning {staff} staff (seed {seed})")
    plan = plan_staff(structure, count=staff, seed=seed)
    result = DemoResult()
    counts = result.counts
    with transaction.atomic(), acting(source="command", reason=REASON):
        # -- units, links, successions --------------------------------------------------------
        units = [
            Unit(
                code=spec.code,
                name=spec.name,
                kind=spec.kind,
                valid_from=spec.valid_from,
                valid_to=spec.valid_to,
                search_text=f"{fold(spec.name)} {fold(spec.code)}"[:400],
            )
            for spec in structure.units.values()
        ]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        by_code = {u.code: u for u in units}
        links = [
            UnitLink(
                unit=by_code[ln.unit],
                parent=by_code[ln.parent],
                valid_from=ln.valid_from,
                valid_to=ln.valid_to,
            )
            for ln in structure.links
        ]
        UnitLink.objects.bulk_create(links, batch_size=BATCH)
        successions = [
            UnitSuccession(
                predecessor=by_code[sc.predecessor],
                successor=by_code[sc.successor],
                effective_on=sc.effective_on,
            )
            for sc in structure.successions
        ]
        UnitSuccession.objects.bulk_create(successions, batch_size=BATCH)
        counts["audit"] = auditing.record_many(_created([*units, *links, *successions]))
        counts.update(units=len(units), links=len(links), successions=len(successions))
        invalidate()
        say(f"{len(units)} units, {len(links)} parent links, {len(successions)} successions")

        # -- job positions --------------------------------------------------------------------
        jobs = [
            JobPosition(code=code, name=name, rotation_subject=rot, rotation_period_months=months)
            for code, name, rot, months in JOB_POSITIONS
        ]
        JobPosition.objects.bulk_create(jobs)
        job_ids = {j.code: j.pk for j in jobs}
        counts["audit"] += auditing.record_many(_created(jobs))
        counts["job_positions"] = len(jobs)

        # -- persona accounts -----------------------------------------------------------------
        users = _persona_users(plan.people, password)
        counts["audit"] += auditing.record_many(_created(users.values()))

        # -- staff, assignments, heads, chunk by chunk (bounded memory at 200,000) ------------
        counts.update(staff=0, assignments=0, heads=0)
        ids = {
            Staff: bulk.next_id(Staff),
            Assignment: bulk.next_id(Assignment),
            HeadAssignment: bulk.next_id(HeadAssignment),
        }
        batch = uuid.uuid4().hex  # one audit batch for the whole staff load
        for chunk in _chunks(plan.people, BATCH):
            _write_staff_chunk(chunk, by_code, job_ids, users, counts, ids, batch)
        bulk.reset_sequences(Staff, Assignment, HeadAssignment)
        say(
            f"{counts['staff']} staff, {counts['assignments']} assignments,"
            f" {counts['heads']} heads and deputies"
        )

        # -- role grants ----------------------------------------------------------------------
        grants = []
        for persona in PERSONAS:
            user = users.get(persona.username)
            if user is None:
                continue
            unit = by_code[persona.grant_unit] if persona.grant_unit else None
            grants.append(RoleGrant(user=user, role=persona.role, unit=unit))
        RoleGrant.objects.bulk_create(grants)
        counts["audit"] += auditing.record_many(_created(grants))
        counts["grants"] = len(grants)
    result.logins = demo_logins()
    result.seconds = time.monotonic() - started
    return result


def _persona_users(people: list[PlannedStaff], password: str) -> dict[str, User]:
    # One hash for the one shared demo password: hashing it eight times would cost seconds.
    hashed = make_password(password)
    personas = {p.username: p for p in PERSONAS}
    users: dict[str, User] = {}
    for person in people:
        if person.username is None:
            continue
        persona = personas[person.username]
        user = User(
            username=person.username,
            first_name=person.full_name,
            email=f"{person.username}@hanoi.gov.vn",
            password=hashed,
            is_superuser=persona.superuser,
            is_staff=persona.superuser,
        )
        user.save()
        users[person.username] = user
    return users


def _write_staff_chunk(
    chunk: list[PlannedStaff],
    by_code: dict[str, Unit],
    job_ids: dict[str, int],
    users: dict[str, User],
    counts: dict[str, int],
    ids: dict[type[models.Model], int],
    batch: str,
) -> None:
    rows = [
        Staff(
            code=p.code,
            full_name=p.full_name,
            category=p.category,
            unit_id=by_code[p.unit].pk,
            position_title=p.position_title,
            is_leader=p.is_leader,
            job_position_id=job_ids.get(p.job_position) if p.job_position else None,
            in_position_since=p.in_position_since,
            joined_on=p.joined_on,
            date_of_birth=p.date_of_birth,
            retirement_on=p.retirement_on,
            email=f"{p.username}@hanoi.gov.vn" if p.username else p.email,
            user=users.get(p.username) if p.username else None,
            search_text=staff_search_text(p.code, p.full_name),
            name_key=name_sort_key(p.full_name),
        )
        for p in chunk
    ]
    _insert(Staff, rows, ids)
    assignments: list[Assignment] = []
    heads: list[HeadAssignment] = []
    for person, row in zip(chunk, rows, strict=True):
        for stint in person.stints:
            unit_id = by_code[stint.unit].pk
            assignments.append(
                Assignment(
                    staff_id=row.pk,
                    unit_id=unit_id,
                    valid_from=stint.start,
                    valid_to=stint.end,
                    # The demo's later stints are all the 2025 reorganisation's moves.
                    reason=AssignmentReason.APPOINTMENT
                    if stint is person.stints[0]
                    else AssignmentReason.REORGANISATION,
                    note=REASON if stint is not person.stints[0] else "",
                )
            )
            if stint.role is not None:
                heads.append(
                    HeadAssignment(
                        staff_id=row.pk,
                        unit_id=unit_id,
                        role=stint.role,
                        valid_from=stint.role_from or stint.start,
                        valid_to=stint.end,
                    )
                )
    _insert(Assignment, assignments, ids)
    _insert(HeadAssignment, heads, ids)
    counts["audit"] += bulk.audit_created([*rows, *assignments, *heads], batch=batch)
    counts["staff"] += len(rows)
    counts["assignments"] += len(assignments)
    counts["heads"] += len(heads)


def _insert(model: type[models.Model], objs: list[Any], ids: dict[type[models.Model], int]) -> None:
    bulk.insert(model, objs, first_id=ids[model])
    ids[model] += len(objs)


def demo_logins() -> list[Login]:
    """The persona logins present in the database, in the order the demo prints them."""
    users = {
        u.username: u for u in User.objects.filter(username__in=[p.username for p in PERSONAS])
    }
    grants = {
        g.user_id: g
        for g in RoleGrant.objects.filter(user__in=users.values()).select_related("unit")
    }
    logins = []
    for persona in PERSONAS:
        user = users.get(persona.username)
        if user is None:
            continue
        grant = grants.get(user.pk)
        unit = grant.unit if grant is not None else None
        logins.append(
            Login(
                username=persona.username,
                role=persona.role,
                unit_code=unit.code if unit else None,
                unit_name=unit.name if unit else None,
                full_name=persona.full_name,
            )
        )
    return logins
