"""A date's epoch in SQL (`core.epochs.epoch_expression`) is `bisect_right` of the change days,
the same as in Python, for every day around them."""

from __future__ import annotations

import bisect
import datetime as dt

import pytest
from django.db.models import DateField, Value

from thenchot.core.epochs import epoch_expression
from thenchot.org.models import Unit
from thenchot.org.testing import UnitFactory

pytestmark = pytest.mark.django_db

POINTS = [dt.date(2025, 3, 1), dt.date(2025, 7, 1), dt.date(2026, 1, 1)]


@pytest.mark.parametrize("points", [[], POINTS])
def test_it_agrees_with_bisect_right(points):
    UnitFactory.create(code="E1")
    first = dt.date(2025, 2, 27)
    for offset in range(0, 320, 3):
        day = first + dt.timedelta(days=offset)
        epoch = (
            Unit.objects.annotate(day=Value(day, output_field=DateField()))
            .annotate(epoch=epoch_expression("day", points))
            .values_list("epoch", flat=True)
            .get(code="E1")
        )
        assert epoch == bisect.bisect_right(points, day), day
