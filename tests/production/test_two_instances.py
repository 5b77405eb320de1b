"""Two application instances (gunicorn) on one database with Redis for the cache and the
sessions, on loopback (issue 17, point 2): a session made on one is valid on the other and ends
on both at a logout; a dashboard page counted on B is recounted after a write made on A; two
schedulers running at once run a scheduled job once per slot; /health/ names the scheduler until
one ticks, then answers 200."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.production._support import (
    CHECKOUT,
    fresh_sqlite,
    process_env,
    redis_url,
    sqlite_url,
    unavailable,
)

# The session's test database is copied for the instances (conftest).
pytestmark = pytest.mark.django_db

PASSWORD = "ThenChot@2026"
SEED = textwrap.dedent(
    f"""
    import django
    django.setup()
    from thenchot.people.testing import build_world
    world = build_world()
    for user in world.users.values():
        user.set_password({PASSWORD!r})
        user.save()
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    a: str
    b: str
    env: dict[str, str]
    logs: Path


@pytest.fixture(scope="module")
def cluster(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    if importlib.util.find_spec("gunicorn") is None:
        unavailable("gunicorn is not installed")
    redis = redis_url()
    where = tmp_path_factory.mktemp("cluster")
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        # The engine of the session: a copy of its PostgreSQL test database.
        database = request.getfixturevalue("postgres_databases")()
    else:
        template = request.getfixturevalue("sqlite_template")
        database = sqlite_url(fresh_sqlite(template, where, "shared"))
    env = process_env(database)
    seeded = subprocess.run(
        [sys.executable, "-c", SEED],
        cwd=CHECKOUT,
        env={**env, "DJANGO_SETTINGS_MODULE": "thenchot.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeded.returncode == 0, seeded.stderr[-3000:]
    # A production process (no THENCHOT_TESTING), on plain HTTP over loopback.
    env.pop("THENCHOT_TESTING")
    env.update(
        THENCHOT_SECRET_KEY="two-instances-" + uuid.uuid4().hex * 2,
        THENCHOT_ALLOWED_HOSTS="127.0.0.1",
        THENCHOT_SECURE_COOKIES="false",
        THENCHOT_SSL_REDIRECT="false",
        THENCHOT_HSTS_SECONDS="0",
        THENCHOT_STATIC_MANIFEST="false",
        THENCHOT_DATA_DIR=str(where),
        THENCHOT_CACHE_URL=redis,
        THENCHOT_CACHE_PREFIX="test-" + uuid.uuid4().hex[:8],
        THENCHOT_SECOND_FACTOR="false",
    )
    servers = []
    urls = []
    for name in ("a", "b"):
        port = _free_port()
        log = (where / f"{name}.log").open("w")
        servers.append(
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "thenchot.wsgi", "-b", f"127.0.0.1:{port}"]
                + ["-w", "1", "--threads", "2", "--timeout", "60"],
                cwd=CHECKOUT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for url, server in zip(urls, servers, strict=True):
            _wait_until_up(url, server, where)
        yield Cluster(a=urls[0], b=urls[1], env=env, logs=where)
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


def _wait_until_up(url: str, server: subprocess.Popen[bytes], logs: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if requests.get(f"{url}/login/", timeout=30).status_code == 200:
                return
        except (requests.ConnectionError, requests.Timeout):
            pass
        time.sleep(0.3)
    text = "\n".join(p.read_text()[-2000:] for p in logs.glob("*.log"))
    pytest.fail(f"{url} did not come up:\n{text}")


def _login(base: str, username: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    done = session.post(
        f"{base}/login/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
        headers={"Referer": f"{base}/login/"},
        allow_redirects=False,
        timeout=30,
    )
    assert done.status_code == 302, done.text[:2000]
    assert "sessionid" in session.cookies
    return session


def _on(base: str, session: requests.Session) -> requests.Session:
    """The same browser talking to the other instance (the load balancer switched)."""
    other = requests.Session()
    for name in ("sessionid", "csrftoken"):
        other.cookies.set(name, session.cookies[name], domain="127.0.0.1")
    return other


def _figures(base: str, session: requests.Session, month: str) -> dict[str, str]:
    page = session.get(f"{base}/dashboards/", params={"month": month}, timeout=60)
    assert page.status_code == 200, page.text[:2000]
    return dict(re.findall(r'id="fig-([\w.]+)"[^>]*>([^<]*)<', page.text))


def test_a_session_made_on_one_instance_is_valid_on_the_other(cluster: Cluster) -> None:
    on_a = _login(cluster.a, "hung")
    on_b = _on(cluster.b, on_a)

    home = on_b.get(f"{cluster.b}/", allow_redirects=False, timeout=30)
    stranger = requests.get(f"{cluster.b}/", allow_redirects=False, timeout=30)

    assert home.status_code == 200
    assert "Trần Văn Hùng" in home.text
    assert stranger.status_code == 302 and "/login/" in stranger.headers["Location"]

    on_a.post(
        f"{cluster.a}/logout/",
        headers={"X-CSRFToken": on_a.cookies["csrftoken"], "Referer": f"{cluster.a}/"},
        timeout=30,
    )
    after = on_b.get(f"{cluster.b}/", allow_redirects=False, timeout=30)
    assert after.status_code == 302 and "/login/" in after.headers["Location"]


def test_a_dashboard_counted_on_b_follows_a_write_on_a(cluster: Cluster) -> None:
    on_a = _login(cluster.a, "hung")
    on_b = _on(cluster.b, on_a)
    today = dt.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    month = today.strftime("%Y-%m")
    deadline = today if today.day > 28 else today.replace(day=28)  # in this month
    before = _figures(cluster.b, on_b, month)
    assert _figures(cluster.b, on_b, month) == before  # counted once, then kept

    made = on_a.post(
        f"{cluster.a}/api/v1/tasks/",
        json={
            "title": "Báo cáo sơ kết quý",
            "lead_unit": "STC",
            "assigner_unit": "HN",
            "deadline": deadline.isoformat(),
        },
        headers={"X-CSRFToken": on_a.cookies["csrftoken"], "Referer": f"{cluster.a}/"},
        timeout=60,
    )
    assert made.status_code == 201, made.text[:2000]

    after = _figures(cluster.b, on_b, month)
    assert int(after["tasks.due"]) == int(before.get("tasks.due", "0")) + 1


SCHEDULER = textwrap.dedent(
    """
    import os, sys, time, django
    django.setup()
    from thenchot.core import jobs
    log, until = sys.argv[1], float(sys.argv[2])
    jobs._jobs.clear()  # only the test's job: the others are the apps' business
    @jobs.job("test.stamp", every_seconds=1)
    def stamp():
        pass
    scheduler = jobs.InProcessScheduler(tick=0.05)
    spec = jobs.registered()["test.stamp"]
    with open(log, "a") as out:
        while time.time() < until:
            now = time.time()
            for name in scheduler.run_pending(now):
                out.write(f"{jobs.slot_of(spec, now)} {os.getpid()}\\n")
                out.flush()
            time.sleep(0.05)
    """
)


def test_two_schedulers_run_a_scheduled_job_once_per_slot(cluster: Cluster, tmp_path: Path) -> None:
    health = requests.get(f"{cluster.b}/health/?format=json", timeout=30)
    assert health.status_code == 500
    assert "no scheduler has ticked" in health.text

    logs = [tmp_path / "one.log", tmp_path / "two.log"]
    until = time.time() + 15
    env = {**cluster.env, "DJANGO_SETTINGS_MODULE": "thenchot.settings"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SCHEDULER, str(log), str(until)], cwd=CHECKOUT, env=env
        )
        for log in logs
    ]
    for run in runs:
        assert run.wait(timeout=90) == 0

    claimed = [line.split() for log in logs for line in log.read_text().splitlines()]
    slots = [int(slot) for slot, _pid in claimed]
    by_process = {pid for _slot, pid in claimed}
    assert len(slots) == len(set(slots)), "a slot ran twice"
    assert len(slots) >= 5
    # Both schedulers ran while the other did: each won some slots.
    assert len(by_process) == 2

    health = requests.get(f"{cluster.a}/health/?format=json", timeout=30)
    assert health.status_code == 200, health.text
    assert set(health.json().values()) == {"OK"}
