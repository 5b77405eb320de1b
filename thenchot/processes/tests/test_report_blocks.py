"""The `processes` and `cases` report blocks (report.md): scope by owner unit in the subtree on
the record's date, outcomes on `as_of`, omitted without records, a fixed number of queries."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.core.registry import report_blocks
from thenchot.processes.models import Case
from thenchot.processes.testing import ProcessFactory, with_steps

FROM, TO = dt.date(2025, 1, 1), dt.date(2025, 3, 31)


def _block(key: str, unit, as_of: dt.date = TO) -> dict:
    block = dict(report_blocks.items())[key]
    return block.compute(unit=unit, date_from=FROM, date_to=TO, as_of=as_of)


def _case(process, code: str, received: dt.date, due: dt.date, completed=None) -> Case:
    return Case.objects.create(
        code=code,
        process=process,
        unit=process.owner_unit,
        received_on=received,
        due_on=due,
        completed_on=completed,
    )


def test_it_omits_both_blocks_without_records(world) -> None:
    blocks = dict(report_blocks.items())
    assert not blocks["processes"].has_data()
    assert not blocks["cases"].has_data()


def test_it_counts_procedures_in_force_by_level_and_approved_in_range(world) -> None:
    ProcessFactory.create(code="A", owner_unit=world.stc, approved_on=dt.date(2024, 5, 1))
    ProcessFactory.create(
        code="B", owner_unit=world.stc_ns, level="commune", approved_on=dt.date(2025, 2, 1)
    )
    ProcessFactory.create(
        code="C",
        owner_unit=world.stc,
        approved_on=dt.date(2024, 1, 1),
        retired_on=dt.date(2025, 3, 31),  # retired by `to`
    )
    ProcessFactory.create(code="D", owner_unit=world.stc, approved_on=dt.date(2025, 4, 1))
    ProcessFactory.create(code="E", owner_unit=world.snv, approved_on=dt.date(2025, 2, 1))
    got = _block("processes", world.stc)
    assert got == {
        "in_force": 2,
        "in_force_by_level": {"department": 1, "district": 0, "commune": 1, "inter_level": 0},
        "approved_in_range": 1,
    }
    assert _block("processes", world.city)["in_force"] == 3


def test_it_counts_cases_received_and_their_outcomes_on_as_of(world) -> None:
    process = with_steps(ProcessFactory.create(owner_unit=world.stc), ("Bước", 5))
    other = with_steps(ProcessFactory.create(owner_unit=world.snv), ("Bước", 5))
    _case(process, "HS-1", dt.date(2025, 1, 2), dt.date(2025, 1, 9), dt.date(2025, 1, 8))
    _case(process, "HS-2", dt.date(2025, 1, 2), dt.date(2025, 1, 9), dt.date(2025, 1, 20))
    _case(process, "HS-3", dt.date(2025, 3, 3), dt.date(2025, 3, 10))  # open, overdue
    _case(process, "HS-4", dt.date(2025, 3, 25), dt.date(2025, 4, 2))  # not due in range
    # received before the range, completed late within it
    _case(process, "HS-5", dt.date(2024, 12, 2), dt.date(2024, 12, 9), dt.date(2025, 1, 6))
    _case(other, "HS-6", dt.date(2025, 1, 2), dt.date(2025, 1, 9))
    assert _block("cases", world.stc) == {
        "received": 4,
        "completed_on_time": 1,
        "completed_late": 2,
        "overdue": 1,
    }
    # on 15/1, HS-2 was still open and overdue, HS-3 not yet received
    assert _block("cases", world.stc, as_of=dt.date(2025, 1, 15)) == {
        "received": 4,
        "completed_on_time": 1,
        "completed_late": 1,
        "overdue": 1,
    }


def test_it_scopes_cases_by_the_subtree_on_the_day_received(world) -> None:
    from thenchot.org.models import UnitLink
    from thenchot.org.tree import invalidate

    # STC-NS moved from STC to SNV on 1/3/2025
    link = UnitLink.objects.get(unit=world.stc_ns, valid_to__isnull=True)
    link.valid_to = dt.date(2025, 2, 28)
    link.save()
    UnitLink.objects.create(unit=world.stc_ns, parent=world.snv, valid_from=dt.date(2025, 3, 1))
    invalidate()
    process = with_steps(ProcessFactory.create(owner_unit=world.stc_ns), ("Bước", 5))
    _case(process, "HS-1", dt.date(2025, 2, 3), dt.date(2025, 2, 10))
    _case(process, "HS-2", dt.date(2025, 3, 3), dt.date(2025, 3, 10))
    assert _block("cases", world.stc)["received"] == 1
    assert _block("cases", world.snv)["received"] == 1


def test_it_counts_with_queries_that_do_not_grow_with_records(world) -> None:
    process = with_steps(ProcessFactory.create(owner_unit=world.stc), ("Bước", 5))
    _case(process, "HS-0", dt.date(2025, 1, 2), dt.date(2025, 1, 9))
    _block("cases", world.stc)  # warm the tree
    with CaptureQueriesContext(connection) as few:
        _block("cases", world.stc)
        _block("processes", world.stc)
    for n in range(1, 40):
        extra = ProcessFactory.create(code=f"X-{n}", owner_unit=world.stc_ns)
        _case(extra, f"HS-{n}", dt.date(2025, 1, 2 + n % 20), dt.date(2025, 2, 1))
    with CaptureQueriesContext(connection) as many:
        _block("cases", world.stc)
        _block("processes", world.stc)
    assert len(many) == len(few)
