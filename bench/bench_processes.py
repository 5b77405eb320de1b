"""Benchmark (not a test): case statistics, intake throughput, due-date recomputation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_processes \
        .venv/bin/python bench/bench_processes.py [cases] [events] [open_cases] [--parts ...]
    DATABASE_URL=sqlite:////tmp/bench_processes.sqlite3 \
        .venv/bin/python bench/bench_processes.py 0 20000 --parts intake

Defaults: 1,000,000 cases received over 2025 on 600 procedures of 330 units (3 steps each,
written with COPY; PostgreSQL only), the city's statistics (figures by unit, trend, step times,
bottlenecks); 20,000 intake events posted in batches of 200 through the API (Django test
client, the whole request path: token, validation, services, audit); a holiday added and the
recompute job run over `open_cases` open cases (cases received in December are added until
there are that many), while a server on `--port` (not 8000) answers the case pages (detail and
list) to two client threads, whose latencies are reported (p50/p95) before and during the
recompute. `--parts` picks among stats, intake, recompute (default: all three). Prints seconds
and rates; each part stops after its own time bound.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

from common import city_of_divisions, setup_django

NULL = "\\N"
# The holiday the recompute part adds, and the last date the job's query looks at.
HOLIDAY, HOLIDAY_LAST = dt.date(2025, 6, 2), dt.date(2026, 1, 31)
NOW = "2026-01-01 00:00:00+00"


def main() -> None:
    setup_django()
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False

    parser = argparse.ArgumentParser()
    parser.add_argument("cases", type=int, nargs="?", default=1_000_000)
    parser.add_argument("events", type=int, nargs="?", default=20_000)
    parser.add_argument("open_cases", type=int, nargs="?", default=200_000)
    parser.add_argument("--parts", default="stats,intake,recompute")
    parser.add_argument("--port", type=int, default=8013)
    args = parser.parse_args()
    n_cases, n_events, n_open = args.cases, args.events, args.open_cases
    parts = set(args.parts.split(","))

    from django.contrib.auth import get_user_model
    from django.db import connection

    from thenchot.accounts.models import RoleGrant
    from thenchot.core import calendar_table
    from thenchot.org.models import Unit
    from thenchot.org.tree import invalidate
    from thenchot.processes.models import Case, CaseStep, Process, ProcessStep

    User = get_user_model()
    rng = random.Random(13)
    epoch = dt.date(2020, 1, 1)
    cal = calendar_table.calendar()

    # -- organisation, procedures --------------------------------------------------------------
    if not Unit.objects.filter(code="BHN").exists():
        city_of_divisions(epoch)
        units = list(Unit.objects.filter(code__startswith="B").exclude(code="BHN"))
        levels = ["department"] * 5 + ["district"] * 29 + ["commune"] * 64 + ["inter_level"] * 2
        procs = Process.objects.bulk_create(
            [
                Process(
                    code=f"BQT-{i:04d}",
                    name=f"Quy trình {i}",
                    level=rng.choice(levels),
                    owner_unit=rng.choice(units),
                    approved_on=dt.date(2024, 1, 2),
                    total_days=0,
                )
                for i in range(600)
            ]
        )
        steps = []
        for p in procs:
            for pos in range(1, 4):
                steps.append(
                    ProcessStep(
                        process=p, position=pos, name=f"Bước {pos}", days=rng.choice([1, 2, 3, 5])
                    )
                )
        ProcessStep.objects.bulk_create(steps)
        for p in procs:
            p.total_days = sum(s.days for s in steps if s.process_id == p.pk)
        Process.objects.bulk_update(procs, ["total_days"])
    invalidate()
    city = Unit.objects.get(code="BHN")
    procs = list(Process.objects.filter(code__startswith="BQT-"))
    proc_steps = {}
    for s in ProcessStep.objects.filter(process__in=procs).order_by("position"):
        proc_steps.setdefault(s.process_id, []).append(s)

    # -- 1,000,000 cases over 2025, COPY -------------------------------------------------------
    have = Case.objects.filter(code__startswith="BHS-").count()
    due_cache: dict[tuple[dt.date, int], dt.date] = {}

    def due(d: dt.date, n: int) -> dt.date:
        key = (d, n)
        if key not in due_cache:
            due_cache[key] = cal.add_working_days(d, n)
        return due_cache[key]

    postgres = connection.vendor == "postgresql"
    if not postgres:
        n_cases = 0  # COPY: the generated cases, the statistics and the recompute need PostgreSQL
        parts &= {"intake"}
    if have < n_cases:
        t0 = time.perf_counter()
        start_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        today = dt.date(2025, 12, 31)
        chunk = 100_000
        for base in range(have, n_cases, chunk):
            cases_buf, steps_buf = io.StringIO(), io.StringIO()
            for i in range(base, min(base + chunk, n_cases)):
                cid = start_id + i - have
                p = rng.choice(procs)
                received = dt.date(2025, 1, 2) + dt.timedelta(days=rng.randint(0, 360))
                rows = proc_steps[p.pk]
                case_due = due(received, p.total_days)
                anchor, started, done_at = received, received, None
                position = 0
                for s in rows:
                    s_due = due(anchor, s.days)
                    finish = None
                    if started is not None:
                        finish = due(
                            started,
                            s.days + rng.choice([-1, 0, 0, 0, 1, 3]) if s.days > 1 else s.days,
                        )
                        if finish > today or rng.random() < 0.05:
                            finish = None
                    steps_buf.write(
                        f"{cid}\t{s.pk}\t{s.position}\t{started or NULL}\t{s_due}\t"
                        f"{finish or NULL}\t\n"
                    )
                    if finish is None and position == 0:
                        position = s.position
                    anchor = finish or s_due
                    started = finish
                    done_at = finish
                completed = done_at if position == 0 else None
                cases_buf.write(
                    f"{cid}\tBHS-{i:07d}\t{p.pk}\t{p.owner_unit_id}\t\t{received}\t{case_due}\t"
                    f"{completed or NULL}\t{position}\t\t\t\\N\t1\t{NOW}\t{NOW}\n"
                )
            _copy_cases(cases_buf, steps_buf)
        _case_ids_follow()
        print(f"generated {n_cases - have:,} cases in {time.perf_counter() - t0:.1f} s")
    print(f"cases: {Case.objects.count():,}, steps: {CaseStep.objects.count():,}")

    # -- the city's statistics ------------------------------------------------------------------
    admin, _ = User.objects.get_or_create(username="bench-admin")
    RoleGrant.objects.get_or_create(user=admin, role="admin", unit=None)
    if "stats" in parts:
        statistics_part(admin)
    if "intake" in parts:
        intake_part(city, procs, rng, n_events)
    if "recompute" in parts:
        ensure_open(n_open, procs, proc_steps, due)
        recompute_part(admin, n_open, args.port)


def statistics_part(admin: object) -> None:
    from django.test import Client

    from thenchot.accounts.scoping import compute_scope
    from thenchot.processes import selectors, stats

    scope = compute_scope(admin, dt.date(2025, 12, 31))
    qs = selectors.cases_queryset(scope).select_related(None)
    f = stats.Filters(dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    for label, fn in [
        ("total", lambda: stats.counts(qs, f, None)),
        ("by unit", lambda: stats.by_unit(qs, f, None)),
        ("by level", lambda: stats.counts(qs, f, "process__level")),
        ("trend", lambda: stats.trend(qs, f)),
        ("steps+bottlenecks", lambda: stats.bottlenecks(stats.step_figures(qs, f))),
    ]:
        t0 = time.perf_counter()
        fn()
        print(f"statistics {label}: {time.perf_counter() - t0:.2f} s")
    client = Client()
    client.force_login(admin)
    for _ in range(2):
        t0 = time.perf_counter()
        r = client.get("/processes/statistics/", {"from": "2025-01-01", "to": "2025-12-31"})
        print(f"statistics page (city, year): {time.perf_counter() - t0:.2f} s [{r.status_code}]")


def intake_part(city: object, procs: list, rng: random.Random, n_events: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from thenchot.processes.intake import issue_token
    from thenchot.processes.models import IntakeSystem

    User = get_user_model()
    system = IntakeSystem.objects.filter(code="bench").first()
    if system is None:
        user, _ = User.objects.get_or_create(username="bench-intake")
        system = IntakeSystem.objects.create(
            code="bench", name="Một cửa bench", user=user, token_hash="x"
        )
        system.units.set([city])
    token = issue_token(system)
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    run = int(time.time())
    events = []
    n_new = n_events // 4
    for i in range(n_new):
        p = rng.choice(procs)
        code = f"BI-{run}-{i}"
        d = dt.date(2025, 3, 3) + dt.timedelta(days=rng.randint(0, 200))
        events.append(
            {
                "id": f"{code}-r",
                "type": "received",
                "case": code,
                "procedure": p.code,
                "on": d.isoformat(),
            }
        )
        for pos in (1, 2):
            d = d + dt.timedelta(days=1)
            events.append(
                {
                    "id": f"{code}-{pos}",
                    "type": "step_done",
                    "case": code,
                    "step": pos,
                    "on": d.isoformat(),
                }
            )
        d = d + dt.timedelta(days=1)
        events.append(
            {
                "id": f"{code}-c",
                "type": "completed",
                "case": code,
                "on": d.isoformat(),
                "late_reason": "x",
                "apology_number": "1",
                "apology_on": d.isoformat(),
            }
        )
    # events of one case stay in order; cases interleave batch by batch
    t0 = time.perf_counter()
    done = refused = 0
    for base in range(0, len(events), 200):
        r = api.post(
            "/api/v1/processes/intake/batch/",
            {"events": events[base : base + 200]},
            content_type="application/json",
        )
        for item in r.json()["results"]:
            done += 1
            refused += item["status"] != "accepted"
        if time.perf_counter() - t0 > 300:
            break
    took = time.perf_counter() - t0
    print(
        f"intake ({connection.vendor}): {done:,} events in {took:.1f} s = {done / took:.0f} "
        f"events/s ({refused} refused)"
    )


def ensure_open(n_open: int, procs: list, proc_steps: dict, due: object) -> None:
    """Add open cases (received in December 2025, first step under way) until `n_open` of the
    benchmark's cases are open."""

    from thenchot.processes.jobs import affected_q
    from thenchot.processes.models import Case

    # Counted as the recompute counts them: open and reached by the holiday (below).
    have = Case.objects.filter(affected_q(HOLIDAY, HOLIDAY_LAST), code__startswith="BH").count()
    if have >= n_open:
        return
    rng = random.Random(31)
    start_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    offset = Case.objects.filter(code__startswith="BHO-").count()
    cases_buf, steps_buf = io.StringIO(), io.StringIO()
    for i in range(n_open - have):
        cid = start_id + i
        p = rng.choice(procs)
        received = dt.date(2025, 12, 1) + dt.timedelta(days=rng.randint(0, 30))
        anchor, started = received, received
        for s in proc_steps[p.pk]:
            s_due = due(anchor, s.days)  # type: ignore[operator]
            steps_buf.write(f"{cid}\t{s.pk}\t{s.position}\t{started or NULL}\t{s_due}\t{NULL}\t\n")
            anchor, started = s_due, None
        case_due = due(received, p.total_days)  # type: ignore[operator]
        cases_buf.write(
            f"{cid}\tBHO-{offset + i:07d}\t{p.pk}\t{p.owner_unit_id}\t\t{received}\t{case_due}\t"
            f"{NULL}\t1\t\t\t\\N\t1\t{NOW}\t{NOW}\n"
        )
    _copy_cases(cases_buf, steps_buf)
    _case_ids_follow()
    print(f"added {n_open - have:,} open cases (December 2025)")


