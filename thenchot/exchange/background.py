"""Imports the page runs in the background, with a progress bar.

A file larger than `background_bytes()` sent from the page (htmx) is copied to the spool
directory and handed to the `exchange.import` job (`core.jobs`: the in-process scheduler of
the demo, or a Celery worker); the page then asks for the run's state every second
(`views.import_status_view`) and shows how far it has gone, then the result. A smaller file is
imported while the page waits, as before.

The state of a run lives in the shared cache for a day (the import itself writes inside one
transaction, which nobody else could read before the end): who started it, the last progress
step, and in the end the result. Only its owner may read it. With Celery the spool directory
(`THENCHOT_IMPORT_SPOOL`, default the system's temporary directory) must be one the workers
read, and the cache one they share (`THENCHOT_CACHE_URL`, deploy check core.W010).
"""

from __future__ import annotations

import secrets
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache

from thenchot.core.interchange import Counts, Problem
from thenchot.exchange.limits import MIB
from thenchot.exchange.progress import READ, Step

JOB = "exchange.import"
STATE_KEY = "exchange:import:{token}"
KEEP_SECONDS = 24 * 3600
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def background_bytes() -> int:
    """Uploads above this size are imported in the background (`THENCHOT_IMPORT_BACKGROUND_BYTES`,
    default 2 MiB: a few thousand records, a few seconds of work)."""
    return int(getattr(settings, "THENCHOT_IMPORT_BACKGROUND_BYTES", 2 * MIB))


def spool_dir() -> Path:
    base = getattr(settings, "THENCHOT_IMPORT_SPOOL", "") or tempfile.gettempdir()
    path = Path(base) / "thenchot-imports"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _key(token: str) -> str:
    return STATE_KEY.format(token=token)


def state(token: str, user_id: int | None) -> dict[str, Any] | None:
    """The run's state, for its owner only (None for anyone else, or once forgotten)."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    found = cache.get(_key(token))
    if not isinstance(found, dict) or found.get("user") != user_id:
        return None
    return found


def _save(token: str, **values: Any) -> None:
    current = cache.get(_key(token)) or {}
    current.update(values)
    cache.set(_key(token), current, timeout=KEEP_SECONDS)


def start(*, upload: Any, user: Any, dry_run: bool, language: str) -> str:
    """Copy the upload to the spool, record the run as queued and hand it to the job; the
    run's token."""
    from thenchot.core.jobs import enqueue

    _forget_old_files()
    token = secrets.token_urlsafe(16)
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".json"
    path = spool_dir() / f"{token}{suffix}"
    with open(path, "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    _save(
        token,
        user=user.pk,
        filename=upload.name,
        dry_run=dry_run,
        status=QUEUED,
        step=asdict(Step(READ, total=upload.size)),
    )
    enqueue(
        JOB,
        token=token,
        path=str(path),
        filename=upload.name,
        user_id=user.pk,
        dry_run=dry_run,
        language=language,
    )
    return token


def _forget_old_files() -> None:
    """Spooled files of runs that never ended (a worker killed): gone after a day."""
    limit = time.time() - KEEP_SECONDS
    for path in spool_dir().glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass


def run(
    *, token: str, path: str, filename: str, user_id: int, dry_run: bool, language: str
) -> None:
    """The job's work: import the spooled file as its owner, reporting each step."""
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from thenchot.accounts.scoping import compute_scope
    from thenchot.exchange.progress import Throttled
    from thenchot.exchange.services import import_file

    def report(step: Step) -> None:
        _save(token, status=RUNNING, step=asdict(step))

    try:
        user = get_user_model().objects.filter(pk=user_id).first()
        with translation.override(language), open(path, "rb") as fh:
            if user is None or not compute_scope(user).can_write_org:
                _save(token, status=FAILED)
                return
            result = import_file(
                data=fh,
                filename=filename,
                scope=compute_scope(user),
                actor=user,
                dry_run=dry_run,
                progress=Throttled(report, every=0.5),
            )
        _save(
            token,
            status=DONE,
            result={
                "problems": [[p.place, p.message] for p in result.problems],
                "omitted": result.omitted,
                "counts": {k: c.as_dict() for k, c in result.counts.items()},
                "audited": result.audited,
            },
        )
    except Exception:
        _save(token, status=FAILED)
        raise
    finally:
        Path(path).unlink(missing_ok=True)


def result_of(found: dict[str, Any]) -> Any:
    """The finished run's `ImportResult`, as the page shows it."""
    from thenchot.exchange.services import ImportResult

    data = found["result"]
    return ImportResult(
        filename=found["filename"],
        dry_run=found["dry_run"],
        problems=[Problem(place, message) for place, message in data["problems"]],
        omitted=data["omitted"],
        counts={key: Counts(**values) for key, values in data["counts"].items()},
        audited=data["audited"],
    )


def step_of(found: dict[str, Any]) -> Step:
    return Step(**found["step"])
