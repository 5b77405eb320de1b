"""An import's COPYs sent by a thread of their own while the next batch is built
(`core.bulk.writing_ahead`, PostgreSQL; elsewhere nothing changes): every statement still sees
the rows written before it, a broken key still fails the import and leaves nothing, and ids
reserved up front for a section (`core.interchange.ReservedIds`) are those a reservation per
batch gives."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from thenchot.core.bulk import Table, writing_ahead
from thenchot.core.id_sets import reserve_ids
from thenchot.core.interchange import ReservedIds, insert_new
from thenchot.people.models import Assignment, JobPosition


def _rows(table: Table, first: int, count: int) -> list[dict[str, Any]]:
    now = timezone.now()
    return [
        table.complete({"code": f"VT{n}", "name": f"Vị trí {n}"}, now)
        for n in range(first, first + count)
    ]


def test_it_reads_the_rows_written_before_each_statement(db) -> None:  # type: ignore[no-untyped-def]
    table = Table(JobPosition)
    seen = []
    with writing_ahead():
        for start in range(0, 30, 10):
            table.insert(_rows(table, start, 10))
            # an ORM read right after a COPY handed to the thread: it waits for it
            seen.append(JobPosition.objects.filter(code__startswith="VT").count())
    assert seen == [10, 20, 30]
    assert JobPosition.objects.filter(code__startswith="VT").count() == 30


def test_it_writes_every_copy_before_the_block_ends(db) -> None:  # type: ignore[no-untyped-def]
    table = Table(JobPosition)
    with writing_ahead():
        for start in range(0, 50, 10):
            table.insert(_rows(table, start, 10))
    codes = set(JobPosition.objects.values_list("code", flat=True))
    assert {f"VT{n}" for n in range(50)} <= codes


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and its thread: PostgreSQL")
def test_a_broken_key_fails_the_block_as_django_says_it(db) -> None:  # type: ignore[no-untyped-def]
    table = Table(Assignment)
    now = timezone.now()
    row = table.complete(
        {"staff_id": 987_654_321, "unit_id": 987_654_321, "valid_from": now.date()}, now
    )
    with pytest.raises(IntegrityError), transaction.atomic(), writing_ahead():
        table.insert([row])
        # the next statement waits for the COPY, whose key was checked when it ended
        JobPosition.objects.count()
    assert not Assignment.objects.filter(staff_id=987_654_321).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ids from a sequence: PostgreSQL")
def test_ids_reserved_up_front_are_those_of_one_reservation_per_batch(db) -> None:  # type: ignore[no-untyped-def]
    table = Table(JobPosition)
    with transaction.atomic():
        sid = transaction.savepoint()
        expected = reserve_ids(JobPosition, 3) + reserve_ids(JobPosition, 2)
        transaction.savepoint_rollback(sid)
    # The sequence does not go back: the next ids follow on from those above.
    reserved = ReservedIds(JobPosition, 5)
    first, second = _rows(table, 0, 3), _rows(table, 3, 2)
    with writing_ahead():
        insert_new(table, first, lambda rows: {}, lambda row: row["code"], ids=reserved)
        insert_new(table, second, lambda rows: {}, lambda row: row["code"], ids=reserved)
    got = [r["id"] for r in first + second]
    assert got == list(range(expected[-1] + 1, expected[-1] + 6))
    stored = dict(JobPosition.objects.filter(code__startswith="VT").values_list("code", "id"))
    assert [stored[f"VT{n}"] for n in range(5)] == got
    with pytest.raises(ValueError):
        reserved.take(1)


def test_elsewhere_reserved_ids_are_none_and_rows_read_their_ids_back(db) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor == "postgresql":
        pytest.skip("SQLite and other databases")
    table = Table(JobPosition)
    rows = _rows(table, 0, 3)
    with writing_ahead():
        insert_new(
            table,
            rows,
            lambda given: dict(
                JobPosition.objects.filter(code__in=[r["code"] for r in given]).values_list(
                    "code", "id"
                )
            ),
            lambda row: row["code"],
            ids=ReservedIds(JobPosition, 3),
        )
    stored = dict(JobPosition.objects.values_list("code", "id"))
    assert [r["id"] for r in rows] == [stored[f"VT{n}"] for n in range(3)]
