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


@pytest.fixture
def people(world):  # type: ignore[no-untyped-def]
    """Beside the world: Mai (VC01) public employee, not a manager; Phó (PP01) civil servant,
    flag off, deputy head of SNV-CC in 2024 only; Tú (LD01) contract worker."""
    from thenchot.people.models import HeadAssignment
    from thenchot.people.testing import StaffFactory

    mai = StaffFactory.create(
        code="VC01", full_name="Trần Thị Mai", category="public_employee", unit=world.snv_cc
    )
    pho = StaffFactory.create(code="PP01", full_name="Phạm Văn Phó", unit=world.snv_cc)
    HeadAssignment.objects.create(
        unit=world.snv_cc,
        staff=pho,
        role="deputy",
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2024, 12, 31),
    )
    tu = StaffFactory.create(
        code="LD01", full_name="Hoàng Văn Tú", category="contract_worker", unit=world.snv_cc
    )
    return {"an": world.staff["an"], "hoa": world.staff["hoa"], "mai": mai, "pho": pho, "tu": tu}
