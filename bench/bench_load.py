"""Load benchmark (not a test): the month-end mix against gunicorn on loopback.

    .venv/bin/python bench/bench_load.py prepare [--staff 20000] [--rebuild]
    .venv/bin/python bench/bench_load.py run [--workers 4] [--rates 40,60,80,...] [--seconds 20]
    .venv/bin/python bench/bench_load.py cpu [--rate 20] [--seconds 10]

`prepare` builds the PostgreSQL database `thenchot_bench_load` (server `$BENCH_POSTGRES_URL`,
default `postgres://postgres@127.0.0.1:5432/`; `--sqlite` for bench/out/load.sqlite3) with the
demo organisation of `--staff` people (the current month open, as `load_demo` leaves it), then
gives 2,000 of the people with an evaluation still theirs to edit a login and an API token, and
every division head a login with the division-manager role. The people, tokens and session
cookies go to bench/out/load_targets.json. It ends with ANALYZE: the planner's statistics of a
database autovacuum has seen, not the guesses right after a bulk load. `run` and `cpu` first
read the people's evaluation versions back from the database (a request that timed out in an
earlier run left the file's version behind, and every later self-assessment of that person
would be a 409).

`run` starts gunicorn (`--workers`, sync workers; `--threads N` for gthread workers with
keep-alive, as contrib/systemd runs them; the project's production settings except
plain HTTP on loopback: Redis db 9 for the cache and sessions when a server answers on
127.0.0.1:6379, as docs/operations.md deploys it, else each worker's memory; `--set
THENCHOT_NAME=value` adds a setting; `bench/load_settings.py` adds one bare endpoint) and offers each rate
of `--rates` requests per second, open loop (requests leave on a fixed schedule whether or not
earlier ones came back, so a slow server is seen as latency, not hidden as a lower rate), for
`--seconds` each after 3 s of warm-up, in the month-end mix:

| kind | share | request |
|---|---|---|
| self_assess | 40 % | `POST /api/v1/evaluations/{id}/self-assess/` (token), the person's own |
| own_page | 15 % | `GET /appraisal/me/` (session) |
| own_list | 10 % | `GET /api/v1/evaluations/?period=…` (token), the person's own list |
| home | 10 % | `GET /` (session) |
| manager_list | 20 % | `GET /api/v1/evaluations/?period=…` (a division manager's token) |
| board | 5 % | `GET /appraisal/board/` (a division manager's session) |

A person's next self-assessment leaves only after the answer to the previous one came back, as
at a browser (sent sooner, it would carry a stale version and be refused with a 409, which the
server rightly does). Each step prints the achieved rate, p50/p95/max per kind and overall, errors (any status other
than 200, a refused connection, or no answer in 10 s), and the load generator's own CPU. The
result is the highest rate with p95 ≤ 300 ms and no error.

`cpu` offers each kind alone, and the bare endpoint (`GET /bench/bare/{pk}/`: one evaluation
row read by primary key and returned as JSON, same server, middleware and database), at a
modest rate, and prints the server CPU per request: user+system time of the gunicorn workers
and of the PostgreSQL processes, read from /proc before and after. Self-assessment throughput
relative to the bare endpoint is the ratio of their CPU per request (the server is CPU-bound).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
TARGETS = OUT / "load_targets.json"
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/").rstrip("/")
DB_NAME = "thenchot_bench_load"
SQLITE_PATH = OUT / "load.sqlite3"
PEOPLE = 2_000
MIX = {
    "self_assess": 40,
    "own_page": 15,
    "own_list": 10,
    "home": 10,
    "manager_list": 20,
    "board": 5,
}
TIMEOUT = 10.0
TICKS = os.sysconf("SC_CLK_TCK")


def _database_url(sqlite: bool) -> str:
    return f"sqlite:///{SQLITE_PATH}" if sqlite else f"{PG_SERVER}/{DB_NAME}"


def _redis_url() -> str:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return "redis://127.0.0.1:6379/9"
    except OSError:
        return ""


def _server_env(database_url: str, extra: list[str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("THENCHOT_")}
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="load_settings",
        PYTHONPATH=f"{ROOT}:{ROOT / 'bench'}",
        THENCHOT_DEBUG="false",
        THENCHOT_SECRET_KEY="bench-load-" + "x" * 50,
        THENCHOT_ALLOWED_HOSTS="127.0.0.1,localhost",
        THENCHOT_SECURE_COOKIES="false",
        THENCHOT_SSL_REDIRECT="false",
        THENCHOT_HSTS_SECONDS="0",
        THENCHOT_STATIC_MANIFEST="false",
        THENCHOT_CONN_MAX_AGE="600",
    )
    # The production profile (docs/operations.md) shares Redis for the cache and the sessions;
    # without a Redis server on loopback each worker caches in its own memory.
    env.update(THENCHOT_CACHE_URL=_redis_url(), THENCHOT_CACHE_PREFIX="bench-load")
    for item in extra or []:
        name, sep, value = item.partition("=")
        if not sep or not name.startswith("THENCHOT_"):
            raise SystemExit(f"--set wants THENCHOT_NAME=value, got {item!r}")
        env[name] = value
    return env


# -- prepare ------------------------------------------------------------------------------------
def prepare(args: argparse.Namespace) -> None:
    OUT.mkdir(exist_ok=True)
    url = _database_url(args.sqlite)
    env = _server_env(url)
    env["DJANGO_SETTINGS_MODULE"] = "thenchot.settings"
    py = str(ROOT / ".venv" / "bin" / "python")
    manage = [py, str(ROOT / "manage.py")]
    if args.rebuild:
        if args.sqlite:
            SQLITE_PATH.unlink(missing_ok=True)
        else:
            subprocess.run(
                ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB_NAME], check=True
            )
    if not args.sqlite:
        exists = subprocess.run(
            [
                "psql",
                "-h",
                "127.0.0.1",
                "-U",
                "postgres",
                "-tAc",
                f"SELECT 1 FROM pg_database WHERE datname='{DB_NAME}'",
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        if not exists:
            subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB_NAME], check=True)
    t0 = time.perf_counter()
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    subprocess.run(
        [*manage, "load_demo", "--staff", str(args.staff), "--if-empty", "--force", "--no-logins"],
        env=env,
        check=True,
    )
    subprocess.run([py, __file__, "_targets"], env=env, check=True)
    # The statistics a database of this size has once autovacuum has seen it: measured right
    # after the bulk load, the planner would guess at 240,000 unanalysed evaluations.
    if args.sqlite:
        import sqlite3

        with sqlite3.connect(SQLITE_PATH) as db:
            db.execute("ANALYZE")
    else:
        subprocess.run([*_psql(), "-qc", "ANALYZE"], check=True)
    print(f"database ready in {time.perf_counter() - t0:.0f} s ({url})")


def make_targets() -> None:
    """Inside Django (run by `prepare`): logins, tokens and sessions for the load."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.db.models import Q
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from thenchot.accounts.choices import Role
    from thenchot.accounts.models import RoleGrant, User
    from thenchot.appraisal.choices import SELF_EDITABLE
    from thenchot.appraisal.models import Evaluation, EvaluationPeriod
    from thenchot.people.models import HeadAssignment, Staff

    today = timezone.localdate()
    code = f"{today.year}-{today.month:02d}"
    if not EvaluationPeriod.objects.filter(code=code).exists():
        raise SystemExit(f"no evaluation period {code} is open: run prepare on a fresh database")
    # A second run gives a login to those the first one did not (users are never deleted: the
    # foreign keys to accounts make that slow on a large database).
    password = make_password("Bench@2026")
    evaluations = list(
        Evaluation.objects.filter(
            Q(staff__user__isnull=True) | Q(staff__user__username__startswith="load"),
            period__code=code,
            status__in=list(SELF_EDITABLE),
        ).values_list("pk", "staff_id", "version", "rule_pack", "staff__user_id")
    )
    from thenchot.appraisal import rules

    names = {"general": "general_points", "tasks": "task_points", "bonus": "bonus_points"}
    payloads = {}
    for pack_id in {e[3] for e in evaluations}:
        criteria = {c.id: c.max_points for c in rules.registry.get(pack_id).criteria}
        if "general" in criteria:  # a pack scored by points: 80 % of each criterion's maximum
            payloads[pack_id] = {
                names[c]: str((m * 4 / 5).quantize(m)) for c, m in criteria.items() if c in names
            }
    evaluations = [e for e in evaluations if e[3] in payloads]
    evaluations.sort(key=lambda e: e[4] is None)  # those with a login from a first run first
    chosen = evaluations[:PEOPLE]

    def session_for(user: Any) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.set_expiry(7 * 24 * 3600)
        store.save()
        return str(store.session_key)

    with transaction.atomic():
        people = []
        for pk, staff_id, version, pack_id, user_id in chosen:
            user, _created = User.objects.get_or_create(
                username=f"load{staff_id}", defaults={"password": password}
            )
            if user_id != user.pk:
                Staff.objects.filter(pk=staff_id).update(user=user)
            token, _created = Token.objects.get_or_create(user=user)
            people.append(
                {
                    "evaluation": pk,
                    "version": version,
                    "points": payloads[pack_id],
                    "token": token.key,
                    "session": session_for(user),
                }
            )
        managers = []
        heads = (
            HeadAssignment.objects.filter(role="head", unit__kind="division", valid_to__isnull=True)
            .select_related("staff", "unit")
            .order_by("unit_id")[:300]
        )
        for head in heads:
            staff = head.staff
            user = (
                staff.user
                or User.objects.get_or_create(
                    username=f"load{staff.pk}", defaults={"password": password}
                )[0]
            )
            if staff.user_id is None:
                Staff.objects.filter(pk=staff.pk).update(user=user)
            RoleGrant.objects.get_or_create(user=user, role=Role.DIVISION_MANAGER, unit=head.unit)
            token, _created = Token.objects.get_or_create(user=user)
            managers.append({"token": token.key, "session": session_for(user)})
    bare = list(Evaluation.objects.filter(period__code=code).values_list("pk", flat=True)[:5000])
    TARGETS.write_text(
        json.dumps({"period": code, "people": people, "managers": managers, "bare": bare})
    )
    print(f"{len(people)} people, {len(managers)} division managers -> {TARGETS}")


