"""Progress reports: the lead side reports, the history is kept, the task follows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from thenchot.audit.models import AuditEntry
from thenchot.core.errors import DomainError, OutOfScope
from thenchot.directives.models import ProgressReport, Task
from thenchot.directives.services import progress_report, task_complete
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_it_lets_the_lead_unit_report_progress(world):
    task = sample_task(world)
    today = timezone.localdate()
    progress_report(by=world.user("lan"), task=task, percent=30, reported_on=today - 5 * DAY)
    progress_report(by=world.user("lan"), task=task, percent=60, note="Đã lấy ý kiến các sở")
    task.refresh_from_db()
    assert task.progress == 60
    assert list(task.progress_reports.values_list("percent", flat=True)) == [30, 60]
    assert AuditEntry.objects.filter(model_label="directives.progressreport").count() == 2


def test_it_lets_the_assignee_report_progress(world):
    task = sample_task(world)
    report = progress_report(by=world.user("an"), task=task, percent=10)
    assert report.reported_by == world.user("an")


@pytest.mark.parametrize("username", ["minh", "binh", "hung", "hoa"])
def test_it_refuses_reports_from_outside_the_lead_side(world, username):
    task = sample_task(world)  # led by SNV; Hoa manages only SNV-TC and is not the assignee
    with pytest.raises(OutOfScope):
        progress_report(by=world.user(username), task=task, percent=50)
    assert not ProgressReport.objects.exists()
    task.refresh_from_db()
    assert task.progress == 0


@pytest.mark.parametrize("percent", [-1, 101])
def test_it_refuses_a_percent_outside_0_100(world, percent):
    task = sample_task(world)
    with pytest.raises(DomainError):
        progress_report(by=world.user("lan"), task=task, percent=percent)
    assert not ProgressReport.objects.exists()


def test_it_refuses_reports_dated_in_the_future_or_before_assignment(world):
    task = sample_task(world)
    today = timezone.localdate()
    for bad in (today + DAY, task.assigned_on - DAY):
        with pytest.raises(DomainError):
            progress_report(by=world.user("lan"), task=task, percent=5, reported_on=bad)
    assert not ProgressReport.objects.exists()


def test_it_refuses_reports_on_a_completed_task(world):
    task = sample_task(world)
    task_complete(
        by=world.user("lan"),
        task=task,
        completed_on=timezone.localdate(),
        product="Báo cáo số 12/BC-SNV",
        expected_version=task.version,
    )
    with pytest.raises(DomainError):
        progress_report(by=world.user("lan"), task=task, percent=50)


def test_it_stores_a_checked_attachment(world, media):
    task = sample_task(world)
    pdf = SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.7\n%..." + b"0" * 100)
    report = progress_report(by=world.user("lan"), task=task, percent=40, attachment=pdf)
    assert report.attachment.name.endswith(".pdf")
    assert (media / report.attachment.name).exists()


def test_it_refuses_an_attachment_whose_content_is_not_its_type(world, media):
    task = sample_task(world)
    fake = SimpleUploadedFile("bao-cao.pdf", b"<html>not a pdf</html>")
    with pytest.raises(DomainError) as exc:
        progress_report(by=world.user("lan"), task=task, percent=40, attachment=fake)
    assert "file" in exc.value.field_errors
    assert not ProgressReport.objects.exists()
    assert Task.objects.get(pk=task.pk).progress == 0
