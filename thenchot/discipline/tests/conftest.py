"""Helpers for the discipline tests: a scope per persona, decisions and cases written directly."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest


@pytest.fixture
def scope_of(world):  # type: ignore[no-untyped-def]
    from thenchot.accounts.scoping import compute_scope

    def make(username: str) -> Any:
        return compute_scope(world.user(username))

    return make


def decision(staff: Any, code: str, form: str = "reprimand", **kw: Any) -> Any:
    from thenchot.discipline.models import DisciplineDecision

    kw.setdefault("decided_on", dt.date(2025, 3, 1))
    kw.setdefault("effective_on", kw["decided_on"])
    return DisciplineDecision.objects.create(code=code, staff=staff, form=form, **kw)
