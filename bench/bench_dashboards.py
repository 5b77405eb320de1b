"""Benchmark (not a test): the city dashboard at full scale, its first view after each kind of
write, and the server time and HTML size of the biggest dashboard pages and lists.

    .venv/bin/python bench/bench_dashboards.py [tasks] [cases] [units] [staff] [--fresh]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_dashboards \
        .venv/bin/python bench/bench_dashboards.py
    ... --generate-only      (write the data and stop)

Defaults: 100,000 tasks and 1,000,000 cases over 2025, 330 units under one city, 200,000 staff
with 12 closed months of 2025 (2,400,000 evaluations), written through `core.bulk.Table` (COPY
on PostgreSQL) into an empty database (SQLite: var/bench_dashboards.sqlite3, reused unless
`--fresh`; about 6 minutes on PostgreSQL, 23 on SQLite). An existing database is used as it
is (any data: the pages' unit codes are read from its tree). Then, through the whole request
path (Django test client, a city-leadership user): the cold view (nothing counted), the first
view of a new process (grids stored), the median of 15 warm views and their SQL queries, the
first view after a task completed, a case completed through the service path and a period
closed again in bulk (five each, median), and the median of five of each page in `PAGES` with
its size; the load average is printed with each figure. A cold window past
`aggregates.COUNT_INLINE_MAX` records is counted by the `dashboards.count` job while the page
shows its progress: the cold view's time is the page's, the jobs' time is printed after it.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time
from typing import Any

from common import month_period

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_tasks = int(args[0]) if len(args) > 0 else 100_000
    n_cases = int(args[1]) if len(args) > 1 else 1_000_000
    n_units = int(args[2]) if len(args) > 2 else 330
    n_staff = int(args[3]) if len(args) > 3 else 200_000
    if "DATABASE_URL" not in os.environ:
        path = os.path.join(ROOT, "var", "bench_dashboards.sqlite3")
        if "--fresh" in sys.argv and os.path.exists(path):
            os.remove(path)  # otherwise the data of the last run is reused
        os.environ["DATABASE_URL"] = f"sqlite:///{path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    sys.path.insert(0, ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    if connection.vendor == "postgresql":
        name = connection.settings_dict["NAME"]
        assert name not in ("thenchot", "test_thenchot", "thenchot_bench_processes"), name
    call_command("migrate", verbosity=0)

    from thenchot.accounts.models import RoleGrant, User
    from thenchot.dashboards import aggregates, external
    from thenchot.directives.models import Task
    from thenchot.org.models import Unit
    from thenchot.processes.models import Case

    rng = random.Random(16)
    t0 = time.perf_counter()
    if not Unit.objects.exists():
        generate(rng, n_tasks, n_cases, n_units, n_staff)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
    from thenchot.appraisal.models import Evaluation
    from thenchot.people.models import Staff

    print(
        f"data: {Task.objects.count():,} tasks, {Case.objects.count():,} cases, "
        f"{Staff.objects.count():,} staff, {Evaluation.objects.count():,} evaluations, "
        f"{Unit.objects.count():,} units ({time.perf_counter() - t0:.1f} s)"
    )
    if "--generate-only" in sys.argv:
        return

    user, _ = User.objects.get_or_create(username="bench_leader")
    RoleGrant.objects.get_or_create(user=user, role="city_leadership", unit=None)
    client = Client()
    client.force_login(user)
    url = "/dashboards/?year=2025"

    def view(target: str) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            r = client.get(target)
            ms = (time.perf_counter() - t) * 1000
        assert r.status_code == 200, r.status_code
        return ms, len(q.captured_queries), len(r.content)

    aggregates.clear(stored=True)
    aggregates._asked.clear()
    external.clear()
    cold = view(url)
    print(
        f"city dashboard, cold (nothing counted): {cold[0]:.0f} ms, {cold[1]} queries, "
        f"{cold[2] / 1024:.0f} KiB  [{load()}]"
    )
    background = run_queued()
    if background[0]:
        print(
            f"background jobs the cold view queued (the grids past {aggregates.COUNT_INLINE_MAX:,}"
            f" records, satisfaction, reform): {background[0]} in {background[1]:.0f} ms"
            f"  [{load()}]"
        )
        counted = view(url)
        print(
            f"city dashboard once they are done: {counted[0]:.0f} ms, {counted[1]} queries, "
            f"{counted[2] / 1024:.0f} KiB  [{load()}]"
        )
    fresh_process = []
    for _ in range(5):
        aggregates.clear()  # a new process: the grids stored in the database, none in memory
        fresh_process.append(view(url))
    print(
        "city dashboard, first view of a new process: median "
        f"{statistics.median(r[0] for r in fresh_process):.0f} ms, "
        f"{fresh_process[-1][1]} queries  [{load()}]"
    )
    warm = [view(url) for _ in range(15)]
    print(
        f"city dashboard, warm: median {statistics.median(w[0] for w in warm):.0f} ms "
        f"(min {min(w[0] for w in warm):.0f}, max {max(w[0] for w in warm):.0f}), "
        f"{warm[-1][1]} queries  [{load()}]"
    )
    after_writes(view, url)
    pages(view)


def run_queued() -> tuple[int, float]:
    """Run the dashboard's queued background jobs, as the scheduler's thread would."""
    from thenchot.core import jobs

    t = time.perf_counter()
    ran = 0
    while not jobs._queue.empty():
        name, kwargs = jobs._queue.get_nowait()
        if name.startswith("dashboards."):
            jobs.run_now(name, **kwargs)
            ran += 1
    return ran, (time.perf_counter() - t) * 1000


def load() -> str:
    return "load " + ", ".join(f"{x:.2f}" for x in os.getloadavg())


def after_writes(view: Any, url: str) -> None:
    """The first view after each kind of write that changes the city's figures, five times
    each (a different record each time), median."""
    from django.db.models import F
    from django.utils import timezone

    from thenchot.appraisal.models import Evaluation, EvaluationPeriod
    from thenchot.core import auditing, bulk
    from thenchot.core.changes import UPDATE, snapshot
    from thenchot.core.concurrency import save_versioned
    from thenchot.directives.models import Task
    from thenchot.processes.models import Case

    def task_saved(i: int) -> None:
        task = Task.objects.filter(completed_on__isnull=True, deadline__year=2025)[i]
        task.completed_on = task.deadline
        task.save()  # post_save (its old dates read by pre_save)

    def case_serviced(i: int) -> None:
        case = Case.objects.filter(completed_on__isnull=True)[i]
        before = auditing.snapshot(case)
        case.completed_on = case.due_on
        save_versioned(case, expected_version=case.version, fields=["completed_on"])
        auditing.record(case, action=auditing.UPDATE, before=before)  # as services do

    def close_rewritten(i: int) -> None:
        # A period's close: its evaluations' levels written in bulk and one audit line for
        # the period (core.bulk.write_audit -> core.registry.bulk_written).
        period = EvaluationPeriod.objects.filter(kind="month").order_by("pk")[i]
        Evaluation.objects.filter(period=period, final_level="complete").update(
            final_level="good", version=F("version") + 1
        )
        before = snapshot(period)
        period.closed_at = timezone.now()
        EvaluationPeriod.objects.filter(pk=period.pk).update(closed_at=period.closed_at)
        bulk.write_audit([bulk.Change(period, UPDATE, before, snapshot(period))])

    writes = [
        ("a task completed (save)", task_saved),
        ("a case completed (service: UPDATE + audit line)", case_serviced),
    ]
    if EvaluationPeriod.objects.filter(kind="month").count() >= 5:
        writes.append(("a period closed again (bulk write)", close_rewritten))
    for label, write in writes:
        runs = []
        for i in range(5):
            write(i)
            runs.append(view(url))
        print(
            f"first view after {label}: median {statistics.median(r[0] for r in runs):.0f} ms "
            f"(max {max(r[0] for r in runs):.0f}), {runs[-1][1]} queries  [{load()}]"
        )


PAGES = (
    ("city dashboard", "/dashboards/?year=2025"),
    ("drill-down to a top unit", "/dashboards/?year=2025&unit={top}"),
    ("heat map of overdue cases", "/dashboards/?year=2025&heat=cases.overdue"),
    ("ranking by late cases, page 2", "/dashboards/?year=2025&rank=late_cases&page=2"),
    (
        "records: city's cases completed on time",
        "/dashboards/records/?metric=cases.completed_on_time&unit={root}&from=2025-01-01"
        "&to=2025-12-31&as_of=2025-12-31",
    ),
    (
        "records, last page",
        "/dashboards/records/?metric=cases.completed_on_time&unit={root}&from=2025-01-01"
        "&to=2025-12-31&as_of=2025-12-31&page=last",
    ),
    (
        "records, page 3000",
        "/dashboards/records/?metric=cases.completed_on_time&unit={root}&from=2025-01-01"
        "&to=2025-12-31&as_of=2025-12-31&page=3000",
    ),
    (
        "records: city's cases received",
        "/dashboards/records/?metric=cases.received&unit={root}&from=2025-01-01"
        "&to=2025-12-31&as_of=2025-12-31",
    ),
    (
        "records: city's people rated in 12/2025",
        "/dashboards/records/?metric=evaluations.rated&unit={root}&from=2025-12-01"
        "&to=2025-12-31&as_of=2025-12-31",
    ),
    (
        "records: city's tasks due, last page",
        "/dashboards/records/?metric=tasks.due&unit={root}&from=2025-01-01"
        "&to=2025-12-31&as_of=2025-12-31&page=last",
    ),
    (
        "records: a unit's overdue cases",
        "/dashboards/records/?metric=cases.overdue&unit={second}&from=2025-01-01"
        "&to=2025-12-31&as_of=2025-12-31",
    ),
    ("late work board, city", "/dashboards/board/?unit={root}"),
    ("late work board, city, last pages", "/dashboards/board/?unit={root}&tasks=last&cases=last"),
    ("late work board, a top unit", "/dashboards/board/?unit={top}"),
)


def pages(view: Any) -> None:
    """Server time (median of 5 after one) and HTML size of the biggest pages."""
    from thenchot.org.tree import tree

    snap = tree()
    today = dt.date(2025, 12, 31)
    root = sorted(snap.roots_on(today))[0]
    tops = sorted(snap.children_on(root, today), key=lambda u: snap.units[u].code)
    codes = {
        "root": snap.units[root].code,
        "top": snap.units[tops[0]].code,
        "second": snap.units[tops[1]].code,
    }
    worst_ms, worst_kib = 0.0, 0.0
    for label, raw in PAGES:
        target = raw.format(**codes)
        view(target)
        runs = [view(target) for _ in range(5)]
        ms = statistics.median(r[0] for r in runs)
        kib = runs[-1][2] / 1024
        worst_ms, worst_kib = max(worst_ms, ms), max(worst_kib, kib)
        flag = "" if ms <= 1000 and kib <= 1024 else "  OVER"
        print(
            f"{label}: median {ms:.0f} ms (max {max(r[0] for r in runs):.0f}), "
            f"{runs[-1][1]} queries, {kib:.0f} KiB{flag}  [{load()}]"
        )
    print(f"slowest page {worst_ms:.0f} ms, largest {worst_kib:.0f} KiB")


def generate(rng: random.Random, n_tasks: int, n_cases: int, n_units: int, n_staff: int) -> None:
    """A city of `n_units` units under one root (a tenth of them agencies with the rest under
    them), `n_staff` staff, 12 closed months of 2025 with every staff member's final level,
    `n_tasks` tasks and `n_cases` cases over 2025 — written through `core.bulk.Table` (COPY on
    PostgreSQL)."""
    from django.utils import timezone

    from thenchot.appraisal.models import Evaluation
    from thenchot.core.bulk import Table
    from thenchot.directives.models import Task
    from thenchot.org.models import Unit, UnitLink
    from thenchot.org.tree import invalidate
    from thenchot.people.models import Staff
    from thenchot.processes.models import Case, Process

    now = timezone.now()
    epoch = dt.date(2020, 1, 1)
    city = Unit.objects.create(code="HN", name="Thành phố Hà Nội", kind="city", valid_from=epoch)
    Unit.objects.bulk_create(
        [
            Unit(code=f"U{i:04d}", name=f"Đơn vị {i}", kind="department", valid_from=epoch)
            for i in range(n_units)
        ],
        batch_size=2000,
    )
    units = list(Unit.objects.exclude(pk=city.pk).order_by("code"))
    top = units[: max(1, n_units // 10)]
    agency_of: dict[int, int] = {}
    links = []
    for i, u in enumerate(units):
        parent = city if i < len(top) else top[i % len(top)]
        agency_of[u.pk] = u.pk if parent is city else parent.pk
        links.append(UnitLink(unit=u, parent=parent, valid_from=epoch))
    UnitLink.objects.bulk_create(links, batch_size=2000)
    invalidate()
    unit_ids = [u.pk for u in units]
    procs = Process.objects.bulk_create(
        [
            Process(
                code=f"QT-{i:03d}",
                number=1,
                name=f"Quy trình {i}",
                level="department",
                owner_unit_id=unit_ids[i % len(unit_ids)],
                approved_on=dt.date(2024, 1, 2),
            )
            for i in range(200)
        ]
    )

    def write(model: Any, rows: Any, batch: int = 20000) -> None:
        table = Table(model)
        pending = []
        for row in rows:
            pending.append(table.complete(row, now))
            if len(pending) == batch:
                table.insert(pending)
                pending = []
        table.insert(pending)

    write(
        Staff,
        (
            {
                "code": f"CB{i:07d}",
                "full_name": f"Nguyễn Văn {i}",
                "category": "civil_servant",
                "unit_id": unit_ids[i % len(unit_ids)],
                "name_key": f"nguyen van {i}",
                "version": 1,
            }
            for i in range(n_staff)
        ),
    )
    year0 = dt.date(2025, 1, 1)
    periods: dict[tuple[int, int], int] = {}
    for agency in top:
        for m in range(1, 13):
            start = dt.date(2025, m, 1)
            end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            p = month_period(agency, f"2025-{m:02d}", start, end, status="closed", closed_at=now)
            p.save(force_insert=True)
            periods[(agency.pk, m)] = p.pk
    levels = ["excellent", "good", "good", "complete", "complete", "complete", "not_complete"]
    staff = list(Staff.objects.values_list("pk", "unit_id"))
    write(
        Evaluation,
        (
            {
                "period_id": periods[(agency_of[unit], m)],
                "staff_id": pk,
                "unit_id": unit,
                "period_code": f"2025-{m:02d}",
                "category": "civil_servant",
                "rule_pack": "bench",
                "status": "closed",
                "final_level": levels[(pk * 7 + m) % len(levels)],
                "version": 1,
            }
            for m in range(1, 13)
            for pk, unit in staff
        ),
    )

    def tasks() -> Any:
        for i in range(n_tasks):
            assigned = year0 + dt.timedelta(days=rng.randrange(300))
            deadline = assigned + dt.timedelta(days=rng.randrange(10, 90))
            r = rng.random()
            done = None if r < 0.2 else deadline + dt.timedelta(days=rng.randrange(-20, 15))
            done = max(done, assigned) if done else None
            yield {
                "code": f"NV-{i:07d}",
                "title": f"Nhiệm vụ {i}",
                "lead_unit_id": rng.choice(unit_ids),
                "assigned_on": assigned,
                "deadline": deadline,
                "completed_on": done,
                "version": 1,
            }

    write(Task, tasks())

    def cases() -> Any:
        for i in range(n_cases):
            received = year0 + dt.timedelta(days=rng.randrange(360))
            due = received + dt.timedelta(days=rng.randrange(3, 30))
            r = rng.random()
            done = None if r < 0.05 else received + dt.timedelta(days=rng.randrange(0, 35))
            p = procs[i % len(procs)]
            yield {
                "code": f"HS-{i:08d}",
                "process_id": p.pk,
                "unit_id": p.owner_unit_id,
                "received_on": received,
                "due_on": due,
                "completed_on": done,
                "version": 1,
            }

    write(Case, cases())


if __name__ == "__main__":
    main()
