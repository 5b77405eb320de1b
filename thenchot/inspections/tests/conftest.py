"""Shared arrangements for the inspection tests.

binh is an inspector over STC: STC's inspections are his; lan (personnel of SNV) and hoa
(division manager of SNV-TC) sit on the target side when STC inspects SNV units.
"""

from __future__ import annotations

import datetime as dt

import pytest

from thenchot.accounts.models import RoleGrant

TODAY = dt.date(2026, 11, 27)


@pytest.fixture
def city_inspector(world):
    """binh also inspects city-wide (granted on the city unit): STC → SNV is in his reach."""
    RoleGrant.objects.create(user=world.user("binh"), role="inspector", unit=world.city)
    return world.user("binh")
