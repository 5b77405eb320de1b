"""`notify` for other apps ("your extension was approved"), and read marks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from thenchot.core.errors import OutOfScope
from thenchot.notifications import selectors, services
from thenchot.notifications.choices import NotificationKind
from thenchot.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_it_puts_a_message_in_each_recipients_inbox(world):
    rows = services.notify(
        recipients=[world.user("an"), world.user("hoa").pk, world.user("an"), None],
        title="Gia hạn đã được duyệt",
        body="Hạn mới: 30/04/2026",
        url="/directives/tasks/1/",
        model_label="directives.task",
        object_id=1,
    )
    assert len(rows) == 2
    assert selectors.unread_count(user=world.user("an")) == 1
    assert selectors.unread_count(user=world.user("hoa")) == 1
    assert selectors.unread_count(user=world.user("minh")) == 0
    assert [n.title for n in selectors.for_record(model_label="directives.task", object_id=1)] == [
        "Gia hạn đã được duyệt",
        "Gia hạn đã được duyệt",
    ]


def test_it_keeps_repeated_info_messages(world):
    for _ in range(2):
        services.notify(
            recipients=[world.user("an")], title="Nhắc nhở", model_label="x", object_id=1
        )
    assert Notification.objects.filter(recipient=world.user("an")).count() == 2


def test_it_sends_a_reminder_kind_only_once(world):
    for _ in range(2):
        services.notify(
            recipients=[world.user("an")],
            title="Báo cáo quý",
            kind=NotificationKind.DUE_TODAY,
            model_label="tests.task",
            object_id=5,
            due_on=dt.date(2026, 3, 20),
        )
    assert Notification.objects.filter(recipient=world.user("an")).count() == 1


def test_it_skips_inactive_users_and_refuses_an_empty_title(world):
    minh = world.user("minh")
    minh.is_active = False
    minh.save(update_fields=["is_active"])
    assert services.notify(recipients=[minh], title="x") == []
    with pytest.raises(ValidationError):
        services.notify(recipients=[world.user("an")], title="")
    assert not Notification.objects.exists()


def test_it_refuses_to_mark_another_users_notification(world):
    n = services.notify(recipients=[world.user("minh")], title="Của Minh")[0]
    with pytest.raises(OutOfScope):
        services.mark_read(user=world.user("an"), notification=n)
    assert Notification.objects.get(pk=n.pk).read_at is None
    services.mark_read(user=world.user("minh"), notification=n)
    assert Notification.objects.get(pk=n.pk).read_at is not None


def test_it_counts_reminders_per_record(world):
    for kind, due in ((NotificationKind.DUE_TODAY, 20), (NotificationKind.OVERDUE, 21)):
        services.notify(
            recipients=[world.user("an")],
            title="t",
            kind=kind,
            model_label="tests.task",
            object_id=9,
            due_on=dt.date(2026, 3, due),
        )
    assert selectors.reminder_counts(model_label="tests.task", object_ids=[9, 10]) == {
        9: {NotificationKind.DUE_TODAY: 1, NotificationKind.OVERDUE: 1}
    }
