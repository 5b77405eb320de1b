"""What the benchmarks of this folder share: a fresh database per engine, the Django set-up of
a worker process, timing, and the machine's load (the figures are read beside it).

A benchmark script imports it as `from common import ...` (the script's folder is first on
`sys.path` when it runs as `python bench/<name>.py`). Not a benchmark itself: `run_all.py`
runs only `bench_*.py`.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parent.parent
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_SERVER_URL = "postgres://postgres@127.0.0.1:5432"

T = TypeVar("T")


def recreate_pg(name: str) -> str:
    """Drop and create the PostgreSQL database `name` on 127.0.0.1; its DATABASE_URL."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
    return f"{PG_SERVER_URL}/{name}"


def run_per_engine(engines: str, pg_name: str, script: str, worker_args: Iterable[str]) -> None:
    """Run `script --worker <worker_args>` once per engine of `engines` ("sqlite,pg"), each in
    its own process and fresh database (settings read DATABASE_URL once): PostgreSQL's
    `pg_name`, dropped and created here, or a temporary SQLite file."""
    for engine in engines.split(","):
        with tempfile.TemporaryDirectory() as tmp:
            if engine == "pg":
                url = recreate_pg(pg_name)
            else:
                url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
            env = {**os.environ, "DATABASE_URL": url, "THENCHOT_TESTING": "1"}
            print(f"== {engine}", flush=True)
            cmd = [sys.executable, script, "--worker", *worker_args]
            subprocess.run(cmd, env=env, cwd=ROOT, check=True)


def main_per_engine(
    script: str,
    pg_name: str,
    worker: Callable[..., None],
    sizes: dict[str, int],
    *,
    engines: str = "sqlite",
    helps: dict[str, str] | None = None,
    flags: Iterable[str] = (),
) -> None:
    """The command line of a benchmark that runs `worker` once per engine: `--engines` (default
    `engines`), a whole number option per entry of `sizes` (its default; `helps` may describe
    it) and a switch per name of `flags`. The worker process (`--worker`) is called as
    `worker(**options)`, option names with `_` for `-`; `run_per_engine` starts one per engine."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--engines", default=engines)
    for name, default in sizes.items():
        parser.add_argument(f"--{name}", type=int, default=default, help=(helps or {}).get(name))
    for name in flags:
        parser.add_argument(f"--{name}", action="store_true")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = vars(parser.parse_args())
    names = [*sizes, *flags]
    options = {name.replace("-", "_"): args[name.replace("-", "_")] for name in names}
    if args["worker"]:
        worker(**options)
        return
    worker_args = [f"--{name}={args[name]}" for name in sizes]
    worker_args += [f"--{name}" for name in flags if args[name.replace("-", "_")]]
    run_per_engine(args["engines"], pg_name, script, worker_args)


def setup_django(*, migrate: bool = True) -> None:
    """Django for a worker process (the project's settings), its database migrated."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thenchot.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def analyze() -> None:
    """What autovacuum would do after a bulk load: fresh planner statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(label: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`func(*args, **kwargs)`, printing the seconds it took after `label`."""
    started = time.perf_counter()
    result = func(*args, **kwargs)
    print(f"{label}: {time.perf_counter() - started:.3f} s", flush=True)
    return result


def cold_and_warm(label: str, target: str, func: Callable[..., T], **kwargs: Any) -> T:
    """`func(**kwargs)` timed twice: cold, then warm against `target` ("<= 1 s")."""
    result = timed(f"{label} (cold)", func, **kwargs)
    result = timed(f"{label} (warm; target {target})", func, **kwargs)
    return result


def load_average() -> str:
    """The 1, 5 and 15 minute load averages, as printed beside the figures."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def cpu_seconds() -> float:
    """User and system CPU seconds of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def city_of_divisions(epoch: Any) -> None:
    """Unless it is there already, a city `BHN` of 30 departments `B00`..`B29` with 10
    divisions `Bnn-d` each, valid from `epoch` (the organisation the processes and reform
    benchmarks fill)."""
    from thenchot.org.models import Unit, UnitLink
    from thenchot.org.tree import invalidate

    if Unit.objects.filter(code="BHN").exists():
        return
    city = Unit.objects.create(code="BHN", name="Hà Nội", kind="city", valid_from=epoch)
    for a in range(30):
        agency = Unit.objects.create(
            code=f"B{a:02d}", name=f"Cơ quan {a}", kind="department", valid_from=epoch
        )
        UnitLink.objects.create(unit=agency, parent=city, valid_from=epoch)
        for d in range(10):
            child = Unit.objects.create(
                code=f"B{a:02d}-{d}", name=f"Đơn vị {a}.{d}", kind="division", valid_from=epoch
            )
            UnitLink.objects.create(unit=child, parent=agency, valid_from=epoch)
    invalidate()


def month_period(agency: Any, code: str, first: Any, last: Any, **fields: Any) -> Any:
    """An unsaved evaluation month of `agency`, every step due on its last day."""
    from thenchot.appraisal.models import EvaluationPeriod

    return EvaluationPeriod(
        agency=agency,
        code=code,
        kind="month",
        starts_on=first,
        ends_on=last,
        self_due=last,
        review_due=last,
        approval_due=last,
        **fields,
    )


def task_row(code: str, title: str, **fields: Any) -> Any:
    """An unsaved task with the search text the services would give it."""
    from thenchot.directives.models import Task, task_search_text

    return Task(code=code, title=title, search_text=task_search_text(code, title), **fields)


def extension_row(rng: Any, task: Any, *, longest: int, status: str = "approved") -> Any:
    """An unsaved extension request of a benchmark task for 10 to `longest` more days: asked
    before the deadline or, in 30% of cases, after it had passed (the delay stays), never
    before the task was assigned; decided within 4 days unless pending."""
    import datetime as dt

    from thenchot.directives.models import ExtensionRequest

    late = rng.random() < 0.3
    asked = task.deadline + dt.timedelta(days=rng.randint(1, 10) if late else -rng.randint(1, 5))
    asked = max(asked, task.assigned_on)
    return ExtensionRequest(
        task=task,
        requested_on=asked,
        previous_deadline=task.deadline,
        new_deadline=task.deadline + dt.timedelta(days=rng.randint(10, longest)),
        reason="Chờ ý kiến các sở, ngành",
        status=status,
        decided_on=None if status == "pending" else asked + dt.timedelta(days=rng.randint(0, 4)),
    )


def wait_for_postgres() -> None:
    deadline = time.time() + 60
    while time.time() < deadline:
        if subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0:
            return
        time.sleep(0.5)
    raise SystemExit("PostgreSQL did not come back")


def restart_postgres() -> None:
    """Restart the local PostgreSQL 15 cluster (fast shutdown: every session cut) and wait
    until it answers again."""
    version = sorted(os.listdir("/etc/postgresql"))[0]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", "-m", "fast", version, "main", "restart"],
        check=True,
        capture_output=True,
    )
    wait_for_postgres()
