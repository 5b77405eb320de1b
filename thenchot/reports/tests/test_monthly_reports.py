"""The monthly report of each head's unit: in the heads' inboxes and by e-mail with the file
attached, through the job interface, and never sent twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from thenchot.core import jobs
from thenchot.notifications.models import Notification
from thenchot.reports.models import MonthlyReportClaim, ReportRun
from thenchot.reports.monthly import previous_month, send_monthly_reports

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def locmem(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_it_sends_each_heads_unit_its_report_once(article, world, media):
    # minh heads STC, hoa heads SNV-TC (people's headships).
    result = jobs.run_now("reports.monthly", month="2023-09-01", chain=False)
    assert result["units"] == 2 and result["sent"] == 2 and result["remaining"] == 0
    inbox = Notification.objects.filter(recipient=world.user("minh"))
    assert inbox.count() == 1
    note = inbox.get()
    assert "Sở Tài chính" in note.title
    run = ReportRun.objects.get(unit=world.stc)
    assert note.url == f"/reports/runs/{run.pk}/"
    assert run.scheduled and run.date_from == dt.date(2023, 9, 1)
    assert run.date_to == dt.date(2023, 9, 30)
    to = sorted(m.to[0] for m in mail.outbox)
    assert to == sorted([world.user("minh").email, world.user("hoa").email])
    minh_mail = next(m for m in mail.outbox if m.to == [world.user("minh").email])
    (name, content, _mime) = minh_mail.attachments[0]
    assert name.endswith((".pdf", ".xlsx")) and len(content) > 1000
    assert f"/reports/runs/{run.pk}/file/" in minh_mail.body
    # The head downloads it from the inbox link; another unit's head may not.
    from django.test import Client

    client = Client()
    client.force_login(world.user("minh"))
    assert client.get(f"/reports/runs/{run.pk}/file/").status_code == 200
    client.force_login(world.user("hoa"))
    assert client.get(f"/reports/runs/{run.pk}/file/").status_code == 404

    # Run again (or a second worker): nothing is sent twice.
    again = send_monthly_reports(month=dt.date(2023, 9, 1))
    assert again.sent == 0 and again.remaining == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(recipient=world.user("minh")).count() == 1
    assert MonthlyReportClaim.objects.filter(month=dt.date(2023, 9, 1)).count() == 2


def test_a_claim_held_by_another_worker_is_left_alone(world, media):
    month = dt.date(2023, 9, 1)
    import uuid

    from django.utils import timezone

    MonthlyReportClaim.objects.create(
        unit=world.stc, month=month, claim=uuid.uuid4(), claimed_at=timezone.now()
    )
    result = send_monthly_reports(month=month)
    assert result.sent == 1  # SNV-TC only: STC is being sent by someone else
    assert [m.to for m in mail.outbox] == [[world.user("hoa").email]]
    assert result.remaining == 1


def test_it_reports_on_the_month_before_the_run(world):
    assert previous_month(dt.date(2024, 1, 15)) == dt.date(2023, 12, 1)
    assert previous_month(dt.date(2023, 10, 1)) == dt.date(2023, 9, 1)


def test_it_is_a_scheduled_job():
    spec = jobs.registered()["reports.monthly"]
    assert spec.every_seconds == 3600
