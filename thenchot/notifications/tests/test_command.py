"""`manage.py send_reminders --on DATE`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from thenchot.audit.models import AuditEntry  # noqa: F401  (app loaded)
from thenchot.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_it_runs_for_the_given_day(fake_source):
    out = io.StringIO()
    call_command("send_reminders", "--on", "2026-03-13", "--lang", "en", stdout=out)
    assert Notification.objects.filter(kind="reminder_before", offset_days=-7).count() == 2
    assert "2 notifications created" in out.getvalue()


def test_it_refuses_a_bad_date(fake_source):
    with pytest.raises(CommandError):
        call_command("send_reminders", "--on", "13/03/2026", "--lang", "en")
    assert not Notification.objects.exists()
