"""Shared fixtures of the evaluation tests (a test module's own fixture of the same name wins)."""

from __future__ import annotations

import pytest

from thenchot.appraisal.testing import add_staff, approved, open_period, with_snv_head


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    """SNV's open month, every evaluation approved at 80 points (good)."""
    with_snv_head(world)
    add_staff(world, 2)
    period = open_period(world)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")  # 80: good
    return period
