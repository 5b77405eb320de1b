"""Tasks whose deadline an extension moved: the dashboard takes the effective deadline on the
window's `as_of` (`directives.status`), as the `tasks` report block and the task lists do — an
approved extension in force moves the task's month and status, one approved after `as_of`, a
pending or a rejected one does not."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.scoping import compute_scope
from thenchot.core.registry import report_blocks
from thenchot.dashboards import selectors
from thenchot.dashboards.metrics import METRICS
from thenchot.dashboards.testing import YEAR
from thenchot.directives.models import ExtensionRequest
from thenchot.directives.testing import TaskFactory

pytestmark = pytest.mark.django_db
D = dt.date


def _extend(task, new, status="approved", decided=None):  # type: ignore[no-untyped-def]
    ExtensionRequest.objects.create(
        task=task,
        requested_on=task.deadline - dt.timedelta(days=3),
        previous_deadline=task.deadline,
        new_deadline=new,
        status=status,
        decided_on=decided,
    )


@pytest.fixture
def extended(world, year):  # type: ignore[no-untyped-def]
    def task(code, deadline, done=None):  # type: ignore[no-untyped-def]
        return TaskFactory.create(
            code=code,
            lead_unit=world.stc_ns,
            assigner_unit=world.city,
            assigned_on=D(YEAR, 1, 5),
            deadline=deadline,
            completed_on=done,
        )

    # in force: due in March, moved to May, completed in April -> on time, in May
    _extend(task("NV-E1", D(YEAR, 3, 31), D(YEAR, 4, 20)), D(YEAR, 5, 31), decided=D(YEAR, 3, 29))
    # approved only after the statuses' day of a March window; in force for the year
    _extend(task("NV-E2", D(YEAR, 3, 10)), D(YEAR, 8, 31), decided=D(YEAR, 4, 2))
    _extend(task("NV-E3", D(YEAR, 2, 28)), D(YEAR, 9, 30), status="pending")
    _extend(task("NV-E4", D(YEAR, 2, 28), D(YEAR, 3, 5)), D(YEAR, 3, 31), status="rejected")
    # moved out of the year entirely
    _extend(task("NV-E5", D(YEAR, 12, 1)), D(YEAR + 1, 1, 31), decided=D(YEAR, 11, 20))


WINDOWS = [
    (D(YEAR, 1, 1), D(YEAR, 12, 31), D(YEAR, 12, 31)),
    (D(YEAR, 3, 1), D(YEAR, 3, 31), D(YEAR, 3, 31)),
    (D(YEAR, 1, 1), D(YEAR, 6, 30), D(YEAR, 6, 30)),
]


@pytest.mark.parametrize("window", WINDOWS)
@pytest.mark.parametrize("unit", ["HN", "STC"])
def test_the_figures_follow_the_effective_deadline(world, extended, window, unit):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    start, end, as_of = window
    block = report_blocks.get("tasks").compute(
        unit=_unit(unit),
        date_from=start,
        date_to=end,
        as_of=as_of,
    )
    for key in ("due", "completed_on_time", "completed_late", "overdue", "in_progress"):
        metric = METRICS[f"tasks.{key}"]
        params = {
            "metric": metric.key,
            "unit": unit,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "as_of": as_of.isoformat(),
        }
        query = selectors.parse_records_query(scope, params)
        listed = selectors.records_queryset(scope, query).count()
        assert selectors.records_count(scope, query) == listed == block[key], (key, window)


def _unit(code):  # type: ignore[no-untyped-def]
    from thenchot.org.models import Unit

    return Unit.objects.get(code=code)


def test_an_extension_moves_the_task_to_its_new_month(world, extended):  # type: ignore[no-untyped-def]
    scope = compute_scope(world.user("hung"))
    d = selectors.dashboard(scope, period=selectors.period_of({"year": str(YEAR)}), unit_code="STC")
    chart = next(t for t in d.trends if t.key == "tasks")
    on_time = [c.value for c in chart.series[0][1]]
    overdue = [c.value for c in chart.series[2][1]]
    assert on_time[4] == 1  # NV-E1 in May, on time against its extended deadline
    assert overdue[7] == 1  # NV-E2 overdue in August, its extended month
    assert overdue[1] == 1  # NV-E3: the pending extension moves nothing (February)
