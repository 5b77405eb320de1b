"""Validity dates (`core.validity`): both ends inclusive, None open — one reading everywhere."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.core.validity import Validity, within

D = dt.date


@pytest.mark.parametrize(
    ("on", "valid_from", "valid_to", "expected"),
    [
        (D(2026, 1, 1), None, None, True),
        (D(2026, 1, 1), D(2026, 1, 1), None, True),  # the first day counts
        (D(2025, 12, 31), D(2026, 1, 1), None, False),
        (D(2026, 6, 30), None, D(2026, 6, 30), True),  # the last day counts
        (D(2026, 7, 1), None, D(2026, 6, 30), False),
        (D(2026, 3, 1), D(2026, 1, 1), D(2026, 6, 30), True),
        (D(2026, 8, 1), D(2026, 1, 1), D(2026, 6, 30), False),
    ],
)
def test_it_reads_both_ends_inclusive_and_none_open(on, valid_from, valid_to, expected):
    assert within(on, valid_from, valid_to) is expected


@dataclass(frozen=True)
class Term(Validity):
    valid_from: dt.date | None
    valid_to: dt.date | None


days = st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31))


@given(on=days, start=st.none() | days, end=st.none() | days)
def test_the_mixin_agrees_with_the_function(on, start, end):
    assert Term(start, end).valid_on(on) is within(on, start, end)
