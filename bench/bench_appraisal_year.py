"""Benchmark (not a test): closing a whole year for the whole city, beside the month close.

    .venv/bin/python bench/bench_appraisal_year.py [--engines pg,sqlite] [--staff 200000]
        [--sqlite-staff N] [--rounds 3] [--reuse] [--only month|year] [--ties-once]

The year is 2026, the first year that is "mixed" (rules.md "Rule packs", `rules.registry`):
công chức are rated under `decree-335-2025` — months classified, the year rolled up from them —
while cán bộ and viên chức have their months under `hanoi-monthly-2018` and their year classified
under `decree-90-2020` on the counts of their own tasks (rules.md "Settled points" 2), the
months beside it as evidence, and contract workers roll the year up under `hanoi-monthly-2018`.

Setup (once per engine; `--reuse` keeps a database that holds the twelve closed months), in its
own database (PostgreSQL: `thenchot_bench_appraisal_year` on 127.0.0.1; SQLite:
bench/out/bench_appraisal_year.sqlite3):

1. the demo organisation with `--staff` people (`thenchot.demo.generator`);
2. 2026-11 opened in every agency through the service (`open_current_periods`) and given the
   spread of points of `bench_appraisal.py` (the same month as that benchmark: its close is the
   month close measured here);
3. the eleven other months of 2026 copied from it with one INSERT ... SELECT per month (new
   period rows per agency; the points differ from month to month because they are computed
   from the new rows' ids);
4. the own tasks of the year of every cán bộ and viên chức (two to four each, led by their
   unit, most completed on time, some exceeding, some late or open; a few extension requests);
5. the twelve months closed with the close itself (`closing.close_period`, "by score", the
   heads' choices of `heads_naming_ties` where a tie needs one): each month's time is printed.

Then `--rounds` rounds alternating month and year (month, year, month, year, ...), each close
in a fresh process, because this machine's speed drifts from minute to minute:

- month: 2026-11 put back to approved (as `bench_appraisal.py` does), the heads' choices made
  in another process (not timed), then `close_period(unit=HN, period="2026-11")` timed;
- year: the year's rows removed (its period rows and evaluations: the state before its first
  close, which is the case that matters — the close creates them), the heads' choices made in
  another process (a dry run of the close, timed separately: the close screen's preview), then
  `close_period(unit=HN, period="2026")` timed.

With `--ties-once` the heads' choices are made in the first round of each kind only and kept for
the next (`--phase=restore` puts the period back without the dry run), and for later runs on the
same database (bench/out/bench_appraisal_year_move_*.json: delete it after a new setup): the
same data gives the same choices, and a round of the city's year is half as long.

Each close prints its seconds, the peak memory of its process (ru_maxrss) and the SQL statements
it sent through Django (the writer thread's COPY/UPDATE on PostgreSQL excluded). Targets: year
≤ 30 s on PostgreSQL and ≤ 1 GB; the month no slower than its earlier 5.5-6.4 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DB = "thenchot_bench_appraisal_year"
PG_URL = "postgres://postgres@127.0.0.1:5432/{db}"
SQLITE = OUT / "bench_appraisal_year.sqlite3"

YEAR = 2026
MONTH = f"{YEAR}-11"  # the month bench_appraisal.py closes (the month before 2026-12-07)
MONTHS = [f"{YEAR}-{m:02d}" for m in range(1, 13)]
# The heads' choices handed from the dry run's process to the close's, one file per engine and
# period (`--ties-once` keeps each period's for its later rounds).
ENGINE = "pg" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
# The database's name on PostgreSQL (`--pg-db`: a smaller one beside the city's), in the names
# of the files kept for it.
DB_NAME = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1] if ENGINE == "pg" else ""


def _ties(code: str, engine: str = ENGINE, db: str = DB_NAME) -> Path:
    suffix = "" if db in ("", PG_DB) else f"_{db}"
    return OUT / f"bench_appraisal_year_move_{engine}{suffix}_{code}.json"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default="pg,sqlite")
    parser.add_argument("--staff", type=int, default=200_000)
    parser.add_argument("--sqlite-staff", type=int, help="staff on SQLite (default: --staff)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pg-db", default=PG_DB, help="the PostgreSQL database's name")
    parser.add_argument("--reuse", action="store_true", help="keep a filled database")
    parser.add_argument("--only", choices=["month", "year"], help="one kind of round only")
    parser.add_argument(
        "--ties-once", action="store_true", help="the heads' choices in the first round only"
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--period", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        PHASES[args.phase](args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    for engine in args.engines.split(","):
        staff = args.staff if engine == "pg" else (args.sqlite_staff or args.staff)
        url = PG_URL.format(db=args.pg_db) if engine == "pg" else f"sqlite:///{SQLITE}"
        env = {**os.environ, "DATABASE_URL": url, "THENCHOT_TESTING": "1"}
        print(f"== {engine}, {staff} staff", flush=True)
        if not (args.reuse and _filled(env)):
            _fresh(engine, args.pg_db)
            _run("setup", env, staff=staff)
        kinds = [args.only] if args.only else ["month", "year"]
        found: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
        for number in range(1, args.rounds + 1):
            for kind in kinds:
                code = MONTH if kind == "month" else str(YEAR)
                kept = _ties(code, engine, args.pg_db if engine == "pg" else "").exists()
                prepare = "restore" if args.ties_once and (number > 1 or kept) else "ties"
                _run(prepare, env, staff=staff, period=code)
                out = _run("close", env, staff=staff, period=code, capture=True)
                figures = json.loads(out.strip().splitlines()[-1])
                found[kind].append(figures)
                print(
                    f"  round {number} {kind:5} {code}: close {figures['seconds']:.2f} s,"
                    f" peak {figures['peak_mb']:.0f} MB (before the close"
                    f" {figures['base_mb']:.0f} MB), CPU {figures['cpu_seconds']:.2f} s + database"
                    f" {figures['db_cpu_seconds']:.2f} s, {figures['queries']} queries,"
                    f" {figures['evaluations']} evaluations, moved by the quota"
                    f" {figures['moved']}; heads' choices (dry run) {figures['ties_seconds']:.2f}"
                    f" s naming {figures['named']}; load {figures['load']}",
                    flush=True,
                )
        summary: dict[str, Any] = {}
        for kind, items in found.items():
            if not items:
                continue
            seconds = statistics.median(f["seconds"] for f in items)
            peak = max(f["peak_mb"] for f in items)
            cpu = statistics.median(f["cpu_seconds"] + f["db_cpu_seconds"] for f in items)
            target = "≤ 30 s, ≤ 1 GB" if kind == "year" else "≤ 6.4 s (earlier 5.5-6.4 s)"
            ok = peak <= 1024 and seconds <= (30 if kind == "year" else 6.4)
            each = ", ".join(f"{f['seconds']:.2f}" for f in items)
            print(
                f"{kind} close: median {seconds:.2f} s over {each} (CPU, Python + database:"
                f" median {cpu:.2f} s); peak {peak:.0f} MB;"
                f" levels {items[-1]['by_level']} (target {target})"
                f" {'ok' if ok else 'MISSED'}",
                flush=True,
            )
            summary[kind] = {"median_seconds": seconds, "peak_mb": peak, "rounds": items}
        summary["staff"] = staff
        name = engine if args.pg_db == PG_DB or engine != "pg" else f"pg_{args.pg_db}"
        (OUT / f"bench_appraisal_year_{name}.json").write_text(json.dumps(summary, indent=2))


def _run(
    phase: str, env: dict[str, str], *, staff: int, period: str = "", capture: bool = False
) -> str:
    cmd = [sys.executable, __file__, f"--phase={phase}", f"--staff={staff}"]
    if period:
        cmd.append(f"--period={period}")
    done = subprocess.run(
        cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE if capture else None, text=True
    )
    return done.stdout or ""


def _fresh(engine: str, db: str = PG_DB) -> None:
    if engine == "pg":
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {db}")
    else:
        for suffix in ("", "-wal", "-shm"):
            path = Path(f"{SQLITE}{suffix}")
            if path.exists():
                path.unlink()


def _filled(env: dict[str, str]) -> bool:
    """The twelve months are there and closed."""
    probe = (
        "import django,os;os.environ.setdefault('DJANGO_SETTINGS_MODULE','thenchot.settings');"
        "django.setup();from thenchot.appraisal.models import EvaluationPeriod as P;"
        f"print(P.objects.filter(code__startswith='{YEAR}-').exclude(code__contains='Q')"
        ".exclude(status='closed').count(),"
        f" P.objects.filter(code__startswith='{YEAR}-').values('code').distinct().count())"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, cwd=ROOT, capture_output=True, text=True
    )
    if out.returncode != 0:
        return False
    open_left, months = (int(x) for x in out.stdout.split())
    return open_left == 0 and months == 12


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()


def _timed(label: str, func, *a, **kw):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = func(*a, **kw)
    print(f"{label}: {time.perf_counter() - started:.2f} s", flush=True)
    return result


def _vacuum() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# -- setup ----------------------------------------------------------------------------------------
# bench_appraisal.py's spread of points, on ids: every month differs, its rows having other ids.
from bench_appraisal import SPREAD  # noqa: E402  (this script's folder is on sys.path)


def setup(args: argparse.Namespace) -> None:
    _django()
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    from thenchot.appraisal import closing, rules, services
    from thenchot.appraisal.models import Evaluation, EvaluationPeriod
    from thenchot.core.context import acting
    from thenchot.demo.generator import generate
    from thenchot.org.models import Unit

    _timed(f"demo organisation with {args.staff} staff", generate, staff=args.staff)
    with acting(source="command", reason="bench"), transaction.atomic():
        created = _timed(
            f"open {MONTH} in every agency (service)",
            services.open_current_periods,
            on=dt.date(YEAR, 11, 15),
        )
    print(f"   {created} evaluations", flush=True)
    with connection.cursor() as cursor:
        cursor.execute(SPREAD, [MONTH])

    started = time.perf_counter()
    model = Evaluation._meta
    columns = [f.column for f in model.concrete_fields if f.column != "id"]
    q = connection.ops.quote_name
    picked = ", ".join("np.id" if c == "period_id" else f"e.{q(c)}" for c in columns)
    picked = picked.replace(f"e.{q('period_code')}", "np.code")
    template = list(EvaluationPeriod.objects.filter(code=MONTH).values_list("agency_id", flat=True))
    with transaction.atomic():
        for code in MONTHS:
            if code == MONTH:
                continue
            EvaluationPeriod.objects.bulk_create(
                EvaluationPeriod(
                    agency_id=agency_id,
                    code=code,
                    **services.period_defaults(rules.Period.parse(code)),
                )
                for agency_id in template
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    f"INSERT INTO {q(model.db_table)} ({', '.join(q(c) for c in columns)})"
                    f" SELECT {picked} FROM {q(model.db_table)} e"
                    " JOIN appraisal_evaluationperiod op ON op.id = e.period_id"
                    " JOIN appraisal_evaluationperiod np ON np.agency_id = op.agency_id"
                    " AND np.code = %s WHERE e.period_code = %s",
                    [code, MONTH],
                )
                cursor.execute(SPREAD, [code])
    print(
        f"the 11 other months copied from {MONTH}: {time.perf_counter() - started:.2f} s,"
        f" {Evaluation.objects.count()} evaluations",
        flush=True,
    )
    _timed("own tasks of the year of cán bộ and viên chức", _write_tasks)
    _vacuum()
    city = Unit.objects.get(code="HN")
    for code in MONTHS:
        with acting(source="command", reason="bench setup"):
            move = closing.heads_naming_ties(unit=city, period=code)
            started = time.perf_counter()
            result = closing.close_period(
                unit=city, period=code, resolve_quota="by-score", move=move
            )
        print(
            f"close {code}: {time.perf_counter() - started:.2f} s, {result.evaluations}"
            f" evaluations, {len(move)} named, levels {result.by_level}",
            flush=True,
        )
    _vacuum()


def _write_tasks(seed: int = YEAR) -> None:
    """Two to four own tasks of the year for every cán bộ and viên chức, led by their unit:
    most completed on time with quality meets, some exceeding, some late, below or still open;
    one in twenty extended (some asked late). Their counts decide the Decree 90 year."""
    from django.db import transaction

    from thenchot.directives.models import ExtensionRequest, Task, task_search_text
    from thenchot.people.models import Staff

    rng = random.Random(seed)
    day = dt.timedelta(days=1)
    start = dt.date(YEAR, 1, 1)
    today = dt.date(2026, 12, 7)
    people = list(
        Staff.objects.filter(category__in=["cadre", "public_employee"])
        .order_by("pk")
        .values_list("pk", "unit_id")
    )
    rows: list[Task] = []
    n = 0
    for staff_id, unit_id in people:
        for _i in range(rng.randint(2, 4)):
            n += 1
            deadline = start + rng.randrange(0, 330) * day
            assigned = max(start - 30 * day, deadline - rng.randint(10, 90) * day)
            roll = rng.random()
            completed: dt.date | None = deadline - rng.randint(0, 10) * day
            if roll > 0.93:
                completed = deadline + rng.randint(1, 20) * day
            if roll > 0.97 or (completed is not None and completed > today):
                completed = None
            if completed is not None and completed < assigned:
                completed = assigned
            quality = None
            if completed is not None:
                q = rng.random()
                quality = "exceeds" if q < 0.25 else ("below" if q > 0.97 else "meets")
            code = f"NV{YEAR}-{n:07d}"
            title = f"Nhiệm vụ năm {YEAR} số {n}"
            rows.append(
                Task(
                    code=code,
                    title=title,
                    search_text=task_search_text(code, title),
                    lead_unit_id=unit_id,
                    assigner_unit_id=unit_id,
                    assignee_id=staff_id,
                    assigned_on=assigned,
                    deadline=deadline,
                    completed_on=completed,
                    progress=100 if completed else 50,
                    quality=quality,
                )
            )
    with transaction.atomic():
        Task.objects.bulk_create(rows, batch_size=5000)
        extensions = []
        for task in rows:
            if rng.random() > 0.05:
                continue
            late = rng.random() < 0.3  # asked after the deadline: the delay stays
            requested = task.deadline + (rng.randint(1, 10) if late else -rng.randint(1, 5)) * day
            requested = max(requested, task.assigned_on)
            extensions.append(
                ExtensionRequest(
                    task=task,
                    requested_on=requested,
                    previous_deadline=task.deadline,
                    new_deadline=task.deadline + rng.randint(10, 30) * day,
                    reason="Chờ ý kiến các sở, ngành",
                    status="approved",
                    decided_on=requested + rng.randint(0, 4) * day,
                )
            )
        ExtensionRequest.objects.bulk_create(extensions, batch_size=5000)
    print(f"   {len(rows)} tasks of {len(people)} people, {len(extensions)} extensions", flush=True)


# -- rounds ---------------------------------------------------------------------------------------
def _restore(code: str) -> None:
    """The period as before its close: a month back to approved (bench_appraisal.py), a year's
    rows removed (its first close creates them)."""
    from django.db import connection

    with connection.cursor() as cursor:
        if code == MONTH:
            cursor.execute(
                "UPDATE appraisal_evaluationperiod SET status = 'open' WHERE code = %s", [code]
            )
            cursor.execute(
                "UPDATE appraisal_evaluation SET status = 'approved', final_level = '',"
                " score = NULL, reasons = '[]' WHERE period_code = %s AND status = 'closed'",
                [code],
            )
        else:
            cursor.execute("DELETE FROM appraisal_evaluation WHERE period_code = %s", [code])
            cursor.execute("DELETE FROM appraisal_evaluationperiod WHERE code = %s", [code])
    _vacuum()


def ties(args: argparse.Namespace) -> None:
    """Restore the period, then the heads' choices (a dry run of the close), for the close."""
    _django()
    from thenchot.appraisal import closing
    from thenchot.core.context import acting
    from thenchot.org.models import Unit

    code = args.period
    _restore(code)
    city = Unit.objects.get(code="HN")
    started = time.perf_counter()
    with acting(source="command", reason="bench close"):
        move = closing.heads_naming_ties(unit=city, period=code)
    seconds = time.perf_counter() - started
    _ties(code).write_text(json.dumps({"move": move, "seconds": seconds}))


