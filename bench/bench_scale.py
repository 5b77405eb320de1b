"""Benchmark (not a test): the month close at 1,000,000 evaluations beside the same close at
200,000, and the city dashboard over the larger month (issue 18, "Beyond one city").

    .venv/bin/python bench/bench_scale.py [--staff 1000000] [--base 200000] [--rounds 2]
        [--reuse] [--only base|big] [--no-dashboard] [--nice 10] [--shape agencies|people]
        [--pg-shared-buffers SIZE [--pg-restart-wait 300]]

Two PostgreSQL databases on 127.0.0.1, both this benchmark's:

- `thenchot_bench_scale_200k`: the demo organisation with `--base` people
  (`thenchot.demo.generator`), last month (2026-11 on 2026-12-07) opened in every agency through
  the service (`open_current_periods`) and every evaluation approved with the spread of points
  of `bench_appraisal.py` — its own `setup`, imported, so the data is that benchmark's;
- `thenchot_bench_scale`: a copy of the first (`CREATE DATABASE ... TEMPLATE`), multiplied up to
  `--staff` people with plain SQL (`INSERT ... SELECT`), then the same spread applied again
  (points computed from the new rows' ids) and VACUUM ANALYZE. `--shape agencies` (default, the
  country's shape): the organisation under HN copied (units `<code>-<k>`, their links,
  successions and heads) with its people, their assignments, their agencies' periods of the
  month and their evaluations — 1,466 agency periods of Hanoi's sizes. `--shape people`: the
  people alone copied (code `<code>-<k>`, no account, not a leader) into the same 294 agency
  periods — agencies five times larger.

`--reuse` keeps a database that holds its month in the shape asked (`--only` skips the other
one). Then `--rounds`
rounds alternating 200,000 and 1,000,000, each close in a fresh process run under `nice`:
the month put back to approved (as `bench_appraisal.py` does) and vacuumed, the heads' choices
of ties made once per database by a dry run (`closing.heads_naming_ties`; its time is printed,
the same data gives the same choices, later rounds reuse them), then
`closing.close_period(unit=HN, period=..., resolve_quota="by-score")` — the service the close
screen, the API and the `close_period` command call — timed: wall, CPU of the Python process
(`process_time`), CPU of every PostgreSQL process serving the database during the close (its
backend, the writer thread's, parallel workers: `pg_stat_activity` polled every 0.1 s and each
process's `/proc/<pid>/stat` read; a process living under 0.1 s can be missed), peak RSS
(`ru_maxrss`) and the SQL statements sent through Django's connection (the slowest six printed;
the writer thread's COPY and UPDATE go through the raw connection and are not among them).
The machine is shared: the load average is printed with each figure and CPU is the robust one.
Beside them, the server's own counters over the close (`pg_stat_bgwriter`, `pg_stat_wal`: the
whole cluster's, so other work on the server counts too): WAL written, checkpoints, and the
buffers a backend had to write itself to make room (`buffers_backend`) — the sign of a month
larger than `shared_buffers`.

`--pg-shared-buffers SIZE` (e.g. `2GB`): the rounds and the dashboard run with the server's
`shared_buffers` set to SIZE (`ALTER SYSTEM` and a restart, `pg_ctlcluster ... restart`, as
`bench_faults.py` does: needs root on the machine's cluster), and the previous setting is put
back and the server restarted again at the end, whatever happens (both values printed). A
restart cuts every session of the server: it first waits (up to `--pg-restart-wait` seconds,
default 300) until no other database has a client connected, and gives up (nothing changed)
if one still has; on the way back it restarts after that wait regardless, so the server is
never left changed. Without the option the server is left alone and its value printed.

Last (unless `--no-dashboard`), the city dashboard over the closed month in each database,
through the whole request path (Django test client, a city-leadership user, as
`bench_dashboards.py`): the first view with nothing counted (it queues the counting job past
`aggregates.COUNT_INLINE_MAX` records), the job's time, then the first view of a new process
and the median of five warm views, with their queries.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import restart_postgres

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
DB = {"base": "thenchot_bench_scale_200k", "big": "thenchot_bench_scale"}
# bench_appraisal's month: the one before today's (its setup opens it; 2026-11 on 2026-12-07).
_LAST = dt.date.today().replace(day=1) - dt.timedelta(days=1)
MONTH = f"{_LAST.year:04d}-{_LAST.month:02d}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--staff", type=int, default=1_000_000, help="people of the big close")
    parser.add_argument("--base", type=int, default=200_000, help="people of the base close")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="keep filled databases")
    parser.add_argument("--only", choices=["base", "big"], help="one database only")
    parser.add_argument("--no-dashboard", action="store_true")
    parser.add_argument("--nice", type=int, default=10, help="niceness of the heavy processes")
    parser.add_argument(
        "--shape",
        choices=["agencies", "people"],
        default="agencies",
        help="copy the organisation with its people (default) or the people alone",
    )
    parser.add_argument(
        "--pg-shared-buffers",
        metavar="SIZE",
        help="run the rounds with the server's shared_buffers at SIZE (e.g. 2GB), then restore it",
    )
    parser.add_argument(
        "--pg-restart-wait",
        type=float,
        default=300,
        help="seconds to wait for other databases' clients to leave before a restart",
    )
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("--which", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        PHASES[args.phase](args)
        return
    OUT.mkdir(parents=True, exist_ok=True)
    kinds = [args.only] if args.only else ["base", "big"]
    print(f"load {_load()}", flush=True)
    base_needed = "base" in kinds or not (args.reuse and _filled("big", args.staff, args.shape))
    if base_needed and not (args.reuse and _filled("base", args.base)):
        _fresh("base")
        _run("setup_base", "base", args)
    if "big" in kinds and not (args.reuse and _filled("big", args.staff, args.shape)):
        _fresh("big", template=DB["base"])
        _run("setup_big", "big", args)
    with _shared_buffers(args.pg_shared_buffers, args.pg_restart_wait) as buffers:
        _measure(args, kinds, buffers)


def _measure(args: argparse.Namespace, kinds: list[str], buffers: str) -> None:
    """The rounds, the summary and the dashboards, with the server's `shared_buffers` at
    `buffers`."""
    found: dict[str, list[dict[str, Any]]] = {k: [] for k in kinds}
    for number in range(1, args.rounds + 1):
        for kind in kinds:
            ties = _ties_file(kind)
            _run("restore", kind, args)
            if number == 1 or not ties.exists():
                _run("ties", kind, args)
            out = _run("close", kind, args, capture=True)
            figures = json.loads(out.strip().splitlines()[-1])
            found[kind].append(figures)
            print(
                f"  round {number} {figures['evaluations']:>9,} evaluations: wall"
                f" {figures['seconds']:.1f} s, CPU {figures['cpu']:.1f} s Python +"
                f" {figures['db_cpu']:.1f} s PostgreSQL ({figures['backends']} processes),"
                f" peak {figures['peak_mb']:.0f} MB (before {figures['base_mb']:.0f} MB),"
                f" {figures['queries']} queries, {figures['periods']} periods,"
                f" moved by the quota {figures['moved']}; heads' choices (dry run, not timed here)"
                f" {figures['ties_seconds']:.1f} s naming {figures['named']};"
                f" load {figures['load_before']} -> {figures['load_after']}",
                flush=True,
            )
            server = figures["server"]
            print(
                f"      server during the close (whole cluster): WAL {server['wal_mb']:.0f} MB,"
                f" checkpoints {server['checkpoints_timed']} timed +"
                f" {server['checkpoints_req']} requested, buffers written by backends"
                f" {server['buffers_backend']:,} (checkpointer {server['buffers_checkpoint']:,},"
                f" bgwriter {server['buffers_clean']:,}); shared_buffers {buffers}",
                flush=True,
            )
            for seconds, sql in figures["slowest"]:
                print(f"      {seconds:6.2f} s  {sql}", flush=True)
    summary: dict[str, Any] = {"shared_buffers": buffers}
    for kind, items in found.items():
        if not items:
            continue
        summary[kind] = {
            "evaluations": items[-1]["evaluations"],
            "wall": statistics.median(f["seconds"] for f in items),
            "cpu": statistics.median(f["cpu"] + f["db_cpu"] for f in items),
            "python_cpu": statistics.median(f["cpu"] for f in items),
            "db_cpu": statistics.median(f["db_cpu"] for f in items),
            "peak_mb": max(f["peak_mb"] for f in items),
            "queries": items[-1]["queries"],
            "by_level": items[-1]["by_level"],
            "rounds": items,
        }
        s = summary[kind]
        print(
            f"{kind:4} close of {s['evaluations']:,}: median wall {s['wall']:.1f} s, median CPU"
            f" {s['cpu']:.1f} s ({s['python_cpu']:.1f} Python + {s['db_cpu']:.1f} PostgreSQL),"
            f" peak {s['peak_mb']:.0f} MB, levels {s['by_level']}; shared_buffers {buffers}",
            flush=True,
        )
    if "base" in summary and "big" in summary:
        base, big = summary["base"], summary["big"]
        size = big["evaluations"] / base["evaluations"]
        cpu_ratio = big["cpu"] / base["cpu"]
        wall_ratio = big["wall"] / base["wall"]
        ok = cpu_ratio <= 5 and big["peak_mb"] <= 2048
        print(
            f"ratio {size:.1f}x the evaluations: CPU {cpu_ratio:.2f}x, wall {wall_ratio:.2f}x;"
            f" peak {big['peak_mb']:.0f} MB (target: <= 5x the 200,000 figure, <= 2 GB)"
            f" {'ok' if ok else 'MISSED'}; shared_buffers {buffers}",
            flush=True,
        )
        summary["ratio"] = {"size": size, "cpu": cpu_ratio, "wall": wall_ratio}
    if not args.no_dashboard:
        for kind in kinds:
            out = _run("dashboard", kind, args, capture=True)
            summary.setdefault(kind, {})["dashboard"] = json.loads(out.strip().splitlines()[-1])
    (OUT / "bench_scale.json").write_text(json.dumps(summary, indent=2))


# -- driver helpers -------------------------------------------------------------------------------
def _url(kind: str) -> str:
    return f"{PG_SERVER}/{DB[kind]}"


def _run(phase: str, kind: str, args: argparse.Namespace, *, capture: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": _url(kind), "THENCHOT_TESTING": "1"}
    cmd = ["nice", "-n", str(args.nice), sys.executable, __file__, f"--phase={phase}"]
    cmd += [f"--which={kind}", f"--staff={args.staff}", f"--base={args.base}"]
    cmd += [f"--shape={args.shape}"]
    done = subprocess.run(
        cmd, env=env, cwd=ROOT, check=True, stdout=subprocess.PIPE if capture else None, text=True
    )
    if capture:
        # The phase's own lines first, its JSON figures last.
        lines = (done.stdout or "").strip().splitlines()
        for line in lines[:-1]:
            print(f"    {line}", flush=True)
    return done.stdout or ""


def _fresh(kind: str, template: str | None = None) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB[kind]} WITH (FORCE)")
        started = time.perf_counter()
        if template:
            conn.execute(f"CREATE DATABASE {DB[kind]} TEMPLATE {template}")
            print(
                f"{DB[kind]} copied from {template}: {time.perf_counter() - started:.1f} s",
                flush=True,
            )
        else:
            conn.execute(f"CREATE DATABASE {DB[kind]}")


def _filled(kind: str, staff: int, shape: str = "") -> bool:
    """The database holds the month with `staff` evaluations (and, for the big one, in the
    shape asked: more agency periods than the base's when the organisation was copied)."""
    import psycopg

    def counts(name: str) -> tuple[int, int]:
        with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{name}") as conn:
            row = conn.execute(
                "SELECT (SELECT count(*) FROM appraisal_evaluation WHERE period_code = %s),"
                " (SELECT count(*) FROM appraisal_evaluationperiod WHERE code = %s)",
                [MONTH, MONTH],
            ).fetchone()
        return (row[0], row[1]) if row else (0, 0)

    try:
        evaluations, periods = counts(DB[kind])
        if evaluations < staff:
            return False
        if kind == "big" and shape:
            copied = periods >= 2 * counts(DB["base"])[1]
            return copied == (shape == "agencies")
    except psycopg.Error:
        return False
    return True


def _ties_file(kind: str) -> Path:
    return OUT / f"bench_scale_move_{kind}.json"


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- the server's shared_buffers -------------------------------------------------------------------
SIZE = re.compile(r"^[1-9][0-9]*(kB|MB|GB|TB)?$")


def _admin() -> Any:
    import psycopg

    return psycopg.connect(PG_ADMIN_URL, autocommit=True)


def _buffers_now() -> tuple[str, str | None]:
    """(the value in effect, the value ALTER SYSTEM wrote in postgresql.auto.conf or None)."""
    with _admin() as conn:
        shown = conn.execute("SHOW shared_buffers").fetchone()[0]
        written = conn.execute(
            "SELECT setting FROM pg_file_settings WHERE name = 'shared_buffers'"
            " AND sourcefile LIKE '%/postgresql.auto.conf' ORDER BY seqno DESC LIMIT 1"
        ).fetchone()
    return shown, written[0] if written else None


def _others_gone(wait: float) -> list[str]:
    """Waits up to `wait` seconds until no database but this benchmark's has a client
    connected; the ones still connected (empty: none)."""
    deadline = time.monotonic() + wait
    while True:
        with _admin() as conn:
            others = [
                f"{name} ({count})"
                for name, count in conn.execute(
                    "SELECT datname, count(*) FROM pg_stat_activity"
                    " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
                    " AND datname IS NOT NULL AND datname <> ALL(%s) GROUP BY datname"
                    " ORDER BY datname",
                    [list(DB.values())],
                )
            ]
        if not others or time.monotonic() >= deadline:
            return others
        time.sleep(2)


def _set_buffers(value: str | None) -> None:
    """`ALTER SYSTEM SET shared_buffers = value` (None: RESET, the configuration file's)."""
    from psycopg import sql

    with _admin() as conn:
        if value is None:
            conn.execute("ALTER SYSTEM RESET shared_buffers")
        else:
            conn.execute(sql.SQL("ALTER SYSTEM SET shared_buffers = {}").format(sql.Literal(value)))


@contextlib.contextmanager
def _shared_buffers(size: str | None, wait: float) -> Iterator[str]:
    """The server with `shared_buffers` at `size` while the block runs (None: as it is), put
    back as it was afterwards, whatever happens; yields the value in effect."""
    shown, written = _buffers_now()
    if not size:
        print(f"shared_buffers {shown} (the server's, unchanged)", flush=True)
        yield shown
        return
    if not SIZE.match(size):
        raise SystemExit(f"--pg-shared-buffers {size}: a size such as 512MB or 2GB")
    others = _others_gone(wait)
    if others:
        raise SystemExit(
            f"not restarting PostgreSQL: other databases have clients after {wait:.0f} s:"
            f" {', '.join(others)} (nothing changed)"
        )
    try:
        _set_buffers(size)
        restart_postgres()
        now, _ = _buffers_now()
        print(f"shared_buffers {shown} -> {now} (ALTER SYSTEM, server restarted)", flush=True)
        yield now
    finally:
        _set_buffers(written)
        others = _others_gone(wait)
        if others:
            print(f"restarting PostgreSQL although clients are connected: {', '.join(others)}")
        restart_postgres()
        back, kept = _buffers_now()
        print(
            f"shared_buffers put back: {back}"
            f" ({'ALTER SYSTEM ' + kept if kept else 'the configuration file'})"
            f"{'' if (back, kept) == (shown, written) else f' -- NOT the {shown} it was'}",
            flush=True,
        )


def _django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()


# -- setup ----------------------------------------------------------------------------------------
def setup_base(args: argparse.Namespace) -> None:
    """bench_appraisal's own setup: the demo organisation, the month opened, the spread."""
    import bench_appraisal  # this script's folder is on sys.path

    started = time.perf_counter()
    bench_appraisal.setup(argparse.Namespace(staff=args.base))
    print(f"setup of {args.base:,} staff: {time.perf_counter() - started:.0f} s", flush=True)


def setup_big(args: argparse.Namespace) -> None:
    """The copied city multiplied up to `--staff` people in plain SQL (`INSERT ... SELECT`), then
    the spread again and VACUUM ANALYZE. Shape `agencies` (default): the organisation under the
    city copied `k` times (units `<code>-<k>` under HN, their links and successions), each copy
    with its people, assignments, heads, its agencies' periods of the month and their
    evaluations: more agencies of the same size, as more provinces would be. Shape `people`: the
    people alone copied into the same units (five times larger agencies, no heads among the
    copies)."""
    _django()
    from bench_appraisal import SPREAD
    from django.db import connection, transaction

    from thenchot.appraisal.models import Evaluation, EvaluationPeriod
    from thenchot.org.models import Unit, UnitLink, UnitSuccession
    from thenchot.org.tree import invalidate
    from thenchot.people.models import Assignment, HeadAssignment, Staff

    q = connection.ops.quote_name
    have = Staff.objects.count()
    last = Staff.objects.order_by("-pk").values_list("pk", flat=True).first()
    last_unit = Unit.objects.order_by("-pk").values_list("pk", flat=True).first()
    copies = max(0, -(-args.staff // have) - 1)  # ceiling
    by_units = args.shape == "agencies"
    print(
        f"{have:,} staff; {copies} copies of {'the organisation' if by_units else 'each person'}"
        f" up to {args.staff:,}",
        flush=True,
    )

    def insert(model: Any, alias: str, picked: dict[str, str], tail: str, params: Any) -> None:
        cols = [f.column for f in model._meta.concrete_fields if f.column != "id"]
        select = ", ".join(picked.get(c, f"{alias}.{q(c)}") for c in cols)
        cursor.execute(
            f"INSERT INTO {q(model._meta.db_table)} ({', '.join(q(c) for c in cols)})"
            f" SELECT {select} FROM {q(model._meta.db_table)} {alias} {tail}",
            params,
        )

    unit_of = "COALESCE(um.new, {0})"
    join_unit = " LEFT JOIN unit_map um ON um.old = {0}"
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for k in range(1, copies + 1):
            suffix = f"-{k}"
            limit = min(have, args.staff - have * k)
            if by_units:
                insert(
                    Unit,
                    "u",
                    {"code": "u.code || %(s)s", "name": "u.name || %(s)s"},
                    f"WHERE u.id <= {last_unit} AND u.code <> 'HN'",
                    {"s": suffix},
                )
                cursor.execute(
                    "CREATE TEMP TABLE unit_map ON COMMIT DROP AS SELECT o.id AS old, n.id AS new"
                    f" FROM org_unit o JOIN org_unit n ON n.code = o.code || %s"
                    f" WHERE o.id <= {last_unit}",
                    [suffix],
                )
                insert(
                    UnitLink,
                    "l",
                    {"unit_id": "um.new", "parent_id": "COALESCE(pm.new, l.parent_id)"},
                    "JOIN unit_map um ON um.old = l.unit_id"
                    " LEFT JOIN unit_map pm ON pm.old = l.parent_id",
                    None,
                )
                insert(
                    UnitSuccession,
                    "x",
                    {"predecessor_id": "a.new", "successor_id": "b.new"},
                    "JOIN unit_map a ON a.old = x.predecessor_id"
                    " JOIN unit_map b ON b.old = x.successor_id",
                    None,
                )
            else:
                cursor.execute("CREATE TEMP TABLE unit_map (old bigint, new bigint) ON COMMIT DROP")
            insert(
                Staff,
                "s",
                {
                    "code": "s.code || %(s)s",
                    "user_id": "NULL",
                    "email": "''",
                    "search_text": "s.search_text || %(s)s",
                    "unit_id": unit_of.format("s.unit_id"),
                    **({} if by_units else {"is_leader": "FALSE"}),
                },
                join_unit.format("s.unit_id")
                + f" WHERE s.id <= {last} ORDER BY s.id LIMIT {limit}",
                {"s": suffix},
            )
            cursor.execute(
                "CREATE TEMP TABLE clone_map ON COMMIT DROP AS SELECT o.id AS old, n.id AS new"
                f" FROM people_staff o JOIN people_staff n ON n.code = o.code || %s"
                f" WHERE o.id <= {last}",
                [suffix],
            )
            mapped = {"staff_id": "m.new", "unit_id": unit_of.format("a.unit_id")}
            tail = "JOIN clone_map m ON m.old = a.staff_id" + join_unit.format("a.unit_id")
            insert(Assignment, "a", mapped, tail, None)
            if by_units:
                insert(HeadAssignment, "a", mapped, tail, None)
                insert(
                    EvaluationPeriod,
                    "p",
                    {"agency_id": "um.new"},
                    "JOIN unit_map um ON um.old = p.agency_id WHERE p.code = %s",
                    [MONTH],
                )
                period = "np.id"
                period_join = (
                    " JOIN appraisal_evaluationperiod op ON op.id = e.period_id"
                    " LEFT JOIN unit_map pm ON pm.old = op.agency_id"
                    " JOIN appraisal_evaluationperiod np"
                    " ON np.agency_id = COALESCE(pm.new, op.agency_id)"
                    " AND np.code = e.period_code"
                )
                flags = {}
            else:
                period, period_join = "e.period_id", ""
                flags = {"is_leader": "FALSE", "is_head": "FALSE"}
            insert(
                Evaluation,
                "e",
                {
                    "staff_id": "m.new",
                    "period_id": period,
                    "unit_id": unit_of.format("e.unit_id"),
                    **flags,
                },
                "JOIN clone_map m ON m.old = e.staff_id"
                + join_unit.format("e.unit_id")
                + period_join
                + " WHERE e.period_code = %s",
                [MONTH],
            )
            cursor.execute("DROP TABLE clone_map")
            cursor.execute("DROP TABLE unit_map")
            print(
                f"  copy {k}: {limit:,} staff with assignments and evaluations"
                f"{', units, links, heads and periods' if by_units else ''},"
                f" {time.perf_counter() - started:.0f} s",
                flush=True,
            )
        cursor.execute(SPREAD, [MONTH])
    invalidate()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    periods = EvaluationPeriod.objects.filter(code=MONTH).count()
    print(
        f"{Unit.objects.count():,} units, {Staff.objects.count():,} staff,"
        f" {Evaluation.objects.filter(period_code=MONTH).count():,} evaluations of {MONTH}"
        f" in {periods} agency periods: {time.perf_counter() - started:.0f} s",
        flush=True,
    )


# -- rounds ---------------------------------------------------------------------------------------
def restore(args: argparse.Namespace) -> None:
    """The month as the setup left it (approved, no level), vacuumed (bench_appraisal's)."""
    _django()
    from bench_appraisal import _reopen

    _reopen(MONTH)


def ties(args: argparse.Namespace) -> None:
    """The heads' choices where a tie needs one: a dry run of the close, as the close screen's
    preview; kept for the later rounds of the same database."""
    _django()
    from thenchot.appraisal import closing
    from thenchot.core.context import acting
    from thenchot.org.models import Unit

    city = Unit.objects.get(code="HN")
    started = time.perf_counter()
    with acting(source="command", reason="bench close"):
        move = closing.heads_naming_ties(unit=city, period=MONTH)
    seconds = time.perf_counter() - started
    _ties_file(args.which).write_text(json.dumps({"move": move, "seconds": seconds}))


class BackendCPU:
    """CPU seconds of every PostgreSQL process serving this database while it runs: polled from
    `pg_stat_activity` (its own connection left out) and `/proc/<pid>/stat`."""

    def __init__(self, dbname: str, interval: float = 0.1) -> None:
        import psycopg

        self.conn = psycopg.connect(
            f"postgresql://postgres@127.0.0.1:5432/{dbname}", autocommit=True
        )
        self.dbname, self.interval = dbname, interval
        self.own = self.conn.execute("SELECT pg_backend_pid()").fetchone()[0]  # type: ignore[index]
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.stop = threading.Event()
        self.poll(start=True)
        self.thread = threading.Thread(target=self.loop, daemon=True)

    def poll(self, *, start: bool = False) -> None:
        pids = [
            r[0]
            for r in self.conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> %s",
                [self.dbname, self.own],
            )
        ]
        for pid in pids:
            seconds = _proc_cpu(pid)
            if seconds is None:
                continue
            if pid not in self.first:
                self.first[pid] = seconds if start else 0.0
            self.last[pid] = seconds

    def loop(self) -> None:
        while not self.stop.wait(self.interval):
            self.poll()

    def __enter__(self) -> BackendCPU:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.poll()
        self.conn.close()

    @property
    def seconds(self) -> float:
        return sum(self.last[pid] - self.first[pid] for pid in self.last)


def _proc_cpu(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SERVER_COUNTERS = (
    "SELECT checkpoints_timed, checkpoints_req, buffers_checkpoint, buffers_clean,"
    " buffers_backend, (SELECT wal_bytes FROM pg_stat_wal) FROM pg_stat_bgwriter"
)


def _server_counters() -> tuple[Any, ...]:
    with _admin() as conn:
        return tuple(conn.execute(SERVER_COUNTERS).fetchone())


def close(args: argparse.Namespace) -> None:
    _django()
    from django.db import connection

    from thenchot.appraisal import closing
    from thenchot.core.context import acting
    from thenchot.org.models import Unit

    chosen = json.loads(_ties_file(args.which).read_text())
    city = Unit.objects.get(code="HN")
    connection.ensure_connection()
    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    count = [0]
    slowest: list[tuple[float, str]] = []

    def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        count[0] += 1
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            slowest.append((time.perf_counter() - began, " ".join(str(sql).split())[:110]))

    load_before = _load()
    counters = _server_counters()
    with (
        BackendCPU(connection.settings_dict["NAME"]) as backends,
        connection.execute_wrapper(counting),
        acting(source="command", reason="bench"),
    ):
        started = time.perf_counter()
        cpu = time.process_time()
        result = closing.close_period(
            unit=city, period=MONTH, resolve_quota="by-score", move=chosen["move"]
        )
        seconds = time.perf_counter() - started
        cpu = time.process_time() - cpu
    # A backend sends its statistics when it ends (or idle, up to 10 s later): end it first.
    connection.close()
    time.sleep(0.5)
    after = _server_counters()
    names = ("checkpoints_timed", "checkpoints_req", "buffers_checkpoint", "buffers_clean")
    server: dict[str, Any] = {n: after[i] - counters[i] for i, n in enumerate(names)}
    server["buffers_backend"] = after[4] - counters[4]
    server["wal_mb"] = float(after[5] - counters[5]) / 2**20
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "db_cpu": backends.seconds,
                "backends": len(backends.last),
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "base_mb": base_mb,
                "queries": count[0],
                "slowest": [[round(t, 2), q] for t, q in sorted(slowest, reverse=True)[:6]],
                "evaluations": result.evaluations,
                "periods": result.periods_closed,
                "moved": result.moved_by_quota,
                "by_level": result.by_level,
                "ties_seconds": chosen["seconds"],
                "named": len(chosen["move"]),
                "load_before": load_before,
                "load_after": _load(),
                "server": server,
            }
        ),
        flush=True,
    )


