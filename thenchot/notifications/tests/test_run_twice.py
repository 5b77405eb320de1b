"""Running the job twice, or from two workers at once, creates and e-mails nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from thenchot.notifications import delivery
from thenchot.notifications.jobs import send_reminders
from thenchot.notifications.models import Notification

from .conftest import DUE

pytestmark = pytest.mark.django_db


def test_it_creates_no_duplicate_and_sends_no_second_email_when_run_twice(fake_source):
    on = DUE - dt.timedelta(days=7)
    first = send_reminders(on=on)
    second = send_reminders(on=on)
    assert (first["created"], first["emailed"]) == (2, 2)
    assert (second["created"], second["emailed"]) == (0, 0)
    assert Notification.objects.count() == 2
    assert len(mail.outbox) == 2


def test_it_refuses_a_duplicate_reminder_at_the_database(fake_source, world):
    from django.db import IntegrityError, transaction

    send_reminders(on=DUE)
    row = Notification.objects.filter(recipient=world.user("an")).get()
    row.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save(force_insert=True)


def test_it_sends_each_email_once_when_two_workers_claim_at_once(fake_source, world):
    from thenchot.notifications.reminders import run_reminders

    run_reminders(on=DUE)
    # Both workers read the same candidates before either claims them.
    seen_by_a = delivery.email_candidates()
    seen_by_b = delivery.email_candidates()
    assert seen_by_a == seen_by_b and len(seen_by_a) == 2
    won_by_a = delivery.claim_emails(seen_by_a)
    won_by_b = delivery.claim_emails(seen_by_b)
    assert len(won_by_a) == 2 and won_by_b == []
    assert delivery.deliver(won_by_a) + delivery.deliver(won_by_b) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.user("an").email, world.user("hoa").email]
    )
    assert delivery.send_pending_emails() == 0
    assert len(mail.outbox) == 2


def test_it_takes_over_a_claim_left_by_a_crashed_worker(fake_source):
    from django.utils import timezone

    from thenchot.notifications.reminders import run_reminders

    run_reminders(on=DUE)
    claimed = delivery.claim_emails(delivery.email_candidates())
    assert len(claimed) == 2  # ... and the worker dies before sending
    assert delivery.send_pending_emails() == 0  # still someone else's claim
    Notification.objects.update(
        email_claimed_at=timezone.now() - delivery.CLAIM_TTL - dt.timedelta(seconds=1)
    )
    assert delivery.send_pending_emails() == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0
