"""Counting records per epoch of a dated tree in SQL: a date's epoch is the number of change
days on or before it (`bisect.bisect_right(points, date)`), so a query can group by it and the
tree be asked once per epoch instead of once per day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import Case, IntegerField, Value, When


def epoch_expression(path: str, points: Sequence[dt.date]) -> Any:
    """SQL for `bisect_right(points, <the date at path>)`: 0 before the first change day."""
    if not points:
        return Value(0, output_field=IntegerField())
    return Case(
        *(When(**{f"{path}__lt": p}, then=Value(i)) for i, p in enumerate(points)),
        default=Value(len(points)),
        output_field=IntegerField(),
    )
