"""The recommendation status rule: the queryset expression and the pure function agree."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from thenchot.inspections.models import Recommendation, RemediationReport
from thenchot.inspections.status import annotate_status, recommendation_status
from thenchot.inspections.testing import InspectionFactory, RecommendationFactory

pytestmark = pytest.mark.django_db
d = dt.date
BASE = d(2023, 3, 1)
days = st.integers(min_value=0, max_value=60)


@pytest.mark.parametrize(
    ("done", "pending", "on", "expected"),
    [
        (None, None, d(2023, 4, 1), "open"),
        (None, None, d(2023, 7, 1), "overdue"),
        (None, d(2023, 5, 1), d(2023, 5, 2), "awaiting_review"),
        (None, d(2023, 5, 1), d(2023, 7, 1), "overdue"),
        (d(2023, 6, 1), None, d(2023, 6, 1), "done"),
        (d(2023, 6, 1), None, d(2023, 5, 31), "open"),
        (d(2023, 8, 1), None, d(2023, 7, 15), "overdue"),
    ],
)
def test_it_classifies_one_recommendation(done, pending, on, expected):
    assert (
        recommendation_status(due_on=d(2023, 6, 30), done_on=done, pending_since=pending, on=on)
        == expected
    )


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(due=days, done=st.none() | days, pending=st.none() | days, on=days)
def test_it_agrees_with_the_queryset_expression(world, due, done, pending, on):
    Recommendation.objects.all().delete()
    inspection = InspectionFactory(code="KT-H", conducted_by=world.stc, target_unit=world.stc_ns)
    rec = RecommendationFactory(
        code="KN-H",
        inspection=inspection,
        due_on=BASE + dt.timedelta(days=due),
        done_on=None if done is None else BASE + dt.timedelta(days=done),
    )
    if pending is not None:
        RemediationReport.objects.create(
            recommendation=rec, reported_on=BASE + dt.timedelta(days=pending), text="x"
        )
    when = BASE + dt.timedelta(days=on)
    got = annotate_status(Recommendation.objects.filter(pk=rec.pk), when).get().status
    assert got == recommendation_status(
        due_on=rec.due_on,
        done_on=rec.done_on,
        pending_since=None if pending is None else BASE + dt.timedelta(days=pending),
        on=when,
    )
