"""`thenchot backup PATH` / `thenchot restore PATH`: the whole database and the uploaded files in
one compressed archive, taken while the application runs and restorable into an empty, freshly
migrated database of either engine.

App-agnostic: every installed app's tables (the many-to-many ones included), found through the
app registry. The archive is a zip file:

- `manifest.json`: the format, the engine and time of the backup, the applied migrations, and
  per table its model, columns, rows and SHA-256; per uploaded file its size and SHA-256;
- `data/<app>.<model>.jsonl`: one JSON array per row, the columns in the manifest's order, in
  primary-key order (so two backups of the same data are the same bytes);
- `media/<path>`: the files under MEDIA_ROOT.

Consistency: every table is read in one snapshot — a REPEATABLE READ, READ ONLY transaction on
PostgreSQL, a deferred read transaction on SQLite (WAL: the writers carry on). Uploaded files
are copied after the snapshot; an upload is written before its record is committed, so every
file a record of the snapshot names is there (files of later uploads come along unused).

Memory stays bounded both ways: rows are read in chunks and restored in batches.
"""

from __future__ import annotations

import base64
import contextlib
import datetime
import decimal
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any, cast
from zipfile import ZIP_DEFLATED, BadZipFile, ZipFile

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.duration import duration_string
from django.utils.translation import gettext as _

FORMAT = "thenchot-backup"
VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 2000
BATCH = 1000

# A freshly migrated database holds rows `migrate` wrote by itself (content types, permissions,
# a data migration's rows), numbered in its own order: a restore replaces them with the
# backup's, which the other tables' rows point to. Whatever else a database holds, it holds user
# accounts too (every import and every page needs them): a database without any is "empty".


class BackupError(Exception):
    """A backup or a restore refused, with a message for the operator."""


@dataclass
class Table:
    label: str
    columns: list[str]
    rows: int = 0
    sha256: str = ""


@dataclass
class Manifest:
    engine: str
    migrations: list[list[str]]
    created_at: str = ""
    tables: list[Table] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "created_at": self.created_at,
            "engine": self.engine,
            "migrations": self.migrations,
            "tables": [t.__dict__ for t in self.tables],
            "media": self.media,
        }

    def figures(self, path: Path) -> dict[str, Any]:
        """What `thenchot backup` and `thenchot restore` print of an archive at `path`."""
        return {
            "rows": sum(t.rows for t in self.tables),
            "tables": len(self.tables),
            "files": len(self.media),
            "path": path,
            "when": self.created_at,
        }

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise BackupError(_("This file is not a Then Chốt backup (no backup manifest)."))
        if data.get("version") != VERSION:
            raise BackupError(
                _("This backup has format version %(found)s; this version reads %(known)s.")
                % {"found": data.get("version"), "known": VERSION}
            )
        return cls(
            engine=str(data["engine"]),
            migrations=[list(m) for m in data["migrations"]],
            created_at=str(data.get("created_at", "")),
            tables=[Table(**t) for t in data["tables"]],
            media=list(data.get("media", [])),
        )


# -- the tables --------------------------------------------------------------------------------
def backed_up_models() -> list[type[models.Model]]:
    """Every table of every installed app, each after the tables it points to (where the
    pointers form no loop; foreign keys are checked at commit, so a loop is fine too)."""
    found = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and not m._meta.swapped
    ]
    found.sort(key=lambda m: m._meta.label_lower)
    by_label = {m._meta.label_lower: m for m in found}
    ordered: list[type[models.Model]] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(model: type[models.Model]) -> None:
        label = model._meta.label_lower
        if state.get(label):
            return
        state[label] = 1
        for f in model._meta.concrete_fields:
            target = f.related_model if f.is_relation else None
            if isinstance(target, type) and target._meta.label_lower in by_label:
                visit(by_label[target._meta.label_lower])
        state[label] = 2
        ordered.append(model)

    for model in found:
        visit(model)
    return ordered


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


def _encode(value: Any) -> Any:
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    raise TypeError(f"cannot back up a value of type {type(value).__name__}")


def _decoder(f: models.Field[Any, Any]) -> Any:
    if isinstance(f, models.JSONField):
        return None  # the JSON value itself
    return f.to_python


def applied_migrations(alias: str = DEFAULT_DB_ALIAS) -> list[list[str]]:
    recorder = MigrationRecorder(connections[alias])
    return sorted([app, name] for app, name in recorder.applied_migrations())


