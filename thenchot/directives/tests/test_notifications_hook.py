"""Task events reach the inbox of the people concerned (through notifications.notify)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.directives.services import extension_decide, extension_request
from thenchot.directives.testing import sample_task

pytestmark = pytest.mark.django_db
DAY = dt.timedelta(days=1)


def inbox(user):
    from thenchot.notifications.models import Notification

    return list(
        Notification.objects.filter(recipient=user, model_label="directives.task").values_list(
            "title", flat=True
        )
    )


def test_it_tells_the_assignee_of_a_new_task(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task = sample_task(world)
    titles = inbox(world.user("an"))
    assert len(titles) == 1 and titles[0].startswith(f"{task.code}: ")
    assert inbox(world.user("lan")) == []  # SNV has no recorded head


def test_it_tells_the_assigner_of_a_request_and_the_requester_of_the_decision(
    world, django_capture_on_commit_callbacks
):
    task = sample_task(world)
    with django_capture_on_commit_callbacks(execute=True):
        req = extension_request(
            by=world.user("lan"),
            task=task,
            new_deadline=timezone.localdate() + 30 * DAY,
            reason="Chờ số liệu",
        )
    assert len(inbox(world.user("minh"))) == 1
    with django_capture_on_commit_callbacks(execute=True):
        extension_decide(
            request=req, approve=True, comment="", by=world.user("minh"), expected_version=1
        )
    assert len(inbox(world.user("lan"))) == 1
    assert len(inbox(world.user("an"))) == 1  # the assignee hears of the decision too
