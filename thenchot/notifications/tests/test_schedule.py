"""Which day gets which reminder: the pure rules, at every boundary."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thenchot.notifications.choices import NotificationKind as K
from thenchot.notifications.schedule import (
    ESCALATION_CATCH_UP_DAYS,
    Policy,
    due_dates_for,
    parse_days_before,
    reminders_for,
)

DUE = dt.date(2026, 3, 20)
DEFAULT = Policy(key="x")


def kinds(on: dt.date, policy: Policy = DEFAULT) -> list[tuple[str, int]]:
    return [(r.kind, r.offset_days) for r in reminders_for(policy, on, DUE)]


@pytest.mark.parametrize(
    ("days_from_due", "expected"),
    [
        (-8, []),
        (-7, [(K.REMINDER_BEFORE, -7)]),
        (-6, []),
        (-4, []),
        (-3, [(K.REMINDER_BEFORE, -3)]),
        (-2, []),
        (-1, [(K.REMINDER_BEFORE, -1)]),
        (0, [(K.DUE_TODAY, 0)]),
        (1, [(K.OVERDUE, 1)]),
        (2, []),
        (3, [(K.ESCALATION, 0)]),
        (4, [(K.ESCALATION, 0)]),  # catch-up: stored once by the unique constraint
        (7, [(K.ESCALATION, 0)]),
        (8, [(K.OVERDUE, 8), (K.ESCALATION, 0)]),
        (9, [(K.ESCALATION, 0)]),
        (10, []),  # a week of catch-up is over
        (15, [(K.OVERDUE, 15)]),
    ],
)
def test_it_reminds_on_the_default_days(days_from_due, expected):
    assert kinds(DUE + dt.timedelta(days=days_from_due)) == expected


def test_it_follows_a_custom_policy():
    policy = Policy(
        key="x", days_before=(2,), on_due_day=False, overdue_every_days=0, escalate_after_days=None
    )
    got = {d: kinds(DUE + dt.timedelta(days=d), policy) for d in range(-8, 20)}
    assert {d: v for d, v in got.items() if v} == {
        -2: [(K.REMINDER_BEFORE, -2)],
        1: [(K.OVERDUE, 1)],
    }


def test_it_asks_sources_only_for_the_reminder_days():
    on = dt.date(2026, 3, 1)
    assert due_dates_for(DEFAULT, on) == {
        dt.date(2026, 3, 8),
        dt.date(2026, 3, 4),
        dt.date(2026, 3, 2),
        on,
    }
    assert due_dates_for(Policy(key="x", days_before=(), on_due_day=False), on) == set()


@given(
    days=st.sets(st.integers(min_value=1, max_value=60), max_size=5),
    every=st.integers(min_value=0, max_value=10),
    escalate=st.one_of(st.none(), st.integers(min_value=1, max_value=10)),
)
def test_it_sends_each_before_reminder_once_and_never_escalates_early(days, every, escalate):
    policy = Policy(
        key="x",
        days_before=tuple(sorted(days, reverse=True)),
        overdue_every_days=every,
        escalate_after_days=escalate,
    )
    sweep = [DUE + dt.timedelta(days=d) for d in range(-70, 40)]
    before = [
        r.offset_days
        for on in sweep
        for r in reminders_for(policy, on, DUE)
        if r.kind == K.REMINDER_BEFORE
    ]
    assert sorted(before) == sorted(-d for d in days)
    for on in sweep:
        plan = reminders_for(policy, on, DUE)
        late = (on - DUE).days
        escalated = any(r.escalation for r in plan)
        assert escalated == (
            escalate is not None and escalate <= late < escalate + ESCALATION_CATCH_UP_DAYS
        )
        # the item is asked for on exactly the days it gets a pre-due reminder
        if late <= 0:
            assert bool(plan) == (DUE in due_dates_for(policy, on))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7, 3, 1", (7, 3, 1)), ("1;3;7;3", (7, 3, 1)), ([14, 7], (14, 7)), ("", ())],
)
def test_it_normalises_days_before(raw, expected):
    assert parse_days_before(raw) == expected


@pytest.mark.parametrize("raw", ["7, x", "0", "-1", "400", [1.5], [True], 7])
def test_it_refuses_bad_days_before(raw):
    with pytest.raises(ValueError):
        parse_days_before(raw)
