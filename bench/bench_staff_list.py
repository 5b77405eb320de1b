#!/usr/bin/env python
"""Staff list page and staff API for a city-wide user over 200,000 staff: latency and queries.

Builds (or reuses) a database filled by the demo generator, then requests each URL with
Django's test `Client` logged in as the city-leadership persona (`lanhdao`) and prints the
median and 95th percentile of the response times and the number of SQL queries per request.
Target (issue 2): median <= 100 ms, and a query count that does not grow with the page.

    .venv/bin/python bench/bench_staff_list.py --engine sqlite
    .venv/bin/python bench/bench_staff_list.py --engine pg
    .venv/bin/python bench/bench_staff_list.py --engine both --staff 200000

The SQLite database is a file in bench/out/ and the PostgreSQL one is `thenchot_bench_list`
on postgres://postgres@127.0.0.1:5432/; both are reused while they hold the asked number of
staff and rebuilt otherwise (or with --rebuild).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_SERVER = "postgres://postgres@127.0.0.1:5432/"
PG_DB = "thenchot_bench_list"
TARGET_MS = 100.0
URLS = (
    "/staff/",
    "/staff/?page=500",
    "/staff/?q=nguyen%20van",
    "/api/v1/staff/",
    "/api/v1/staff/?q=nguyen",
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=["sqlite", "pg", "both"], default="sqlite")
    parser.add_argument("--staff", type=int, default=200_000, help="staff in the database")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per URL")
    parser.add_argument("--seed", type=int, default=None, help="generator seed")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the database")
    parser.add_argument("--sqlite-path", default=str(OUT / "bench_list.sqlite3"))
    parser.add_argument("--pg-server", default=PG_SERVER, help="PostgreSQL server URL")
    parser.add_argument("--pg-db", default=PG_DB, help="PostgreSQL database name")
    return parser.parse_args(argv)


def run_both(args: argparse.Namespace, argv: list[str]) -> int:
    """Each engine in its own process: Django settings are chosen once per process."""
    status = 0
    for engine in ("sqlite", "pg"):
        rest = [a for a in argv if not a.startswith("--engine")]
        if "--engine" in argv:
            i = argv.index("--engine")
            rest = argv[:i] + argv[i + 2 :]
        code = subprocess.call([sys.executable, __file__, "--engine", engine, *rest])
        status = status or code
    return status


def ensure_pg_database(server: str, name: str, *, drop: bool) -> None:
    import psycopg

    with psycopg.connect(server.rstrip("/") + "/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and drop:
            conn.execute(f'DROP DATABASE "{name}"')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def configure(args: argparse.Namespace) -> str:
    """Point Django at the bench database (before django.setup()); returns a label."""
    if args.engine == "pg":
        ensure_pg_database(args.pg_server, args.pg_db, drop=args.rebuild)
        url = args.pg_server.rstrip("/") + "/" + args.pg_db
    else:
        path = Path(args.sqlite_path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "thenchot.settings"
    os.environ["THENCHOT_DEBUG"] = "false"  # measure what production runs, no query log
    os.environ["THENCHOT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("THENCHOT_SECRET_KEY", "bench-only-secret-key-not-for-production")
    # Django's test client speaks plain HTTP: the production redirect to HTTPS would answer 301.
    os.environ.setdefault("THENCHOT_SSL_REDIRECT", "false")
    sys.path.insert(0, str(ROOT))
    return str(url)


def build(args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    from thenchot.demo.generator import DEFAULT_SEED, generate
    from thenchot.org.models import Unit
    from thenchot.people.models import Staff

    call_command("migrate", verbosity=0, interactive=False)
    have = Staff.objects.count()
    if have == args.staff and Unit.objects.exists():
        print(f"reusing the database: {have} staff")
        return
    if Unit.objects.exists():
        print(f"the database holds {have} staff, not {args.staff}: emptying it")
        call_command("flush", interactive=False, verbosity=0)
    print(f"generating {args.staff} staff ...", flush=True)
    started = time.monotonic()
    generate(
        staff=args.staff,
        seed=args.seed if args.seed is not None else DEFAULT_SEED,
        progress=lambda message: print(f"  {message}", flush=True),
    )
    print(f"generated in {time.monotonic() - started:.1f} s", flush=True)
    # Fresh statistics for the planner; on PostgreSQL VACUUM also sets the visibility map, so
    # COUNT(*) can use an index-only scan as it would on a database that has lived a while.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(p * len(ordered)) - 1)]


def measure(url: str, client: Any, n: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    first = client.get(url)
    row: dict[str, Any] = {"url": url, "status": first.status_code}
    if first.status_code != 200:
        return row
    client.get(url)  # warm caches (tree snapshot, templates, query plans)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    row.update(
        median_ms=round(statistics.median(times), 1),
        p95_ms=round(percentile(times, 0.95), 1),
        queries=len(ctx.captured_queries),
        bytes=len(response.content),
    )
    return row


def print_table(engine: str, staff: int, rows: list[dict[str, Any]]) -> None:
    print()
    print(f"staff list, {engine}, {staff} staff, user lanhdao (city leadership)")
    header = f"{'URL':<26} {'status':>6} {'median ms':>10} {'p95 ms':>8} {'queries':>8}  target"
    print(header)
    print("-" * len(header))
    for row in rows:
        if row["status"] != 200:
            note = "missing (404)" if row["status"] == 404 else f"HTTP {row['status']}"
            print(f"{row['url']:<26} {row['status']:>6} {'-':>10} {'-':>8} {'-':>8}  {note}")
            continue
        verdict = "ok" if row["median_ms"] <= TARGET_MS else "SLOW"
        print(
            f"{row['url']:<26} {row['status']:>6} {row['median_ms']:>10.1f}"
            f" {row['p95_ms']:>8.1f} {row['queries']:>8}  {verdict}"
        )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.engine == "both":
        return run_both(args, argv)
    configure(args)
    import django

    django.setup()
    from django.test import Client

    from thenchot.accounts.models import User

    build(args)
    client = Client()
    client.force_login(User.objects.get(username="lanhdao"))
    rows = [measure(url, client, args.requests) for url in URLS]
    print_table(args.engine, args.staff, rows)
    OUT.mkdir(parents=True, exist_ok=True)
    result = {"engine": args.engine, "staff": args.staff, "target_ms": TARGET_MS, "rows": rows}
    out = OUT / f"bench_staff_list_{args.engine}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"\nwritten: {out.relative_to(ROOT)}")
    slow = [r for r in rows if r["status"] == 200 and r["median_ms"] > TARGET_MS]
    return 1 if slow else 0


if __name__ == "__main__":
    sys.exit(main())
