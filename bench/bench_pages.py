"""Benchmark (not a test): server time and size of the biggest pages at full scale (issue 16:
"no page over 1 MB of HTML or 1 s of server time").

    .venv/bin/python bench/bench_pages.py [--db thenchot_bench_pages] [--month 2026-11]
        [--open-month 2026-10] [--only 'board|close screen'] [--warm 3] [--prepare]
        [--board-max N]

The database is a filled city — the appraisal benchmark's (`bench_appraisal_year.py`: 200,000
staff, twelve closed months of 2026, own tasks of the year), built under another name:

    createdb -h 127.0.0.1 -U postgres thenchot_bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thenchot_bench_pages THENCHOT_TESTING=1 \\
        .venv/bin/python bench/bench_appraisal_year.py --phase=setup --staff=200000

`--prepare` (once) writes to it: the bench's readers (a city-leadership user, a division manager
of the largest division of STC) and `--open-month` put back to open with its people spread over
the workflow (a third self-assessed, a third reviewed, a third approved), so the boards have
something to count and the close screen an open period. It refuses the databases other
benchmarks or the application own.

Each page is requested in a fresh process: the first request (cold: the unit tree, the rule
packs and the caches loaded by it) then `--warm` more (warm, median). For each: server time
(the test client's whole request path), CPU of the process and of its PostgreSQL backend, SQL
statements, HTML size, the load average; `OVER` marks a page over 1 s warm or 1 MiB. Pages
named "after a write" write before each request (not timed): one evaluation of the open month
saved, or a bulk write told to `core.registry.bulk_written` — the first view after a write.
Results: bench/out/bench_pages.json.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
REFUSED = {"thenchot", "test_thenchot", "thenchot_bench_appraisal_year", "postgres"}
YEAR = "2026"

# label, reader, address ({month}, {open}, {year}, {division} filled in)
PAGES: list[tuple[str, str, str]] = [
    ("board STC, closed month", "giamdoc", "/appraisal/board/?unit=STC&period={month}"),
    ("board STC, open month", "giamdoc", "/appraisal/board/?unit=STC&period={open}"),
    (
        "board STC, open month, reviewed, page 5",
        "giamdoc",
        "/appraisal/board/?unit=STC&period={open}&show=to_approve&page=5",
    ),
    (
        "board of the largest division (its manager)",
        "bench_division",
        "/appraisal/board/?unit={division}&period={open}",
    ),
    ("board of the city (by agency)", "bench_city", "/appraisal/board/?unit=HN&period={open}"),
    (
        "board of the city (by agency), after a write",
        "bench_city",
        "/appraisal/board/?unit=HN&period={open}",
    ),
    (
        "board of the city (by agency), after a bulk write",
        "bench_city",
        "/appraisal/board/?unit=HN&period={open}",
    ),
    (
        "board of the city (by agency), after a bulk write of one agency",
        "bench_city",
        "/appraisal/board/?unit=HN&period={open}",
    ),
    (
        "board of the city (by agency), closed month",
        "bench_city",
        "/appraisal/board/?unit=HN&period={month}",
    ),
    ("close screen, city, closed month", "bench_city", "/appraisal/close/?unit=HN&period={month}"),
    (
        "close screen, city, closed month, results page 50",
        "bench_city",
        "/appraisal/close/?unit=HN&period={month}&page=50",
    ),
    ("close screen, city, open month", "bench_city", "/appraisal/close/?unit=HN&period={open}"),
    (
        "close screen, city, open month, after a write",
        "bench_city",
        "/appraisal/close/?unit=HN&period={open}",
    ),
    (
        "close screen, city, open month, after a bulk write",
        "bench_city",
        "/appraisal/close/?unit=HN&period={open}",
    ),
    (
        "close screen, city, open month, after a bulk write of one agency",
        "bench_city",
        "/appraisal/close/?unit=HN&period={open}",
    ),
    ("close screen, STC, closed month", "giamdoc", "/appraisal/close/?unit=STC&period={month}"),
    ("close screen, STC, open month", "giamdoc", "/appraisal/close/?unit=STC&period={open}"),
    ("close screen, city, the year", "bench_city", "/appraisal/close/?unit=HN&period={year}"),
    ("collective decision (heads)", "bench_city", "/appraisal/collective/?period={open}"),
    ("agency ratings", "bench_city", "/appraisal/agencies/?year={year}"),
    ("my results", "canbo", "/appraisal/results/"),
    ("self-assessment", "canbo", "/appraisal/me/"),
    ("dashboard, city, the year", "bench_city", "/dashboards/?year={year}"),
    ("dashboard, city, the month", "bench_city", "/dashboards/?month={month}"),
    ("dashboard, city, last year (not kept warm)", "bench_city", "/dashboards/?year=2025"),
    (
        "records: people rated in the month",
        "bench_city",
        "/dashboards/records/?metric=evaluations.rated&unit=HN&from={month}-01&to={month}-30"
        "&as_of={month}-30",
    ),
    ("late work board, city", "bench_city", "/dashboards/board/?unit=HN"),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="thenchot_bench_pages")
    parser.add_argument("--month", default=f"{YEAR}-11", help="a closed month")
    parser.add_argument("--open-month", default=f"{YEAR}-10", help="a month shown open")
    parser.add_argument("--only", default="", help="labels holding any of these (a|b|c)")
    parser.add_argument("--warm", type=int, default=3)
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument(
        "--board-max", type=int, help="the board's limit past which it is shown by agency"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--page", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.db in REFUSED:
        sys.exit(f"refused: {args.db} is not this benchmark's database")
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    os.environ.setdefault("THENCHOT_TESTING", "1")
    if args.phase == "page":
        page(args)
        return
    if args.prepare:
        _django()
        prepare(args)
    OUT.mkdir(parents=True, exist_ok=True)
    words = [w.strip().lower() for w in args.only.split("|") if w.strip()]
    found = []
    for number, (label, _reader, _url) in enumerate(PAGES):
        if words and not any(w in label.lower() for w in words):
            continue
        cmd = [sys.executable, __file__, "--phase=page", f"--page={number}", f"--db={args.db}"]
        cmd += [f"--month={args.month}", f"--open-month={args.open_month}", f"--warm={args.warm}"]
        cmd += [f"--board-max={args.board_max}"] if args.board_max else []
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            print(f"{label}: FAILED\n{done.stderr[-2000:]}", flush=True)
            continue
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        found.append(figures)
        print(_line(figures), flush=True)
    path = OUT / "bench_pages.json"
    path.write_text(json.dumps(found, indent=2))
    over = [f["label"] for f in found if f["over"]]
    print(f"over 1 s or 1 MiB: {', '.join(over) if over else 'none'}")


def _line(f: dict[str, Any]) -> str:
    return (
        f"{f['label']}: warm {f['warm_ms']:.0f} ms (CPU {f['warm_cpu_ms']:.0f} + db"
        f" {f['warm_db_ms']:.0f} ms), cold {f['cold_ms']:.0f} ms (CPU {f['cold_cpu_ms']:.0f} + db"
        f" {f['cold_db_ms']:.0f} ms), {f['queries']} queries, {f['kib']:.0f} KiB, HTTP"
        f" {f['status']}{'  OVER' if f['over'] else ''}  [load {f['load']}]"
        + (
            f"; the cold view ({f['cold_kib']:.0f} KiB) queued {f['background_jobs']} background"
            f" jobs: {f['background_ms']:.0f} ms"
            if f.get("background_jobs")
            else ""
        )
    )


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()


def _largest_division() -> str:
    from django.db.models import Count

    from thenchot.people.models import Staff

    row = (
        Staff.objects.filter(unit__kind="division", unit__code__startswith="STC-")
        .values("unit__code")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__code")
        .first()
    )
    return str(row["unit__code"]) if row else "STC"


def prepare(args: argparse.Namespace) -> None:
    """The readers, and the open month spread over the workflow (this database only)."""
    from django.db import connection

    from thenchot.accounts.models import RoleGrant, User
    from thenchot.org.models import Unit

    assert connection.settings_dict["NAME"] not in REFUSED
    city, _ = User.objects.get_or_create(username="bench_city")
    RoleGrant.objects.get_or_create(user=city, role="city_leadership", unit=None)
    manager, _ = User.objects.get_or_create(username="bench_division")
    division = Unit.objects.get(code=_largest_division())
    RoleGrant.objects.get_or_create(user=manager, role="division_manager", unit=division)
    code = args.open_month
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE appraisal_evaluationperiod SET status = 'open', closed_at = NULL"
            " WHERE code = %s",
            [code],
        )
        cursor.execute(
            "UPDATE appraisal_evaluation SET final_level = '', score = NULL, reasons = '[]',"
            " quota_demoted = false, status = CASE id %% 3 WHEN 0 THEN 'self_assessed'"
            " WHEN 1 THEN 'reviewed' ELSE 'approved' END WHERE period_code = %s",
            [code],
        )
        cursor.execute(
            "UPDATE appraisal_evaluation SET reviewed_level = proposed_level,"
            " reviewed_general_points = general_points, reviewed_task_points = task_points,"
            " reviewed_at = now() WHERE period_code = %s AND status <> 'self_assessed'",
            [code],
        )
        cursor.execute("ANALYZE appraisal_evaluation")
    print(f"prepared: readers bench_city, bench_division ({division.code}); {code} open")


def _backend_cpu_ms(pid: int) -> float:
    """User + system CPU of a PostgreSQL backend (same machine), in ms."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) * 1000 / ticks


