"""E-mails go through Django's mail settings; people without an address get the inbox only."""

from __future__ import annotations

import pytest
from django.core import mail

from thenchot.notifications import delivery, services
from thenchot.notifications.jobs import send_emails, send_reminders
from thenchot.notifications.models import Notification

from .conftest import DUE

pytestmark = pytest.mark.django_db


def test_it_emails_the_reminder_with_a_link(fake_source, world, settings):
    settings.THENCHOT_BASE_URL = "https://thenchot.hanoi.gov.vn"
    send_reminders(on=DUE)
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == [world.user("an").email])
    assert "Báo cáo sơ kết 6 tháng" in message.subject
    assert "\n" not in message.subject
    assert "https://thenchot.hanoi.gov.vn/directives/tasks/1/" in message.body
    assert "20/03/2026" in message.body
    assert Notification.objects.filter(emailed_at__isnull=False).count() == 2


def test_it_gives_a_user_without_email_only_the_inbox_entry(fake_source, world):
    an = world.user("an")
    an.email = ""
    an.save(update_fields=["email"])
    send_reminders(on=DUE)
    assert [m.to for m in mail.outbox] == [[world.user("hoa").email]]
    row = Notification.objects.get(recipient=an)
    assert (row.email_wanted, row.emailed_at) == (False, None)


def test_it_drops_the_email_when_the_address_was_removed_before_sending(world):
    services.notify(recipients=[world.user("an")], title="Gia hạn đã được duyệt")
    an = world.user("an")
    an.email = ""
    an.save(update_fields=["email"])
    assert send_emails() == {"emailed": 0}
    assert not Notification.objects.get(recipient=an).email_wanted
    assert delivery.email_candidates() == []


def test_it_emails_what_notify_queued(world):
    services.notify(
        recipients=[world.user("an"), world.user("hoa")],
        title="Gia hạn đã được duyệt",
        body="Hạn mới: 30/04/2026",
        url="/directives/tasks/1/",
    )
    assert send_emails() == {"emailed": 2}
    assert {m.subject for m in mail.outbox} == {"Gia hạn đã được duyệt"}
    assert "Hạn mới: 30/04/2026" in mail.outbox[0].body


def test_it_retries_a_failed_send_and_gives_up_after_max_attempts(world, monkeypatch):
    services.notify(recipients=[world.user("an")], title="Thông báo")

    def boom(self, messages):  # type: ignore[no-untyped-def]
        raise OSError("smtp down")

    from django.core.mail.backends.locmem import EmailBackend

    monkeypatch.setattr(EmailBackend, "send_messages", boom)
    from django.utils import timezone

    for _ in range(delivery.MAX_ATTEMPTS + 2):
        assert delivery.send_pending_emails() == 0
        Notification.objects.update(email_claimed_at=timezone.now() - delivery.CLAIM_TTL * 2)
    row = Notification.objects.get()
    assert row.email_attempts == delivery.MAX_ATTEMPTS
    assert row.emailed_at is None
    assert delivery.email_candidates() == []
