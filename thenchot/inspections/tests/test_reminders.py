"""Overdue recommendations raise reminders (heads of the responsible unit) and escalate to the
heads of the conducting unit, through the notifications job."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from thenchot.core.registry import due_sources
from thenchot.inspections.due import POLICY_KEY
from thenchot.inspections.models import RemediationReport
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory
from thenchot.notifications.jobs import send_reminders
from thenchot.notifications.models import Notification
from thenchot.people.models import HeadAssignment

pytestmark = pytest.mark.django_db
d = dt.date
ON = d(2026, 6, 10)


@pytest.fixture
def recs(world):
    # minh heads STC (conducting); hoa heads SNV-TC (responsible).
    inspection = InspectionFactory(
        code="KT-1", conducted_by=world.stc, target_unit=world.snv_tc, started_on=d(2026, 3, 1)
    )
    RecommendationFactory(code="LATE", inspection=inspection, due_on=ON - dt.timedelta(days=3))
    RecommendationFactory(code="SOON", inspection=inspection, due_on=ON + dt.timedelta(days=3))
    RecommendationFactory(
        code="DONE",
        inspection=inspection,
        due_on=ON - dt.timedelta(days=3),
        done_on=ON - dt.timedelta(days=5),
    )
    waiting = RecommendationFactory(
        code="WAIT", inspection=inspection, due_on=ON - dt.timedelta(days=3)
    )
    RemediationReport.objects.create(recommendation=waiting, reported_on=ON, text="x")
    return world


def test_it_lists_open_items_in_a_fixed_number_of_queries(recs):
    source = due_sources.get(POLICY_KEY)
    with CaptureQueriesContext(connection) as ctx:
        items = list(source.items(on=ON, due_dates={ON + dt.timedelta(days=3)}, overdue=True))
    assert sorted(i.title.split(" — ")[0] for i in items) == ["LATE", "SOON"]
    assert len(ctx.captured_queries) <= 2
    late = next(i for i in items if i.title.startswith("LATE"))
    assert late.recipients == (recs.user("hoa").pk,)
    assert late.escalate_to == (recs.user("minh").pk,)


def test_it_reminds_and_escalates_through_the_job(recs):
    send_reminders(on=ON)
    hoa = Notification.objects.filter(recipient=recs.user("hoa"), model_label=POLICY_KEY)
    # SOON is due in 3 days (a reminder); LATE is 3 days late (escalated, not yet re-reminded).
    assert sorted(hoa.values_list("kind", "title")) == [
        ("reminder_before", "SOON — " + hoa.first().title.split(" — ", 1)[1])
    ]
    minh = Notification.objects.filter(recipient=recs.user("minh"), model_label=POLICY_KEY)
    assert minh.filter(kind="escalation").count() == 1
    before = Notification.objects.count()
    send_reminders(on=ON)
    assert Notification.objects.count() == before  # idempotent


def test_it_reminds_nobody_outside_the_units(recs):
    send_reminders(on=ON)
    for name in ("lan", "an", "binh"):
        assert not Notification.objects.filter(
            recipient=recs.user(name), model_label=POLICY_KEY
        ).exists()


def test_it_follows_the_head_of_the_day(recs):
    HeadAssignment.objects.filter(staff=recs.staff["hoa"]).update(
        valid_to=ON - dt.timedelta(days=1)
    )
    send_reminders(on=ON)
    assert not Notification.objects.filter(
        recipient=recs.user("hoa"), model_label=POLICY_KEY
    ).exists()
