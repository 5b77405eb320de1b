"""The background import (`exchange.background`), registered with `core.jobs`."""

from __future__ import annotations

from typing import Any

from thenchot.core.jobs import job
from thenchot.exchange import background


@job(background.JOB)
def import_in_background(
    *, token: str, path: str, filename: str, user_id: int, dry_run: bool, language: str, **_kw: Any
) -> None:
    background.run(
        token=token,
        path=path,
        filename=filename,
        user_id=user_id,
        dry_run=dry_run,
        language=language,
    )