# -- the server ---------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(
        self, database_url: str, workers: int, extra: list[str] | None = None, threads: int = 1
    ) -> None:
        self.port = _free_port()
        gunicorn = str(ROOT / ".venv" / "bin" / "gunicorn")
        env = _server_env(database_url, extra)
        print(
            f"gunicorn -w {workers} --threads {threads}; cache and sessions: "
            f"{env['THENCHOT_CACHE_URL'] or 'per process, sessions in the database'}",
            flush=True,
        )
        self.proc = subprocess.Popen(
            [
                gunicorn,
                "--workers",
                str(workers),
                "--threads",
                str(threads),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--backlog",
                "2048",
                "--timeout",
                "60",
                "--log-level",
                "warning",
                "thenchot.wsgi:application",
            ],
            env=env,
            cwd=str(ROOT),
        )
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                time.sleep(0.3)
        else:
            self.stop()
            raise SystemExit("gunicorn did not start")

    def worker_pids(self) -> list[int]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.proc.pid)], capture_output=True, text=True
        ).stdout.split()
        return [int(p) for p in out]

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def _cpu_of(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / TICKS


def _postgres_pids() -> list[int]:
    """The PostgreSQL backends serving the benchmark's database (the server's other clients,
    and its own background processes, are not the application's cost)."""
    out = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout
    pids = []
    for pid in out.split():
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if f" {DB_NAME} " in cmdline:
            pids.append(int(pid))
    return pids


# -- the client ---------------------------------------------------------------------------------
class Requests:
    """Builds each kind's next request from the prepared targets."""

    def __init__(self, targets: dict[str, Any]) -> None:
        self.period = targets["period"]
        self.people = targets["people"]
        self.managers = targets["managers"]
        self.bare_ids = targets["bare"]
        self.rng = random.Random(11)
        # People whose self-assessment is on its way: a person sends the next one after the
        # answer to the last (sent sooner, it would carry a stale version and rightly get a 409).
        self.saving: set[int] = set()

    def build(self, kind: str) -> tuple[str, str, dict[str, str], bytes, Any]:
        r = self.rng
        if kind == "bare":
            return "GET", f"/bench/bare/{r.choice(self.bare_ids)}/", {}, b"", None
        if kind in ("manager_list", "board"):
            who = r.choice(self.managers)
        elif kind == "self_assess":
            who = r.choice(self.people)
            while who["evaluation"] in self.saving:
                who = r.choice(self.people)
            self.saving.add(who["evaluation"])
        else:
            who = r.choice(self.people)
        token = {"Authorization": f"Token {who['token']}"}
        cookie = {"Cookie": f"sessionid={who['session']}"}
        if kind == "self_assess":
            body = json.dumps(
                {
                    **who["points"],
                    "evidence": "Hoàn thành nhiệm vụ được giao.",
                    "achievements": "",
                    "proposed_level": "good",
                    "version": who["version"],
                }
            ).encode()
            headers = {**token, "Content-Type": "application/json"}
            return (
                "POST",
                f"/api/v1/evaluations/{who['evaluation']}/self-assess/",
                headers,
                body,
                who,
            )
        if kind == "own_page":
            return "GET", "/appraisal/me/", cookie, b"", None
        if kind == "own_list":
            return "GET", f"/api/v1/evaluations/?period={self.period}", token, b"", None
        if kind == "home":
            return "GET", "/", cookie, b"", None
        if kind == "manager_list":
            return "GET", f"/api/v1/evaluations/?period={self.period}", token, b"", None
        if kind == "board":
            return "GET", "/appraisal/board/", cookie, b"", None
        raise ValueError(kind)


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("closed")
    status = int(status_line.split()[1])
    length = None
    chunked = False
    close = False
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        name = name.strip().lower()
        if name == "content-length":
            length = int(value.strip())
        elif name == "transfer-encoding" and "chunked" in value.lower():
            chunked = True
        elif name == "connection" and "close" in value.lower():
            close = True
    if chunked:
        body = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                await reader.readline()
                break
            body += await reader.readexactly(size)
            await reader.readline()
    elif length is not None:
        body = await reader.readexactly(length)
    else:
        body = await reader.read()
        close = True
    if close:
        raise _Closed(status, body)
    return status, body


class _Closed(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        self.status, self.body = status, body


class Pool:
    def __init__(self, port: int) -> None:
        self.port = port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []

    async def request(
        self, method: str, path: str, headers: dict[str, str], body: bytes
    ) -> tuple[int, bytes]:
        conn = (
            self.idle.pop() if self.idle else await asyncio.open_connection("127.0.0.1", self.port)
        )
        reader, writer = conn
        head = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
        head += [f"{k}: {v}" for k, v in headers.items()]
        writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            status, data = await _read_response(reader)
        except _Closed as closed:
            writer.close()
            return closed.status, closed.body
        except Exception:
            writer.close()
            raise
        self.idle.append(conn)
        return status, data


async def _offer(
    port: int, reqs: Requests, mix: dict[str, int], rate: float, seconds: float
) -> dict[str, list[float]]:
    """Requests on a fixed schedule for `seconds`; latencies (s) by kind, None for an error."""
    pool = Pool(port)
    kinds = [k for k, share in mix.items() for _ in range(share)]
    rng = random.Random(5)
    results: dict[str, list[Any]] = defaultdict(list)
    tasks = []
    start = time.perf_counter()

    async def one(kind: str, due: float) -> None:
        method, path, headers, body, who = reqs.build(kind)
        try:
            status, data = await asyncio.wait_for(
                pool.request(method, path, headers, body), TIMEOUT
            )
        except Exception:
            results[kind].append(None)
            return
        finally:
            if who is not None:
                reqs.saving.discard(who["evaluation"])
        took = time.perf_counter() - due  # from the scheduled time: a queue at the client counts
        if status != 200:
            results[kind].append(None)
            results["_statuses"].append((kind, status, data[:200]))
            return
        if who is not None:  # the next self-assessment of this person carries the new version
            who["version"] = json.loads(data)["version"]
        results[kind].append(took)

    n = int(rate * seconds)
    for i in range(n):
        due = start + i / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(rng.choice(kinds), due)))
    await asyncio.gather(*tasks)
    results["_elapsed"] = [time.perf_counter() - start]
    for _reader, writer in pool.idle:
        writer.close()
    return results