def _write(open_month: str, *, bulk: bool, one: bool) -> None:
    """A write the city's counts must show before the next view (not timed): one evaluation of
    STC's open month saved (a record's write: its period's counts are made again), or a bulk
    write told to `core.registry.bulk_written` as an import tells it (every open period's counts
    made again) or as a bulk approval of STC's does (`appraisal.summary.writing`: STC's only)."""
    import contextlib

    from django.db import connection

    from thenchot.appraisal.models import Evaluation
    from thenchot.core.registry import bulk_written

    assert connection.settings_dict["NAME"] not in REFUSED
    ev = Evaluation.objects.filter(period_code=open_month, unit__code="STC").first()
    if ev is None:
        ev = Evaluation.objects.filter(period_code=open_month).first()
    assert ev is not None
    if bulk:
        named: Any = contextlib.nullcontext()
        try:
            from thenchot.appraisal import summary  # not in the code before issue 16's counts

            named = summary.writing([ev.period_id]) if one else named
        except ImportError:
            pass
        with named:
            for _name, receiver in bulk_written.items():
                receiver(frozenset({"appraisal.evaluation"}))
        return
    ev.evidence = "bench" if ev.evidence != "bench" else ""
    ev.save(update_fields=["evidence"])


def page(args: argparse.Namespace) -> None:
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from thenchot.accounts.models import User

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    if args.board_max:
        from thenchot.appraisal.views import manager_board

        manager_board.BOARD_MAX = args.board_max
    label, reader, raw = PAGES[args.page]
    url = raw.format(
        month=args.month, open=args.open_month, year=YEAR, division=_largest_division()
    )
    client = Client()
    client.force_login(User.objects.get(username=reader))
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]

    def one() -> tuple[float, float, float, int, int, int]:
        if ", after a" in label:
            _write(args.open_month, bulk="bulk" in label, one="one agency" in label)
        db0, cpu0 = _backend_cpu_ms(backend), time.process_time()
        with CaptureQueriesContext(connection) as q:
            t = time.perf_counter()
            response = client.get(url)
            ms = (time.perf_counter() - t) * 1000
        cpu = (time.process_time() - cpu0) * 1000
        db = _backend_cpu_ms(backend) - db0
        return ms, cpu, db, len(q.captured_queries), len(response.content), response.status_code

    if "not kept warm" in label:
        # Nothing counted for this window yet, in this process or kept in the database.
        from thenchot.dashboards.models import GridSnapshot

        assert connection.settings_dict["NAME"] not in REFUSED
        GridSnapshot.objects.filter(key__contains="|2025-").delete()
        GridSnapshot.objects.filter(key__contains="|2024-").delete()
    cold = one()
    # What the cold view asked of the background jobs (a window counted while the page shows
    # its progress), run here as the scheduler's thread would, timed.
    from thenchot.core import jobs

    started, ran = time.perf_counter(), 0
    while not jobs._queue.empty():
        name, kwargs = jobs._queue.get_nowait()
        jobs.run_now(name, **kwargs)
        ran += 1
    background_ms = (time.perf_counter() - started) * 1000 if ran else 0.0
    warm = [one() for _ in range(args.warm)]
    ms = statistics.median(w[0] for w in warm)
    kib = warm[-1][4] / 1024
    print(
        json.dumps(
            {
                "label": label,
                "url": url,
                "cold_ms": cold[0],
                "cold_cpu_ms": cold[1],
                "cold_db_ms": cold[2],
                "cold_kib": cold[4] / 1024,
                "background_jobs": ran,
                "background_ms": background_ms,
                "warm_ms": ms,
                "warm_runs_ms": [w[0] for w in warm],
                "warm_cpu_ms": statistics.median(w[1] for w in warm),
                "warm_db_ms": statistics.median(w[2] for w in warm),
                "queries": warm[-1][3],
                "kib": kib,
                "status": warm[-1][5],
                "over": ms > 1000 or kib > 1024,
                "load": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
            }
        )
    )


if __name__ == "__main__":
    main()
