"""Benchmark: the demo's history survives a round trip at city scale (GitHub issue 10, point 9).

    .venv/bin/python bench/bench_roundtrip.py [--staff 200000] [--engine sqlite|pg]

Fills database A with the demo generator (`thenchot.demo.generator`: the 2023 tree, the 2025
reorganisation, people moved to the successor units), exports it with `thenchot export_data`,
imports the file with `thenchot import_data` into database B, freshly migrated, exports B and
compares the two files byte for byte. Prints the time of each step and whether the files are
identical; exits 1 when they are not (the first differing line is shown).

SQLite files live in `bench/out/`; PostgreSQL uses `thenchot_bench_roundtrip_a` and `_b` on
$BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/), dropped and created here.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
AS_OF = "2026-03-01"
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/"
SECTIONS = "units,job_positions,staff,assignments"


def _manage(url: str, *args: str) -> float:
    """Run `manage.py args` on database `url`; its wall time in seconds."""
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def _fresh(engine: str, name: str) -> str:
    if engine == "sqlite":
        path = OUT / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg

    server = os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT)
    with psycopg.connect(server + "postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return server + name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--staff", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--engine", choices=["sqlite", "pg"], default="sqlite")
    opts = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    first, second = OUT / "roundtrip_first.json", OUT / "roundtrip_second.json"
    a = _fresh(opts.engine, "thenchot_bench_roundtrip_a")
    b = _fresh(opts.engine, "thenchot_bench_roundtrip_b")
    times: dict[str, float] = {}
    times["migrate A"] = _manage(a, "migrate", "-v0")
    times["generate"] = _manage(
        a,
        "shell",
        "-c",
        "from thenchot.demo.generator import generate;"
        f" generate(staff={opts.staff}, seed={opts.seed})",
    )
    export = ["export_data", "--as-of", AS_OF, "--sections", SECTIONS]
    times["export A"] = _manage(a, *export, str(first))
    times["migrate B"] = _manage(b, "migrate", "-v0")
    times["import into B"] = _manage(b, "import_data", str(first))
    times["export B"] = _manage(b, *export, str(second))
    identical = first.read_bytes() == second.read_bytes()
    print(f"engine {opts.engine}, {opts.staff} staff, file {first.stat().st_size / 1e6:.1f} MB")
    for step, seconds in times.items():
        print(f"  {step:<14} {seconds:8.1f} s")
    print("exports identical: " + ("yes" if identical else "NO"))
    if not identical:
        with first.open() as one, second.open() as two:
            for number, (x, y) in enumerate(zip(one, two, strict=False), start=1):
                if x != y:
                    print(
                        f"  first difference at line {number}:\n  - {x.rstrip()}\n  + {y.rstrip()}"
                    )
                    break
    return 0 if identical else 1


if __name__ == "__main__":
    sys.exit(main())
