"""The reminder run creates the right inbox rows, for the right people, on the right days."""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.core.due import DueItem
from thenchot.notifications.choices import NotificationKind as K
from thenchot.notifications.jobs import send_reminders
from thenchot.notifications.models import Notification, ReminderPolicy

from .conftest import DUE

pytestmark = pytest.mark.django_db


def rows(on_day: int) -> set[tuple[str, str, int]]:
    """(username, kind, offset) of the notifications created by a run on DUE + on_day."""
    before = set(Notification.objects.values_list("pk", flat=True))
    send_reminders(on=DUE + dt.timedelta(days=on_day))
    return set(
        Notification.objects.exclude(pk__in=before).values_list(
            "recipient__username", "kind", "offset_days"
        )
    )


def test_it_reminds_assignee_and_head_7_3_and_1_days_before_and_on_the_due_day(fake_source):
    sweep = {d: rows(d) for d in range(-10, 1)}
    assert {d: v for d, v in sweep.items() if v} == {
        -7: {("an", K.REMINDER_BEFORE, -7), ("hoa", K.REMINDER_BEFORE, -7)},
        -3: {("an", K.REMINDER_BEFORE, -3), ("hoa", K.REMINDER_BEFORE, -3)},
        -1: {("an", K.REMINDER_BEFORE, -1), ("hoa", K.REMINDER_BEFORE, -1)},
        0: {("an", K.DUE_TODAY, 0), ("hoa", K.DUE_TODAY, 0)},
    }


def test_it_reminds_on_the_first_overdue_day_then_every_7_days(fake_source):
    overdue = {d: {r for r in rows(d) if r[1] == K.OVERDUE} for d in range(1, 23)}
    assert {d for d, v in overdue.items() if v} == {1, 8, 15, 22}
    assert overdue[8] == {("an", K.OVERDUE, 8), ("hoa", K.OVERDUE, 8)}


def test_it_escalates_to_the_assigner_after_3_days_and_not_before(fake_source):
    assert not Notification.objects.filter(kind=K.ESCALATION).exists()
    for day in (1, 2):
        assert not {r for r in rows(day) if r[1] == K.ESCALATION}
    assert {r for r in rows(3) if r[1] == K.ESCALATION} == {("lan", K.ESCALATION, 0)}
    # once per due date, even though the item stays overdue
    for day in (4, 5, 10):
        rows(day)
    escalations = Notification.objects.filter(kind=K.ESCALATION)
    assert list(escalations.values_list("recipient__username", flat=True)) == ["lan"]
    assert (
        not Notification.objects.filter(recipient__username="lan")
        .exclude(kind=K.ESCALATION)
        .exists()
    )


def test_it_catches_up_an_escalation_missed_on_its_day(fake_source):
    assert {r for r in rows(6) if r[1] == K.ESCALATION} == {("lan", K.ESCALATION, 0)}


def test_it_uses_the_stored_policy_for_the_sources_key(fake_source):
    ReminderPolicy.objects.create(
        key="tests.fake",
        days_before=[2],
        on_due_day=False,
        overdue_every_days=2,
        escalate_after_days=5,
    )
    sweep = {d: {(k, o) for _u, k, o in rows(d)} for d in range(-8, 8)}
    assert {d: v for d, v in sweep.items() if v} == {
        -2: {(K.REMINDER_BEFORE, -2)},
        1: {(K.OVERDUE, 1)},
        3: {(K.OVERDUE, 3)},
        5: {(K.OVERDUE, 5), (K.ESCALATION, 0)},
        7: {(K.OVERDUE, 7)},
    }


def test_it_asks_the_source_once_per_run_for_the_reminder_days(fake_source):
    send_reminders(on=DUE)
    assert fake_source.calls == [
        {
            "on": DUE,
            "due_dates": {
                DUE,
                DUE + dt.timedelta(days=1),
                DUE + dt.timedelta(days=3),
                DUE + dt.timedelta(days=7),
            },
            "overdue": True,
        }
    ]


def test_it_starts_again_after_the_deadline_is_extended(fake_source):
    rows(3)  # escalated for the old deadline
    new_due = DUE + dt.timedelta(days=14)
    item = fake_source.open_items[0]
    fake_source.open_items[0] = DueItem(**{**item.__dict__, "due_on": new_due})
    got = rows(14 - 7)  # 7 days before the new deadline
    assert got == {("an", K.REMINDER_BEFORE, -7), ("hoa", K.REMINDER_BEFORE, -7)}
    assert set(
        Notification.objects.filter(kind=K.REMINDER_BEFORE).values_list("due_on", flat=True)
    ) == {new_due}


def test_it_skips_inactive_and_unknown_users(fake_source, world):
    hoa = world.user("hoa")
    hoa.is_active = False
    hoa.save(update_fields=["is_active"])
    item = fake_source.open_items[0]
    fake_source.open_items[0] = DueItem(
        **{**item.__dict__, "recipients": (*item.recipients, 987654)}
    )
    assert rows(0) == {("an", K.DUE_TODAY, 0)}


def test_it_stores_the_record_link_and_shows_a_headline(fake_source, world):
    send_reminders(on=DUE - dt.timedelta(days=3))
    n = Notification.objects.get(recipient=world.user("an"))
    assert (n.model_label, n.object_id, n.due_on, n.url) == (
        "tests.task",
        1,
        DUE,
        "/directives/tasks/1/",
    )
    from django.utils import translation

    with translation.override("en"):
        assert n.headline == "Due in 3 days: Báo cáo sơ kết 6 tháng"
        assert "20/03/2026" in n.text


def test_it_returns_counts(fake_source):
    result = send_reminders(on=DUE)
    assert result == {"on": "2026-03-20", "sources": 1, "items": 1, "created": 2, "emailed": 2}


def test_it_uses_a_handful_of_queries_not_one_per_item(world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from thenchot.notifications.reminders import run_reminders
    from thenchot.notifications.testing import FakeDueSource, only_sources

    users = [u.pk for u in world.users.values()]

    def queries(n: int, object_base: int) -> int:
        source = FakeDueSource(
            open_items=[
                DueItem(
                    model_label="tests.task",
                    object_id=object_base + i,
                    title=f"Việc {i}",
                    due_on=DUE - dt.timedelta(days=i % 5),  # due today and 1-4 days late
                    url="",
                    recipients=(users[i % len(users)], users[(i + 1) % len(users)]),
                    escalate_to=(users[(i + 2) % len(users)],),
                )
                for i in range(n)
            ]
        )
        with only_sources(source), CaptureQueriesContext(connection) as ctx:
            run = run_reminders(on=DUE)
        assert run.created > 0
        return len(ctx.captured_queries)

    few, many = queries(3, 2000), queries(60, 1000)
    # policies, users, the INSERT batches (SQLite caps bound parameters per statement), count
    assert few == 4
    assert many <= few + 2
