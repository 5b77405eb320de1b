"""Fault benchmark (not a test): a period close and an import, killed or cut off half-way.

    .venv/bin/python bench/bench_faults.py [--only close|import] [--no-restart]

Needs the load benchmark's database (`bench/bench_load.py prepare`, PostgreSQL
`thenchot_bench_load`, 20,000 staff) and root on the machine's PostgreSQL cluster: it restarts
the server (`pg_ctlcluster ... restart -m fast`), so run it alone, never beside CI or other
work on the same server.

Close: on a copy of the database (`thenchot_bench_faults`), the city's last closed month is
reopened agency by agency (`thenchot reopen_period`, by decision), then `thenchot close_period`
for the city is (1) run to the end once, its duration T and its results' fingerprint (levels by
evaluation) kept, and the month reopened again; (2) killed with SIGKILL half-way through its
writes — the process a worker would be, the job interface reruns it; (3) cut off by a PostgreSQL
restart at the same point. The point is timed from the command's first write, seen in
`pg_stat_activity` (its transaction id), by the clean run's time from that write to its end. After
each fault: no evaluation of the month is closed and no period is closed (nothing partial), and
the rerun closes the month with the same fingerprint as the clean run.

Import: a city's file of 50,000 staff (`bench_import.py`'s generator) imported by
`thenchot import_data` into a fresh, migrated database (`thenchot_bench_faults_import`), (1) to
the end, its time from the first write and the row counts kept; (2) killed half-way through
its writes; (3) cut off by a PostgreSQL restart at the same point. After each fault every
table the import writes is empty, and the rerun gives the counts of the clean run.

Prints one line per step and `ALL PASSED` or the failures; exits 1 on a failure.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from common import restart_postgres

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
PY = str(ROOT / ".venv" / "bin" / "python")
PG = ["-h", "127.0.0.1", "-U", "postgres"]
SOURCE = "thenchot_bench_load"
CLOSE_DB = "thenchot_bench_faults"
IMPORT_DB = "thenchot_bench_faults_import"
IMPORT_TABLES = ["org_unit", "people_staff", "people_assignment", "people_jobposition"]
IMPORT_STAFF = 50_000
failures: list[str] = []


def psql(db: str, sql: str) -> str:
    return subprocess.run(
        ["psql", *PG, "-d", db, "-tAc", sql], capture_output=True, text=True, check=True
    ).stdout.strip()


def env_for(db: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THENCHOT_")}
    env.update(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{db}",
        THENCHOT_DEBUG="false",
        THENCHOT_SECRET_KEY="bench-faults-" + "x" * 50,
        THENCHOT_CONN_MAX_AGE="0",
    )
    return env


def manage(db: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=env_for(db),
        capture_output=True,
        text=True,
        check=check,
    )


def fresh_copy(target: str, template: str | None) -> None:
    subprocess.run(["dropdb", *PG, "--if-exists", target], check=True, capture_output=True)
    args = ["createdb", *PG, target] + (["-T", template] if template else [])
    subprocess.run(args, check=True)


def _start(db: str, args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [PY, str(ROOT / "manage.py"), *args],
        env=env_for(db),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _writing_from(db: str, proc: subprocess.Popen[str]) -> float | None:
    """When the command's transaction first wrote (its backend on `db` holds a transaction id:
    PostgreSQL gives one at the first write or DDL), polled every 10 ms; None when the command
    ended first. The fault is timed from here: the read and check before it take longer or
    shorter from one run to the next, and the writes themselves, a second for the close, were
    missed by a fault timed from the start (session 11: the close finished before it)."""
    import psycopg

    with psycopg.connect(f"postgresql://postgres@127.0.0.1:5432/{db}", autocommit=True) as conn:
        while proc.poll() is None:
            found = conn.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend' AND backend_xid IS NOT NULL",
                [db],
            ).fetchone()
            if found:
                return time.perf_counter()
            time.sleep(0.01)
    return None


def timed_run(db: str, args: list[str]) -> tuple[float, float]:
    """Run `thenchot <args>` to the end: its seconds, and the seconds from its first write to
    its end (the writes, the commit and the process's exit)."""
    t0 = time.perf_counter()
    proc = _start(db, args)
    wrote = _writing_from(db, proc)
    out, _ = proc.communicate(timeout=1800)
    end = time.perf_counter()
    if proc.returncode != 0:
        raise SystemExit(f"{args[0]} failed: {(out or '').strip()[-400:]}")
    if wrote is None:
        raise SystemExit(f"{args[0]} ended before its write was seen: choose a larger case")
    return end - t0, end - wrote


def interrupted(db: str, args: list[str], writes: float, how: str) -> int:
    """Start `thenchot <args>`, then half-way through its writes (`writes`: the seconds from the
    first write to the end in a clean run) kill it (`kill`) or restart PostgreSQL (`restart`);
    the process's exit status."""
    proc = _start(db, args)
    wrote = _writing_from(db, proc)
    if wrote is not None:
        time.sleep(max(0.0, wrote + writes / 2 - time.perf_counter()))
    if proc.poll() is not None:
        failures.append(f"{args[0]} finished before the fault: choose a larger case")
        out, _ = proc.communicate()
        return proc.returncode
    print(f"    {how} {writes / 2:.1f} s after the first write", flush=True)
    if how == "kill":
        proc.send_signal(signal.SIGKILL)
    else:
        restart_postgres()
    out, _ = proc.communicate(timeout=600)
    last = (out or "").strip().splitlines()[-1:] or [""]
    print(f"    exit {proc.returncode}: {last[0][:160]}")
    return proc.returncode


def check(label: str, ok: bool, detail: str) -> None:
    print(f"  {'ok  ' if ok else 'FAIL'} {label}: {detail}", flush=True)
    if not ok:
        failures.append(f"{label}: {detail}")


# -- the close ---------------------------------------------------------------------------------
def _month_state(db: str, month: str) -> tuple[int, int]:
    closed_periods = int(
        psql(
            db,
            f"SELECT count(*) FROM appraisal_evaluationperiod WHERE code='{month}' AND status='closed'",
        )
    )
    closed_rows = int(
        psql(
            db,
            "SELECT count(*) FROM appraisal_evaluation e JOIN appraisal_evaluationperiod p "
            f"ON p.id = e.period_id WHERE p.code='{month}' AND e.status='closed'",
        )
    )
    return closed_periods, closed_rows


def _fingerprint(db: str, month: str) -> str:
    return psql(
        db,
        "SELECT md5(string_agg(e.id || ':' || coalesce(e.final_level, '-') || ':' || "
        "coalesce(e.score::text, '-'), ',' ORDER BY e.id)) FROM appraisal_evaluation e "
        f"JOIN appraisal_evaluationperiod p ON p.id = e.period_id WHERE p.code='{month}'",
    )


REOPEN = """
import datetime as dt
from django.utils import timezone
from thenchot.appraisal.models import EvaluationPeriod
from thenchot.appraisal.reopening import reopen_period
from thenchot.core.context import acting
with acting(source="command", reason="fault benchmark"):
    for period in EvaluationPeriod.objects.filter(code="{month}", status="closed"):
        reopen_period(period=period, decision="QD-FAULT-{n}", decided_on=timezone.localdate(),
                      reason="fault benchmark")
"""


def _reopen_month(db: str, month: str, n: int) -> None:
    """Every agency's period of the month reopened by a recorded decision (the service that
    `thenchot reopen_period` calls for one agency), in one process."""
    manage(db, "shell", "-c", REOPEN.format(month=month, n=n))


def _head_choices(db: str, args: list[str]) -> list[str]:
    """`--move` for the ties at a quota boundary, as a head would name them (the first of each
    tie group, as many as must move): the close refuses a tie until someone is named, and that
    refusal changes nothing."""
    trial = manage(db, *args, "--lang", "en", check=False)
    moves: list[str] = []
    for line in (trial.stdout + trial.stderr).splitlines():
        if "tie at the quota boundary" not in line:
            continue
        count = re.search(r"; (\d+) of them must move down", line)
        codes = re.findall(r"\(([A-Z0-9][A-Z0-9.-]*)\)", line.split("score", 1)[1])
        if count:
            moves += codes[: int(count.group(1))]
    if trial.returncode == 0:  # no tie: the trial was the clean close; open the month again
        _reopen_month(db, args[args.index("--period") + 1], 0)
    return ["--move", ",".join(moves)] if moves else []


def bench_close(restart: bool) -> None:
    print("== close of the city's month", flush=True)
    fresh_copy(CLOSE_DB, SOURCE)
    month = psql(
        CLOSE_DB,
        "SELECT max(code) FROM appraisal_evaluationperiod WHERE status='closed' AND code LIKE '____-__'",
    )
    city = psql(CLOSE_DB, "SELECT code FROM org_unit WHERE kind = 'city' ORDER BY id LIMIT 1")
    args = ["close_period", "--unit", city, "--period", month, "--resolve-quota", "by-score"]
    _reopen_month(CLOSE_DB, month, 1)
    rows = psql(
        CLOSE_DB,
        "SELECT count(*) FROM appraisal_evaluation e JOIN appraisal_evaluationperiod p "
        f"ON p.id = e.period_id WHERE p.code='{month}'",
    )
    print(f"  month {month} of {city}: {rows} evaluations, reopened")
    args += _head_choices(CLOSE_DB, args)
    took, writes = timed_run(CLOSE_DB, args)
    clean = _fingerprint(CLOSE_DB, month)
    print(f"  clean close: {took:.1f} s (the command; {writes:.1f} s from its first write)")
    faults = ["kill"] + (["restart"] if restart else [])
    for n, how in enumerate(faults, start=2):
        _reopen_month(CLOSE_DB, month, n)
        before = _month_state(CLOSE_DB, month)
        print(f"  {how}:")
        interrupted(CLOSE_DB, args, writes, how)
        after = _month_state(CLOSE_DB, month)
        check(
            f"close, {how}: nothing partial",
            after == before,
            f"closed periods/rows {before} -> {after}",
        )
        manage(CLOSE_DB, *args)
        again = _fingerprint(CLOSE_DB, month)
        check(
            f"close, {how}: the rerun", again == clean, "same levels and scores as the clean close"
        )


# -- the import --------------------------------------------------------------------------------
def _counts(db: str) -> dict[str, int]:
    return {t: int(psql(db, f"SELECT count(*) FROM {t}")) for t in IMPORT_TABLES}


def _empty_import_db() -> None:
    fresh_copy(IMPORT_DB, None)
    manage(IMPORT_DB, "migrate", "--noinput", "-v", "0")


def bench_import(restart: bool) -> None:
    print("== import of the city's file", flush=True)
    OUT.mkdir(exist_ok=True)
    path = OUT / "faults_city.json"
    # The import benchmark's Hanoi-shaped file (bench_import.build_document), 50,000 staff.
    sys.path.insert(0, str(ROOT / "bench"))
    import json

    from bench_import import build_document

    path.write_text(json.dumps(build_document(IMPORT_STAFF)), encoding="utf-8")
    print(f"  file: {path.stat().st_size / 1e6:.1f} MB")
    _empty_import_db()
    took, writes = timed_run(IMPORT_DB, ["import_data", str(path)])
    clean = _counts(IMPORT_DB)
    print(f"  clean import: {took:.1f} s ({writes:.1f} s from its first write), {clean}")
    faults = ["kill"] + (["restart"] if restart else [])
    for how in faults:
        _empty_import_db()
        # Half-way through the writes (it reads and checks the whole file first).
        print(f"  {how}:")
        interrupted(IMPORT_DB, ["import_data", str(path)], writes, how)
        left = _counts(IMPORT_DB)
        check(f"import, {how}: nothing partial", not any(left.values()), f"rows left {left}")
        manage(IMPORT_DB, "import_data", str(path))
        again = _counts(IMPORT_DB)
        check(f"import, {how}: the rerun", again == clean, f"{again}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["close", "import"])
    parser.add_argument(
        "--no-restart", action="store_true", help="kill only; leave PostgreSQL running"
    )
    args = parser.parse_args()
    if not psql("postgres", f"SELECT 1 FROM pg_database WHERE datname='{SOURCE}'"):
        raise SystemExit(f"{SOURCE} is missing: run `bench/bench_load.py prepare` first")
    if args.only in (None, "close"):
        bench_close(not args.no_restart)
    if args.only in (None, "import"):
        bench_import(not args.no_restart)
    print("ALL PASSED" if not failures else "FAILURES:\n  " + "\n  ".join(failures))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
