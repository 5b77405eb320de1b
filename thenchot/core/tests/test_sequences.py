"""Readable sequential codes (core.sequences): the next number of the series per year, never
twice the same, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import threading
from unittest import mock

import pytest
from django.db import connection, transaction

from thenchot.core import sequences
from thenchot.core.models import Counter
from thenchot.discipline.models import DisciplineCase

pytestmark = pytest.mark.django_db


def _case(world, code: str) -> DisciplineCase:  # type: ignore[no-untyped-def]
    return DisciplineCase.objects.create(
        code=code, staff=world.staff["an"], detected_on=dt.date(2026, 3, 1), summary="x"
    )


def test_it_follows_the_highest_number_of_the_series(world) -> None:  # type: ignore[no-untyped-def]
    for code in ("KL-2026-0007", "KL-2026-0003", "KL-2025-0150", "KL-2026-99999999", "12/KL"):
        _case(world, code)
    assert sequences.next_code(DisciplineCase, "KL-2026-") == "KL-2026-0008"
    assert sequences.next_code(DisciplineCase, "KL-2025-") == "KL-2025-0151"
    assert sequences.next_code(DisciplineCase, "KL-2027-") == "KL-2027-0001"


def test_it_ignores_random_codes_made_only_of_digits(world) -> None:  # type: ignore[no-untyped-def]
    # Earlier versions gave tasks ten hex digits, sometimes all decimal ones.
    _case(world, "KL-2026-00908")
    _case(world, "KL-2026-1234567890")
    assert sequences.next_code(DisciplineCase, "KL-2026-", width=5) == "KL-2026-00909"


def test_it_never_hands_out_a_number_twice_even_after_a_delete(world) -> None:  # type: ignore[no-untyped-def]
    first = sequences.next_code(DisciplineCase, "KL-2026-")
    case = _case(world, first)
    case.delete()
    assert sequences.next_code(DisciplineCase, "KL-2026-") == "KL-2026-0002"


def test_it_survives_another_transaction_creating_the_counter_first(world) -> None:  # type: ignore[no-untyped-def]
    """The first use of a series on PostgreSQL: both UPDATEs find no row, both INSERT; the
    second INSERT fails on the key and must fall back to the UPDATE, inside a savepoint."""
    _case(world, "KL-2026-0004")
    Counter.objects.create(key=sequences.series_key("KL-2026-"), value=4)
    real = sequences._increment
    calls: list[str] = []

    def racing(key: str) -> int:
        # The first UPDATE ran before the other transaction's row was committed: no row.
        calls.append(key)
        return 0 if len(calls) == 1 else real(key)

    with mock.patch.object(sequences, "_increment", side_effect=racing):
        assert sequences.next_code(DisciplineCase, "KL-2026-") == "KL-2026-0005"
    assert len(calls) == 2
    assert Counter.objects.get(key=sequences.series_key("KL-2026-")).value == 5


def test_it_keeps_long_prefixes_within_the_counter_key() -> None:
    key = sequences.series_key("12/KL-UBND-2026-A-VERY-LONG-OFFICIAL-NUMBER/KN")
    assert len(key) <= 50 and key != sequences.series_key("12/KL-UBND-2026-OTHER/KN")


@pytest.mark.django_db(transaction=True)
def test_it_gives_two_concurrent_creations_different_numbers(world) -> None:  # type: ignore[no-untyped-def]
    if connection.vendor != "postgresql":
        pytest.skip("row locks across connections: run with DATABASE_URL on PostgreSQL")
    _case(world, "KL-2026-0041")
    first_has_code = threading.Event()
    codes: list[str] = []
    errors: list[BaseException] = []

    def create(wait: threading.Event | None) -> None:
        try:
            if wait is not None:
                wait.wait(5)
            with transaction.atomic():
                code = sequences.next_code(DisciplineCase, "KL-2026-")
                if wait is None:
                    first_has_code.set()
                    threading.Event().wait(0.5)  # hold the series while the other one asks
                _case(world, code)
                codes.append(code)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=create, args=(None,)),
        threading.Thread(target=create, args=(first_has_code,)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert not errors
    assert sorted(codes) == ["KL-2026-0042", "KL-2026-0043"]
