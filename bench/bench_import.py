"""Benchmark: import of a Hanoi-sized `thenchot/1` JSON file (≈2,000 units, 100 job
positions, 200,000 staff with accounts and one month of their evaluations: about 60 MB) into a
freshly migrated database.

    .venv/bin/python bench/bench_import.py [--staff N] [--engines sqlite,postgresql]

For each engine the script creates an empty database (a SQLite file in a temporary directory;
PostgreSQL database `thenchot_bench_import`, or `--pg-db`, on $BENCH_POSTGRES_URL, default
postgres://postgres@127.0.0.1:5432/, dropped and created here), runs `migrate`, then runs
`thenchot import_data` in a subprocess and prints its wall time, peak RSS
(`getrusage(RUSAGE_CHILDREN).ru_maxrss` of a wrapper that runs only the import), its CPU time
and, on PostgreSQL, the CPU time of the database's backend processes serving it (read from
/proc while it runs). Targets (issue 18): ≤ 60 s and ≤ 500 MB (docs/performance.md).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 3, 1)
PG_DEFAULT = "postgres://postgres@127.0.0.1:5432/"
PG_DB = "thenchot_bench_import"

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Ngọc", "Thu", "Xuân"]
GIVEN = ["An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phương"]
CATEGORIES = ["cadre", "civil_servant", "public_employee", "contract_worker"]
PERIOD = "2026-02"  # the month before `AS_OF`
LEVELS = ["excellent", "good", "good", "good", "complete", "complete", "not_complete"]
TARGET_SECONDS = 60
TARGET_MIB = 500
COMPACT = (",", ":")


def build_document(staff_count: int, seed: int = 2026) -> dict[str, Any]:
    """A synthetic Hanoi: the 2023 three-level tree (districts, communes) ended on 2025-06-30
    with successors, and the two-level one (departments, 126 communes and wards) after it."""
    rnd = random.Random(seed)
    units: list[dict[str, Any]] = []

    def unit(code: str, name: str, kind: str, parent: str | None, **extra: Any) -> str:
        units.append(
            {
                "code": code,
                "name": name,
                "kind": kind,
                "parent": parent,
                "valid_from": extra.get("valid_from"),
                "valid_to": extra.get("valid_to"),
                "successors": extra.get("successors", []),
            }
        )
        return code

    unit("HN", "Thành phố Hà Nội", "city", None)
    current: list[str] = []
    for d in range(30):
        dep = unit(f"S{d:02d}", f"Sở số {d}", "department", "HN")
        current.append(dep)
        for v in range(10):
            current.append(unit(f"{dep}-P{v}", f"Phòng {v} Sở {d}", "division", dep))
    new_communes = [f"X{c:03d}" for c in range(126)]
    for c, code in enumerate(new_communes):
        unit(
            code,
            f"Xã/Phường mới {c}",
            "ward" if c % 2 else "commune",
            "HN",
            valid_from="2025-07-01",
        )
        current.append(code)
        for v in range(5):
            current.append(
                unit(f"{code}-P{v}", f"Phòng {v} {code}", "division", code, valid_from="2025-07-01")
            )
    for q in range(30):
        ended = {"valid_to": "2025-06-30"}
        dist = unit(f"Q{q:02d}", f"Quận/Huyện {q}", "district", "HN", **ended)
        for v in range(10):
            unit(f"{dist}-P{v}", f"Phòng {v} {dist}", "division", dist, **ended)
        for c in range(20):
            successor = new_communes[(q * 20 + c) % 126]
            unit(
                f"{dist}-X{c:02d}",
                f"Xã {c} {dist}",
                "commune",
                dist,
                successors=[successor],
                **ended,
            )
    jobs = [
        {
            "code": f"VTVL{j:03d}",
            "name": f"Vị trí việc làm {j}",
            "rotation_subject": j % 3 == 0,
            "rotation_period_months": 36 if j % 3 == 0 else None,
        }
        for j in range(100)
    ]
    staff: list[dict[str, Any]] = []
    heads: set[str] = set()
    for i in range(staff_count):
        unit_code = current[i % len(current)]
        head = unit_code not in heads
        heads.add(unit_code)
        born = dt.date(1965, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 35))
        staff.append(
            {
                "code": f"CB{i:07d}",
                "full_name": f"{rnd.choice(FAMILY)} {rnd.choice(MIDDLE)} {rnd.choice(GIVEN)}",
                "category": CATEGORIES[i % 4],
                "unit": unit_code,
                "position_title": "Trưởng phòng" if head else "Chuyên viên",
                "is_head": head,
                "is_leader": head,
                "job_position": jobs[i % 100]["code"],
                "in_position_since": "2025-07-01" if head else None,
                "joined_on": None,
                "date_of_birth": born.isoformat(),
                "retirement_on": None,
                "email": f"cb{i:07d}@hanoi.gov.vn",
                "username": f"cb{i:07d}",
            }
        )
    return {
        "format": "thenchot/1",
        "as_of": AS_OF.isoformat(),
        "units": units,
        "job_positions": jobs,
        "staff": staff,
        "evaluations": evaluations(staff, rnd),
    }


def evaluations(staff: list[dict[str, Any]], rnd: random.Random) -> list[dict[str, Any]]:
    """One approved month (`PERIOD`) per person, under the pack in force for their category
    (decree 335 for civil servants: no bonus points; Hanoi's monthly pack for the others)."""
    out = []
    for person in staff:
        civil_servant = person["category"] == "civil_servant"
        level = rnd.choice(LEVELS)
        row: dict[str, Any] = {
            "staff": person["code"],
            "period": PERIOD,
            "general_points": rnd.randrange(
                20 if civil_servant else 12, 31 if civil_servant else 21
            ),
            "task_points": rnd.randrange(40, 70) + rnd.choice((0, 0.5)),
            "proposed_level": level,
            "final_level": level,
            "status": "approved",
        }
        if not civil_servant:
            row["bonus_points"] = rnd.randrange(0, 11)
        out.append(row)
    return out


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "THENCHOT_DEBUG": "0",
            "LANG": "en_US.UTF-8",
            "DJANGO_SETTINGS_MODULE": "thenchot.settings",
        }
    )
    return env


