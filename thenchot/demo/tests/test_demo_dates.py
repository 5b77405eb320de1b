"""The demo tells no future: nothing is created, updated, recorded, done or decided after now.

Dates that look ahead by nature (deadlines, dues, the end of a validity, of a leave or of a
pause, a planned day, a retirement, the start of an announced inspection) may be later."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from thenchot.rotation.demo import _plan
from thenchot.rotation.models import RotationPlan

pytestmark = pytest.mark.django_db

AHEAD = {
    "deadline",
    "previous_deadline",
    "new_deadline",
    "due_on",
    "self_due",
    "review_due",
    "approval_due",
    "ends_on",
    "valid_to",
    "date_to",
    "retirement_on",
    "planned_on",
}
AHEAD_IN = {("inspections.Inspection", "started_on")}  # an announced inspection, not begun


def _after_now(*, only: str | None = None, exclude: str | None = None) -> list[str]:
    now, today = timezone.now(), timezone.localdate()
    found = []
    for model in apps.get_models():
        label = model._meta.label
        app = model._meta.app_label
        if not model.__module__.startswith("thenchot.") or app == exclude:
            continue
        if only is not None and app != only:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField) or field.name in AHEAD:
                continue
            if (label, field.name) in AHEAD_IN:
                continue
            limit = now if isinstance(field, models.DateTimeField) else today
            late = model._default_manager.filter(**{f"{field.name}__gt": limit})
            if late.exists():
                found.append(f"{label}.{field.name} ({late.count()} after {limit})")
    return found


def test_it_records_nothing_after_now(demo):  # type: ignore[no-untyped-def]
    assert _after_now(exclude="appraisal") == []


def test_it_records_no_appraisal_step_after_now(demo):  # type: ignore[no-untyped-def]
    assert _after_now(only="appraisal") == []


def test_it_publishes_the_rotation_plan_no_later_than_the_load_day(demo):  # type: ignore[no-untyped-def]
    early_january = dt.date(timezone.localdate().year + 1, 1, 2)
    _plan(random.Random(demo.seed), early_january)
    plan = RotationPlan.objects.get(year=early_january.year)
    assert plan.published_on is not None
    assert plan.published_on <= early_january
