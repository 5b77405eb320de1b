"""Benchmark (not a test): the city's year report as PDF and as XLSX at full scale.

    .venv/bin/python bench/bench_reports.py [--source thenchot_bench_appraisal_year]
        [--db thenchot_bench_reports] [--engine pg|sqlite] [--unit HN] [--year 2026] [--rounds 3]

PostgreSQL: the database `--db` (never `thenchot`) is made once as a copy of the filled
benchmark database `--source` (the appraisal benchmark's city: 200,000 staff, 1,836 units,
~156,000 tasks, 12 closed months of evaluations) and migrated, so this benchmark writes nothing
into another benchmark's database; `--reuse-db` keeps it between runs. SQLite: `--sqlite-path`,
filled beforehand (e.g. by bench_staff_list.py). Times, each median of `--rounds` after one warm
round: the figures (`build_report`, every registered block with records), the XLSX, the PDF
(WeasyPrint), and the whole of each file as the page's download makes it (figures + file).
Targets: PDF ≤ 5 s, XLSX ≤ 5 s. Prints which blocks had records: a block without records is
omitted from the report (report.md), so its cost is not measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time


def _pg(sql: str, db: str = "postgres") -> str:
    return subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-Atc", sql],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def prepare_pg(source: str, db: str, reuse: bool) -> None:
    assert db not in ("thenchot", "test_thenchot"), "never the application's database"
    exists = _pg(f"select 1 from pg_database where datname = '{db}'") == "1"
    if exists and reuse:
        return
    if exists:
        _pg(f'drop database "{db}"')
    print(f"copying {source} into {db} …", flush=True)
    _pg(f'create database "{db}" template "{source}"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", default="pg", choices=["pg", "sqlite"])
    parser.add_argument("--source", default="thenchot_bench_appraisal_year")
    parser.add_argument("--db", default="thenchot_bench_reports")
    parser.add_argument("--sqlite-path", default="bench/out/bench_list.sqlite3")
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument(
        "--read-only",
        action="store_true",
        help="read --source itself (no copy, no migration: nothing is written); blocks whose "
        "tables it lacks are left out and named",
    )
    parser.add_argument("--unit", default="HN")
    parser.add_argument("--year", type=int, default=2026)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    sys.path.insert(0, root)
    if args.engine == "pg" and args.read_only:
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.source}"
    elif args.engine == "pg":
        prepare_pg(args.source, args.db, args.reuse_db)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{args.db}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{os.path.abspath(args.sqlite_path)}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.utils import translation

    if not args.read_only:
        call_command("migrate", verbosity=0)
    from django.db import DatabaseError, transaction

    from thenchot.core.registry import report_blocks

    missing = []
    for key, block in list(report_blocks.items()):
        try:
            with transaction.atomic():
                block.has_data()
        except DatabaseError:
            missing.append(key)
            report_blocks.unregister(key)
    from thenchot.org.models import Unit
    from thenchot.reports.blocks import ReportRequest, build_report
    from thenchot.reports.rendering import render_pdf, render_xlsx

    unit = Unit.objects.get(code=args.unit)
    start, end = dt.date(args.year, 1, 1), dt.date(args.year, 12, 31)
    request = ReportRequest.for_unit(unit, start, end)

    def timed(fn) -> tuple[float, object]:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = fn()
        return time.perf_counter() - t0, out

    translation.activate("vi")
    results: dict[str, list[float]] = {"figures": [], "xlsx": [], "pdf": []}
    data = build_report(request)  # warm: the tree snapshot, the calendar
    render_xlsx(data)
    render_pdf(data)
    connection.force_debug_cursor = True
    reset_queries()
    build_report(request)
    query_count = len(connection.queries)
    connection.force_debug_cursor = False
    for _ in range(args.rounds):
        seconds, data = timed(lambda: build_report(request))
        results["figures"].append(seconds)
        seconds, xlsx = timed(lambda d=data: render_xlsx(d))  # type: ignore[misc]
        results["xlsx"].append(seconds)
        seconds, pdf = timed(lambda d=data: render_pdf(d))  # type: ignore[misc]
        results["pdf"].append(seconds)
    med = {k: statistics.median(v) for k, v in results.items()}
    blocks = [k for k in data if k not in ("unit", "from", "to", "as_of")]  # type: ignore[union-attr]
    out = {
        "engine": args.engine,
        "unit": args.unit,
        "range": f"{start}..{end}",
        "blocks": blocks,
        "blocks_without_tables": missing,
        "queries": query_count,
        "figures_s": round(med["figures"], 3),
        "xlsx_render_s": round(med["xlsx"], 3),
        "pdf_render_s": round(med["pdf"], 3),
        "xlsx_total_s": round(med["figures"] + med["xlsx"], 3),
        "pdf_total_s": round(med["figures"] + med["pdf"], 3),
        "xlsx_bytes": len(xlsx),  # type: ignore[arg-type]
        "pdf_bytes": len(pdf),  # type: ignore[arg-type]
    }
    for key, value in out.items():
        print(f"{key:>14}: {value}")
    for name in ("pdf", "xlsx"):
        total = out[f"{name}_total_s"]
        print(f"{name.upper()} {'ok' if total <= 5 else 'SLOW'} ({total} s, target ≤ 5 s)")
    os.makedirs(os.path.join(root, "bench", "out"), exist_ok=True)
    with open(os.path.join(root, "bench", "out", f"bench_reports_{args.engine}.json"), "w") as fh:
        json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
