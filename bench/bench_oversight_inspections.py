"""Benchmark (not a test): inspection statistics for the whole city over a year.

    .venv/bin/python bench/bench_oversight_inspections.py [--engines sqlite,pg]
                                                          [--inspections 1200] [--per 4]
                                                          [--staff 2000]

For each engine, in a fresh database (PostgreSQL: `thenchot_bench_insp` on 127.0.0.1, dropped
and created here; SQLite: a temporary file), it writes the demo organisation
(`thenchot.demo.generator`, the 2025 restructuring included, so the year 2025 spans three tree
epochs), then `--inspections` inspections started over 2025 by departments, districts and
communes over units under them, with about `--per` recommendations each (done, open, overdue).
It prints the seconds taken by (target ≤ 1 s):
- the `inspections` report block for the whole city over 2025, cold and warm;
- the statistics a city-wide user sees, and those of one department's personnel officer
  (scoped: read filter, hidden surprises);
and the figures themselves.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_BENCH_URL = "postgres://postgres@127.0.0.1:5432/thenchot_bench_insp"
YEAR_FROM, YEAR_TO = dt.date(2025, 1, 1), dt.date(2025, 12, 31)


def _recreate_pg() -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS thenchot_bench_insp WITH (FORCE)")
        conn.execute("CREATE DATABASE thenchot_bench_insp")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="sqlite")
    parser.add_argument("--inspections", type=int, default=1200)
    parser.add_argument("--per", type=int, default=4, help="recommendations per inspection")
    parser.add_argument("--staff", type=int, default=2000)
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(inspections=args.inspections, per=args.per, staff=args.staff)
        return
    for engine in args.engines.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if engine == "pg":
                _recreate_pg()
                url = PG_BENCH_URL
            else:
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            env = {**os.environ, "DATABASE_URL": url, "THENCHOT_TESTING": "1"}
            print(f"== {engine}", flush=True)
            cmd = [sys.executable, __file__, "--worker", f"--inspections={args.inspections}"]
            cmd += [f"--per={args.per}", f"--staff={args.staff}"]
            subprocess.run(cmd, env=env, cwd=ROOT, check=True)


def _timed(label: str, func, *a, **kw):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = func(*a, **kw)
    print(f"{label}: {time.perf_counter() - started:.3f} s", flush=True)
    return result


def _write(inspections: int, per: int) -> tuple[int, int]:
    from thenchot.inspections.models import Inspection, Recommendation
    from thenchot.org.tree import tree

    rng = random.Random(2025)
    snap = tree()
    city = snap.by_code["HN"]
    kinds = ["planned"] * 7 + ["surprise"] * 2 + ["verification"]
    rows: list[Inspection] = []
    for n in range(inspections):
        started = YEAR_FROM + dt.timedelta(days=rng.randrange(365))
        agencies = [
            u
            for u in snap.children_on(city, started)
            if snap.units[u].kind in {"department", "district", "commune", "ward"}
        ]
        agency = rng.choice(agencies)
        under = sorted(snap.subtree_on(agency, started))
        rows.append(
            Inspection(
                code=f"B-{n:06d}",
                kind=rng.choice(kinds),
                conducted_by_id=agency,
                target_unit_id=rng.choice(under),
                started_on=started,
                ended_on=started + dt.timedelta(days=2),
                topics=["discipline"],
            )
        )
    Inspection.objects.bulk_create(rows, batch_size=2000)
    recs: list[Recommendation] = []
    for inspection in Inspection.objects.filter(code__startswith="B-").only(
        "pk", "code", "target_unit_id", "started_on"
    ):
        for i in range(rng.randint(max(per - 2, 0), per + 2)):
            due = inspection.started_on + dt.timedelta(days=rng.choice((30, 60, 90)))
            done = due - dt.timedelta(days=rng.randint(-10, 20)) if rng.random() < 0.7 else None
            recs.append(
                Recommendation(
                    code=f"{inspection.code}-{i}",
                    inspection_id=inspection.pk,
                    text="Chấn chỉnh kỷ luật, kỷ cương hành chính",
                    responsible_unit_id=inspection.target_unit_id,
                    due_on=due,
                    done_on=done,
                )
            )
    Recommendation.objects.bulk_create(recs, batch_size=2000)
    return len(rows), len(recs)


def worker(*, inspections: int, per: int, staff: int) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from thenchot.demo.generator import generate

    _timed(f"demo organisation with {staff} staff", generate, staff=staff)
    n_insp, n_recs = _timed("inspections and recommendations", _write, inspections, per)
    print(f"   {n_insp} inspections, {n_recs} recommendations", flush=True)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum would do after a bulk load
        cursor.execute("ANALYZE")

    from thenchot.accounts.scoping import Scope
    from thenchot.inspections.statistics import compute_block, inspection_statistics
    from thenchot.org.models import Unit
    from thenchot.org.tree import tree

    city = Unit.objects.get(code="HN")
    args = {"date_from": YEAR_FROM, "date_to": YEAR_TO, "as_of": YEAR_TO}
    _timed("report block 'inspections', whole city, 2025 (cold)", compute_block, unit=city, **args)
    block = _timed(
        "report block 'inspections', whole city, 2025 (warm; target <= 1 s)",
        compute_block,
        unit=city,
        **args,
    )
    print(
        f"   total {block['total']}, by kind {block['by_kind']}, "
        f"{len(block['by_conductor'])} conductors, recommendations {block['recommendations']}",
        flush=True,
    )
    snap = tree()
    everyone = Scope(user_id=0, city_wide=True)
    _timed(
        "statistics page, city-wide user (target <= 1 s)",
        inspection_statistics,
        unit_id=city.pk,
        scope=everyone,
        **args,
    )
    dept = snap.by_code.get("STC") or city.pk
    officer = Scope(user_id=0, read_units=frozenset(snap.readable_from(dept, YEAR_TO)))
    stats = _timed(
        "statistics page, one department's officer (scoped)",
        inspection_statistics,
        unit_id=dept,
        scope=officer,
        **args,
    )
    print(f"   STC subtree: {stats.total} inspections, {stats.recommendations}", flush=True)


if __name__ == "__main__":
    main()
