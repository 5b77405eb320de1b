"""The queryset expression and the pure function give the same status, on the real database."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thenchot.directives.models import ExtensionRequest, Task
from thenchot.directives.status import (
    ExtensionFact,
    annotate_status,
    effective_deadline,
    extended_on,
    task_status,
)
from thenchot.org.testing import UnitFactory

pytestmark = pytest.mark.django_db

BASE = dt.date(2025, 1, 1)
offsets = st.integers(min_value=0, max_value=40)
# A narrow range for extension dates, so that ties (two approvals on one day) happen often.
ext_offsets = st.integers(min_value=0, max_value=12)


def day(n: int) -> dt.date:
    return BASE + dt.timedelta(days=n)


extension_st = st.fixed_dictionaries(
    {
        "requested": ext_offsets,
        "previous": ext_offsets,
        "gain": st.integers(min_value=1, max_value=20),
        "status": st.sampled_from(["pending", "approved", "approved", "rejected"]),
        "decided": st.one_of(st.none(), ext_offsets),
    }
)
task_st = st.fixed_dictionaries(
    {
        "assigned": offsets,
        "length": st.integers(min_value=0, max_value=20),
        "completed": st.one_of(st.none(), st.integers(min_value=0, max_value=40)),
        "extensions": st.lists(extension_st, max_size=3),
    }
)


@pytest.fixture
def lead(db):
    return UnitFactory(code="AGREE", name="Đơn vị kiểm thử", kind="department")


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tasks=st.lists(task_st, min_size=1, max_size=6), on=st.integers(min_value=0, max_value=50))
def test_it_agrees_with_the_pure_function_on_random_tasks(lead, tasks, on):
    on_date = day(on)
    expected: dict[int, tuple[dt.date, str]] = {}
    try:
        for i, spec in enumerate(tasks):
            assigned = day(spec["assigned"])
            completed = (
                None if spec["completed"] is None else assigned + dt.timedelta(spec["completed"])
            )
            task = Task.objects.create(
                code=f"AG-{i}",
                title="t",
                lead_unit=lead,
                assigned_on=assigned,
                deadline=assigned + dt.timedelta(spec["length"]),
                completed_on=completed,
            )
            facts = []
            pending_seen = False
            for e in spec["extensions"]:
                status = e["status"]
                if status == "pending":
                    if pending_seen:
                        status = "rejected"
                    pending_seen = True
                fact = ExtensionFact(
                    requested_on=day(e["requested"]),
                    previous_deadline=day(e["previous"]),
                    new_deadline=day(e["previous"] + e["gain"]),
                    status=status,
                    decided_on=None if e["decided"] is None else day(e["decided"]),
                )
                facts.append(fact)
                ExtensionRequest.objects.create(
                    task=task,
                    requested_on=fact.requested_on,
                    previous_deadline=fact.previous_deadline,
                    new_deadline=fact.new_deadline,
                    status=fact.status,
                    decided_on=fact.decided_on,
                )
            expected[task.pk] = (
                effective_deadline(deadline=task.deadline, extensions=facts, on=on_date),
                task_status(
                    deadline=task.deadline, extensions=facts, completed_on=completed, on=on_date
                ).value,
                any(f.in_force_on(on_date) for f in facts),
            )
        rows = (
            annotate_status(Task.objects.all(), on_date)
            .annotate(ext=extended_on(on_date))
            .values_list("pk", "effective_deadline", "status", "ext")
        )
        got = {pk: (eff, status, ext) for pk, eff, status, ext in rows}
        assert got == expected
    finally:
        Task.objects.all().delete()


def test_it_agrees_on_the_boundary_table(lead):
    """rules.md: task-status.completed-on-time, task-status.completed-late,
    task-status.overdue, task-status.in-progress."""
    from thenchot.directives.tests.test_status_rules import CASES, D

    for i, (label, extensions, completed_on, on, expected) in enumerate(CASES):
        task = Task.objects.create(
            code=f"B-{i}",
            title=label,
            lead_unit=lead,
            assigned_on=D - dt.timedelta(days=60),
            deadline=D,
            completed_on=completed_on,
        )
        for e in extensions:
            ExtensionRequest.objects.create(
                task=task,
                requested_on=e.requested_on,
                previous_deadline=e.previous_deadline,
                new_deadline=e.new_deadline,
                status=e.status,
                decided_on=e.decided_on,
            )
        status = annotate_status(Task.objects.filter(pk=task.pk), on).get().status
        assert status == expected, label
