"""Benchmark (not a test): task statistics and the reminder run at Hanoi scale.

    .venv/bin/python bench/bench_directives.py [--engines pg,sqlite] [--tasks 100000]
                                               [--staff 200000] [--no-reminders]

For each engine, in a fresh database (PostgreSQL: `thenchot_bench_dir` on 127.0.0.1, dropped and
created here; SQLite: a temporary file), it writes the demo organisation with `--staff` people
(`thenchot.demo.generator`, the 2025 restructuring included), gives user accounts to heads and
to a pool of assignees, then `--tasks` tasks assigned over 2025 with a realistic mix (on time,
late, overdue, extended — some extensions requested after the deadline, a few rejected). It
then prints the seconds taken by:
- `unit_statistics` for the whole city over 2025 (target ≤ 1 s), cold and warm, and one
  drill-down;
- the `tasks` report block;
- the reminder job over every open task (target ≤ 30 s), and the same run again (must create
  nothing), when `thenchot.notifications.jobs` exists.
Each engine runs in its own process (settings read DATABASE_URL once).
"""

from __future__ import annotations

import datetime as dt
import random

from common import (
    analyze,
    cold_and_warm,
    extension_row,
    main_per_engine,
    setup_django,
    task_row,
    timed,
)

YEAR_FROM, YEAR_TO = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def main() -> None:
    sizes = {"tasks": 100_000, "staff": 200_000}
    main_per_engine(
        __file__, "thenchot_bench_dir", worker, sizes, engines="pg,sqlite", flags=["no-reminders"]
    )


def worker(*, tasks: int, staff: int, no_reminders: bool) -> None:
    setup_django()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    from thenchot.demo.generator import generate

    result = timed(f"demo organisation with {staff} staff", generate, staff=staff)
    print(f"   {result.counts}", flush=True)
    timed(f"{tasks} tasks", _write_tasks, tasks)
    analyze()

    from thenchot.accounts.scoping import Scope
    from thenchot.directives.statistics import report_block_tasks, unit_statistics
    from thenchot.org.tree import tree

    city = tree().by_code["HN"]
    scope = Scope(user_id=0, city_wide=True)
    year = {"date_from": YEAR_FROM, "date_to": YEAR_TO}
    stats = cold_and_warm(
        "unit_statistics, whole city, 2025",
        "<= 1 s",
        unit_statistics,
        scope=scope,
        root=city,
        **year,
    )
    print(f"   {len(stats.rows)} rows; total {stats.total.as_dict()}", flush=True)
    busiest = max(stats.rows, key=lambda r: r.counts["due"])
    if busiest.unit_id is not None and busiest.has_children:
        drill = f"drill-down into {busiest.code}"
        timed(drill, unit_statistics, scope=scope, root=busiest.unit_id, **year)
    block = timed("report block 'tasks'", report_block_tasks, unit=city, as_of=YEAR_TO, **year)
    print(f"   {block}", flush=True)

    from thenchot.directives.due import task_due_source

    items = timed(
        "due source: open tasks due on 7/3/1/0 days or overdue, 31/12/2025",
        lambda: list(
            task_due_source.items(
                on=YEAR_TO,
                due_dates={YEAR_TO + dt.timedelta(days=n) for n in (7, 3, 1, 0)},
                overdue=True,
            )
        ),
    )
    print(f"   {len(items)} items", flush=True)
    if no_reminders:
        return
    try:
        from thenchot.notifications.jobs import send_reminders
    except ImportError:
        print("notifications.jobs not installed: reminder run skipped")
        return
    first = timed("reminder run (target <= 30 s)", send_reminders, on=YEAR_TO)
    print(f"   {first}", flush=True)
    again = timed("reminder run again, same day", send_reminders, on=YEAR_TO)
    print(f"   {again}", flush=True)


