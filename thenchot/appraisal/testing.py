"""Test helpers for evaluation: a head for SNV, open periods, evaluations in a given state.

The persona world (`people.testing.build_world`) has no head of SNV; `with_snv_head` adds one,
Đặng Quốc Sơn ("son"), so that the workflow has an approver: an (SNV-TC) self-assesses, hoa
(manager of SNV-TC) reviews, son (head of SNV) approves and closes.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from thenchot.accounts.testing import UserFactory
from thenchot.appraisal import services
from thenchot.appraisal.choices import EvaluationStatus
from thenchot.appraisal.models import Evaluation, EvaluationPeriod
from thenchot.org.testing import EPOCH
from thenchot.people.models import HeadAssignment, Staff
from thenchot.people.testing import StaffFactory, World


def this_month() -> str:
    today = timezone.localdate()
    return f"{today.year:04d}-{today.month:02d}"


def month_before(code: str, months: int = 1) -> str:
    year, month = int(code[:4]), int(code[5:7])
    index = year * 12 + month - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def with_snv_head(world: World) -> Staff:
    """Đặng Quốc Sơn, head of SNV (a leader, civil servant), with a login."""
    user = UserFactory.create(username="son", first_name="Đặng Quốc Sơn")
    staff = StaffFactory.create(
        code="P100", full_name="Đặng Quốc Sơn", unit=world.snv, user=user, is_leader=True
    )
    HeadAssignment.objects.get_or_create(
        unit=world.snv, staff=staff, role="head", defaults={"valid_from": EPOCH}
    )
    world.users["son"] = user
    world.staff["son"] = staff
    return staff


def open_period(world: World, code: str | None = None, *, agency: Any = None) -> EvaluationPeriod:
    return services.period_open(agency=agency or world.snv, code=code or this_month()).period


def evaluation_of(world: World, name: str, code: str | None = None) -> Evaluation:
    return Evaluation.objects.select_related("period", "staff").get(
        staff=world.staff[name], period_code=code or this_month()
    )


def approved(
    evaluation: Evaluation,
    *,
    general: str | Decimal,
    tasks: str | Decimal,
    bonus: str | Decimal | None = None,
) -> Evaluation:
    """Put an evaluation straight into `approved` with these points (test set-up only)."""
    Evaluation.objects.filter(pk=evaluation.pk).update(
        general_points=Decimal(general),
        task_points=Decimal(tasks),
        bonus_points=Decimal(bonus) if bonus is not None else None,
        status=EvaluationStatus.APPROVED,
    )
    evaluation.refresh_from_db()
    return evaluation


def add_staff(
    world: World, n: int, *, unit: Any = None, prefix: str = "T", **kw: Any
) -> list[Staff]:
    unit = unit or world.snv_cc
    return [
        StaffFactory.create(
            code=f"{prefix}{i:04d}", full_name=f"Nguyễn Văn Thử {prefix}{i}", unit=unit, **kw
        )
        for i in range(n)
    ]


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
