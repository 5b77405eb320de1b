"""The decision deadline: 90 days from detection, 150 with an extension, moved by pauses."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from thenchot.discipline.rules import Pause, decision_deadline

D = dt.date(2025, 8, 1)


def test_it_gives_90_days_and_150_with_an_extension() -> None:
    """rules.md: discipline.procedure."""
    assert decision_deadline(detected_on=D, extended=False, pauses=[], on=D).due_on == dt.date(
        2025, 10, 30
    )
    assert decision_deadline(detected_on=D, extended=True, pauses=[], on=D).due_on == dt.date(
        2025, 12, 29
    )


def test_it_moves_the_deadline_by_the_paused_days() -> None:
    """rules.md: discipline.procedure."""
    pause = Pause(dt.date(2025, 9, 1), dt.date(2025, 9, 10), "serious_illness")
    result = decision_deadline(detected_on=D, extended=False, pauses=[pause], on=D)
    assert result.paused_days == 10
    assert result.due_on == dt.date(2025, 11, 9)
    assert any("paused" in line for line in result.trace)


def test_it_counts_overlapping_pauses_once() -> None:
    pauses = [
        Pause(dt.date(2025, 9, 1), dt.date(2025, 9, 10), "pregnancy"),
        Pause(dt.date(2025, 9, 5), dt.date(2025, 9, 20), "maternity_leave"),
    ]
    assert decision_deadline(detected_on=D, extended=False, pauses=pauses, on=D).paused_days == 20


def test_it_counts_an_open_pause_up_to_the_day_asked() -> None:
    pause = Pause(dt.date(2025, 9, 1), None, "prosecution")
    result = decision_deadline(
        detected_on=D, extended=False, pauses=[pause], on=dt.date(2025, 9, 30)
    )
    assert result.paused_days == 30


def test_it_ignores_a_pause_that_starts_after_the_deadline() -> None:
    late = Pause(dt.date(2026, 1, 1), dt.date(2026, 1, 31), "serious_illness")
    assert decision_deadline(detected_on=D, extended=False, pauses=[late], on=D).paused_days == 0


@given(st.integers(min_value=0, max_value=200), st.integers(min_value=0, max_value=60))
def test_it_never_moves_the_deadline_earlier(offset, length) -> None:  # type: ignore[no-untyped-def]
    start = D + dt.timedelta(days=offset)
    pause = Pause(start, start + dt.timedelta(days=length), "serious_illness")
    base = decision_deadline(detected_on=D, extended=False, pauses=[], on=D).due_on
    moved = decision_deadline(detected_on=D, extended=False, pauses=[pause], on=D).due_on
    assert moved >= base
