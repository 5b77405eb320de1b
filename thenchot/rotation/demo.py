"""Demo rotation records on top of the demo organisation (`thenchot.demo.generator`).

The first nine months of 2023 match the published figures: 49 periodic rotations — 38 between
divisions in the same specialty, 11 between fields inside one division — recorded as history
(the person's assignment split on the day, the clock restarted). On `today`, the due list has
people postponed for the reasons the law names, each taken from a record that says so: a long
study leave, a secondment, a sick leave, a maternity leave with the child recorded, a
recorded inspection (the open discipline cases come from `discipline.demo`, which runs first).
A published plan for this year lists people due in the department with the most of them.

Written in bulk and audited in bulk (source "command", reason "demo data"); a second run adds
nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.db import transaction

from thenchot.accounts.choices import Role
from thenchot.accounts.models import RoleGrant
from thenchot.core import auditing
from thenchot.core.context import acting
from thenchot.org.tree import tree
from thenchot.people.models import Assignment, Child, Leave, Staff
from thenchot.rotation.models import PlanItem, Postponement, Rotation, RotationPlan
from thenchot.rotation.selectors import due_list

REASON = "demo data"
NINE_MONTHS = (dt.date(2023, 1, 1), dt.date(2023, 9, 30))
BETWEEN_DIVISIONS_2023 = 38
BETWEEN_FIELDS_2023 = 11
DAY = dt.timedelta(days=1)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max((end - start).days, 0) + 1))


def due_staff(today: dt.date) -> list[int]:
    """Staff whose rotation is due on `today`: the discipline demo opens its cases among them
    (registered in `RotationConfig.ready()`), so the due list shows them postponed."""
    return [
        ln.staff_id for ln in due_list(scope=None, unit_id=None, on=today) if ln.status == "due"
    ]


def load_demo_rotation_history(*, seed: int, today: dt.date) -> None:
    """2023's rotations (the article's figures), before the other apps' demo records."""
    if Rotation.objects.filter(code__startswith="CDVT-DEMO-").exists():
        return
    rng = random.Random(seed * 11 + 59)
    with transaction.atomic(), acting(source="command", reason=REASON):
        auditing.record_many(_history_2023(rng, today), reason=REASON)


def load_demo_rotation(*, seed: int, today: dt.date) -> None:
    """Postponements and this year's plan, once discipline's demo cases exist (nothing when
    already there)."""
    if Leave.objects.filter(code__startswith="NP-DEMO-").exists():
        return
    rng = random.Random(seed * 13 + 61)
    with transaction.atomic(), acting(source="command", reason=REASON):
        changes: list[auditing.Change] = []
        changes += _postponements(rng, today)
        changes += _plan(rng, today)
        auditing.record_many(changes, reason=REASON)


def _history_2023(rng: random.Random, today: dt.date) -> list[auditing.Change]:

    snap = tree()
    start = NINE_MONTHS[0]
    # Divisions that existed through 2023 and still do, grouped by agency.
    divisions: dict[int, list[int]] = defaultdict(list)
    for unit in snap.units.values():
        if unit.kind == "division" and unit.valid_on(start) and unit.valid_on(today):
            divisions[snap.agency_of(unit.id, start)].append(unit.id)
    siblings = {d: ds for ds in divisions.values() if len(ds) > 1 for d in ds}
    # Non-leaders in listed positions, in such a division since before 2023, never moved.
    candidates = list(
        Assignment.objects.filter(
            valid_to__isnull=True,
            valid_from__lt=start,
            unit_id__in=sorted({d for ds in divisions.values() for d in ds}),
            staff__is_leader=False,
            staff__job_position__rotation_subject=True,
        )
        # The demo's personas keep the posts the login table gives them.
        .exclude(staff__user__grants__isnull=False)
        .order_by("staff__code")
        .select_related("staff")
    )
    rng.shuffle(candidates)
    # The division a persona manages keeps its people (the manager's board of about twenty)
    # unless the city is too small to find the article's rotations elsewhere.
    managed = set(
        RoleGrant.objects.filter(role=Role.DIVISION_MANAGER).values_list("unit_id", flat=True)
    )
    candidates.sort(key=lambda a: a.unit_id in managed)
    changes: list[auditing.Change] = []
    rotations: list[Rotation] = []
    moved = 0
    fields = 0
    for assignment in candidates:
        if moved >= BETWEEN_DIVISIONS_2023 and fields >= BETWEEN_FIELDS_2023:
            break
        staff = assignment.staff
        on = _day(rng, dt.date(2023, 1, 9), NINE_MONTHS[1])
        number = len(rotations) + 1
        if moved < BETWEEN_DIVISIONS_2023 and assignment.unit_id in siblings:
            target = rng.choice(
                [d for d in siblings[assignment.unit_id] if d != assignment.unit_id]
            )
            kind = "between_divisions_same_specialty"
            before = auditing.snapshot(assignment)
            new = Assignment(
                staff=staff,
                unit_id=target,
                valid_from=on,
                reason="rotation",
                note=f"Chuyển đổi vị trí CDVT-DEMO-{number:03d}",
            )
            assignment.valid_to = on - DAY
            assignment.save(update_fields=["valid_to"])
            new.save()
            changes.append(
                auditing.Change(assignment, auditing.UPDATE, before, auditing.snapshot(assignment))
            )
            changes.append(auditing.Change(new, auditing.CREATE, None, auditing.snapshot(new)))
            moved += 1
        elif fields < BETWEEN_FIELDS_2023:
            target = assignment.unit_id
            kind = "between_fields_within_division"
            fields += 1
        else:
            continue
        before = auditing.snapshot(staff)
        Staff.objects.filter(pk=staff.pk).update(unit_id=target, in_position_since=on)
        staff.unit_id, staff.in_position_since = target, on
        changes.append(auditing.Change(staff, auditing.UPDATE, before, auditing.snapshot(staff)))
        rotations.append(
            Rotation(
                code=f"CDVT-DEMO-{number:03d}",
                staff=staff,
                kind=kind,
                from_unit_id=assignment.unit_id,
                to_unit_id=target,
                effective_on=on,
                decision_number=f"{number}/QĐ-CDVT",
            )
        )
    Rotation.objects.bulk_create(rotations)
    changes += [auditing.Change(r, auditing.CREATE, None, auditing.snapshot(r)) for r in rotations]
    return changes


