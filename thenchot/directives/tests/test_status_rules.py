"""rules.md "Tasks: status on a date D", table-driven at every boundary date (pure function)."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.directives.choices import TaskStatus
from thenchot.directives.status import (
    ExtensionFact,
    Status,
    delay_count,
    effective_deadline,
    task_status,
)

D = dt.date(2025, 6, 30)  # the original deadline in every case
DAY = dt.timedelta(days=1)


def ext(requested: dt.date, new: dt.date, status: str = "approved", decided=None, previous=D):
    return ExtensionFact(
        requested_on=requested,
        previous_deadline=previous,
        new_deadline=new,
        status=status,
        decided_on=decided,
    )


EXT_JULY = ext(D - 5 * DAY, dt.date(2025, 7, 31), decided=D - 2 * DAY)

CASES = [
    # (label, extensions, completed_on, on, expected)
    ("open, the day before the deadline", [], None, D - DAY, Status.IN_PROGRESS),
    ("open, on the deadline day", [], None, D, Status.IN_PROGRESS),
    ("open, the day after the deadline", [], None, D + DAY, Status.OVERDUE),
    ("completed on the deadline", [], D, D + 10 * DAY, Status.COMPLETED_ON_TIME),
    ("completed the day after", [], D + DAY, D + 10 * DAY, Status.COMPLETED_LATE),
    (
        "completed early, asked on the completion day",
        [],
        D - 3 * DAY,
        D - 3 * DAY,
        Status.COMPLETED_ON_TIME,
    ),
    (
        "completion dated after D is not a completion on D",
        [],
        D + DAY,
        D + DAY - DAY,
        Status.IN_PROGRESS,
    ),
    (
        "late completion dated after D, D past deadline",
        [],
        D + 5 * DAY,
        D + 2 * DAY,
        Status.OVERDUE,
    ),
    (
        "approved extension in force: open after old deadline",
        [EXT_JULY],
        None,
        D + DAY,
        Status.IN_PROGRESS,
    ),
    (
        "approved extension: on the new deadline",
        [EXT_JULY],
        None,
        dt.date(2025, 7, 31),
        Status.IN_PROGRESS,
    ),
    (
        "approved extension: the day after the new deadline",
        [EXT_JULY],
        None,
        dt.date(2025, 8, 1),
        Status.OVERDUE,
    ),
    (
        "completed within the extension",
        [EXT_JULY],
        dt.date(2025, 7, 31),
        dt.date(2025, 9, 1),
        Status.COMPLETED_ON_TIME,
    ),
    (
        "extension decided the day before D counts on D",
        [ext(D - DAY, dt.date(2025, 7, 31), decided=D + DAY)],
        None,
        D + 2 * DAY,
        Status.IN_PROGRESS,
    ),
    (
        "extension decided the day after D is not yet in force on D",
        [ext(D - DAY, dt.date(2025, 7, 31), decided=D + 2 * DAY)],
        None,
        D + DAY,
        Status.OVERDUE,
    ),
    (
        "extension decided on D is in force on D",
        [ext(D - DAY, dt.date(2025, 7, 31), decided=D + DAY)],
        None,
        D + DAY,
        Status.IN_PROGRESS,
    ),
    (
        "pending extension changes nothing",
        [ext(D - DAY, dt.date(2025, 7, 31), status="pending")],
        None,
        D + DAY,
        Status.OVERDUE,
    ),
    (
        "rejected extension changes nothing",
        [ext(D - DAY, dt.date(2025, 7, 31), status="rejected", decided=D)],
        None,
        D + DAY,
        Status.OVERDUE,
    ),
    (
        "approved without a decision date: in force from its request",
        [ext(D + DAY, dt.date(2025, 7, 31))],
        None,
        D + DAY,
        Status.IN_PROGRESS,
    ),
    (
        "the latest approval wins, even with an earlier date",
        [
            EXT_JULY,
            ext(
                dt.date(2025, 7, 20),
                dt.date(2025, 7, 15),
                decided=dt.date(2025, 7, 21),
                previous=dt.date(2025, 7, 10),
            ),
        ],
        None,
        dt.date(2025, 7, 22),
        Status.OVERDUE,
    ),
]


@pytest.mark.parametrize(
    ("extensions", "completed_on", "on", "expected"),
    [c[1:] for c in CASES],
    ids=[c[0] for c in CASES],
)
def test_it_computes_the_status_at_every_boundary(extensions, completed_on, on, expected):
    """rules.md: task-status.completed-on-time, task-status.completed-late,
    task-status.overdue, task-status.in-progress, settled.7."""
    assert task_status(deadline=D, extensions=extensions, completed_on=completed_on, on=on) == (
        expected
    )


def test_it_keeps_status_values_equal_to_the_choices():
    assert {s.value for s in Status} == set(TaskStatus.values)
    assert TaskStatus(Status.OVERDUE).label


def test_it_takes_the_latest_approved_extension_as_the_effective_deadline():
    """rules.md: task-status.effective-deadline."""
    second = ext(
        dt.date(2025, 7, 25),
        dt.date(2025, 8, 31),
        decided=dt.date(2025, 7, 26),
        previous=dt.date(2025, 7, 31),
    )
    facts = [EXT_JULY, second]
    assert effective_deadline(deadline=D, extensions=facts, on=dt.date(2025, 7, 25)) == (
        dt.date(2025, 7, 31)
    )
    assert effective_deadline(deadline=D, extensions=facts, on=dt.date(2025, 7, 26)) == (
        dt.date(2025, 8, 31)
    )
    assert effective_deadline(deadline=D, extensions=[], on=dt.date(2030, 1, 1)) == D


DELAYS = [
    ("on time, no request", [], D, D + 9 * DAY, 0),
    ("completed late", [], D + DAY, D + 9 * DAY, 1),
    ("open and overdue", [], None, D + DAY, 1),
    (
        "request in time, approved, completed within it",
        [EXT_JULY],
        dt.date(2025, 7, 30),
        dt.date(2025, 9, 1),
        0,
    ),
    (
        "request after the deadline, approved, completed within it",
        [ext(D + 3 * DAY, dt.date(2025, 7, 31), decided=D + 4 * DAY)],
        dt.date(2025, 7, 30),
        dt.date(2025, 9, 1),
        1,
    ),
    (
        "request on the deadline day is in time",
        [ext(D, dt.date(2025, 7, 31), decided=D + DAY)],
        dt.date(2025, 7, 30),
        dt.date(2025, 9, 1),
        0,
    ),
    (
        "late request and late completion still count one delay",
        [ext(D + 3 * DAY, dt.date(2025, 7, 31), decided=D + 4 * DAY)],
        dt.date(2025, 8, 5),
        dt.date(2025, 9, 1),
        1,
    ),
    (
        "a late request made after D does not count on D",
        [ext(D + 3 * DAY, dt.date(2025, 7, 31), status="pending")],
        None,
        D,
        0,
    ),
]


@pytest.mark.parametrize(
    ("extensions", "completed_on", "on", "expected"),
    [c[1:] for c in DELAYS],
    ids=[c[0] for c in DELAYS],
)
def test_it_counts_at_most_one_delay(extensions, completed_on, on, expected):
    """rules.md: task-status.late-extension, settled.7."""
    assert (
        delay_count(deadline=D, extensions=extensions, completed_on=completed_on, on=on) == expected
    )
