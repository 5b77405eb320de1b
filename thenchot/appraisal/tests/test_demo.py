"""The demo evaluations: closed months with a realistic spread of levels and their reasons, a
few disciplined people, a head capped by the unit result, the current month open with some
self-assessments, and one quota conflict left open in STC for `giamdoc`."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.utils import timezone

from thenchot.appraisal import closing
from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.demo import load_demo_appraisal
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.core.context import acting
from thenchot.org.models import Unit

SEED = 7


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker) -> Iterator[dt.date]:  # type: ignore[no-untyped-def]
    from thenchot.demo.generator import generate

    today = timezone.localdate()
    with django_db_blocker.unblock(), transaction.atomic():
        generate(staff=400, seed=SEED)
        with acting(source="command", reason="demo data"):
            load_demo_appraisal(seed=SEED, today=today)
        yield today
        transaction.set_rollback(True)


def _last_month(today: dt.date) -> str:
    first = today.replace(day=1) - dt.timedelta(days=1)
    return f"{first.year:04d}-{first.month:02d}"


pytestmark = pytest.mark.django_db


def test_it_closes_the_months_with_a_realistic_spread(demo):  # type: ignore[no-untyped-def]
    closed = Evaluation.objects.filter(status="closed")
    levels = Counter(closed.values_list("final_level", flat=True))
    total = sum(levels.values())
    assert total > 1000
    assert 0 < levels["excellent"] < 0.2 * total
    assert levels["good"] + levels["complete"] > 0.7 * total
    assert 0 < levels["not_complete"] < 0.1 * total
    assert not closed.filter(reasons=[]).exists()


def test_it_has_disciplined_people_and_a_capped_head(demo):  # type: ignore[no-untyped-def]
    rules_used = Counter(
        step["rule"] for reasons in Evaluation.objects.values_list("reasons", flat=True)
        for step in reasons
    )  # fmt: skip
    assert rules_used["override.discipline"] >= 1
    assert rules_used["ceiling.unit_result"] >= 1


def test_it_leaves_the_current_month_open_with_some_self_assessments(demo):  # type: ignore[no-untyped-def]
    code = f"{demo.year:04d}-{demo.month:02d}"
    statuses = Counter(Evaluation.objects.filter(period_code=code).values_list("status", flat=True))
    assert statuses["draft"] > 0 and statuses["self_assessed"] > 0
    canbo = Evaluation.objects.get(period_code=code, staff__user__username="canbo")
    assert canbo.status == "draft"  # left for the demo user


def test_it_leaves_one_quota_conflict_for_giamdoc(demo):  # type: ignore[no-untyped-def]
    code = _last_month(demo)
    still_open = EvaluationPeriod.objects.filter(code=code, status=PeriodStatus.OPEN)
    assert list(still_open.values_list("agency__code", flat=True)) == ["STC"]
    with pytest.raises(closing.QuotaConflicts):
        closing.close_period(unit=Unit.objects.get(code="STC"), period=code, dry_run=True)


def test_it_adds_nothing_when_run_twice(demo):  # type: ignore[no-untyped-def]
    before = Evaluation.objects.count()
    load_demo_appraisal(seed=SEED, today=demo)
    assert Evaluation.objects.count() == before