def _copy_cases(cases: io.StringIO, steps: io.StringIO) -> None:
    """Write the cases and case steps in `cases` and `steps` (COPY text) with COPY."""
    from django.db import connection

    with connection.cursor() as cur:
        raw = cur.cursor
        with raw.copy(
            "COPY processes_case (id, code, process_id, unit_id, applicant, received_on,"
            " due_on, completed_on, current_position, late_reason, apology_number,"
            " apology_on, version, created_at, updated_at) FROM STDIN"
        ) as copy:
            copy.write(cases.getvalue())
        with raw.copy(
            "COPY processes_casestep (case_id, step_id, position, started_on, due_on,"
            " completed_on, held_by_name) FROM STDIN"
        ) as copy:
            copy.write(steps.getvalue())


def _case_ids_follow() -> None:
    """After a COPY with explicit ids: the id sequence past them, fresh planner statistics."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "SELECT setval(pg_get_serial_sequence('processes_case','id'), "
            "(SELECT MAX(id) FROM processes_case))"
        )
        cur.execute("ANALYZE processes_case; ANALYZE processes_casestep")


class PageLoad:
    """Two threads requesting the case pages (a random open case's detail, the list) from a
    server in another process, keeping each request's latency."""

    def __init__(self, base: str, cookie: str, codes: list[str]) -> None:
        self.base, self.cookie, self.codes = base, cookie, codes
        self.times: dict[str, list[float]] = {"detail": [], "list": []}
        self.errors = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._run, args=(i,), daemon=True) for i in (0, 1)]

    def _get(self, path: str) -> float:
        req = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie})
        t0 = time.perf_counter()
        with urllib.request.urlopen(req, timeout=30) as r:
            r.read()
            if r.status != 200:
                raise RuntimeError(f"{path}: {r.status}")
        return time.perf_counter() - t0

    def _run(self, seed: int) -> None:
        rng = random.Random(seed)
        while not self.stop.is_set():
            kind = "detail" if rng.random() < 0.7 else "list"
            path = (
                f"/processes/cases/{rng.choice(self.codes)}/"
                if kind == "detail"
                else "/processes/cases/"
            )
            try:
                self.times[kind].append(self._get(path))
            except Exception:
                self.errors += 1

    def __enter__(self) -> PageLoad:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        for t in self.threads:
            t.join()

    def report(self, label: str) -> None:
        for kind, values in self.times.items():
            if len(values) < 2:
                print(f"  {label} {kind}: {len(values)} requests")
                continue
            ms = sorted(v * 1000 for v in values)
            p95 = statistics.quantiles(ms, n=20)[-1]
            print(
                f"  {label} {kind}: {len(ms)} requests, p50 {statistics.median(ms):.0f} ms, "
                f"p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
            )
        if self.errors:
            print(f"  {label}: {self.errors} failed requests")


