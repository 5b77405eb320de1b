"""`thenchot backup` / `thenchot restore` (issue 17, point 4): the demo backed up and restored
into a freshly migrated database exports the same interchange file byte for byte, with its
uploaded files; across engines too (SQLite -> PostgreSQL -> SQLite). A non-empty database, a
backup of other migrations and a damaged backup are refused, changing nothing. The backup reads
one snapshot while a writer carries on."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.production._support import (
    CHECKOUT,
    fresh_sqlite,
    manage,
    process_env,
    sqlite_url,
)

# The session's test database exists only for tests that use one: the fresh databases here are
# copies of it (conftest), so every test is marked although none uses it itself.
pytestmark = pytest.mark.django_db

UPLOAD = Path("documents/2026/01/công-văn.txt")


@dataclass
class Demo:
    env: dict[str, str]
    export: bytes
    archive: Path
    media_bytes: bytes


@pytest.fixture(scope="module")
def demo(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo in a SQLite file with one uploaded file, its export and its backup."""
    where = tmp_path_factory.mktemp("demo")
    db = fresh_sqlite(sqlite_template, where, "demo")
    media = where / "media"
    (media / UPLOAD).parent.mkdir(parents=True)
    content = "Công văn số 1\n".encode()
    (media / UPLOAD).write_bytes(content)
    env = process_env(sqlite_url(db), THENCHOT_MEDIA_ROOT=str(media))
    manage(env, "load_demo", "--force", "--no-logins", "--staff", "60")
    manage(env, "export_data", str(where / "before.json"))
    manage(env, "backup", str(where / "backup.zip"), "--lang", "en")
    return Demo(env, (where / "before.json").read_bytes(), where / "backup.zip", content)


def _restored_export(env: dict[str, str], archive: Path, out: Path) -> bytes:
    done = manage(env, "restore", str(archive), "--lang", "en")
    assert "Restored" in done.stdout
    manage(env, "export_data", str(out))
    return out.read_bytes()


def _users(env: dict[str, str]) -> int:
    done = manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; print(get_user_model().objects.count())",
    )
    return int(done.stdout.split()[-1])


def test_it_restores_identical_exports_and_the_uploaded_files(
    demo: Demo, sqlite_template: Path, tmp_path: Path
) -> None:
    db = fresh_sqlite(sqlite_template, tmp_path, "restored")
    env = process_env(sqlite_url(db), THENCHOT_MEDIA_ROOT=str(tmp_path / "media"))

    after = _restored_export(env, demo.archive, tmp_path / "after.json")

    assert b'"evaluations"' in demo.export and b'"assignments"' in demo.export
    assert after == demo.export
    assert (tmp_path / "media" / UPLOAD).read_bytes() == demo.media_bytes


def test_the_archive_lists_every_table_with_counts_and_checksums(demo: Demo) -> None:
    with zipfile.ZipFile(demo.archive) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    tables = {t["label"]: t for t in manifest["tables"]}
    assert tables["accounts.user"]["rows"] > 0
    assert "auth.permission" in tables and "contenttypes.contenttype" in tables
    assert all(
        len(t["sha256"]) == 64 and f"data/{t['label']}.jsonl" in names for t in tables.values()
    )
    assert ["accounts", "0001_initial"] in manifest["migrations"]
    assert manifest["media"][0]["name"] == UPLOAD.as_posix()


def test_it_refuses_a_database_that_is_not_empty(demo: Demo, tmp_path: Path) -> None:
    users = _users(demo.env)

    done = manage(demo.env, "restore", str(demo.archive), "--lang", "en", check=False)

    assert done.returncode != 0
    assert "not empty" in done.stderr and f"{users} user accounts" in done.stderr
    assert _users(demo.env) == users


def _rewritten(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item.filename, change.get(item.filename, old.read(item.filename)))
    return target


