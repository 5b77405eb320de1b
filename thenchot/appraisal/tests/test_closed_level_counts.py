"""The evaluations report block reads each closed period's level counts per unit, made once per
close: the figures equal a count of the evaluations, and a period closed again (after a
reopening) is counted from its new results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.appraisal import selectors
from thenchot.appraisal.choices import PeriodStatus
from thenchot.appraisal.models import ClosedLevelCount, Evaluation, EvaluationPeriod
from thenchot.appraisal.testing import open_period

pytestmark = pytest.mark.django_db


def _close(period, levels):  # type: ignore[no-untyped-def]
    for ev, level in zip(
        Evaluation.objects.filter(period=period).order_by("pk"), levels, strict=True
    ):
        ev.final_level = level
        ev.save(update_fields=["final_level"])
    EvaluationPeriod.objects.filter(pk=period.pk).update(
        status=PeriodStatus.CLOSED, closed_at=timezone.now()
    )


def _block(world, period):  # type: ignore[no-untyped-def]
    return selectors.report_block(
        unit=world.city, date_from=period.starts_on, date_to=period.ends_on, as_of=period.ends_on
    )


def test_it_counts_once_and_again_after_a_new_close(world) -> None:  # type: ignore[no-untyped-def]
    period = open_period(world, "2026-10")
    people = Evaluation.objects.filter(period=period).count()
    assert people >= 3
    _close(period, ["excellent", "good", "good"] + ["complete"] * (people - 3))
    first = _block(world, period)
    assert first["by_level"]["good"] == 2 and first["by_level"]["excellent"] == 1
    made = ClosedLevelCount.objects.count()
    assert made > 0
    assert _block(world, period) == first  # read again from the counts
    assert ClosedLevelCount.objects.count() == made
    # Reopened, changed and closed again: new counts for the new close.
    EvaluationPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.OPEN)
    assert _block(world, period)["rated"] == 0
    _close(period, ["good"] * people)
    EvaluationPeriod.objects.filter(pk=period.pk).update(
        closed_at=timezone.now() + dt.timedelta(seconds=1)
    )
    again = _block(world, period)
    assert again["by_level"]["good"] == people and again["by_level"]["excellent"] == 0
