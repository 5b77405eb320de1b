"""Import and export of interchange files (`thenchot/1`): the entry points the command line,
the import page and the export buttons call."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thenchot.core.auditing import Change
from thenchot.core.bulk import Line, prepare_connection, write_audit, writing_ahead
from thenchot.core.context import acting
from thenchot.core.errors import DomainError
from thenchot.core.interchange import (
    Counts,
    ExportRequest,
    ImportContext,
    Problem,
    Problems,
    Section,
    parse_section,
    registered_sections,
)
from thenchot.exchange.limits import Guard, byte_size, import_limits
from thenchot.exchange.progress import CHECK, READ, WRITE, Report, Step
from thenchot.exchange.readers import read_document
from thenchot.exchange.writers import dump_json, dump_xlsx

FORMATS = ("json", "xlsx")
PROGRESS_EVERY = 2000  # audit lines between two progress reports while writing


@dataclass
class ImportResult:
    filename: str
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    omitted: int = 0  # errors past the listed ones (`THENCHOT_IMPORT_MAX_ERRORS`), counted only
    counts: dict[str, Counts] = field(default_factory=dict)
    audited: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and not self.omitted

    @property
    def error_count(self) -> int:
        return len(self.problems) + self.omitted

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run


def import_file(
    *,
    data: bytes | BinaryIO,
    filename: str,
    scope: Any = None,
    actor: Any = None,
    dry_run: bool = False,
    progress: Report | None = None,
) -> ImportResult:
    """Validate the whole file, then write all of it or nothing.

    `data`: the file's bytes, or the file itself (a binary file, read a chunk at a time: a
    city's file is never held whole). `scope` None runs as the system (the command line);
    otherwise every created or changed record must lie in what the scope may write. Every
    change is audited with source "import" and the file name as reason, in one batch.
    `progress` is told how far the import has gone (`exchange.progress.Step`), as it goes.
    """
    # A large file holds a few million live containers; the cyclic collector would rescan them
    # all every few thousand allocations (quadratic time). Imports create no cycles that
    # matter, so it pauses for the run.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _import(
            data=data,
            filename=filename,
            scope=scope,
            actor=actor,
            dry_run=dry_run,
            progress=progress or _silent,
        )
    finally:
        if was_enabled:
            gc.enable()


def _silent(step: Step) -> None:
    pass


def _import(
    *,
    data: bytes | BinaryIO,
    filename: str,
    scope: Any,
    actor: Any,
    dry_run: bool,
    progress: Report,
) -> ImportResult:
    result = ImportResult(filename=filename, dry_run=dry_run)
    limits = import_limits()
    problems = Problems(limit=limits.errors)
    memo: dict[Any, Any] = {}
    size = byte_size(data)
    progress(Step(READ, done=0, total=size))
    document = read_document(
        data,
        filename,
        problems,
        Guard(limits, problems),
        memo=memo,
        on_bytes=lambda done: progress(Step(READ, done=done, total=size)),
    )
    del data
    if document is None:
        result.problems, result.omitted = list(problems), problems.omitted
        return result
    ctx = ImportContext(as_of=document.as_of, scope=scope, problems=problems)
    present = [s for s in registered_sections() if s.key in document.sections]
    for section in present:
        raw = document.sections.pop(section.key)
        ctx.rows[section.key] = parse_section(
            section, raw, xlsx=document.kind == "xlsx", problems=problems, memo=memo
        )
        del raw
    del memo
    # Plans run even after parse errors so that one pass reports every problem of the file;
    # sections skip the values that failed to parse.
    for index, section in enumerate(present):
        rows = ctx.rows[section.key]
        progress(Step(CHECK, section.key, 0, len(rows), index, len(present)))
        section.plan(ctx, rows)
    if problems:
        result.problems, result.omitted = list(problems), problems.omitted
        return result

    def changes() -> Iterator[Change | Line]:
        for index, section in enumerate(present):
            total = len(ctx.rows[section.key])
            progress(Step(WRITE, section.key, 0, total, index, len(present)))
            counts = ctx.counts.setdefault(section.key, Counts())
            for number, item in enumerate(section.apply(ctx)):
                yield item
                if number % PROGRESS_EVERY == 0:
                    # Records a section has counted may not be written yet (it counts them
                    # before a bulk write): the audit lines written tell how far it is then.
                    done = min(counts.created + counts.updated + counts.unchanged, number)
                    progress(Step(WRITE, section.key, done, total, index, len(present)))
            progress(Step(WRITE, section.key, total, total, index, len(present)))

    try:
        with transaction.atomic(), acting(actor=actor, source="import", reason=filename):
            prepare_connection()
            # PostgreSQL: each batch's COPY is sent while the next batch is built
            with writing_ahead():
                result.audited = write_audit(changes(), reason=filename)
            if dry_run:
                transaction.set_rollback(True)
    except (DatabaseError, DomainError) as exc:
        # Plans should have caught everything; a constraint that still fires rolls back all.
        result.problems = [
            Problem("", _("The import failed and nothing was written: %(error)s") % {"error": exc})
        ]
        return result
    result.counts = {s.key: ctx.counts.get(s.key, Counts()) for s in present}
    return result


def section_keys() -> list[str]:
    return [s.key for s in registered_sections()]


def resolve_sections(keys: Sequence[str] | None) -> list[Section]:
    sections = registered_sections()
    if not keys:
        return sections
    known = {s.key: s for s in sections}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise DomainError(
            _("unknown section '%(value)s' (known: %(known)s)")
            % {"value": unknown[0], "known": ", ".join(known)}
        )
    wanted = set(keys)
    return [s for s in sections if s.key in wanted]


def export_data(
    *,
    fmt: str,
    sections: Sequence[str] | None = None,
    scope: Any = None,
    as_of: dt.date | None = None,
    unit_code: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    params: dict[str, Any] | None = None,
) -> bytes:
    """The chosen sections as a `thenchot/1` file, limited to what `scope` may read (None: all).

    `unit_code` limits to the unit's subtree on `as_of`; `date_from`/`date_to` to records dated
    in the range; `params` carries the list filters of the UI (staff: q, category, ...).
    """
    if fmt not in FORMATS:
        raise DomainError(_("unknown format '%(value)s'") % {"value": fmt})
    if date_from and date_to and date_to < date_from:
        raise DomainError(_("'to' cannot be before 'from'"))
    request = ExportRequest(
        as_of=as_of or timezone.localdate(),
        scope=scope,
        unit_code=unit_code or None,
        date_from=date_from,
        date_to=date_to,
        params=params or {},
    )
    exported = [(s, s.export(request)) for s in resolve_sections(sections)]
    if fmt == "json":
        return dump_json(exported, as_of=request.as_of)
    return dump_xlsx(exported, as_of=request.as_of)