# -- the dashboard --------------------------------------------------------------------------------
def dashboard(args: argparse.Namespace) -> None:
    """The city dashboard over the closed month (bench_dashboards.py's request path)."""
    _django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.SECURE_SSL_REDIRECT = False
    from bench_dashboards import run_queued

    from thenchot.accounts.models import RoleGrant, User
    from thenchot.appraisal.models import Evaluation
    from thenchot.dashboards import aggregates, external

    closed = Evaluation.objects.filter(period_code=MONTH, status="closed").count()
    user, _ = User.objects.get_or_create(username="bench_scale_leader")
    RoleGrant.objects.get_or_create(user=user, role="city_leadership", unit=None)
    client = Client()
    client.force_login(user)
    url = f"/dashboards/?year={MONTH[:4]}"
    figures: dict[str, Any] = {"closed_evaluations": closed, "url": url}

    def view() -> dict[str, Any]:
        with CaptureQueriesContext(connection) as q:
            wall, cpu = time.perf_counter(), time.process_time()
            backend = _proc_cpu(_backend_pid()) or 0.0
            response = client.get(url)
            db = (_proc_cpu(_backend_pid()) or 0.0) - backend
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        assert response.status_code == 200, response.status_code
        return {
            "ms": wall * 1000,
            "cpu_ms": cpu * 1000,
            "db_ms": db * 1000,
            "queries": len(q.captured_queries),
            "kib": len(response.content) / 1024,
            "load": _load(),
        }

    aggregates.clear(stored=True)
    aggregates._asked.clear()
    external.clear()
    figures["cold"] = view()
    ran, ms = run_queued()
    figures["jobs"] = {"count": ran, "ms": ms, "load": _load()}
    aggregates.clear()  # a new process: the grids stored in the database, none in memory
    figures["new_process"] = view()
    warm = [view() for _ in range(5)]
    figures["warm"] = {
        "ms": statistics.median(w["ms"] for w in warm),
        "cpu_ms": statistics.median(w["cpu_ms"] for w in warm),
        "db_ms": statistics.median(w["db_ms"] for w in warm),
        "queries": warm[-1]["queries"],
        "load": _load(),
    }
    c, n, w = figures["cold"], figures["new_process"], figures["warm"]
    print(
        f"city dashboard {url}, {closed:,} closed evaluations of {MONTH}:"
        f" cold {c['ms']:.0f} ms (CPU {c['cpu_ms']:.0f} + {c['db_ms']:.0f} ms, {c['queries']}"
        f" queries, {c['kib']:.0f} KiB); background counting {ran} jobs in {ms:.0f} ms;"
        f" new process {n['ms']:.0f} ms ({n['cpu_ms']:.0f} + {n['db_ms']:.0f} ms,"
        f" {n['queries']} queries); warm median {w['ms']:.0f} ms ({w['cpu_ms']:.0f} +"
        f" {w['db_ms']:.0f} ms, {w['queries']} queries); load {w['load']}",
        flush=True,
    )
    print(json.dumps(figures), flush=True)


def _backend_pid() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return int(cursor.fetchone()[0])


PHASES = {
    "setup_base": setup_base,
    "setup_big": setup_big,
    "restore": restore,
    "ties": ties,
    "close": close,
    "dashboard": dashboard,
}

if __name__ == "__main__":
    main()
