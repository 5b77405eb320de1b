"""Helpers for the rotation tests: An holds a listed position (36 months) since 2022-01-01."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

ON = dt.date(2025, 3, 1)


@pytest.fixture
def scope_of(world):  # type: ignore[no-untyped-def]
    from thenchot.accounts.scoping import compute_scope

    def make(username: str) -> Any:
        return compute_scope(world.user(username))

    return make


@pytest.fixture
def listed(world):  # type: ignore[no-untyped-def]
    from thenchot.people.models import JobPosition, Staff

    job = JobPosition.objects.create(
        code="KETOAN", name="Kế toán", rotation_subject=True, rotation_period_months=36
    )
    Staff.objects.filter(code__in=["P005", "P004"]).update(
        job_position=job, in_position_since=dt.date(2022, 1, 1)
    )
    for staff in world.staff.values():
        staff.refresh_from_db()
    return job
