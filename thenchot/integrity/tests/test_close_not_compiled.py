"""A close's bulk statements are not compiled by PostgreSQL's JIT: the writer's UPDATE of each
batch (`close_writer`), the seal's lines (`sealing.period_texts`) and the month's read
(`closing._fetch`). Their estimated cost
crosses `jit_above_cost` only past some 300,000 evaluations, so the compiling was a cost the
1,000,000 close paid and the 200,000 one did not (docs/performance.md, session 8). Here the
server is told to compile everything (`jit_above_cost = 0`) and auto_explain shows each plan."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

from thenchot.appraisal import closing

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL's JIT compiler"
)

SETTINGS = (
    "auto_explain.log_min_duration = 0",
    "auto_explain.log_analyze = on",
    "auto_explain.log_timing = off",
    "auto_explain.log_level = notice",
    "client_min_messages = notice",
    "jit = on",
    "jit_above_cost = 0",
)


@pytest.fixture
def plans(db) -> Iterator[list[str]]:  # type: ignore[no-untyped-def]
    """Every plan the session runs from here on (auto_explain's notices), on a server that
    compiles every statement; the settings go with the test's transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_jit_available()")
        row = cursor.fetchone()
        if not (row and row[0]):
            pytest.skip("this server has no JIT compiler")
        cursor.execute("LOAD 'auto_explain'")
        for setting in SETTINGS:
            cursor.execute(f"SET {setting}")
    raw = connection.connection
    found: list[str] = []

    def keep(diagnostic) -> None:  # type: ignore[no-untyped-def]
        found.append(diagnostic.message_primary or "")

    raw.add_notice_handler(keep)
    yield found
    raw.remove_notice_handler(keep)


def _plans_of(found: list[str], start: str) -> list[str]:
    return [p for p in found if f"Query Text: {start}" in p]


def test_it_closes_without_compiling_the_read_the_update_or_the_seal(world, month, plans):  # type: ignore[no-untyped-def]
    closing.close_period(unit=world.snv, period=month.code, by=world.user("son"))

    updates = _plans_of(plans, 'UPDATE "appraisal_evaluation" AS e')
    seals = _plans_of(plans, "SELECT period_id, string_agg(")
    reads = _plans_of(plans, 'SELECT "appraisal_evaluation"."id" AS "pk"')
    assert updates and seals and reads
    assert not [p for p in updates + seals + reads if "JIT:" in p]
    # The server did compile the close's other statements: the setting was in force.
    assert any("JIT:" in p for p in plans)
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("on",)  # put back after each statement