def recompute_part(admin: object, n_open: int, port: int) -> None:
    """A holiday added: the recompute job's batches (as the background worker runs them) over
    `n_open` open cases, while the case pages are requested from a server on `port`."""
    from django.conf import settings
    from django.test import Client

    from thenchot.core import calendar_table
    from thenchot.core.calendar import WorkingCalendar
    from thenchot.processes import jobs
    from thenchot.processes.models import Case

    assert port != 8000, "port 8000 is the developers' server"
    client = Client()
    client.force_login(admin)  # type: ignore[arg-type]
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    codes = list(
        Case.objects.filter(completed_on__isnull=True, code__startswith="BH")
        .order_by("?")
        .values_list("code", flat=True)[:2000]
    )
    env = {
        **os.environ,
        "THENCHOT_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "THENCHOT_SSL_REDIRECT": "false",
        "THENCHOT_SECURE_COOKIES": "false",
        "THENCHOT_HSTS_SECONDS": "0",
    }
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except Exception:
                time.sleep(0.5)
        with PageLoad(base, cookie, codes) as idle:
            time.sleep(20)
        idle.report("pages, no recompute:")

        day = HOLIDAY
        first, last = day.isoformat(), HOLIDAY_LAST.isoformat()
        base_cal = calendar_table.calendar()
        new_cal = WorkingCalendar({day: False}, source=base_cal._source)  # a holiday added
        calendar_table.calendar = lambda: new_cal  # type: ignore[assignment]
        with PageLoad(base, cookie, codes) as busy:
            t0 = time.perf_counter()
            total_cases = moved = batches = 0
            after = 0
            while True:
                out = jobs.recompute_batch(first=first, last=last, after_id=after, chain=False)
                batches += 1
                total_cases += out["cases"]
                moved += out["moved"]
                if out["next"] is None or total_cases >= n_open or time.perf_counter() - t0 > 300:
                    break
                after = out["next"]
            took = time.perf_counter() - t0
        print(
            f"recompute: {total_cases:,} open cases ({moved:,} moved) in {batches} batches of "
            f"{jobs.BATCH} in {took:.1f} s"
        )
        busy.report("pages, during the recompute:")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
