"""Per-unit statistics over a date range, the drill-down, the report block, tree history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.accounts.scoping import compute_scope
from thenchot.core.errors import OutOfScope
from thenchot.directives.models import Task
from thenchot.directives.statistics import report_block_tasks, unit_statistics
from thenchot.directives.testing import ExtensionFactory, TaskFactory
from thenchot.org.models import UnitLink
from thenchot.org.tree import invalidate

pytestmark = pytest.mark.django_db
d = dt.date
FROM, TO = d(2025, 1, 1), d(2025, 12, 31)


@pytest.fixture
def year(world):
    def task(code, lead, assigned, deadline, completed=None, **kw):
        return TaskFactory(
            code=code,
            lead_unit=lead,
            assigner_unit=world.city,
            assigned_on=assigned,
            deadline=deadline,
            completed_on=completed,
            **kw,
        )

    task("A", world.snv_tc, d(2025, 2, 1), d(2025, 3, 1), d(2025, 2, 28))
    b = task("B", world.snv, d(2025, 3, 1), d(2025, 4, 1), d(2025, 4, 5))
    task("B.1", world.snv_tc, d(2025, 3, 2), d(2025, 3, 20), parent=b)  # sub-task: not counted
    task("C", world.stc_ns, d(2025, 5, 1), d(2025, 6, 1))
    task("D", world.ward, d(2025, 11, 1), d(2026, 1, 31))
    e = task("E", world.stc, d(2024, 12, 1), d(2025, 1, 15))
    ExtensionFactory(
        task=e,
        requested_on=d(2025, 1, 8),
        new_deadline=d(2026, 2, 1),
        status="approved",
        decided_on=d(2025, 1, 10),
    )
    task("F", world.snv, d(2025, 6, 1), d(2025, 12, 31))
    task("G", world.city, d(2025, 7, 1), d(2025, 8, 1), d(2025, 8, 1))
    return world


def by_code(stats):
    return {(r.code, r.is_root_itself): r for r in stats.rows}


def test_it_counts_each_child_subtree_and_the_total(year):
    stats = unit_statistics(
        scope=compute_scope(year.user("hung")), root=year.city.pk, date_from=FROM, date_to=TO
    )
    assert [r.code for r in stats.rows] == ["HN", "P-BADINH", "SNV", "STC"]
    rows = by_code(stats)
    snv = rows[("SNV", False)].counts
    assert (snv["assigned"], snv["due"], snv["completed_on_time"]) == (3, 3, 1)
    assert (snv["completed_late"], snv["overdue"], snv["in_progress"]) == (1, 0, 1)
    stc = rows[("STC", False)].counts
    assert (stc["assigned"], stc["due"], stc["overdue"]) == (1, 1, 1)
    assert (stc["extensions_requested"], stc["extensions_approved"]) == (1, 1)
    assert rows[("P-BADINH", False)].counts["due"] == 0
    assert rows[("HN", True)].counts["completed_on_time"] == 1
    assert (stats.total.counts["assigned"], stats.total.counts["due"]) == (6, 5)
    assert stats.total.on_time_rate == 40.0
    assert rows[("P-BADINH", False)].on_time_rate is None


def test_it_takes_statuses_on_the_as_of_date(year):
    stats = unit_statistics(
        scope=compute_scope(year.user("hung")),
        root=year.city.pk,
        date_from=FROM,
        date_to=d(2025, 6, 30),
        as_of=d(2025, 4, 2),
    )
    snv = by_code(stats)[("SNV", False)].counts
    # On 2 April, B (due 1 April, completed 5 April) was overdue; C (due 1 June) in progress.
    assert (snv["due"], snv["overdue"], snv["completed_on_time"]) == (2, 1, 1)
    assert by_code(stats)[("STC", False)].counts["in_progress"] == 1


def test_it_drills_down_to_a_department(year):
    stats = unit_statistics(
        scope=compute_scope(year.user("lan")), root=year.snv.pk, date_from=FROM, date_to=TO
    )
    rows = by_code(stats)
    assert set(rows) == {("SNV", True), ("SNV-CC", False), ("SNV-TC", False)}
    assert rows[("SNV-TC", False)].counts["completed_on_time"] == 1
    assert rows[("SNV", True)].counts["assigned"] == 2
    assert stats.total.counts["assigned"] == 3


def test_it_refuses_a_root_outside_the_scope(year):
    with pytest.raises(OutOfScope):
        unit_statistics(
            scope=compute_scope(year.user("lan")), root=year.city.pk, date_from=FROM, date_to=TO
        )
    with pytest.raises(OutOfScope):
        unit_statistics(
            scope=compute_scope(year.user("minh")), root=year.snv.pk, date_from=FROM, date_to=TO
        )


def test_it_gives_the_report_block_of_the_spec(year):
    block = report_block_tasks(unit=year.city, date_from=FROM, date_to=TO, as_of=TO)
    assert block == {
        "assigned": 6,
        "due": 5,
        "completed_on_time": 2,
        "completed_late": 1,
        "overdue": 1,
        "in_progress": 1,
        "extensions_requested": 1,
        "extensions_approved": 1,
    }
    snv = report_block_tasks(unit=year.snv, date_from=FROM, date_to=TO, as_of=TO)
    assert snv["assigned"] == 3


def test_it_places_tasks_where_their_unit_stood_when_assigned(year):
    # STC-NS moves from STC to SNV on 1 July 2025.
    link = UnitLink.objects.get(unit=year.stc_ns)
    link.valid_to = d(2025, 6, 30)
    link.save()
    UnitLink.objects.create(unit=year.stc_ns, parent=year.snv, valid_from=d(2025, 7, 1))
    invalidate()
    TaskFactory(
        code="H",
        lead_unit=year.stc_ns,
        assigner_unit=year.city,
        assigned_on=d(2025, 8, 1),
        deadline=d(2025, 9, 1),
    )
    stats = unit_statistics(
        scope=compute_scope(year.user("hung")), root=year.city.pk, date_from=FROM, date_to=TO
    )
    rows = by_code(stats)
    assert rows[("STC", False)].counts["assigned"] == 1  # C, assigned in May
    assert rows[("SNV", False)].counts["assigned"] == 4  # A, B, F and H
    assert report_block_tasks(unit=year.stc, date_from=FROM, date_to=TO, as_of=TO)["due"] == 1


def test_it_runs_a_handful_of_queries_whatever_the_number_of_tasks(year):
    scope = compute_scope(year.user("hung"))
    unit_statistics(scope=scope, root=year.city.pk, date_from=FROM, date_to=TO)  # the scope's units
    with CaptureQueriesContext(connection) as ctx:
        unit_statistics(scope=scope, root=year.city.pk, date_from=FROM, date_to=TO)
    first = len(ctx)
    TaskFactory.create_batch(
        20, lead_unit=year.ward, assigned_on=d(2025, 3, 3), deadline=d(2025, 3, 30)
    )
    with CaptureQueriesContext(connection) as ctx:
        stats = unit_statistics(scope=scope, root=year.city.pk, date_from=FROM, date_to=TO)
    assert len(ctx) == first <= 6
    assert stats.total.counts["assigned"] == Task.objects.filter(parent__isnull=True).count() - 1