def _pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def _summary(results: dict[str, list[Any]]) -> tuple[float, int, str]:
    lines = []
    every = []
    errors = 0
    for kind in sorted(k for k in results if not k.startswith("_")):
        ok = [v for v in results[kind] if v is not None]
        bad = len(results[kind]) - len(ok)
        errors += bad
        every += ok
        if ok:
            lines.append(
                f"    {kind:13} n={len(results[kind]):5}  p50 {_pct(ok, 50):7.1f}  p95 {_pct(ok, 95):7.1f}"
                f"  max {max(ok) * 1000:7.1f} ms  errors {bad}"
            )
        else:
            lines.append(f"    {kind:13} n={len(results[kind]):5}  all failed")
    for kind, status, data in results.get("_statuses", [])[:3]:
        lines.append(f"    e.g. {kind} -> HTTP {status}: {data!r}")
    p95 = _pct(every, 95) if every else float("inf")
    return p95, errors, "\n".join(lines)


def _refresh_versions(targets: dict[str, Any], sqlite: bool) -> None:
    """The people's evaluation versions as stored: a request that timed out in an earlier run
    (its answer never read) left the file's version behind, and every later self-assessment of
    that person would be refused as stale (409)."""
    ids = [p["evaluation"] for p in targets["people"]]
    listed = ",".join(str(int(i)) for i in ids)
    sql = f"SELECT id, version FROM appraisal_evaluation WHERE id IN ({listed})"
    if sqlite:
        import sqlite3

        with sqlite3.connect(SQLITE_PATH) as db:
            rows = db.execute(sql).fetchall()
    else:
        out = subprocess.run(
            [*_psql(), "-tAF", ",", "-c", sql], capture_output=True, text=True, check=True
        ).stdout
        rows = [tuple(int(x) for x in line.split(",")) for line in out.split()]
    versions = dict(rows)
    for person in targets["people"]:
        person["version"] = versions.get(person["evaluation"], person["version"])


