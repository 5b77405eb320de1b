"""Helpers of the production tests: commands run as separate processes against a database
file or a PostgreSQL database of their own, and the rule that a missing service skips a test on
a developer's machine but fails it in CI (.ci/run sets CI)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CHECKOUT = Path(__file__).resolve().parents[2]
IN_CI = bool(os.environ.get("CI"))


def unavailable(reason: str) -> None:
    """Skip on a developer's machine; in CI (CI set, as .ci/run does) the service must be there."""
    if IN_CI:
        pytest.fail(f"{reason} (CI is set: this test must run)")
    pytest.skip(reason)


def process_env(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a command or server: this one's, less what makes a process a test."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PYTEST_", "THENCHOT_", "DJANGO_")) and k != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=database_url,
        THENCHOT_TESTING="1",
        THENCHOT_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    env.update(extra)
    return env


def manage(
    env: dict[str, str], *args: str, check: bool = True, timeout: float = 600
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=CHECKOUT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check:
        assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def fresh_sqlite(template: Path, directory: Path, name: str) -> Path:
    path = directory / f"{name}.sqlite3"
    path.write_bytes(template.read_bytes())
    return path


def postgres_admin_url() -> str:
    """A PostgreSQL database to create and drop test databases from."""
    explicit = os.environ.get("THENCHOT_TEST_POSTGRES_URL")
    if explicit:
        return explicit
    current = os.environ.get("DATABASE_URL", "")
    if current.startswith(("postgres://", "postgresql://")):
        return current.rsplit("/", 1)[0] + "/postgres"
    return "postgres://postgres@127.0.0.1:5432/postgres"


def redis_url() -> str:
    """The Redis server of the tests (THENCHOT_TEST_REDIS_URL; db 13 of the local one)."""
    import redis

    url = os.environ.get("THENCHOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        unavailable(f"Redis is not reachable at {url}: {exc}")
    return url