def test_it_refuses_a_backup_of_other_migrations(
    demo: Demo, sqlite_template: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(demo.archive) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["migrations"].append(["accounts", "9999_from_the_future"])
    other = _rewritten(
        demo.archive, tmp_path / "other.zip", {"manifest.json": json.dumps(manifest).encode()}
    )
    env = process_env(sqlite_url(fresh_sqlite(sqlite_template, tmp_path, "target")))

    done = manage(env, "restore", str(other), "--lang", "en", check=False)

    assert done.returncode != 0
    assert "migrations differ" in done.stderr and "accounts.9999_from_the_future" in done.stderr


def test_it_refuses_a_damaged_backup_and_changes_nothing(
    demo: Demo, sqlite_template: Path, tmp_path: Path
) -> None:
    with zipfile.ZipFile(demo.archive) as archive:
        rows = archive.read("data/accounts.user.jsonl")
    damaged = _rewritten(
        demo.archive,
        tmp_path / "damaged.zip",
        {"data/accounts.user.jsonl": rows.replace(b"lanhdao", b"lanhdaX", 1)},
    )
    env = process_env(
        sqlite_url(fresh_sqlite(sqlite_template, tmp_path, "target")),
        THENCHOT_MEDIA_ROOT=str(tmp_path / "media"),
    )

    done = manage(env, "restore", str(damaged), "--lang", "en", check=False)

    assert done.returncode != 0
    assert "accounts.user are damaged" in done.stderr
    assert _users(env) == 0
    assert not (tmp_path / "media").exists()
    # Nothing was left behind: the real backup still restores.
    assert _restored_export(env, demo.archive, tmp_path / "after.json") == demo.export


def test_it_restores_across_engines(
    demo: Demo, postgres_databases, sqlite_template: Path, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    pg = process_env(postgres_databases(), THENCHOT_MEDIA_ROOT=str(tmp_path / "pg-media"))
    assert _restored_export(pg, demo.archive, tmp_path / "pg.json") == demo.export

    manage(pg, "backup", str(tmp_path / "pg.zip"))
    back = process_env(
        sqlite_url(fresh_sqlite(sqlite_template, tmp_path, "back")),
        THENCHOT_MEDIA_ROOT=str(tmp_path / "back-media"),
    )
    assert _restored_export(back, tmp_path / "pg.zip", tmp_path / "back.json") == demo.export
    # The sequences moved past the restored rows: a new record gets a new number.
    manage(
        pg,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user(username='moi', password='x')",
    )


SNAPSHOT_SCRIPT = textwrap.dedent(
    """
    import threading, django
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from thenchot.core.backup import snapshot
    User = get_user_model()
    before = User.objects.count()
    def write():
        User.objects.create_user(username="viet-trong-luc-sao-luu", password="x")
        connection.close()
    with snapshot():
        first = User.objects.count()
        writer = threading.Thread(target=write)
        writer.start()
        writer.join(timeout=30)
        assert not writer.is_alive(), "the writer waited for the backup"
        inside = User.objects.count()
    after = User.objects.count()
    print(before, first, inside, after)
    """
)


def _snapshot_counts(env: dict[str, str]) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", SNAPSHOT_SCRIPT],
        cwd=CHECKOUT,
        env={**env, "DJANGO_SETTINGS_MODULE": "thenchot.settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [int(n) for n in done.stdout.split()]


def test_the_backup_reads_one_snapshot_while_a_writer_carries_on(
    sqlite_template: Path, tmp_path: Path
) -> None:
    env = process_env(sqlite_url(fresh_sqlite(sqlite_template, tmp_path, "busy")))

    before, first, inside, after = _snapshot_counts(env)

    assert first == inside == before
    assert after == before + 1


def test_the_backup_reads_one_snapshot_on_postgresql(postgres_databases) -> None:  # type: ignore[no-untyped-def]
    before, first, inside, after = _snapshot_counts(process_env(postgres_databases()))

    assert first == inside == before
    assert after == before + 1