def _psql() -> list[str]:
    return ["psql", f"{PG_SERVER}/{DB_NAME}"]


def _save_versions(targets: dict[str, Any]) -> None:
    """The people's evaluation versions after a run, for the next run's first self-assessments."""
    TARGETS.write_text(json.dumps(targets))


def run(args: argparse.Namespace) -> None:
    targets = json.loads(TARGETS.read_text())
    _refresh_versions(targets, args.sqlite)
    reqs = Requests(targets)
    server = Server(_database_url(args.sqlite), args.workers, args.set, args.threads)
    best = None
    try:
        asyncio.run(_offer(server.port, reqs, MIX, 10, 3))  # warm-up: imports, connections, caches
        for rate in [float(r) for r in args.rates.split(",")]:
            cpu0 = resource.getrusage(resource.RUSAGE_SELF)
            srv0 = _cpu_of(server.worker_pids())
            pg0 = _cpu_of(_postgres_pids())
            results = asyncio.run(_offer(server.port, reqs, MIX, rate, args.seconds))
            cpu1 = resource.getrusage(resource.RUSAGE_SELF)
            srv = _cpu_of(server.worker_pids()) - srv0
            pg = _cpu_of(_postgres_pids()) - pg0
            elapsed = results["_elapsed"][0]
            total = sum(len(v) for k, v in results.items() if not k.startswith("_"))
            p95, errors, detail = _summary(results)
            own = (cpu1.ru_utime + cpu1.ru_stime) - (cpu0.ru_utime + cpu0.ru_stime)
            print(
                f"offered {rate:.0f}/s: {total / elapsed:.1f} req/s achieved, p95 {p95:.1f} ms, "
                f"errors {errors}; CPU s: gunicorn {srv:.1f}, postgres {pg:.1f}, load generator "
                f"{own:.1f} (of {elapsed:.1f} s x {os.cpu_count()} cores); load {os.getloadavg()[0]:.1f}"
            )
            print(detail, flush=True)
            if p95 <= 300 and errors == 0:
                best = rate
            elif args.stop_early:
                break
    finally:
        server.stop()
        _save_versions(targets)
    print(f"highest rate with p95 <= 300 ms and no error: {best if best is not None else 'none'}/s")