def _postponements(rng: random.Random, today: dt.date) -> list[auditing.Change]:
    """Records that postpone some of the people due on `today`, one reason each."""
    from thenchot.rotation.selectors import due_list

    due = [ln for ln in due_list(scope=None, unit_id=None, on=today) if ln.status == "due"]
    rng.shuffle(due)
    objs: list[object] = []
    plan = [
        ("study", today - dt.timedelta(days=60), today + dt.timedelta(days=330)),
        ("secondment", today - dt.timedelta(days=200), today + dt.timedelta(days=500)),
        ("sick", today - dt.timedelta(days=20), today + dt.timedelta(days=70)),
    ]
    for i, (kind, start, end) in enumerate(plan):
        if i < len(due):
            objs.append(
                Leave(
                    code=f"NP-DEMO-{i + 1:02d}",
                    staff_id=due[i].staff_id,
                    kind=kind,
                    date_from=start,
                    date_to=end,
                )
            )
    if len(due) > 3:
        born = today - dt.timedelta(days=400)
        objs.append(
            Leave(
                code="NP-DEMO-04",
                staff_id=due[3].staff_id,
                kind="maternity",
                date_from=born - dt.timedelta(days=30),
                date_to=born + dt.timedelta(days=150),
            )
        )
        objs.append(Child(staff_id=due[3].staff_id, born_on=born))
    if len(due) > 4:
        objs.append(
            Child(staff_id=due[4].staff_id, born_on=today - dt.timedelta(days=300), sole_carer=True)
        )
    if len(due) > 5:
        objs.append(
            Postponement(
                staff_id=due[5].staff_id,
                reason="inspection",
                date_from=today - dt.timedelta(days=15),
                date_to=today + dt.timedelta(days=45),
                note="Đang bị kiểm tra công vụ đột xuất",
            )
        )
    for obj in objs:
        obj.save()  # type: ignore[attr-defined]
    return [auditing.Change(o, auditing.CREATE, None, auditing.snapshot(o)) for o in objs]  # type: ignore[arg-type]


def _plan(rng: random.Random, today: dt.date) -> list[auditing.Change]:
    """A published plan for this year in the department with the most people due."""
    from thenchot.rotation.selectors import due_list

    snap = tree()
    due = [
        ln
        for ln in due_list(scope=None, unit_id=None, on=today, within_months=6)
        if ln.status in ("due", "upcoming")
    ]
    by_agency: dict[int, list[int]] = defaultdict(list)
    for line in due:
        by_agency[snap.agency_of(line.unit_id, today)].append(line.staff_id)
    if not by_agency:
        return []
    agency = max(by_agency, key=lambda a: (len(by_agency[a]), -a))
    plan = RotationPlan.objects.create(
        code=f"KHCD-{snap.units[agency].code}-{today.year}",
        agency_id=agency,
        year=today.year,
        title="Kế hoạch chuyển đổi vị trí công tác định kỳ",
        # Mid-January, or today when loaded before then: never a publication yet to come.
        published_on=min(dt.date(today.year, 1, 15), today),
    )
    objs: list[object] = [plan]
    staff = {s.pk: s for s in Staff.objects.filter(pk__in=by_agency[agency][:8])}
    for i, pk in enumerate(sorted(staff)):
        person = staff[pk]
        planned = dt.date(today.year, min(12, 3 + i), 1)
        item = PlanItem.objects.create(
            plan=plan,
            staff=person,
            kind="between_fields_within_division",
            target_unit_id=person.unit_id,
            planned_on=planned,
        )
        objs.append(item)
    return [auditing.Change(o, auditing.CREATE, None, auditing.snapshot(o)) for o in objs]  # type: ignore[arg-type]