def _manage(args: list[str], env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "thenchot.manage", *args], env=env, cwd=ROOT, check=True)


def _timed_import(
    path: Path, env: dict[str, str], database: str | None
) -> tuple[float, float, float, float | None, str, str]:
    """Wall seconds, peak RSS (MiB) and CPU seconds (user + system) of `import_data` alone,
    measured by a wrapper process whose only child is the import; on PostgreSQL (`database`)
    also the CPU seconds of the backends connected to it, sampled from /proc while the import
    runs (a backend's last sample is at most `SAMPLE` seconds old when it exits). Also the
    import's stderr (its progress lines) and stdout (its counts)."""
    wrapper = (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "p = subprocess.run([sys.executable, '-m', 'thenchot.manage', 'import_data', sys.argv[1], '--progress',"
        " '--lang', 'en'], capture_output=True, text=True)\n"
        "wall = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "rss, cpu = u.ru_maxrss / 1024, u.ru_utime + u.ru_stime\n"
        "sys.stderr.write(p.stderr)\n"
        "print(f'{wall:.3f} {rss:.1f} {cpu:.3f} {p.returncode}')\n"
        "print(p.stdout)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", wrapper, str(path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    backend_cpu: dict[int, float] = {}
    if database is not None:
        while proc.poll() is None:
            backend_cpu.update(_backends(database))
            time.sleep(SAMPLE)
    stdout, stderr = proc.communicate()
    if proc.returncode != 0:
        raise SystemExit(f"wrapper failed:\n{stderr}")
    first, _, rest = stdout.partition("\n")
    wall, rss, cpu, code = first.split()
    if code != "0":
        raise SystemExit(f"import_data failed ({code}):\n{stderr}")
    pg_cpu = sum(backend_cpu.values()) if database is not None else None
    return float(wall), float(rss), float(cpu), pg_cpu, stderr, rest.strip()


def _phases(lines: list[str]) -> list[str]:
    """The first and last progress line of each phase of each section ("[  12.0 s] Writing
    staff: 2,000 of 200,000 records"): when each began and ended."""
    out: list[str] = []
    last_key = None
    for number, line in enumerate(lines):
        key = line.split("] ", 1)[-1].split(":", 1)[0]
        if key != last_key:
            if number and out[-1] != lines[number - 1]:
                out.append(lines[number - 1])
            out.append(line)
            last_key = key
    if lines and out[-1] != lines[-1]:
        out.append(lines[-1])
    return out


SAMPLE = 0.2
_TICKS = os.sysconf("SC_CLK_TCK")


def _backends(database: str) -> dict[int, float]:
    """pid -> CPU seconds so far of each PostgreSQL backend connected to `database`."""
    out: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            if b"postgres: " not in cmdline or f" {database} ".encode() not in cmdline:
                continue
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        out[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICKS
    return out


def _postgres_reset(base_url: str, name: str = PG_DB) -> str:
    import psycopg

    with psycopg.connect(base_url.rstrip("/") + "/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    return base_url.rstrip("/") + f"/{name}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--staff", type=int, default=200_000)
    parser.add_argument("--engines", default="sqlite,postgresql")
    parser.add_argument(
        "--progress", action="store_true", help="print the import's progress lines (stderr)"
    )
    parser.add_argument("--write", metavar="PATH", help="only write the generated file to PATH")
    parser.add_argument(
        "--pg-db", default=PG_DB, help=f"the PostgreSQL database to (re)create (default {PG_DB})"
    )
    args = parser.parse_args()
    if args.write:
        Path(args.write).write_text(
            json.dumps(build_document(args.staff), ensure_ascii=False, separators=COMPACT),
            encoding="utf-8",
        )
        return
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    with tempfile.TemporaryDirectory(prefix="thenchot-bench-") as tmp:
        path = Path(tmp) / "hanoi.json"
        started = time.perf_counter()
        doc = build_document(args.staff)
        path.write_text(json.dumps(doc, ensure_ascii=False, separators=COMPACT), encoding="utf-8")
        counts = {k: len(v) for k, v in doc.items() if isinstance(v, list)}
        del doc
        size = path.stat().st_size / 1024 / 1024
        print(f"file: {counts} {size:.1f} MiB, generated in {time.perf_counter() - started:.1f} s")
        for engine in engines:
            if engine == "sqlite":
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            elif engine == "postgresql":
                try:
                    url = _postgres_reset(
                        os.environ.get("BENCH_POSTGRES_URL", PG_DEFAULT), args.pg_db
                    )
                except Exception as exc:  # no server: say so and go on
                    print(f"{engine}: skipped ({exc})")
                    continue
            else:
                raise SystemExit(f"unknown engine {engine!r}")
            env = _env(url)
            _manage(["migrate", "--verbosity", "0"], env)
            before = " ".join(f"{x:.2f}" for x in os.getloadavg())
            database = args.pg_db if engine == "postgresql" else None
            wall, rss, cpu, pg_cpu, progress, output = _timed_import(path, env, database)
            after = " ".join(f"{x:.2f}" for x in os.getloadavg())
            verdict = "ok" if wall <= TARGET_SECONDS and rss <= TARGET_MIB else "OVER TARGET"
            server = f" + {pg_cpu:.1f} s PostgreSQL backend" if pg_cpu is not None else ""
            print(
                f"{engine}: import {wall:.1f} s wall, {cpu:.1f} s CPU{server},"
                f" peak RSS {rss:.0f} MiB [{verdict}: ≤ {TARGET_SECONDS} s, ≤ {TARGET_MIB} MiB]"
                f" (load average before {before}, after {after}; {os.cpu_count()} CPUs)"
            )
            for line in output.splitlines():
                print(f"  {line}")
            if args.progress:
                for line in _phases(progress.splitlines()):
                    print(f"  | {line}")


if __name__ == "__main__":
    main()
