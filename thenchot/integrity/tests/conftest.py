from __future__ import annotations

import pytest

from thenchot.appraisal.testing import (
    add_staff,
    approved,
    month_before,
    open_period,
    this_month,
    with_snv_head,
)


@pytest.fixture
def month(world):  # type: ignore[no-untyped-def]
    """SNV's open month, every evaluation approved at 80 points (good)."""
    with_snv_head(world)
    add_staff(world, 2)
    period = open_period(world)
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    return period


@pytest.fixture
def earlier(world, month):  # type: ignore[no-untyped-def]
    """SNV's month before, approved likewise (a second period to seal)."""
    period = open_period(world, month_before(this_month()))
    for ev in period.evaluations.all():
        approved(ev, general="25", tasks="55")
    return period
