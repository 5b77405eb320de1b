"""Benchmark (not a test): the city dashboard at scale, its first view after a write, and the
size and time of the biggest dashboard pages.

    .venv/bin/python bench/bench_dashboards.py [tasks] [cases] [units] [--fresh]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_dashboards \
        .venv/bin/python bench/bench_dashboards.py 100000 1000000

Defaults: 100,000 tasks and 1,000,000 cases over 2025 on `units` units (330) under one city,
written with bulk inserts into a fresh database (SQLite: var/bench_dashboards.sqlite3). Then,
through the whole request path (Django test client, a city-leadership user): the cold view,
the median of 15 warm views and their SQL query count, the first view after a write that
changes the figures (a task completed, saved), and the HTML size and server time of the city
dashboard, the board and the longest records list. Evaluations are not generated (the
appraisal bench builds those); the grid reads them the same way.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n_tasks = int(args[0]) if len(args) > 0 else 100_000
    n_cases = int(args[1]) if len(args) > 1 else 1_000_000
    n_units = int(args[2]) if len(args) > 2 else 330
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
    from thenchot.dashboards import aggregates
    from thenchot.directives.models import Task
    from thenchot.org.models import Unit, UnitLink
    from thenchot.org.tree import invalidate
    from thenchot.processes.models import Case, Process

    rng = random.Random(16)
    t0 = time.perf_counter()
    epoch = dt.date(2020, 1, 1)
    if not Unit.objects.exists():
        city = Unit.objects.create(
            code="HN", name="Thành phố Hà Nội", kind="city", valid_from=epoch
        )
        units = []
        for i in range(n_units):
            units.append(
                Unit(code=f"U{i:04d}", name=f"Đơn vị {i}", kind="department", valid_from=epoch)
            )
        Unit.objects.bulk_create(units, batch_size=2000)
        units = list(Unit.objects.exclude(pk=city.pk).order_by("code"))
        top = units[: n_units // 10]
        links = []
        for i, u in enumerate(units):
            parent = city if i < len(top) else top[i % len(top)]
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
        year0 = dt.date(2025, 1, 1)
        batch: list[Task] = []
        for i in range(n_tasks):
            assigned = year0 + dt.timedelta(days=rng.randrange(300))
            deadline = assigned + dt.timedelta(days=rng.randrange(10, 90))
            r = rng.random()
            done = None if r < 0.2 else deadline + dt.timedelta(days=rng.randrange(-20, 15))
            done = max(done, assigned) if done else None
            batch.append(
                Task(
                    code=f"NV-{i:07d}",
                    title=f"Nhiệm vụ {i}",
                    lead_unit_id=rng.choice(unit_ids),
                    assigned_on=assigned,
                    deadline=deadline,
                    completed_on=done,
                )
            )
            if len(batch) == 5000:
                Task.objects.bulk_create(batch)
                batch = []
        Task.objects.bulk_create(batch)
        cbatch: list[Case] = []
        for i in range(n_cases):
            received = year0 + dt.timedelta(days=rng.randrange(360))
            due = received + dt.timedelta(days=rng.randrange(3, 30))
            r = rng.random()
            done = None if r < 0.05 else received + dt.timedelta(days=rng.randrange(0, 35))
            p = procs[i % len(procs)]
            cbatch.append(
                Case(
                    code=f"HS-{i:08d}",
                    process_id=p.pk,
                    unit_id=p.owner_unit_id,
                    received_on=received,
                    due_on=due,
                    completed_on=done,
                )
            )
            if len(cbatch) == 10000:
                Case.objects.bulk_create(cbatch)
                cbatch = []
        Case.objects.bulk_create(cbatch)
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("ANALYZE")
    print(
        f"data: {Task.objects.count():,} tasks, {Case.objects.count():,} cases, "
        f"{Unit.objects.count():,} units ({time.perf_counter() - t0:.1f} s)"
    )

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

    aggregates.clear()
    cold = view(url)
    print(f"city dashboard, cold: {cold[0]:.0f} ms, {cold[1]} queries, {cold[2] / 1024:.0f} KiB")
    warm = [view(url) for _ in range(15)]
    print(
        f"city dashboard, warm: median {statistics.median(w[0] for w in warm):.0f} ms "
        f"(min {min(w[0] for w in warm):.0f}, max {max(w[0] for w in warm):.0f}), "
        f"{warm[-1][1]} queries"
    )
    task = Task.objects.filter(completed_on__isnull=True, deadline__year=2025).first()
    assert task is not None
    task.completed_on = task.deadline
    task.save()  # post_save bumps the tasks family
    after = view(url)
    print(f"first view after a task write: {after[0]:.0f} ms, {after[1]} queries")
    case = Case.objects.filter(completed_on__isnull=True).first()
    assert case is not None
    case.completed_on = case.due_on
    case.save()
    after_case = view(url)
    print(f"first view after a case write: {after_case[0]:.0f} ms, {after_case[1]} queries")
    for label, target in (
        ("drill-down to a top unit", "/dashboards/?year=2025&unit=U0000"),
        ("heat map of overdue cases", "/dashboards/?year=2025&heat=cases.overdue"),
        (
            "records: city's cases completed on time",
            "/dashboards/records/?metric=cases.completed_on_time&unit=HN&from=2025-01-01&to=2025-12-31&as_of=2025-12-31",
        ),
        (
            "records, last page",
            "/dashboards/records/?metric=cases.completed_on_time&unit=HN&from=2025-01-01&to=2025-12-31&as_of=2025-12-31&page=9999",
        ),
        ("late work board, city", "/dashboards/board/?unit=HN"),
    ):
        ms, n_q, size = view(target)
        print(f"{label}: {ms:.0f} ms, {n_q} queries, {size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