def check_migrated(alias: str = DEFAULT_DB_ALIAS) -> None:
    """The database has every migration of this version of the code applied."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[alias])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        first = plan[0][0]
        raise BackupError(
            _(
                "The database lacks %(count)s migrations of this version (the first: "
                "%(first)s): run `thenchot migrate` first."
            )
            % {"count": len(plan), "first": f"{first.app_label}.{first.name}"}
        )


# -- the snapshot --------------------------------------------------------------------------------
@contextlib.contextmanager
def snapshot(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every read inside sees the database as it was at the first one."""
    connection = connections[alias]
    if connection.in_atomic_block:
        raise BackupError("a backup must not run inside a transaction")
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Django's own transactions here are BEGIN IMMEDIATE (settings): they would hold the
        # writers off for the whole backup. A deferred one only reads, from one WAL snapshot.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    raise BackupError(f"backups are not supported on {connection.vendor}")


# -- backup ----------------------------------------------------------------------------------------
class _Hashing:
    """A writable that counts the SHA-256 of what goes through it."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.target.write(data)


def _media_files(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(path: Path, *, alias: str = DEFAULT_DB_ALIAS, with_media: bool = True) -> Manifest:
    """Write the archive to `path` (refused if it exists); returns its manifest."""
    if path.exists():
        raise BackupError(_("%(path)s already exists: choose a new file name.") % {"path": path})
    if not path.parent.is_dir():
        raise BackupError(_("The folder %(path)s does not exist.") % {"path": path.parent})
    check_migrated(alias)
    partial = path.with_name(path.name + ".partial")
    connection = connections[alias]
    try:
        with ZipFile(partial, "w", compression=ZIP_DEFLATED, compresslevel=6) as archive:
            with snapshot(alias):
                manifest = Manifest(
                    engine=connection.vendor,
                    migrations=applied_migrations(alias),
                    created_at=timezone.now().isoformat(),
                )
                for model in backed_up_models():
                    manifest.tables.append(_dump_table(archive, model, alias))
            if with_media:
                root = Path(settings.MEDIA_ROOT)
                for file in _media_files(root):
                    name = file.relative_to(root).as_posix()
                    archive.write(file, f"media/{name}")
                    manifest.media.append(
                        {"name": name, "size": file.stat().st_size, "sha256": _file_sha256(file)}
                    )
            archive.writestr(MANIFEST, json.dumps(manifest.as_json(), indent=1))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _keyset(model: type[models.Model], columns: list[str], alias: str) -> Iterator[Any]:
    """The rows in primary-key order, a chunk per query (`pk > last`): bounded memory without
    a server-side cursor, so also behind pgbouncer in transaction mode."""
    pk = model._meta.pk
    assert pk is not None
    at = columns.index(pk.attname)
    query = model._base_manager.using(alias).order_by("pk").values_list(*columns)
    chunk = list(query[:CHUNK])
    while chunk:
        yield from chunk
        if len(chunk) < CHUNK:
            return
        chunk = list(query.filter(pk__gt=chunk[-1][at])[:CHUNK])


def _dump_table(archive: ZipFile, model: type[models.Model], alias: str) -> Table:
    columns = _columns(model)
    table = Table(label=model._meta.label_lower, columns=[f.attname for f in columns])
    rows = _keyset(model, table.columns, alias)
    with archive.open(f"data/{table.label}.jsonl", "w", force_zip64=True) as raw:
        out = _Hashing(cast(IO[bytes], raw))
        lines: list[str] = []
        for row in rows:
            lines.append(
                json.dumps(row, default=_encode, ensure_ascii=False, separators=(",", ":"))
            )
            table.rows += 1
            if len(lines) >= CHUNK:
                out.write(("\n".join(lines) + "\n").encode())
                lines = []
        if lines:
            out.write(("\n".join(lines) + "\n").encode())
    table.sha256 = out.digest.hexdigest()
    return table


# -- restore -----------------------------------------------------------------------------------
def read_manifest(archive: ZipFile) -> Manifest:
    try:
        data = json.loads(archive.read(MANIFEST))
    except KeyError as exc:
        raise BackupError(_("This file is not a Then Chốt backup (no backup manifest).")) from exc
    except ValueError as exc:
        raise BackupError(_("The backup's manifest is damaged.")) from exc
    try:
        return Manifest.from_json(data)
    except (KeyError, TypeError, ValueError) as exc:
        raise BackupError(_("The backup's manifest is damaged.")) from exc


def _check_migrations(manifest: Manifest, alias: str) -> None:
    here = {tuple(m) for m in applied_migrations(alias)}
    there = {tuple(m) for m in manifest.migrations}
    if here == there:
        return
    missing = sorted(there - here)[:5]
    extra = sorted(here - there)[:5]
    raise BackupError(
        _(
            "The database's migrations differ from the backup's: restore with the version of "
            "Then Chốt that made the backup, into a database migrated by it. Only in the "
            "backup: %(missing)s. Only in this database: %(extra)s."
        )
        % {
            "missing": ", ".join(".".join(m) for m in missing) or "-",
            "extra": ", ".join(".".join(m) for m in extra) or "-",
        }
    )


def _check_empty(alias: str) -> None:
    from django.contrib.auth import get_user_model

    users = get_user_model()._base_manager.using(alias).count()
    if users:
        raise BackupError(
            _(
                "The database is not empty (%(count)s user accounts): restore only into a new "
                "database, created and migrated for the purpose."
            )
            % {"count": users}
        )


def _safe_media_target(root: Path, name: str) -> Path:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or not pure.parts:
        raise BackupError(_("The backup names an unsafe file path: %(name)s") % {"name": name})
    return root.joinpath(*pure.parts)


def _check_media(archive: ZipFile, manifest: Manifest, root: Path) -> list[tuple[str, Path]]:
    todo = []
    names = set(archive.namelist())
    for item in manifest.media:
        name = str(item["name"])
        if f"media/{name}" not in names:
            raise BackupError(_("The backup lacks the file %(name)s.") % {"name": name})
        target = _safe_media_target(root, name)
        if target.exists() and _file_sha256(target) != item["sha256"]:
            raise BackupError(
                _("%(path)s already exists with other content: restore into an empty folder.")
                % {"path": target}
            )
        todo.append((name, target))
    return todo


def _rows(archive: ZipFile, table: Table) -> Iterator[list[Any]]:
    digest = hashlib.sha256()
    count = 0
    try:
        member = archive.open(f"data/{table.label}.jsonl")
    except KeyError as exc:
        raise BackupError(
            _("The backup lacks the rows of %(table)s.") % {"table": table.label}
        ) from exc
    with member:
        for line in member:
            digest.update(line)
            count += 1
            yield json.loads(line)
    if count != table.rows or digest.hexdigest() != table.sha256:
        raise BackupError(
            _("The rows of %(table)s are damaged (checksum or count differs from the manifest).")
            % {"table": table.label}
        )


def _batches(items: Iterable[models.Model], size: int) -> Iterator[list[models.Model]]:
    batch: list[models.Model] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _load_table(archive: ZipFile, table: Table, alias: str) -> int:
    model = apps.get_model(table.label)
    by_name = {f.attname: f for f in _columns(model)}
    if set(table.columns) != set(by_name):
        raise BackupError(
            _("The columns of %(table)s differ from the backup's.") % {"table": table.label}
        )
    decoders = [_decoder(by_name[c]) for c in table.columns]
    names = table.columns

    def objects() -> Iterator[models.Model]:
        for row in _rows(archive, table):
            values = {
                name: (value if decode is None or value is None else decode(value))
                for name, decode, value in zip(names, decoders, row, strict=True)
            }
            yield model(**values)

    manager = model._base_manager.using(alias)
    loaded = 0
    try:
        for batch in _batches(objects(), BATCH):
            manager.bulk_create(batch)
            loaded += len(batch)
    except (ValueError, TypeError, ValidationError, DatabaseError) as exc:
        raise BackupError(
            _("The rows of %(table)s cannot be restored (row %(row)s and after): %(error)s")
            % {"table": table.label, "row": loaded + 1, "error": exc}
        ) from exc
    return loaded


def restore(path: Path, *, alias: str = DEFAULT_DB_ALIAS) -> Manifest:
    """Load the archive into this empty, freshly migrated database, then the files."""
    connection = connections[alias]
    try:
        archive = ZipFile(path)
    except FileNotFoundError as exc:
        raise BackupError(_("%(path)s does not exist.") % {"path": path}) from exc
    except BadZipFile as exc:
        raise BackupError(_("%(path)s is not a backup archive.") % {"path": path}) from exc
    with archive:
        manifest = read_manifest(archive)
        check_migrated(alias)
        _check_migrations(manifest, alias)
        known = {m._meta.label_lower for m in backed_up_models()}
        unknown = [t.label for t in manifest.tables if t.label not in known]
        if unknown:
            raise BackupError(
                _("The backup holds tables this installation lacks: %(tables)s")
                % {"tables": ", ".join(unknown[:5])}
            )
        _check_empty(alias)
        root = Path(settings.MEDIA_ROOT)
        media = _check_media(archive, manifest, root)
        with transaction.atomic(using=alias):
            # What migrate wrote (content types, permissions, a data migration's rows).
            for model in reversed(backed_up_models()):
                model._base_manager.using(alias).all().delete()
            for table in manifest.tables:
                _load_table(archive, table, alias)
            restored = [apps.get_model(t.label) for t in manifest.tables]
            sql = connection.ops.sequence_reset_sql(no_style(), restored)
            with connection.cursor() as cursor:
                for statement in sql:
                    cursor.execute(statement)
                try:
                    connection.check_constraints(table_names=[m._meta.db_table for m in restored])
                except DatabaseError as exc:
                    raise BackupError(
                        _("The backup's rows break this database's constraints: %(error)s")
                        % {"error": exc}
                    ) from exc
        for name, target in media:
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(f"media/{name}") as src, target.open("wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    return manifest
