"""The generated secret key: one per installation, private, and the same for racing processes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from thenchot.core import secret
from thenchot.core.secret import key_file, load_or_create_secret_key

CHECKOUT = Path(__file__).resolve().parents[3]


def test_it_returns_the_same_key_every_time(tmp_path: Path) -> None:
    first = load_or_create_secret_key(tmp_path / "var")
    second = load_or_create_secret_key(tmp_path / "var")

    assert first == second
    assert len(first) >= secret.MIN_KEY_LENGTH
    assert key_file(tmp_path / "var").read_text(encoding="utf-8").strip() == first


def test_it_makes_the_file_readable_by_its_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # the usual umask would leave a plain file world-readable
    try:
        load_or_create_secret_key(tmp_path / "var")
    finally:
        os.umask(old_umask)

    assert stat.S_IMODE(key_file(tmp_path / "var").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700


def test_it_gives_every_racing_caller_the_same_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    start = threading.Barrier(12)
    keys: list[str] = []

    def start_a_worker() -> None:
        start.wait()
        keys.append(load_or_create_secret_key(data_dir))

    threads = [threading.Thread(target=start_a_worker) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(keys) == 12
    assert len(set(keys)) == 1
    assert os.listdir(data_dir) == [secret.KEY_FILE_NAME]  # no temporary file left behind


def test_it_keeps_the_key_of_a_process_that_published_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The collision itself, deterministically: another process publishes between our failed
    # read and our own publication.
    data_dir = tmp_path / "var"
    data_dir.mkdir()
    winner = "w" * 40 + "0123456789"

    def generate_after_the_winner() -> str:
        secret._publish(key_file(data_dir), winner)
        return "l" * 40 + "9876543210"

    monkeypatch.setattr(secret, "get_random_secret_key", generate_after_the_winner)

    assert load_or_create_secret_key(data_dir) == winner
    assert key_file(data_dir).read_text(encoding="utf-8").strip() == winner
    assert os.listdir(data_dir) == [secret.KEY_FILE_NAME]


def test_it_refuses_a_key_file_too_short_to_sign_with(tmp_path: Path) -> None:
    key_file(tmp_path).write_text("short\n", encoding="utf-8")

    with pytest.raises(ImproperlyConfigured, match="fewer than 50 characters"):
        load_or_create_secret_key(tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_it_explains_a_key_file_it_cannot_read(tmp_path: Path) -> None:
    path = key_file(tmp_path)
    path.write_text("k" * 60, encoding="utf-8")
    path.chmod(0o000)
    try:
        with pytest.raises(ImproperlyConfigured, match="THENCHOT_SECRET_KEY"):
            load_or_create_secret_key(tmp_path)
    finally:
        path.chmod(0o600)


def _production_key(data_dir: Path) -> str:
    """SECRET_KEY as a production process sees it: no configured key, no DEBUG, not a test."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("THENCHOT_") and name != "PYTEST_VERSION"
    }
    env.update(DJANGO_SETTINGS_MODULE="thenchot.settings", THENCHOT_DATA_DIR=str(data_dir))
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=CHECKOUT,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout.strip()


def test_it_gives_separate_processes_the_same_key(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"

    first = _production_key(data_dir)
    second = _production_key(data_dir)

    assert first == second
    assert key_file(data_dir).read_text(encoding="utf-8").strip() == first
