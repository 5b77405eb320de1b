"""The whole demo (every app's records) exported, imported into a freshly migrated database and
exported again gives the same file byte for byte: history, tasks, inspections, discipline,
rotations and evaluations survive the documented round trip (issue 10, point 9)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]


def _manage(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{db}",
        "THENCHOT_TESTING": "1",
        "THENCHOT_EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=CHECKOUT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, f"{args}: {done.stdout[-3000:]}{done.stderr[-3000:]}"
    return done


def test_it_round_trips_the_whole_demo_byte_for_byte(tmp_path: Path) -> None:
    first, second = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    out_a, out_b = tmp_path / "a.json", tmp_path / "b.json"
    _manage(first, "migrate", "-v0")
    _manage(first, "load_demo", "--force", "--no-logins", "--staff", "250")
    _manage(first, "export_data", str(out_a))
    _manage(second, "migrate", "-v0")
    _manage(second, "import_data", str(out_a))
    _manage(second, "export_data", str(out_b))
    exported = out_a.read_bytes()
    assert b'"assignments"' in exported and b'"evaluations"' in exported
    assert exported == out_b.read_bytes()
