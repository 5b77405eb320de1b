"""PostgreSQL settings for a few statements of the rates, set for the session and put back as
they were (nothing on other engines). Each use says what it was measured to save
(bench/bench_reform.py, docs/reform.md)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connection


def _kb(value: str) -> int | None:
    units = {"kB": 1, "MB": 1024, "GB": 1024 * 1024}
    for suffix, factor in units.items():
        if value.endswith(suffix) and value[: -len(suffix)].isdigit():
            return int(value[: -len(suffix)]) * factor
    return None


@contextlib.contextmanager
def pg_settings(**settings: str) -> Iterator[None]:
    """`pg_settings(jit="off", work_mem="32MB")`: a memory setting is only ever raised."""
    if connection.vendor != "postgresql":
        yield
        return
    before: dict[str, str] = {}
    with connection.cursor() as cur:
        for name, value in settings.items():
            cur.execute("SELECT current_setting(%s, true)", [name])
            row = cur.fetchone()
            current = row[0] if row else None
            if current is None or current == value:
                continue  # a server without it, or already so
            now, wanted = _kb(current), _kb(value)
            if now is not None and wanted is not None and now >= wanted:
                continue
            before[name] = current
            cur.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        # In a transaction that failed the settings go back with the rollback anyway.
        with contextlib.suppress(DatabaseError), connection.cursor() as cur:
            for name, value in before.items():
                cur.execute("SELECT set_config(%s, %s, false)", [name, value])


__all__ = ["pg_settings"]
