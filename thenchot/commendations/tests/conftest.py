"""Shared arrangements of the commendation tests: the persona world (people/testing.py) — quan
(admin, city-wide), hung (city leadership), lan (personnel officer of SNV), minh (unit head of
STC), hoa (division manager of SNV-TC: reads, does not commend), an (staff of SNV-TC, no role),
binh (inspector of STC)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from thenchot.accounts.scoping import Scope, compute_scope

DAY = dt.date(2026, 1, 15)


@pytest.fixture
def scope_of(world: Any) -> Any:
    def make(username: str) -> Scope:
        return compute_scope(world.user(username))

    return make
