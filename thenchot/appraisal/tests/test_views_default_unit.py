"""A page's default unit: an agency that ended in a merger (its history read by the successor's
head) comes after the agencies that exist today, whatever the codes' order."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from thenchot.appraisal import views_support as vs
from thenchot.org.testing import UnitFactory
from thenchot.org.tree import invalidate, tree

pytestmark = pytest.mark.django_db


def test_it_puts_the_agencies_of_today_first(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    ended = UnitFactory(code="A-OLD", parent=world.city, valid_to=today - dt.timedelta(days=30))
    invalidate()
    assert ended.code < world.stc.code  # by code alone the ended one would come first
    units = vs.top_units([ended.pk, world.stc.pk], tree(), today)
    assert units == [world.stc.pk, ended.pk]
