"""The demo commends people (some for an innovation) and units, and gives the Department of
Construction the higher quota for the current month on its emulation flag's decision; a second
run adds nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from thenchot.appraisal.models import QuotaOverride
from thenchot.commendations import selectors
from thenchot.commendations.demo import FLAG_AGENCY, load_demo_commendations
from thenchot.commendations.models import Commendation
from thenchot.demo.generator import generate

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 27)


def test_it_commends_people_and_units_and_grants_the_higher_quota() -> None:
    generate(staff=400, seed=7)
    load_demo_commendations(seed=7, today=TODAY)
    people = Commendation.objects.filter(staff__isnull=False)
    units = Commendation.objects.filter(unit__isnull=False)
    assert people.count() >= 20 and units.count() >= 3
    assert people.filter(innovation=True).exists()
    assert not Commendation.objects.filter(decided_on__gt=TODAY).exists()
    flag = Commendation.objects.get(unit__code=FLAG_AGENCY, kind="emulation_flag")
    override = QuotaOverride.objects.get(agency__code=FLAG_AGENCY)
    assert (override.period_code, override.ratio, override.base) == (
        "2026-11",
        Decimal("40"),
        "headcount",
    )
    assert selectors.commendation_of_override(override) == flag
    count = Commendation.objects.count()
    load_demo_commendations(seed=7, today=TODAY)
    assert Commendation.objects.count() == count