def cpu(args: argparse.Namespace) -> None:
    targets = json.loads(TARGETS.read_text())
    _refresh_versions(targets, args.sqlite)
    reqs = Requests(targets)
    server = Server(_database_url(args.sqlite), args.workers, args.set, args.threads)
    per: dict[str, float] = {}
    try:
        asyncio.run(_offer(server.port, reqs, MIX, 10, 3))
        kinds = args.kinds.split(",") if args.kinds else ["bare", *MIX]
        for kind in kinds:
            asyncio.run(_offer(server.port, reqs, {kind: 1}, args.rate, 2))  # warm this kind
            srv0, pg0 = _cpu_of(server.worker_pids()), _cpu_of(_postgres_pids())
            results = asyncio.run(_offer(server.port, reqs, {kind: 1}, args.rate, args.seconds))
            srv = _cpu_of(server.worker_pids()) - srv0
            pg = _cpu_of(_postgres_pids()) - pg0
            n = len(results[kind])
            ok = [v for v in results[kind] if v is not None]
            per[kind] = (srv + pg) / n * 1000
            print(
                f"{kind:13} {n} requests: server CPU {per[kind]:.1f} ms each (Python {srv / n * 1000:.1f}"
                f" + PostgreSQL {pg / n * 1000:.1f}); median {statistics.median(ok) * 1000 if ok else 0:.1f} ms,"
                f" errors {n - len(ok)}",
                flush=True,
            )
    finally:
        server.stop()
        _save_versions(targets)
    if per.get("self_assess") and per.get("bare"):
        print(f"self-assessment / bare: {per['bare'] / per['self_assess']:.2f} (CPU per request)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("--staff", type=int, default=20_000)
    p.add_argument("--rebuild", action="store_true")
    p.add_argument("--sqlite", action="store_true")
    r = sub.add_parser("run")
    r.add_argument("--workers", type=int, default=4)
    r.add_argument("--threads", type=int, default=1, help="gunicorn threads a worker (>1: gthread)")
    r.add_argument("--rates", default="40,60,80,100,120,150,180")
    r.add_argument("--seconds", type=float, default=20)
    r.add_argument("--stop-early", action="store_true", help="stop at the first rate that fails")
    r.add_argument("--sqlite", action="store_true")
    c = sub.add_parser("cpu")
    c.add_argument("--workers", type=int, default=4)
    c.add_argument("--threads", type=int, default=1, help="gunicorn threads a worker (>1: gthread)")
    c.add_argument("--rate", type=float, default=20)
    c.add_argument("--seconds", type=float, default=10)
    c.add_argument("--sqlite", action="store_true")
    c.add_argument(
        "--kinds", default="", help="comma-separated kinds (default: bare and the mix's)"
    )
    for p_ in (r, c):
        p_.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="THENCHOT_NAME=value",
            help="a setting for the server's environment (repeatable)",
        )
    sub.add_parser("_targets")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args)
    elif args.command == "_targets":
        make_targets()
    elif args.command == "run":
        run(args)
    else:
        cpu(args)


if __name__ == "__main__":
    main()