def _write_tasks(count: int, seed: int = 2026) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from thenchot.accounts.models import User
    from thenchot.directives.models import ExtensionRequest, Task
    from thenchot.org.tree import tree
    from thenchot.people.models import HeadAssignment, Staff

    rng = random.Random(seed)
    snap = tree()
    day = dt.timedelta(days=1)
    city = snap.by_code["HN"]
    # Lead units by tree epoch of 2025: before the merges, between, after the two-level reform.
    epochs = [dt.date(2025, 1, 1), dt.date(2025, 3, 1), dt.date(2025, 7, 1)]
    leads: dict[dt.date, list[int]] = {}
    assigners: dict[dt.date, list[int]] = {}
    for start in epochs:
        valid = [u for u in snap.units.values() if u.valid_on(start) and u.id != city]
        leads[start] = [u.id for u in valid]
        assigners[start] = [u.id for u in valid if u.kind == "department"]

    with transaction.atomic():
        # Accounts for heads (reminded) and for a pool of assignees.
        password = make_password(None)
        head_staff = set(
            HeadAssignment.objects.filter(role="head").values_list("staff_id", flat=True)
        )
        by_unit: dict[int, list[int]] = {}
        for pk, unit_id in Staff.objects.values_list("pk", "unit_id").iterator(chunk_size=20000):
            by_unit.setdefault(unit_id, []).append(pk)
        pool: set[int] = set()
        for ids in by_unit.values():
            pool.update(ids[:10])
        wanted = sorted(
            (head_staff | pool)
            - set(Staff.objects.filter(user__isnull=False).values_list("pk", flat=True))
        )
        users = [
            User(username=f"s{pk}", email=f"s{pk}@hanoi.gov.vn", password=password) for pk in wanted
        ]
        User.objects.bulk_create(users, batch_size=5000)
        links = [Staff(pk=pk, user_id=u.pk) for pk, u in zip(wanted, users, strict=True)]
        Staff.objects.bulk_update(links, ["user"], batch_size=5000)
        print(f"   {len(users)} user accounts for heads and assignees", flush=True)

        rows: list[Task] = []
        for i in range(count):
            assigned = YEAR_FROM + rng.randrange(0, 365) * day
            epoch = max(e for e in epochs if e <= assigned)
            lead = rng.choice(leads[epoch])
            assigner = city if rng.random() < 0.6 else rng.choice(assigners[epoch])
            deadline = assigned + rng.randint(7, 90) * day
            roll = rng.random()
            completed = None
            if roll < 0.55:
                completed = deadline - rng.randint(0, 6) * day
            elif roll < 0.70:
                completed = deadline + rng.randint(1, 30) * day
            if completed is not None and completed < assigned:
                completed = assigned
            if completed is not None and completed > YEAR_TO:
                completed = None
            staff_ids = by_unit.get(lead, [])
            assignee = rng.choice(staff_ids[:10]) if staff_ids and rng.random() < 0.5 else None
            code = f"B{assigned.year}-{i:06d}"
            title = f"Thực hiện kết luận số {i % 500 + 1}/KL-UBND về nhiệm vụ {i}"
            rows.append(
                task_row(
                    code,
                    title,
                    lead_unit_id=lead,
                    assigner_unit_id=assigner,
                    assignee_id=assignee,
                    assigned_on=assigned,
                    deadline=deadline,
                    completed_on=completed,
                    progress=100 if completed else rng.choice([0, 20, 50, 80]),
                )
            )
        Task.objects.bulk_create(rows, batch_size=5000)
        extensions: list[ExtensionRequest] = []
        for task in rows:
            roll = rng.random()
            if roll > 0.15:
                continue
            status = "approved" if roll < 0.12 else ("rejected" if roll < 0.14 else "pending")
            extensions.append(extension_row(rng, task, longest=60, status=status))
        ExtensionRequest.objects.bulk_create(extensions, batch_size=5000)
        print(f"   {len(rows)} tasks, {len(extensions)} extension requests", flush=True)


if __name__ == "__main__":
    main()
