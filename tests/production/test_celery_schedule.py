"""The production scheduler (issue 17, point 2): two Celery beats send the tick, two worker
processes run it, and a job due every second runs once per second — never twice in a slot —
and the heartbeat they leave makes the scheduler healthy."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest

from tests.production._support import (
    CHECKOUT,
    fresh_sqlite,
    process_env,
    redis_url,
    sqlite_url,
    unavailable,
)

# The session's test database is copied for the processes (conftest).
pytestmark = pytest.mark.django_db


def test_two_beats_and_two_workers_run_a_job_once_per_slot(
    sqlite_template: Path, tmp_path: Path
) -> None:
    if importlib.util.find_spec("celery") is None:
        unavailable("celery is not installed")
    redis = redis_url()
    claims = tmp_path / "claims.log"
    env = process_env(
        sqlite_url(fresh_sqlite(sqlite_template, tmp_path, "celery")),
        THENCHOT_JOBS_BACKEND="celery",
        THENCHOT_CELERY_BROKER_URL=redis,
        THENCHOT_CACHE_URL=redis,
        THENCHOT_CACHE_PREFIX="test-" + uuid.uuid4().hex[:8],
        THENCHOT_SCHEDULER_TICK="1",
        THENCHOT_SCHEDULER_MAX_AGE="30",
        THENCHOT_TEST_CLAIMS_LOG=str(claims),
        THENCHOT_TEST_QUEUE="thenchot-test-" + uuid.uuid4().hex[:8],
    )
    celery = [sys.executable, "-m", "celery", "-A", "tests.production.celery_app"]
    commands = [
        celery
        + [
            "worker",
            "-P",
            "solo",
            "-n",
            f"one-{uuid.uuid4().hex[:6]}@%h",
            "-Q",
            env["THENCHOT_TEST_QUEUE"],
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        celery
        + [
            "worker",
            "-P",
            "solo",
            "-n",
            f"two-{uuid.uuid4().hex[:6]}@%h",
            "-Q",
            env["THENCHOT_TEST_QUEUE"],
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        celery + ["beat", "-s", str(tmp_path / "beat-one")],
        celery + ["beat", "-s", str(tmp_path / "beat-two")],
    ]
    logs = [(tmp_path / f"p{i}.log").open("w") for i in range(len(commands))]
    processes = [
        subprocess.Popen(c, cwd=CHECKOUT, env=env, stdout=log, stderr=subprocess.STDOUT)
        for c, log in zip(commands, logs, strict=True)
    ]
    try:
        # Until both workers have won some slots (or a minute has gone by).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            time.sleep(1)
            lines = claims.read_text().splitlines() if claims.exists() else []
            if len(lines) >= 8 and len({line.split()[2] for line in lines}) == 2:
                break
            assert all(p.poll() is None for p in processes), "a celery process stopped"
        time.sleep(2)  # the last jobs sent are run
    finally:
        for p in processes:
            p.terminate()
        for p in processes:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
    output = "\n".join(f.name + ":\n" + Path(f.name).read_text()[-1500:] for f in logs)

    lines = claims.read_text().splitlines() if claims.exists() else []
    slots = Counter(line.split()[1] for line in lines)
    assert len(slots) >= 8, output
    assert max(slots.values()) == 1, f"a slot claimed twice: {slots}"
    assert len({line.split()[2] for line in lines}) == 2, "one worker won every slot"
    runs = (tmp_path / "claims.log.runs").read_text().splitlines()
    # Each slot's job ran once: none twice, and all but the last sent (maybe not yet run).
    assert len(slots) - 2 <= len(runs) <= len(slots)

    heartbeat = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from thenchot.core import jobs; "
            "import time; print(time.time() - jobs.last_heartbeat())",
        ],
        cwd=CHECKOUT,
        env={**env, "DJANGO_SETTINGS_MODULE": "thenchot.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert heartbeat.returncode == 0, heartbeat.stderr[-2000:]
    assert float(heartbeat.stdout.split()[-1]) < 30
