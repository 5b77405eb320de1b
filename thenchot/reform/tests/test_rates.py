"""The rates on a tree that changes inside the window: a division moves from SNV to STC on 1
July. Every record is placed where its unit stood on the record's day — the task on the day it
was assigned, the case on the day it was received, the recommendation on its due date — and
the grouped counts (by epoch) equal the counts made record by record."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.directives.statistics import _grouped, breakpoints, due_groups
from thenchot.directives.testing import ExtensionFactory, TaskFactory
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory
from thenchot.org.models import UnitLink
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate, tree
from thenchot.processes.models import Case
from thenchot.processes.testing import ProcessFactory
from thenchot.reform.rates import Window, rates_for_units

pytestmark = pytest.mark.django_db

D = dt.date
Y = 2026
MOVED = D(Y, 7, 1)
AS_OF = D(Y, 10, 31)


@pytest.fixture
def mover(world):
    """SNV-QL: under SNV until 30 June, under STC from 1 July."""
    unit = UnitFactory(code="SNV-QL", name="Phòng Quản lý", kind="division")
    UnitLink.objects.create(
        unit=unit, parent=world.snv, valid_from=D(2020, 1, 1), valid_to=MOVED - dt.timedelta(days=1)
    )
    UnitLink.objects.create(unit=unit, parent=world.stc, valid_from=MOVED)
    invalidate()
    return unit


def _inside(unit_id: int, root: int, day: dt.date) -> bool:
    return unit_id == root or root in tree().ancestors_on(unit_id, day)


def test_the_due_groups_are_the_due_part_of_the_tasks_block(world, mover):
    for month, done in ((2, 0), (5, -3), (6, 4), (8, -1), (9, None), (10, None)):
        deadline = D(Y, month, 20)
        TaskFactory(
            lead_unit=mover,
            assigned_on=deadline - dt.timedelta(days=40),
            deadline=deadline,
            completed_on=None if done is None else deadline + dt.timedelta(days=done),
        )
    extended = TaskFactory(lead_unit=mover, assigned_on=D(Y, 4, 1), deadline=D(Y, 5, 1))
    ExtensionFactory(task=extended, status="approved", decided_on=D(Y, 4, 28))
    later = TaskFactory(lead_unit=world.snv_tc, assigned_on=D(Y, 8, 1), deadline=D(Y, 9, 1))
    ExtensionFactory(task=later, status="approved", decided_on=D(Y, 12, 1))  # after as_of
    TaskFactory(lead_unit=world.snv_tc, assigned_on=D(Y, 1, 2), deadline=D(Y, 12, 20))
    starts = breakpoints(tree(), AS_OF)
    kw = {"date_from": D(Y, 1, 1), "date_to": AS_OF, "as_of": AS_OF, "starts": starts}
    block = sorted(
        (u, e, key, n)
        for u, e, key, n in _grouped(lead_units=None, **kw)
        if key not in ("assigned", "due", "extensions_requested", "extensions_approved")
    )
    assert sorted(due_groups(**kw)) == block
    assert sum(n for *_k, n in block) == 8


def test_the_task_rate_places_each_task_on_the_tree_of_its_assignment(world, mover):
    TaskFactory(
        lead_unit=mover, assigned_on=D(Y, 3, 1), deadline=D(Y, 8, 1), completed_on=D(Y, 7, 20)
    )
    TaskFactory(lead_unit=mover, assigned_on=D(Y, 7, 5), deadline=D(Y, 8, 1))
    rates = rates_for_units(
        unit_ids=[world.snv.pk, world.stc.pk, world.city.pk],
        window=Window.of(Y, AS_OF),
        sources=["on_time_task_rate"],
    )["on_time_task_rate"]
    assert (rates[world.snv.pk].numerator, rates[world.snv.pk].denominator) == (1, 1)
    assert (rates[world.stc.pk].numerator, rates[world.stc.pk].denominator) == (0, 1)
    assert (rates[world.city.pk].numerator, rates[world.city.pk].denominator) == (1, 2)


def test_recommendations_and_cases_are_counted_like_one_by_one(world, mover):
    inspection = InspectionFactory(target_unit=world.snv)
    process = ProcessFactory(owner_unit=mover, approved_on=D(2025, 1, 1))
    recs, cases = [], []
    for i, (due, done) in enumerate(
        [
            (D(Y, 3, 10), D(Y, 3, 1)),
            (D(Y, 6, 30), None),
            (D(Y, 7, 1), D(Y, 6, 20)),
            (D(Y, 7, 2), D(Y, 11, 5)),  # done after as_of
            (D(Y, 9, 15), D(Y, 9, 1)),
            (D(Y, 11, 30), None),  # after the window
            (D(Y - 1, 12, 31), None),  # last year
        ]
    ):
        for unit in (mover, world.snv_tc):
            recs.append(
                RecommendationFactory(
                    inspection=inspection, responsible_unit=unit, due_on=due, done_on=done
                )
            )
        cases.append(
            Case.objects.create(
                code=f"HS-Q{i}",
                process=process,
                unit=mover,
                received_on=due - dt.timedelta(days=15),
                due_on=due,
                completed_on=done,
            )
        )
    units = [world.snv.pk, world.stc.pk, world.city.pk, mover.pk, world.snv_tc.pk]
    w = Window.of(Y, AS_OF)
    got = rates_for_units(
        unit_ids=units, window=w, sources=["recommendations_done_rate", "case_on_time_rate"]
    )
    for root in units:
        mine = [
            r
            for r in recs
            if w.date_from <= r.due_on <= w.date_to
            and _inside(r.responsible_unit_id, root, r.due_on)
        ]
        done = [r for r in mine if r.done_on is not None and r.done_on <= AS_OF]
        c = got["recommendations_done_rate"][root]
        assert (c.numerator, c.denominator) == (len(done), len(mine)), root
        counted = [
            k
            for k in cases
            if (
                w.date_from <= k.due_on <= w.date_to
                or (k.completed_on is not None and w.date_from <= k.completed_on <= w.date_to)
            )
            and _inside(k.unit_id, root, k.received_on)
            and (k.completed_on is not None and k.completed_on <= AS_OF or k.due_on < AS_OF)
        ]
        on_time = [
            k
            for k in counted
            if k.completed_on is not None and k.completed_on <= min(k.due_on, AS_OF)
        ]
        c = got["case_on_time_rate"][root]
        assert (c.numerator, c.denominator) == (len(on_time), len(counted)), root
    snv = got["recommendations_done_rate"][world.snv.pk]
    stc = got["recommendations_done_rate"][world.stc.pk]
    assert snv.denominator == 2 + 5 and stc.denominator == 3  # the move is seen