def close(args: argparse.Namespace) -> None:
    _django()
    from django.db import connection

    from thenchot.appraisal import closing
    from thenchot.core.context import acting
    from thenchot.org.models import Unit

    code = args.period
    chosen = json.loads(_ties(code).read_text())
    city = Unit.objects.get(code="HN")
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = [0]

    def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        return execute(sql, params, many, context)

    backend = _backend_cpu()
    with connection.execute_wrapper(counting), acting(source="command", reason="bench close"):
        started = time.perf_counter()
        cpu = time.process_time()
        result = closing.close_period(
            unit=city, period=code, resolve_quota="by-score", move=chosen["move"]
        )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    backend = _backend_cpu() - backend
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "period": code,
                "seconds": seconds,
                "peak_mb": peak_mb,
                "base_mb": base_mb,
                "queries": count[0],
                "cpu_seconds": cpu,
                "db_cpu_seconds": backend,
                "evaluations": result.evaluations,
                "periods": result.periods_closed,
                "moved": result.moved_by_quota,
                "by_level": result.by_level,
                "ties_seconds": chosen["seconds"],
                "named": len(chosen["move"]),
                "load": [round(x, 1) for x in os.getloadavg()],
            }
        ),
        flush=True,
    )


def _backend_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (same machine: read from
    /proc), 0 elsewhere: with the process's own CPU time, a figure the machine's load does not
    inflate as much as the wall time."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def restore(args: argparse.Namespace) -> None:
    """The period put back as before its close, the heads' choices kept from the last `ties`
    (the same data gives the same choices): for rounds that time the close alone."""
    _django()
    _restore(args.period)


PHASES = {"setup": setup, "ties": ties, "close": close, "restore": restore}

if __name__ == "__main__":
    main()
