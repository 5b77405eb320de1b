"""`collective_bodies` (the board's one query for its heads' collective rating, issue 18) gives
what `collective_body` gives evaluation by evaluation: the head of a department and of a Party
board under the City, a division head, people who head nothing, a head whose assignment ended,
on the period's day and on a given day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.appraisal import services
from thenchot.appraisal.choices import CollectiveBody
from thenchot.appraisal.models import Evaluation
from thenchot.appraisal.services.lines import collective_bodies
from thenchot.appraisal.testing import open_period, with_snv_head
from thenchot.org.testing import UnitFactory
from thenchot.people.models import HeadAssignment
from thenchot.people.testing import StaffFactory

FIRST = dt.date.today().replace(day=1)


@pytest.fixture
def evaluations(world):  # type: ignore[no-untyped-def]
    """SNV's and BTG's evaluations of this month: Sơn heads SNV, Thảo heads BTG (a Party board
    under the City), Hoa is read as a head without heading the agency, Tâm headed BTG until
    before the period."""
    board = UnitFactory.create(
        code="BTG", name="Ban Tuyên giáo Thành ủy", kind="party_body", parent=world.city
    )
    thao = StaffFactory.create(code="P900", full_name="Vũ Thị Thảo", unit=board, is_leader=True)
    HeadAssignment.objects.create(unit=board, staff=thao, role="head", valid_from=board.valid_from)
    tam = StaffFactory.create(code="P901", full_name="Lý Minh Tâm", unit=board, is_leader=True)
    HeadAssignment.objects.create(
        unit=board, staff=tam, role="head", valid_from=board.valid_from,
        valid_to=FIRST - dt.timedelta(days=1),
    )  # fmt: skip
    with_snv_head(world)
    open_period(world)
    open_period(world, agency=board)
    rows = list(Evaluation.objects.select_related("period").order_by("pk"))
    for ev in rows:
        if ev.staff_id in (world.staff["hoa"].pk, tam.pk):
            ev.is_head = True  # a head line the rule must still turn down
    return rows


def _one_by_one(rows: list[Evaluation], on: dt.date | None) -> dict[int, CollectiveBody | None]:
    return {ev.pk: services.collective_body(ev, on) for ev in rows}


def test_it_gives_what_collective_body_gives(world, evaluations):  # type: ignore[no-untyped-def]
    found = collective_bodies(evaluations)
    assert found == _one_by_one(evaluations, None)
    bodies = sorted(str(b) for b in found.values() if b is not None)
    assert bodies == sorted([CollectiveBody.CITY_COMMITTEE, CollectiveBody.PARTY_STANDING_BOARD])
    assert sum(1 for ev in evaluations if ev.is_head) >= 4


@pytest.mark.parametrize("on", [FIRST - dt.timedelta(days=10), FIRST, dt.date(2099, 1, 1)])
def test_it_gives_what_collective_body_gives_on_a_day(world, evaluations, on):  # type: ignore[no-untyped-def]
    found = collective_bodies(evaluations, on)
    assert found == _one_by_one(evaluations, on)
    # Before the month Tâm still headed BTG: a third head rated collectively that day.
    assert sum(1 for b in found.values() if b is not None) == (3 if on < FIRST else 2)


def test_it_asks_once_for_all_the_heads(world, evaluations):  # type: ignore[no-untyped-def]
    """Outside a request the tree's counter is read too: the same count for one head or all."""
    heads = [ev for ev in evaluations if ev.is_head]
    collective_bodies(heads)  # the unit tree loaded
    with CaptureQueriesContext(connection) as one:
        collective_bodies(heads[:1])
    with CaptureQueriesContext(connection) as every:
        collective_bodies(heads)
    assert len(every) == len(one) <= 2
    with CaptureQueriesContext(connection) as none:
        assert collective_bodies([]) == {}
        assert set(collective_bodies([e for e in evaluations if not e.is_head]).values()) == {None}
    assert len(none) <= 2
